// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/csvmetricsreader.h"

#include "tests/support/metricstesting.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using og::CsvMetricsReader;
using og::MetricPoint;

using namespace og::test;

class TestMetricCsv final : public QObject
{
    Q_OBJECT

private slots:
    void lightningSparseFile();
    void tailsAppendedRows();
    void headerRewriteDeliversOnlyNewRows();
    void savedStateCarriesOn();
    void shrinkRewriteDeliversOnlyNewRows();
    void rewriteInProgressWaits();
    void readRemainingTakesUnterminatedRow();
    void quotingCrLfAndBom();
    void noStepColumnUsesRowIndex();
    void nonNumericCellsReportedOncePerColumn();
    void missingFileIsQuiet();

private:
    QTemporaryDir m_dir;
};

void TestMetricCsv::lightningSparseFile()
{
    // Copy it so that its modification time can be set.
    const QString path = m_dir.filePath("lightning.csv");
    QVERIFY(QFile::copy(
        QStringLiteral(OPENGRID_SOURCE_DIR "/tests/data/metrics/lightning-csvlogger-sparse.csv"),
        path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    const double t = setMtime(path, 1700000000250);

    CsvMetricsReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    // epoch,step,train_loss,val_loss — empty cells are no value; epoch is a metric too.
    const QList<MetricPoint> expected = {
        point("epoch", 49, t, 0),  point("train_loss", 49, t, 0.21007005870342255),
        point("epoch", 68, t, 0),  point("val_loss", 68, t, 0.21559028327465057),
        point("epoch", 99, t, 1),  point("train_loss", 99, t, 0.19502906501293182),
        point("epoch", 137, t, 1), point("val_loss", 137, t, 0.14366206526756287),
    };
    QCOMPARE(points, expected);
    QCOMPARE(reader.rowsDelivered(), qint64(4));
    QVERIFY(reader.readAvailable().isEmpty());
}

void TestMetricCsv::tailsAppendedRows()
{
    const QString path = m_dir.filePath("tail.csv");
    CsvMetricsReader reader(path);
    QVERIFY(reader.readAvailable().isEmpty());
    writeFile(path, "epoch,step,loss");
    QVERIFY(reader.readAvailable().isEmpty()); // header not finished
    writeFile(path, "\n0,0,1.5\n0,1,1.", QIODevice::Append);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"epoch@0", "loss@0"}));
    writeFile(path, "25\n", QIODevice::Append);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(points.size(), 2);
    QCOMPARE(points[1].key, QStringLiteral("loss"));
    QCOMPARE(points[1].step, qint64(1));
    QCOMPARE(points[1].value, 1.25);
    QVERIFY(reader.readAvailable().isEmpty());
}

void TestMetricCsv::headerRewriteDeliversOnlyNewRows()
{
    // Lightning ≥ 2: a new key rewrites the file with the wider header, old rows included.
    const QString path = m_dir.filePath("rewrite.csv");
    writeFile(path, "epoch,step,train_loss\n0,49,0.5\n0,99,0.4\n");
    CsvMetricsReader reader(path);
    QCOMPARE(keysAndSteps(reader.readAvailable()),
             QStringList({"epoch@49", "train_loss@49", "epoch@99", "train_loss@99"}));
    writeFile(path, "epoch,step,train_loss,val_loss\n0,49,0.5,\n0,99,0.4,\n0,100,,0.45\n"
                    "1,149,0.3,\n");
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(keysAndSteps(points),
             QStringList({"epoch@100", "val_loss@100", "epoch@149", "train_loss@149"}));
    QCOMPARE(points[1].value, 0.45);
    QCOMPARE(reader.rowsDelivered(), qint64(4));
    // Appending after the rewrite goes on as usual, with the new columns.
    writeFile(path, "1,150,,0.35\n", QIODevice::Append);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"epoch@150", "val_loss@150"}));
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricCsv::savedStateCarriesOn()
{
    // A new reader given a saved state delivers only rows after it, also when the file was
    // rewritten with a wider header meanwhile: what a gridd restart needs.
    const QString path = m_dir.filePath("state.csv");
    writeFile(path, "epoch,step,loss\n0,0,1.5\n");
    CsvMetricsReader first(path);
    QCOMPARE(keysAndSteps(first.readAvailable()), QStringList({"epoch@0", "loss@0"}));
    const QJsonObject state = first.saveState();

    writeFile(path, "1,1,1.25\n", QIODevice::Append);
    CsvMetricsReader second(path);
    second.restoreState(state);
    QCOMPARE(keysAndSteps(second.readAvailable()), QStringList({"epoch@1", "loss@1"}));
    const QJsonObject later = second.saveState();

    writeFile(path, "epoch,step,loss,acc\n0,0,1.5,\n1,1,1.25,\n1,2,,0.5\n");
    CsvMetricsReader third(path);
    third.restoreState(later);
    QCOMPARE(keysAndSteps(third.readAvailable()), QStringList({"epoch@2", "acc@2"}));
    QVERIFY(third.takeProblems().isEmpty());
}

void TestMetricCsv::shrinkRewriteDeliversOnlyNewRows()
{
    // Older Lightning rewrote the whole file on every save, same header: truncate, then write.
    const QString path = m_dir.filePath("shrink.csv");
    const QByteArray header = "step,loss\n";
    writeFile(path, header + "1,0.9\n2,0.8\n3,0.7\n");
    CsvMetricsReader reader(path);
    QCOMPARE(reader.readAvailable().size(), 3);
    writeFile(path, header + "1,0.9\n"); // caught mid-rewrite: shorter than before
    QVERIFY(reader.readAvailable().isEmpty());
    writeFile(path, header + "1,0.9\n2,0.8\n3,0.7\n4,0.6\n");
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(keysAndSteps(points), QStringList({"loss@4"}));
    QCOMPARE(points[0].value, 0.6);
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricCsv::rewriteInProgressWaits()
{
    const QString path = m_dir.filePath("progress.csv");
    writeFile(path, "step,a\n1,1\n2,2\n");
    CsvMetricsReader reader(path);
    QCOMPARE(reader.readAvailable().size(), 2);
    // Header written, rows not yet: nothing; the same rows back: still nothing; then new ones.
    writeFile(path, "step,a,b\n");
    QVERIFY(reader.readAvailable().isEmpty());
    writeFile(path, "1,1,\n2,2,", QIODevice::Append);
    QVERIFY(reader.readAvailable().isEmpty());
    writeFile(path, "\n3,3,30\n", QIODevice::Append);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"a@3", "b@3"}));
    QCOMPARE(reader.rowsDelivered(), qint64(3));
}

void TestMetricCsv::readRemainingTakesUnterminatedRow()
{
    const QString path = m_dir.filePath("remaining.csv");
    writeFile(path, "step,loss\n0,1\n1,2");
    CsvMetricsReader reader(path);
    QCOMPARE(reader.readAvailable().size(), 1);
    const QList<MetricPoint> rest = reader.readRemaining();
    QCOMPARE(keysAndSteps(rest), QStringList({"loss@1"}));
    QCOMPARE(rest[0].value, 2.0);
    QVERIFY(reader.readRemaining().isEmpty());
}

void TestMetricCsv::quotingCrLfAndBom()
{
    const QString path = m_dir.filePath("quoted.csv");
    writeFile(path, "\xEF\xBB\xBF\"step\",\"val, acc\",\"say \"\"hi\"\"\"\r\n"
                    "5,\"0.5\",1e-3\r\n\r\n"
                    "6, 0.25 ,nan\r\n");
    CsvMetricsReader reader(path);
    const QList<MetricPoint> points = reader.readAvailable();
    QCOMPARE(reader.takeProblems(), QStringList());
    QCOMPARE(keysAndSteps(points),
             QStringList({QStringLiteral("val, acc@5"), QStringLiteral("say \"hi\"@5"),
                          QStringLiteral("val, acc@6"), QStringLiteral("say \"hi\"@6")}));
    QCOMPARE(points[0].value, 0.5);
    QCOMPARE(points[1].value, 0.001);
    QCOMPARE(points[2].value, 0.25);
    QVERIFY(qIsNaN(points[3].value));
    QCOMPARE(reader.rowsDelivered(), qint64(2)); // the blank line is no row
}

void TestMetricCsv::noStepColumnUsesRowIndex()
{
    const QString path = m_dir.filePath("nostep.csv");
    writeFile(path, "loss\n3\n2\n");
    CsvMetricsReader reader(path);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"loss@0", "loss@1"}));
    // An empty step cell falls back the same way.
    const QString other = m_dir.filePath("emptystep.csv");
    writeFile(other, "step,loss\n10,1\n,2\n");
    CsvMetricsReader otherReader(other);
    QCOMPARE(keysAndSteps(otherReader.readAvailable()), QStringList({"loss@10", "loss@1"}));
}

void TestMetricCsv::nonNumericCellsReportedOncePerColumn()
{
    const QString path = m_dir.filePath("text.csv");
    writeFile(path, "step,phase,loss\n1,train,0.5\n2,val,0.4\n3,,0.3\n");
    CsvMetricsReader reader(path);
    QCOMPARE(keysAndSteps(reader.readAvailable()), QStringList({"loss@1", "loss@2", "loss@3"}));
    QCOMPARE(reader.takeProblems(),
             QStringList(QStringLiteral("text.csv: column 'phase' holds 'train' in row 1, not a "
                                        "number; such cells are skipped")));
    writeFile(path, "4,test,0.2\n", QIODevice::Append);
    QCOMPARE(reader.readAvailable().size(), 1);
    QVERIFY(reader.takeProblems().isEmpty());
}

void TestMetricCsv::missingFileIsQuiet()
{
    CsvMetricsReader reader(m_dir.filePath("absent.csv"));
    QVERIFY(reader.readAvailable().isEmpty());
    QVERIFY(reader.readRemaining().isEmpty());
    QVERIFY(reader.takeProblems().isEmpty());
}

QTEST_APPLESS_MAIN(TestMetricCsv)
#include "test_metriccsv.moc"
