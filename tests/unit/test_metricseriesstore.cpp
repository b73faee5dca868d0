// SPDX-License-Identifier: GPL-3.0-or-later
// Series storage on real files: what is committed comes back, what follows a commit (a torn
// record, a commit cut short) does not, and the sources' positions come back with the points.
#include "server/metrics/metricseriesstore.h"
#include "server/metrics/metricsevent.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using og::MetricSeriesWriter;
namespace metricseries = og::metricseries;

class TestMetricSeriesStore final : public QObject
{
    Q_OBJECT

    struct Read
    {
        std::vector<double> steps, walls, values;
    };
    static Read read(const QString &dir, const QString &key)
    {
        Read r;
        QString error;
        if (!metricseries::read(dir, key, &r.steps, &r.walls, &r.values, &error))
            qFatal("read failed: %s", qPrintable(error));
        return r;
    }

private slots:
    void roundTrip()
    {
        QTemporaryDir dir;
        QVERIFY(!metricseries::exists(dir.path()));
        MetricSeriesWriter w(dir.path());
        QCOMPARE(w.open(), QString());
        QVERIFY(w.sources().isEmpty());
        for (int i = 0; i < 1000; ++i) {
            w.append(QStringLiteral("loss"), i, 1700000000.0 + i, 1.0 / (i + 1));
            w.append(QStringLiteral("välid/acc \"x\""), 2 * i, 1700000000.5, i * 0.25);
        }
        QCOMPARE(w.pendingPoints(), qint64(2000));
        const QJsonObject sources{{QStringLiteral("json_lines"), QJsonObject{{QStringLiteral("offset"), 12345}}}};
        QCOMPARE(w.commit(sources), QString());
        QCOMPARE(w.pendingPoints(), qint64(0));

        QVERIFY(metricseries::exists(dir.path()));
        QCOMPARE(metricseries::keys(dir.path()), (QStringList{QStringLiteral("loss"), QStringLiteral("välid/acc \"x\"")}));
        const Read loss = read(dir.path(), QStringLiteral("loss"));
        QCOMPARE(loss.steps.size(), size_t(1000));
        QCOMPARE(loss.steps[999], 999.0);
        QCOMPARE(loss.walls[3], 1700000003.0);
        QCOMPARE(loss.values[3], 0.25);
        const Read acc = read(dir.path(), QStringLiteral("välid/acc \"x\""));
        QCOMPARE(acc.steps[10], 20.0);
        QCOMPARE(acc.values[10], 2.5);
        QVERIFY(read(dir.path(), QStringLiteral("nothing")).steps.empty());

        MetricSeriesWriter again(dir.path());
        QCOMPARE(again.open(), QString());
        QCOMPARE(again.sources(), sources);
        again.append(QStringLiteral("loss"), 1000, 1, 2);
        QCOMPARE(again.commit(sources), QString());
        QCOMPARE(metricseries::storedRecords(dir.path(), QStringLiteral("loss")), qint64(1001));
    }

    void whatFollowsTheLastCommitIsIgnoredAndCutOff()
    {
        QTemporaryDir dir;
        {
            MetricSeriesWriter w(dir.path());
            QCOMPARE(w.open(), QString());
            for (int i = 0; i < 10; ++i)
                w.append(QStringLiteral("loss"), i, 1, i);
            QCOMPARE(w.commit(QJsonObject{{QStringLiteral("at"), 10}}), QString());
        }
        // As kill -9 leaves it: records of a commit that never finished, the last one torn,
        // and the file of a key that the unfinished commit introduced.
        const QString file = dir.filePath(QStringLiteral("series/0.points"));
        const qint64 committedSize = QFileInfo(file).size();
        QCOMPARE(committedSize, 10 * metricseries::kRecordSize);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::Append));
            QVERIFY(f.write(QByteArray(metricseries::kRecordSize * 3 + 7, '\x7f')) > 0);
            QFile newKey(dir.filePath(QStringLiteral("series/1.points")));
            QVERIFY(newKey.open(QIODevice::WriteOnly));
            QVERIFY(newKey.write(QByteArray(metricseries::kRecordSize, '\x01')) > 0);
        }
        // Readers never look past the commit.
        QCOMPARE(read(dir.path(), QStringLiteral("loss")).steps.size(), size_t(10));
        QCOMPARE(metricseries::keys(dir.path()), QStringList{QStringLiteral("loss")});

        MetricSeriesWriter w(dir.path());
        QCOMPARE(w.open(), QString());
        QCOMPARE(w.sources(), (QJsonObject{{QStringLiteral("at"), 10}}));
        QCOMPARE(QFileInfo(file).size(), committedSize);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("series/1.points"))));
        w.append(QStringLiteral("loss"), 10, 1, 10);
        w.append(QStringLiteral("acc"), 0, 1, 0.5);
        QCOMPARE(w.commit(QJsonObject{{QStringLiteral("at"), 11}}), QString());
        const Read loss = read(dir.path(), QStringLiteral("loss"));
        QCOMPARE(loss.steps.size(), size_t(11));
        for (size_t i = 0; i < loss.steps.size(); ++i)
            QCOMPARE(loss.values[i], double(i)); // nothing of the torn records in between
        QCOMPARE(read(dir.path(), QStringLiteral("acc")).values, std::vector<double>{0.5});
    }

    void stepsStoredTwiceReadOnceLatestWins()
    {
        // A source read again from the top (a rewritten CSV, a truncated JSON-lines file) or a
        // script that logs a step again: one point per step in step order, the later kept.
        QTemporaryDir dir;
        MetricSeriesWriter w(dir.path());
        QCOMPARE(w.open(), QString());
        for (qint64 step : {0, 1, 2, 1, 5, 3, 2})
            w.append(QStringLiteral("k"), step, double(step), double(step) * 10 + double(w.pendingPoints()));
        QCOMPARE(w.commit({}), QString());
        const Read k = read(dir.path(), QStringLiteral("k"));
        QCOMPARE(k.steps, (std::vector<double>{0, 1, 2, 3, 5}));
        QCOMPARE(k.values, (std::vector<double>{0, 13, 26, 35, 54}));
        QCOMPARE(metricseries::storedRecords(dir.path(), QStringLiteral("k")), qint64(7));
    }

    void damagedStateIsAnError()
    {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("series"))));
        QFile state(dir.filePath(QStringLiteral("series/state.json")));
        QVERIFY(state.open(QIODevice::WriteOnly));
        state.write("{\"keys\": [");
        state.close();
        MetricSeriesWriter w(dir.path());
        QVERIFY(w.open().contains(QStringLiteral("damaged")));
        Read r;
        QString error;
        QVERIFY(!metricseries::read(dir.path(), QStringLiteral("k"), &r.steps, &r.walls, &r.values, &error));
        QVERIFY(!error.isEmpty());
    }

    void eventJsonIsColumnsPerKeyAndTime()
    {
        const QString loss = QStringLiteral("loss"), acc = QStringLiteral("a\"cc");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const QList<og::MetricPoint> points{{loss, 0, 10.5, 0.1}, {acc, 0, 10.5, 1}, {loss, 1, 10.5, nan},
                                            {acc, 1, 10.5, 2e-300}, {loss, 2, 11, -3}};
        const QByteArray json = og::metricsEventJson(QStringLiteral("e-exp0"), QStringLiteral("e"), points);
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(json, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + u' ' + QString::fromUtf8(json)));
        QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("e-exp0"));
        QCOMPARE(o.value(QStringLiteral("run")).toString(), QStringLiteral("e"));
        const QJsonArray series = o.value(QStringLiteral("series")).toArray();
        QCOMPARE(series.size(), 3);
        const QJsonObject first = series.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("key")).toString(), loss);
        QCOMPARE(first.value(QStringLiteral("time")).toDouble(), 10.5);
        QCOMPARE(first.value(QStringLiteral("steps")).toArray(), (QJsonArray{0, 1}));
        QCOMPARE(first.value(QStringLiteral("values")).toArray(), (QJsonArray{0.1, QJsonValue()})); // NaN: null
        const QJsonObject second = series.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("key")).toString(), acc);
        QCOMPARE(second.value(QStringLiteral("values")).toArray(), (QJsonArray{1, 2e-300})); // exact round trip
        const QJsonObject third = series.at(2).toObject();
        QCOMPARE(third.value(QStringLiteral("time")).toDouble(), 11.0);
        QCOMPARE(third.value(QStringLiteral("steps")).toArray(), QJsonArray{2});
    }
};

QTEST_GUILESS_MAIN(TestMetricSeriesStore)
#include "test_metricseriesstore.moc"
