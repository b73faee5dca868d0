// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/jsonlinesmetricsreader.h"

#include "tests/support/metricstesting.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using og::JsonLinesMetricsReader;
using og::MetricPoint;

using namespace og::test;

class TestMetricJsonLines final : public QObject
{
    Q_OBJECT

private slots:
    void bothForms();
    void stepDefaultsPerKey();
    void partialLastLineWaits();
    void badLinesReportedOnceWithLineNumber_data();
    void badLinesReportedOnceWithLineNumber();
    void numbersNullsAndOtherValues();
    void escapedNames();
    void crLfBomAndBlankLines();
    void reportedLinesAreCapped();
    void shrunkFileReadAgain();
    void manyLinesAcrossChunks();
    void boundedReadsTakeEverythingOnce();
    void savedStateCarriesOn();
    void overlongLineSkippedWithoutHoldingIt();

private:
    QTemporaryDir m_dir;
};

void TestMetricJsonLines::bothForms()
{
    const QString path = m_dir.filePath("both.jsonl");
    writeFile(path, "{\"step\": 3, \"train_loss\": 0.5, \"valid_acc\": 0.8}\n"
                    "{\"key\": \"loss\", \"value\": 0.25, \"step\": 4, \"time\": 1700000000.5}\n"
                    "{\"time\":1700000001,\"step\":5,\"lr\":1e-4}\n"
                    "{\"value\":-2,\"key\":\"x\",\"extra\":\"ignored\",\"step\":6}\n");
    const double t = setMtime(path, 1690000000000);
    JsonLinesMetricsReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    const QList<MetricPoint> expected = {
        point("train_loss", 3, t, 0.5),
        point("valid_acc", 3, t, 0.8),
        point("loss", 4, 1700000000.5, 0.25),
        point("lr", 5, 1700000001, 1e-4),
        point("x", 6, t, -2),
    };
    QCOMPARE(points, expected);
    QCOMPARE(reader.lineCount(), qint64(4));
    QCOMPARE(reader.offset(), QFileInfo(path).size());
    QVERIFY(reader.readAvailable().isEmpty());
}

void TestMetricJsonLines::stepDefaultsPerKey()
{
    const QString path = m_dir.filePath("steps.jsonl");
    writeFile(path,
              "{\"loss\": 1}\n{\"loss\": 2, \"acc\": 0.1}\n{\"key\": \"loss\", \"value\": 3}\n"
              "{\"loss\": 4, \"step\": 10}\n{\"loss\": 5}\n{\"step\": 7.0, \"acc\": 0.2}\n"
              "{\"step\": 1e2, \"acc\": 0.3}\n{\"step\": null, \"acc\": 0.4}\n");
    JsonLinesMetricsReader reader(path);
    QCOMPARE(keysAndSteps(reader.readAvailable()),
             QStringList({"loss@0", "loss@1", "acc@0", "loss@2", "loss@10", "loss@11", "acc@7",
                          "acc@100", "acc@101"}));
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricJsonLines::partialLastLineWaits()
{
    const QString path = m_dir.filePath("partial.jsonl");
    JsonLinesMetricsReader reader(path);
    QVERIFY(reader.readAvailable().isEmpty()); // no file yet: quiet
    QVERIFY(reader.takeProblems().isEmpty());
    writeFile(path, "{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"lo");
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"loss@1"}));
    const qint64 offset = reader.offset();
    QVERIFY(reader.readAvailable().isEmpty());
    QCOMPARE(reader.offset(), offset);
    writeFile(path, "ss\": 0.25}\n{\"step\": 3, \"loss\": 0.125}", QIODevice::Append);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(keysAndSteps(points), QStringList({"loss@2"}));
    QCOMPARE(points[0].value, 0.25);
    // The writer exited without a final newline.
    QCOMPARE(keysAndSteps(reader.readRemaining()), QStringList({"loss@3"}));
    QVERIFY(reader.readRemaining().isEmpty());
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricJsonLines::badLinesReportedOnceWithLineNumber_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("why");
    QTest::newRow("not json") << QByteArray("loss=0.5") << "not a JSON object at column 1";
    QTest::newRow("array") << QByteArray("[1, 2]") << "not a JSON object at column 1";
    QTest::newRow("cut short") << QByteArray("{\"loss\": 0.5")
                               << "expected ',' or '}' at column 13";
    QTest::newRow("trailing text")
        << QByteArray("{\"loss\": 0.5} x") << "text after the object at column 15";
    QTest::newRow("bad number") << QByteArray("{\"loss\": 0.5.5}") << "bad number at column 10";
    QTest::newRow("unterminated") << QByteArray("{\"loss") << "unterminated string at column 3";
    QTest::newRow("step text") << QByteArray("{\"step\": \"3\", \"loss\": 1}")
                               << "\"step\" is not an integer";
    QTest::newRow("step fraction")
        << QByteArray("{\"step\": 3.5, \"loss\": 1}") << "\"step\" is not an integer";
    QTest::newRow("time text") << QByteArray("{\"time\": \"now\", \"loss\": 1}")
                               << "\"time\" is not a number";
    QTest::newRow("key without value") << QByteArray("{\"key\": \"loss\", \"step\": 1}")
                                       << "a line with \"key\" needs a \"value\"";
    QTest::newRow("value text") << QByteArray("{\"key\": \"loss\", \"value\": \"high\"}")
                                << "\"value\" is not a number";
}

void TestMetricJsonLines::badLinesReportedOnceWithLineNumber()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, why);
    const QString path = m_dir.filePath(
        QStringLiteral("bad-%1.jsonl").arg(QTest::currentDataTag()).replace(u' ', u'-'));
    writeFile(path, "{\"step\": 1, \"loss\": 1}\n\n" + line + "\n{\"step\": 2, \"loss\": 2}\n");
    JsonLinesMetricsReader reader(path);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"loss@1", "loss@2"}));
    QCOMPARE(reader.takeProblems(),
             QStringList(
                 QStringLiteral("%1: line 3: %2; skipped").arg(QFileInfo(path).fileName(), why)));
    writeFile(path, "{\"step\": 3, \"loss\": 3}\n", QIODevice::Append);
    QCOMPARE(reader.readAvailable().size(), 1);
    QVERIFY(reader.takeProblems().isEmpty()); // once only
}

void TestMetricJsonLines::numbersNullsAndOtherValues()
{
    const QString path = m_dir.filePath("values.jsonl");
    // Python's json.dumps writes NaN and ±Infinity; null is no value; other kinds are skipped
    // and named once.
    writeFile(path, "{\"step\": 1, \"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": null, "
                    "\"e\": -0.0, \"f\": 1E+3, \"g\": 1e999, \"h\": -12}\n"
                    "{\"step\": 2, \"phase\": \"train\", \"cfg\": {\"x\": [1, {\"y\": null}], "
                    "\"z\": \"}\"}, \"ok\": true, \"loss\": 0.5}\n"
                    "{\"step\": 3, \"phase\": \"val\", \"loss\": 0.4}\n");
    JsonLinesMetricsReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(keysAndSteps(points),
             QStringList({"a@1", "b@1", "c@1", "e@1", "f@1", "g@1", "h@1", "loss@2", "loss@3"}));
    QVERIFY(qIsNaN(points[0].value));
    QVERIFY(qIsInf(points[1].value) && points[1].value > 0);
    QVERIFY(qIsInf(points[2].value) && points[2].value < 0);
    QCOMPARE(points[3].value, 0.0);
    QCOMPARE(points[4].value, 1000.0);
    QVERIFY(qIsInf(points[5].value));
    QCOMPARE(points[6].value, -12.0);
    QCOMPARE(reader.takeProblems(),
             QStringList({QStringLiteral("values.jsonl: line 2: 'phase' is \"train\", not a "
                                         "number; such values of 'phase' are skipped"),
                          QStringLiteral("values.jsonl: line 2: 'cfg' is {\"x\": [1, {\"y\": "
                                         "null}], \"z\": \"}\"}, not a number; such values of "
                                         "'cfg' are skipped"),
                          QStringLiteral("values.jsonl: line 2: 'ok' is true, not a number; "
                                         "such values of 'ok' are skipped")}));
}

void TestMetricJsonLines::escapedNames()
{
    const QString path = m_dir.filePath("escapes.jsonl");
    writeFile(path, "{\"step\": 1, \"caf\\u00e9\": 1, \"a\\\"b\": 2, \"x\\\\\": 3, "
                    "\"\\ud83d\\ude00\": 4}\n"
                    "{\"key\": \"val/\\u03b1\", \"value\": 5, \"step\": 2}\n"
                    "{\"step\": 3, \"bad\\q\": 1}\n");
    JsonLinesMetricsReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(keysAndSteps(points),
             QStringList({QString::fromUtf8("caf\u00e9@1"), QStringLiteral("a\"b@1"),
                          QStringLiteral("x\\@1"), QString::fromUtf8("\U0001F600@1"),
                          QString::fromUtf8("val/\u03b1@2")}));
    QCOMPARE(reader.takeProblems(),
             QStringList(QStringLiteral(
                 "escapes.jsonl: line 3: bad escape in a name at column 13; skipped")));
}

void TestMetricJsonLines::crLfBomAndBlankLines()
{
    const QString path = m_dir.filePath("crlf.jsonl");
    writeFile(path, "\xEF\xBB\xBF{\"step\": 1, \"loss\": 1}\r\n   \r\n\r\n"
                    "  {\"step\": 2, \"loss\": 2}  \r\n");
    JsonLinesMetricsReader reader(path);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"loss@1", "loss@2"}));
    QVERIFY(reader.takeProblems().isEmpty());
    QCOMPARE(reader.lineCount(), qint64(4));
}

void TestMetricJsonLines::reportedLinesAreCapped()
{
    const QString path = m_dir.filePath("garbage.jsonl");
    QByteArray bytes;
    for (int i = 0; i < 250; ++i)
        bytes += "garbage\n";
    bytes += "{\"loss\": 1}\n";
    writeFile(path, bytes);
    JsonLinesMetricsReader reader(path);
    QCOMPARE(reader.readAvailable().size(), 1);
    const QStringList problems = reader.takeProblems();
    QCOMPARE(problems.size(), JsonLinesMetricsReader::kMaxReportedLines + 1);
    QCOMPARE(problems.first(),
             QStringLiteral("garbage.jsonl: line 1: not a JSON object at column 1; skipped"));
    QCOMPARE(problems.last(),
             QStringLiteral("garbage.jsonl: further bad lines are skipped without a report"));
}

void TestMetricJsonLines::shrunkFileReadAgain()
{
    const QString path = m_dir.filePath("shrunk.jsonl");
    writeFile(path, "{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"loss\": 2}\n");
    JsonLinesMetricsReader reader(path);
    QCOMPARE(reader.readAvailable().size(), 2);
    writeFile(path, "{\"step\": 1, \"loss\": 9}\n"); // the script started again
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 1);
    QCOMPARE(points[0].value, 9.0);
    const QStringList problems = reader.takeProblems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].contains(u"shrank from 46 to 23 bytes"), qPrintable(problems[0]));
}

void TestMetricJsonLines::manyLinesAcrossChunks()
{
    // Lines straddle the 4 MiB read chunks; every point arrives once, in order.
    const QString path = m_dir.filePath("many.jsonl");
    QByteArray bytes;
    constexpr int kLines = 300'000;
    for (int i = 0; i < kLines; ++i)
        bytes += "{\"step\": " + QByteArray::number(i) +
                 ", \"train_loss\": " + QByteArray::number(1.0 / (i + 1), 'g', 17) +
                 ", \"valid_acc\": 0.8}\n";
    writeFile(path, bytes);
    JsonLinesMetricsReader reader(path);
    QElapsedTimer timer;
    timer.start();
    const QList<MetricPoint> points = reader.readAvailable();
    const qint64 ns = timer.nsecsElapsed();
    QCOMPARE(points.size(), 2 * kLines);
    for (int i = 0; i < kLines; ++i) {
        QCOMPARE(points[2 * i].step, qint64(i));
        QCOMPARE(points[2 * i].value, 1.0 / (i + 1));
    }
    QVERIFY(reader.takeProblems().isEmpty());
    qInfo("%lld points in %.1f ms (%.1f M points/s)", qint64(points.size()), double(ns) / 1e6,
          double(points.size()) / (double(ns) / 1e9) / 1e6);
}

void TestMetricJsonLines::boundedReadsTakeEverythingOnce()
{
    // Pieces of ~1 KiB from a file of ~60 KiB with an unterminated last line: every line once,
    // in order, and the last one only from readRemaining() at the very end.
    const QString path = m_dir.filePath("bounded.jsonl");
    QByteArray bytes;
    constexpr int kLines = 2000;
    for (int i = 0; i < kLines; ++i)
        bytes += "{\"step\": " + QByteArray::number(i) + ", \"loss\": " + QByteArray::number(i * 0.5) + "}\n";
    bytes += "{\"step\": 2000, \"loss\": 7}";
    writeFile(path, bytes);
    JsonLinesMetricsReader reader(path);
    QList<MetricPoint> all;
    int pieces = 0;
    do {
        const QList<MetricPoint> piece = reader.readAvailable(1024);
        QVERIFY(piece.size() <= 1024 / 20 + 1);
        all += piece;
        ++pieces;
    } while (reader.hasMore());
    QCOMPARE(all.size(), kLines);
    QVERIFY(pieces > 40);
    all += reader.readRemaining(1024);
    QVERIFY(!reader.hasMore());
    QCOMPARE(all.size(), kLines + 1);
    for (int i = 0; i <= kLines; ++i)
        QCOMPARE(all[i].step, qint64(i));
    QCOMPARE(reader.offset(), QFileInfo(path).size());

    // A line longer than the bound still comes whole.
    const QString longPath = m_dir.filePath("long.jsonl");
    writeFile(longPath, "{\"step\": 1, \"k\": 1" + QByteArray(5000, ' ') + "}\n{\"step\": 2, \"k\": 2}\n");
    JsonLinesMetricsReader longReader(longPath);
    QCOMPARE(longReader.readAvailable(100).size(), 1);
    QVERIFY(longReader.hasMore());
    QCOMPARE(longReader.readAvailable(100).size(), 1);
    QVERIFY(!longReader.hasMore());
}

void TestMetricJsonLines::savedStateCarriesOn()
{
    // A new reader given a saved state reads on from there: no line twice, none missed, and
    // steps of lines without one continue where they were.
    const QString path = m_dir.filePath("state.jsonl");
    writeFile(path, "{\"loss\": 1}\n{\"loss\": 2}\nnot json\n");
    const double t = setMtime(path, 1690000000000);
    JsonLinesMetricsReader first(path);
    QCOMPARE(first.readAvailable(), (QList<MetricPoint>{point("loss", 0, t, 1), point("loss", 1, t, 2)}));
    QCOMPARE(first.takeProblems().size(), 1);
    const QJsonObject state = first.saveState();

    writeFile(path, "{\"loss\": 3}\n{\"step\": 9, \"acc\": 0.5}\n", QIODevice::Append);
    const double t2 = setMtime(path, 1690000001000);
    JsonLinesMetricsReader second(path);
    second.restoreState(state);
    QCOMPARE(second.readAvailable(), (QList<MetricPoint>{point("loss", 2, t2, 3), point("acc", 9, t2, 0.5)}));
    QCOMPARE(second.lineCount(), qint64(5));
    QCOMPARE(second.offset(), QFileInfo(path).size());
}

void TestMetricJsonLines::overlongLineSkippedWithoutHoldingIt()
{
    // Bytes without line ends (a script writing something else into the file) must not fill
    // gridd's memory: past 1 MiB the line is reported and skipped, across reads too.
    const QString path = m_dir.filePath("overlong.jsonl");
    writeFile(path, "{\"step\": 1, \"loss\": 1}\n" + QByteArray(3 << 20, 'x'));
    JsonLinesMetricsReader reader(path);
    QList<MetricPoint> points;
    do
        points += reader.readAvailable(1 << 20);
    while (reader.hasMore());
    QCOMPARE(points.size(), 1);
    const QStringList problems = reader.takeProblems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("line 2: longer than 1048576 bytes")), qPrintable(problems.first()));

    writeFile(path, QByteArray(1 << 20, 'y') + "\n{\"step\": 2, \"loss\": 2}\n", QIODevice::Append);
    do
        points += reader.readAvailable(1 << 20);
    while (reader.hasMore());
    QCOMPARE(keysAndSteps(points), QStringList({"loss@1", "loss@2"}));
    QVERIFY(reader.takeProblems().isEmpty()); // the one line, reported once
    QCOMPARE(reader.lineCount(), qint64(3));
    QCOMPARE(reader.offset(), QFileInfo(path).size());
}

QTEST_APPLESS_MAIN(TestMetricJsonLines)
#include "test_metricjsonlines.moc"
