// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/crc32c.h"
#include "core/metrics/tfeventreader.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtEndian>
#include <QTest>

#include <cstring>
#include <limits>

using og::MetricPoint;
using og::TfEventReader;

namespace {
// A small protobuf and TFRecord encoder, written from backend-anchors.md §4.3 independently of
// the reader, so the tests check the reader against the format and not against itself.
QByteArray varint(quint64 v)
{
    QByteArray out;
    while (v >= 0x80) {
        out.append(char(v | 0x80));
        v >>= 7;
    }
    out.append(char(v));
    return out;
}
QByteArray key(int field, int wire)
{
    return varint(quint64(field) << 3 | quint64(wire));
}
QByteArray fVarint(int field, quint64 v)
{
    return key(field, 0) + varint(v);
}
QByteArray fBytes(int field, const QByteArray &bytes)
{
    return key(field, 2) + varint(quint64(bytes.size())) + bytes;
}
QByteArray le32(quint32 v)
{
    QByteArray b(4, 0);
    qToLittleEndian(v, b.data());
    return b;
}
QByteArray le64(quint64 v)
{
    QByteArray b(8, 0);
    qToLittleEndian(v, b.data());
    return b;
}
QByteArray floatBytes(float f)
{
    quint32 bits;
    std::memcpy(&bits, &f, 4);
    return le32(bits);
}
QByteArray doubleBytes(double d)
{
    quint64 bits;
    std::memcpy(&bits, &d, 8);
    return le64(bits);
}
QByteArray fFloat(int field, float f)
{
    return key(field, 5) + floatBytes(f);
}
QByteArray fDouble(int field, double d)
{
    return key(field, 1) + doubleBytes(d);
}

QByteArray eventData(double wallTime, qint64 step, const QByteArray &summaryValues)
{
    QByteArray e = fDouble(1, wallTime);
    if (step != 0)
        e += fVarint(2, quint64(step));
    return e + fBytes(5, summaryValues);
}
QByteArray simpleValue(const QByteArray &tag, float v)
{
    return fBytes(1, fBytes(1, tag) + fFloat(2, v));
}
// SummaryMetadata with plugin_data.plugin_name and/or data_class.
QByteArray metadata(const QByteArray &plugin, int dataClass)
{
    QByteArray m;
    if (!plugin.isEmpty())
        m += fBytes(1, fBytes(1, plugin) + fBytes(2, QByteArray("\x00", 1)));
    if (dataClass)
        m += fVarint(4, quint64(dataClass));
    return m;
}
QByteArray tensorValue(const QByteArray &tag, const QByteArray &tensor, const QByteArray &meta = {})
{
    QByteArray v = fBytes(1, tag);
    if (!meta.isNull())
        v += fBytes(9, meta);
    return fBytes(1, v + fBytes(8, tensor));
}
constexpr int kDtFloat = 1;
constexpr int kDtDouble = 2;
constexpr int kDtInt32 = 3;
constexpr int kDtInt64 = 9;
constexpr int kDtHalf = 19;
constexpr int kDtString = 7;

QByteArray record(const QByteArray &data)
{
    const QByteArray length = le64(quint64(data.size()));
    return length + le32(og::crc32c::mask(og::crc32c::value(length.constData(), 8))) + data +
           le32(og::crc32c::mask(og::crc32c::value(data.constData(), size_t(data.size()))));
}

QByteArray fileVersionRecord()
{
    return record(fDouble(1, 1700000000.0) + fBytes(3, "brain.Event:2"));
}

void writeFile(const QString &path, const QByteArray &bytes,
               QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile f(path);
    QVERIFY(f.open(mode));
    QCOMPARE(f.write(bytes), bytes.size());
}

QString testData(const char *name)
{
    return QStringLiteral(OPENGRID_SOURCE_DIR "/tests/data/metrics/") + QLatin1String(name);
}
} // namespace

class TestMetricTfEvents final : public QObject
{
    Q_OBJECT

private slots:
    void crcKnownVectors();
    void crcMaskRoundTrip();
    void catboostFile();
    void simpleValues();
    void tensorScalars_data();
    void tensorScalars();
    void scalarMetadataRememberedPerTag();
    void savedStateCarriesOn();
    void otherPluginsAndShapesIgnored();
    void unknownFieldsOfEveryWireTypeSkipped();
    void truncatedFileResumes();
    void truncatedCatboostResumes();
    void badDataCrcReportedOnce();
    void badLengthCrcReportedOnce();
    void missingFileIsQuiet();
    void largeFileReadInChunks();

private:
    QTemporaryDir m_dir;
};

void TestMetricTfEvents::crcKnownVectors()
{
    // RFC 3720 (iSCSI) B.4 and LevelDB's crc32c_test.cc.
    struct Vector
    {
        QByteArray data;
        quint32 crc;
    };
    QByteArray ascending(32, 0), descending(32, 0);
    for (int i = 0; i < 32; ++i) {
        ascending[i] = char(i);
        descending[i] = char(31 - i);
    }
    const QList<Vector> vectors = {
        {QByteArray("123456789"), 0xe3069283u},
        {QByteArray(32, 0), 0x8a9136aau},
        {QByteArray(32, char(0xff)), 0x62a8ab43u},
        {ascending, 0x46dd794eu},
        {descending, 0x113fdb5cu},
        {QByteArray(), 0u},
    };
    for (const Vector &v : vectors) {
        QCOMPARE(og::crc32c::value(v.data.constData(), size_t(v.data.size())), v.crc);
        QCOMPARE(og::crc32c::extendPortable(0, v.data.constData(), size_t(v.data.size())), v.crc);
    }
    // Extending in pieces of every split equals the whole, in both implementations.
    QByteArray text;
    for (int i = 0; i < 300; ++i)
        text.append(char(i * 7 + 3));
    const quint32 whole = og::crc32c::extendPortable(0, text.constData(), size_t(text.size()));
    for (int split = 0; split <= text.size(); ++split) {
        const size_t rest = size_t(text.size() - split);
        QCOMPARE(og::crc32c::extend(og::crc32c::extend(0, text.constData(), size_t(split)),
                                    text.constData() + split, rest),
                 whole);
        QCOMPARE(og::crc32c::extendPortable(
                     og::crc32c::extendPortable(0, text.constData(), size_t(split)),
                     text.constData() + split, rest),
                 whole);
    }
    qInfo("CRC-32C uses %s", og::crc32c::hardwareAccelerated() ? "SSE4.2" : "the table");
}

void TestMetricTfEvents::crcMaskRoundTrip()
{
    for (const quint32 crc : {0u, 1u, 0xe3069283u, 0xffffffffu, 0x80000000u}) {
        QCOMPARE(og::crc32c::unmask(og::crc32c::mask(crc)), crc);
        QVERIFY(og::crc32c::mask(crc) != crc);
    }
    // LevelDB: masked = ((crc >> 15) | (crc << 17)) + 0xa282ead8
    QCOMPARE(og::crc32c::mask(0xe3069283u),
             quint32(((0xe3069283u >> 15) | (0xe3069283u << 17)) + 0xa282ead8u));
}

void TestMetricTfEvents::catboostFile()
{
    // README: 1,000 events, tag Logloss in the simple_value form, steps 0–999, CRCs valid.
    // Values checked against an independent decoding of the file.
    TfEventReader reader(testData("catboost-logloss.tfevents"));
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    QCOMPARE(points.size(), 1000);
    QCOMPARE(reader.offset(), qint64(54870));
    for (qsizetype i = 0; i < points.size(); ++i) {
        QCOMPARE(points[i].key, QStringLiteral("Logloss"));
        QCOMPARE(points[i].step, qint64(i));
        QVERIFY(points[i].value > 0.12 && points[i].value < 0.69);
        QVERIFY(points[i].wallTime >= 1650282860.0 && points[i].wallTime <= 1650282863.0);
    }
    // Exact: a float32 widened to double, and a whole-second double wall time.
    QCOMPARE(points.first().value, 0.6876429319381714);
    QCOMPARE(points.first().wallTime, 1650282860.0);
    QCOMPARE(points[1].value, 0.6818223595619202);
    QCOMPARE(points[500].value, 0.2142026275396347);
    QCOMPARE(points.last().step, qint64(999));
    QCOMPARE(points.last().value, 0.12716658413410187);
    QCOMPARE(points.last().wallTime, 1650282863.0);
    double sum = 0;
    for (const MetricPoint &p : points)
        sum += p.value;
    QVERIFY(qAbs(sum - 246.97765398025513) < 1e-9);

    // Nothing new: nothing more.
    QVERIFY(reader.readAvailable().isEmpty());
    QCOMPARE(reader.offset(), qint64(54870));
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricTfEvents::simpleValues()
{
    const QString path = m_dir.filePath("events.out.tfevents.1.simple");
    QByteArray bytes = fileVersionRecord();
    bytes += record(eventData(1700000001.25, 0, simpleValue("loss", 2.5f)));
    // Two values in one summary, a negative step, and a NaN.
    bytes +=
        record(eventData(1700000002.5, 7, simpleValue("loss", 1.5f) + simpleValue("acc", 0.75f)));
    bytes += record(
        eventData(1700000003.0, -3, simpleValue("acc", std::numeric_limits<float>::quiet_NaN())));
    writeFile(path, bytes);

    TfEventReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 4);
    QCOMPARE(points[0], (MetricPoint{QStringLiteral("loss"), 0, 1700000001.25, 2.5}));
    QCOMPARE(points[1], (MetricPoint{QStringLiteral("loss"), 7, 1700000002.5, 1.5}));
    QCOMPARE(points[2], (MetricPoint{QStringLiteral("acc"), 7, 1700000002.5, 0.75}));
    QCOMPARE(points[3].key, QStringLiteral("acc"));
    QCOMPARE(points[3].step, qint64(-3));
    QVERIFY(qIsNaN(points[3].value));
    QCOMPARE(reader.offset(), qint64(bytes.size()));
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricTfEvents::tensorScalars_data()
{
    QTest::addColumn<QByteArray>("tensor");
    QTest::addColumn<double>("expected");

    // What TF2's tf.summary.scalar writes: DT_FLOAT, rank 0, the value in tensor_content.
    QTest::newRow("float tensor_content")
        << (fVarint(1, kDtFloat) + fBytes(2, {}) + fBytes(4, floatBytes(0.25f))) << 0.25;
    QTest::newRow("double tensor_content")
        << (fVarint(1, kDtDouble) + fBytes(2, {}) + fBytes(4, doubleBytes(0.1))) << 0.1;
    // PyTorch's add_scalar(new_style=True): float_val, here unpacked and packed.
    QTest::newRow("float_val unpacked") << (fVarint(1, kDtFloat) + fFloat(5, -4.5f)) << -4.5;
    QTest::newRow("float_val packed")
        << (fVarint(1, kDtFloat) + fBytes(5, floatBytes(8.0f))) << 8.0;
    QTest::newRow("double_val unpacked") << (fVarint(1, kDtDouble) + fDouble(6, 1e-300)) << 1e-300;
    QTest::newRow("double_val packed")
        << (fVarint(1, kDtDouble) + fBytes(6, doubleBytes(3.5))) << 3.5;
    QTest::newRow("int_val") << (fVarint(1, kDtInt32) + fVarint(7, quint64(-12))) << -12.0;
    QTest::newRow("int64_val packed")
        << (fVarint(1, kDtInt64) + fBytes(10, varint(5000000000ULL))) << 5e9;
    QTest::newRow("int32 tensor_content")
        << (fVarint(1, kDtInt32) + fBytes(4, le32(quint32(-7)))) << -7.0;
    QTest::newRow("half tensor_content")
        << (fVarint(1, kDtHalf) + fBytes(4, QByteArray("\x00\x3c", 2))) << 1.0;
    // A shape of one element of size 1 is still one value.
    QTest::newRow("shape [1]") << (fVarint(1, kDtFloat) + fBytes(2, fBytes(2, fVarint(1, 1))) +
                                   fFloat(5, 6.0f))
                               << 6.0;
    // dtype after the value: field order does not matter.
    QTest::newRow("dtype last") << (fBytes(4, doubleBytes(-2.0)) + fVarint(1, kDtDouble)) << -2.0;
}

void TestMetricTfEvents::tensorScalars()
{
    QFETCH(QByteArray, tensor);
    QFETCH(double, expected);
    const QString path =
        m_dir.filePath(QStringLiteral("events.out.tfevents.2.%1")
                           .arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_')));
    QByteArray bytes = fileVersionRecord();
    // data_class SCALAR declares it here, plugin "scalars" in the other test.
    bytes += record(eventData(1700000010.0, 1, tensorValue("m", tensor, metadata({}, 1))));
    writeFile(path, bytes);
    TfEventReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    QCOMPARE(points.size(), 1);
    QCOMPARE(points[0].key, QStringLiteral("m"));
    QCOMPARE(points[0].step, qint64(1));
    QCOMPARE(points[0].wallTime, 1700000010.0);
    QCOMPARE(points[0].value, expected);
}

void TestMetricTfEvents::scalarMetadataRememberedPerTag()
{
    const QString path = m_dir.filePath("events.out.tfevents.3.meta");
    auto floatTensor = [](float v) {
        return fVarint(1, kDtFloat) + fBytes(2, {}) + fBytes(4, floatBytes(v));
    };
    QByteArray bytes = fileVersionRecord();
    // Metadata only with each tag's first value, as TF's writers do.
    bytes += record(eventData(1.0, 0, tensorValue("a", floatTensor(1.0f), metadata("scalars", 0))));
    bytes += record(eventData(1.0, 0, tensorValue("b", floatTensor(10.0f), metadata({}, 1))));
    bytes += record(eventData(2.0, 1, tensorValue("a", floatTensor(2.0f))));
    const qsizetype cut = bytes.size() + 10; // inside the next record
    bytes += record(eventData(2.0, 1, tensorValue("b", floatTensor(20.0f))));
    // Never declared: not a scalar.
    bytes += record(eventData(2.0, 1, tensorValue("c", floatTensor(30.0f))));
    writeFile(path, bytes.left(cut));

    TfEventReader reader(path);
    QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 3);
    // The declaration is remembered across calls too.
    writeFile(path, bytes);
    points += reader.readAvailable();
    QCOMPARE(points.size(), 4);
    QCOMPARE(points[0], (MetricPoint{QStringLiteral("a"), 0, 1.0, 1.0}));
    QCOMPARE(points[1], (MetricPoint{QStringLiteral("b"), 0, 1.0, 10.0}));
    QCOMPARE(points[2], (MetricPoint{QStringLiteral("a"), 1, 2.0, 2.0}));
    QCOMPARE(points[3], (MetricPoint{QStringLiteral("b"), 1, 2.0, 20.0}));
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricTfEvents::savedStateCarriesOn()
{
    // A new reader given a saved state goes on at the next record and still knows which tags
    // were declared scalars (their later values carry no metadata): what a gridd restart needs.
    const QString path = m_dir.filePath("events.out.tfevents.4.state");
    auto floatTensor = [](float v) {
        return fVarint(1, kDtFloat) + fBytes(2, {}) + fBytes(4, floatBytes(v));
    };
    QByteArray bytes = fileVersionRecord();
    bytes += record(eventData(1.0, 0, tensorValue("a", floatTensor(1.0f), metadata("scalars", 0))));
    writeFile(path, bytes);
    TfEventReader first(path);
    QCOMPARE(first.readAvailable().size(), 1);
    const QJsonObject state = first.saveState();

    bytes += record(eventData(2.0, 1, tensorValue("a", floatTensor(2.0f))));
    writeFile(path, bytes);
    TfEventReader second(path);
    second.restoreState(state);
    QCOMPARE(second.readAvailable(), (QList<MetricPoint>{MetricPoint{QStringLiteral("a"), 1, 2.0, 2.0}}));
    QCOMPARE(second.offset(), qint64(bytes.size()));
    QVERIFY(second.takeProblems().isEmpty());
}

void TestMetricTfEvents::otherPluginsAndShapesIgnored()
{
    const QString path = m_dir.filePath("events.out.tfevents.4.other");
    QByteArray bytes = fileVersionRecord();
    // A histogram-plugin tensor, a text tensor, and a scalar-declared tag with 3 elements.
    bytes += record(eventData(1.0, 0,
                              tensorValue("h", fVarint(1, kDtDouble) + fBytes(4, doubleBytes(1)),
                                          metadata("histograms", 0))));
    bytes += record(eventData(
        1.0, 0, tensorValue("t", fVarint(1, kDtString) + fBytes(8, "hello"), metadata("text", 0))));
    const QByteArray shape3 = fBytes(2, fBytes(2, fVarint(1, 3)));
    bytes +=
        record(eventData(1.0, 0,
                         tensorValue("v",
                                     fVarint(1, kDtFloat) + shape3 +
                                         fBytes(5, floatBytes(1) + floatBytes(2) + floatBytes(3)),
                                     metadata("scalars", 1))));
    // Wrong content size for the dtype.
    bytes += record(eventData(
        1.0, 0,
        tensorValue("w", fVarint(1, kDtFloat) + fBytes(4, "\x01\x02"), metadata("scalars", 0))));
    // A graph_def and a session_log: other oneofs.
    bytes += record(fDouble(1, 1.0) + fBytes(4, QByteArray(100, 'g')));
    bytes += record(fDouble(1, 1.0) + fBytes(7, fVarint(1, 1)));
    // And one real scalar at the end.
    bytes += record(eventData(3.0, 9, simpleValue("ok", 1.0f)));
    writeFile(path, bytes);

    TfEventReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 1);
    QCOMPARE(points[0], (MetricPoint{QStringLiteral("ok"), 9, 3.0, 1.0}));
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricTfEvents::unknownFieldsOfEveryWireTypeSkipped()
{
    const QString path = m_dir.filePath("events.out.tfevents.5.unknown");
    // Unknown fields of wire types 0, 1, 2, 5 and a group (3 … 4) at every level.
    const QByteArray junk = fVarint(99, 12345) + fDouble(98, 1.0) + fBytes(97, "x") +
                            fFloat(96, 1.0f) + key(95, 3) + fVarint(1, 1) + fBytes(2, "in group") +
                            key(95, 4);
    const QByteArray value =
        fBytes(1, junk + fBytes(1, "tag") + junk + fFloat(2, 4.0f) + junk + fBytes(7, "node_name"));
    const QByteArray e = junk + fDouble(1, 5.0) + junk + fVarint(2, 42) + fBytes(5, junk + value) +
                         fBytes(10, "source metadata") + junk;
    writeFile(path, fileVersionRecord() + record(e));

    TfEventReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    QCOMPARE(points.size(), 1);
    QCOMPARE(points[0], (MetricPoint{QStringLiteral("tag"), 42, 5.0, 4.0}));

    // A malformed event with good CRCs is skipped and said once; the file goes on.
    const QString bad = m_dir.filePath("events.out.tfevents.5.malformed");
    const QByteArray truncatedVarint = fDouble(1, 1.0) + QByteArray("\x10\xff\xff", 3);
    writeFile(bad, record(truncatedVarint) + record(truncatedVarint) +
                       record(eventData(1.0, 1, simpleValue("after", 1.0f))));
    TfEventReader badReader(bad);
    QCOMPARE(badReader.readAvailable().size(), 1);
    const QStringList problems = badReader.takeProblems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].startsWith(u"events.out.tfevents.5.malformed: malformed event in record "
                                    u"at byte 0"),
             qPrintable(problems[0]));
}

void TestMetricTfEvents::truncatedFileResumes()
{
    const QString path = m_dir.filePath("events.out.tfevents.6.tail");
    const QByteArray r0 = fileVersionRecord();
    const QByteArray r1 = record(eventData(1.0, 1, simpleValue("loss", 1.0f)));
    const QByteArray r2 = record(eventData(2.0, 2, simpleValue("loss", 2.0f)));
    const QByteArray r3 = record(eventData(3.0, 3, simpleValue("loss", 3.0f)));
    const QByteArray all = r0 + r1 + r2 + r3;

    TfEventReader reader(path);
    QVERIFY(reader.readAvailable().isEmpty()); // not there yet
    // Cut at every byte of r2 (mid-header, mid-data, mid-footer): r1 arrives, r2 waits.
    for (qsizetype cut = r0.size() + r1.size(); cut < all.size() - r3.size(); ++cut) {
        TfEventReader partial(path);
        writeFile(path, all.left(cut));
        const QList<MetricPoint> first = partial.readAvailable();
        QCOMPARE(first.size(), 1);
        QCOMPARE(first[0].step, qint64(1));
        QCOMPARE(partial.offset(), qint64(r0.size() + r1.size()));
        QVERIFY(partial.readAvailable().isEmpty()); // still short: still waiting
        QCOMPARE(partial.offset(), qint64(r0.size() + r1.size()));
        // The writer finishes: the rest arrives, each once.
        writeFile(path, all.mid(cut), QIODevice::Append);
        const QList<MetricPoint> rest = partial.readAvailable();
        QCOMPARE(rest.size(), 2);
        QCOMPARE(rest[0], (MetricPoint{QStringLiteral("loss"), 2, 2.0, 2.0}));
        QCOMPARE(rest[1], (MetricPoint{QStringLiteral("loss"), 3, 3.0, 3.0}));
        QCOMPARE(partial.offset(), qint64(all.size()));
        QVERIFY(partial.takeProblems().isEmpty());
    }
    QCOMPARE(reader.readAvailable().size(), 3);
}

void TestMetricTfEvents::truncatedCatboostResumes()
{
    QFile source(testData("catboost-logloss.tfevents"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray all = source.readAll();
    const QString path = m_dir.filePath("events.out.tfevents.7.catboost");
    // Record 100 starts at byte 5398; cut 30 bytes into it.
    writeFile(path, all.left(5428));
    TfEventReader reader(path);
    QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 100);
    QCOMPARE(reader.offset(), qint64(5398));
    writeFile(path, all.mid(5428), QIODevice::Append);
    const QList<MetricPoint> rest = reader.readAvailable();
    QCOMPARE(rest.size(), 900);
    QCOMPARE(rest.first().step, qint64(100));
    QCOMPARE(rest.last().value, 0.12716658413410187);
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricTfEvents::badDataCrcReportedOnce()
{
    QFile source(testData("catboost-logloss.tfevents"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray bytes = source.readAll();
    // Flip one byte of record 100's data (it starts at 5398; data at +12).
    bytes[5398 + 20] = char(bytes[5398 + 20] ^ 0x01);
    const QString path = m_dir.filePath("events.out.tfevents.8.corrupt");
    writeFile(path, bytes);

    TfEventReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 100); // the good records before it are kept
    QCOMPARE(points.last().step, qint64(99));
    QCOMPARE(reader.takeProblems(),
             QStringList(QStringLiteral("events.out.tfevents.8.corrupt: bad data CRC in record at "
                                        "byte 5398; skipping the rest of the file")));
    QVERIFY(reader.stopped());
    QCOMPARE(reader.offset(), qint64(5398));
    // Later calls: nothing more, and no second report, even as the file grows.
    QVERIFY(reader.readAvailable().isEmpty());
    writeFile(path, record(eventData(1.0, 5000, simpleValue("x", 1.0f))), QIODevice::Append);
    QVERIFY(reader.readAvailable().isEmpty());
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricTfEvents::badLengthCrcReportedOnce()
{
    const QString path = m_dir.filePath("events.out.tfevents.9.length");
    const QByteArray good = record(eventData(1.0, 1, simpleValue("loss", 1.0f)));
    QByteArray bad = record(eventData(2.0, 2, simpleValue("loss", 2.0f)));
    bad[9] = char(bad[9] ^ 0x80); // the length's CRC
    writeFile(path, good + bad + good);

    TfEventReader reader(path);
    QCOMPARE(reader.readAvailable().size(), 1);
    const QStringList problems = reader.takeProblems();
    QCOMPARE(problems,
             QStringList(QStringLiteral("events.out.tfevents.9.length: bad length CRC in record at "
                                        "byte %1; skipping the rest of the file")
                             .arg(good.size())));
    QVERIFY(reader.readAvailable().isEmpty());
    QVERIFY(reader.takeProblems().isEmpty());

    // A length whose CRC is right but that is absurdly large is a record not complete yet.
    const QString huge = m_dir.filePath("events.out.tfevents.9.huge");
    const QByteArray length = le64(quint64(1) << 62);
    writeFile(huge, good + length +
                        le32(og::crc32c::mask(og::crc32c::value(length.constData(), 8))) +
                        QByteArray(100, 'x'));
    TfEventReader hugeReader(huge);
    QCOMPARE(hugeReader.readAvailable().size(), 1);
    QCOMPARE(hugeReader.offset(), qint64(good.size()));
    QVERIFY(hugeReader.takeProblems().isEmpty());
}

void TestMetricTfEvents::missingFileIsQuiet()
{
    TfEventReader reader(m_dir.filePath("events.out.tfevents.never"));
    QVERIFY(reader.readAvailable().isEmpty());
    QVERIFY(reader.takeProblems().isEmpty());
    QCOMPARE(reader.offset(), qint64(0));
}

void TestMetricTfEvents::largeFileReadInChunks()
{
    // Past the 1 MiB read chunk, with a record straddling each chunk edge, and one record over
    // the 64 MiB decoding limit that is checked but not decoded.
    const QString path = m_dir.filePath("events.out.tfevents.10.large");
    QByteArray bytes = fileVersionRecord();
    constexpr int kEvents = 60000;
    for (int i = 0; i < kEvents; ++i)
        bytes += record(eventData(1.0 + i, i, simpleValue("loss", float(i))));
    bytes += record(fDouble(1, 2.0) + fBytes(4, QByteArray(65 << 20, 'g')));
    bytes += record(eventData(3.0, kEvents, simpleValue("loss", 1.0f)));
    writeFile(path, bytes);

    TfEventReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    QCOMPARE(points.size(), kEvents + 1);
    for (int i = 0; i < kEvents; ++i)
        QCOMPARE(points[i].step, qint64(i));
    QCOMPARE(points.last().step, qint64(kEvents));
    QCOMPARE(reader.offset(), qint64(bytes.size()));
    QFile::remove(path);
}

QTEST_APPLESS_MAIN(TestMetricTfEvents)
#include "test_metrictfevents.moc"
