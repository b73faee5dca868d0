// SPDX-License-Identifier: GPL-3.0-or-later
// Metric ingestion against a real gridd: every point a script writes is stored once and
// delivered once to a subscriber of the `metrics` topic in its documented form, and a gridd
// killed with SIGKILL while it takes in a large backlog carries on after a restart without
// losing or storing twice a single point.
#include "core/eventsclient.h"
#include "server/metrics/metricseriesstore.h"
#include "tests/support/griddprocess.h"
#include "tests/support/runfixtures.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

using og::test::GriddProcess;

namespace {
// Writes --lines lines of three metrics each (steps 0…), sleeps --pause seconds, then one more
// line of `late` with an explicit time and one without its line end.
const char *const kScript =
    "import os, sys, time\n"
    "args = sys.argv[1:]\n"
    "lines = int(args[args.index('--lines') + 1])\n"
    "pause = float(args[args.index('--pause') + 1])\n"
    "with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "    for start in range(0, lines, 10000):\n"
    "        f.write(''.join(f'{{\"step\": {s}, \"a\": {s * 0.5}, \"b\": {1.0 / (s + 1)}, \"c\": {s % 7}}}\\n'\n"
    "                        for s in range(start, min(lines, start + 10000))))\n"
    "        f.flush()\n"
    "time.sleep(pause)\n"
    "with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "    f.write('{\"step\": 5, \"late\": 2.5, \"time\": 1700000000.25}\\n')\n"
    "    f.write('{\"step\": 6, \"late\": 3.5}')\n";
} // namespace

class TestMetricsIngestion final : public QObject
{
    Q_OBJECT

    // The experiment's directory in gridd's data, found through its launch.json.
    QString experimentDir(const QString &name) const
    {
        QDirIterator dirs(m_dir.filePath(QStringLiteral("data/experiments")), QDir::Dirs | QDir::NoDotAndDotDot);
        while (dirs.hasNext()) {
            const QString dir = dirs.next();
            QFile launch(dir + QStringLiteral("/launch.json"));
            if (launch.open(QIODevice::ReadOnly)
                && QJsonDocument::fromJson(launch.readAll()).object().value(QStringLiteral("experiment_name")).toString() == name)
                return dir;
        }
        return {};
    }

    qint64 totalPoints(const QString &experiment, const QString &key) const
    {
        return qint64(m_gridd->call("GET", QStringLiteral("/experiments/%1/metrics?key=%2&buckets=1").arg(experiment, key))
                          .object().value(QStringLiteral("total_points")).toDouble());
    }

    QJsonObject submitAndWait(const QString &name, int lines, double pause)
    {
        const og::ApiResult r = og::test::submitRun(*m_gridd, m_code.path(),
                                                    {{QStringLiteral("name"), name},
                                                     {QStringLiteral("args"), QJsonArray{QStringLiteral("--lines"), QString::number(lines),
                                                                                         QStringLiteral("--pause"), QString::number(pause)}}});
        if (r.httpStatus != 201)
            qWarning("submission failed: %s", qPrintable(r.message));
        return og::test::waitForRun(*m_gridd, name, 120000);
    }

    static QString statusOf(const QJsonObject &run)
    {
        return run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString();
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        QFile f(m_code.filePath(QStringLiteral("train.py")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kScript);
        f.close();
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
    }

    void everyPointStoredAndDeliveredOnce()
    {
        auto api = m_gridd->client();
        og::EventsClient events(api.get());
        bool subscribed = false;
        QHash<QString, qint64> delivered; // per key
        QHash<QString, QList<double>> lateSeen;
        bool wellFormed = true;
        connect(&events, &og::EventsClient::subscribed, this, [&](const QStringList &t) { subscribed = t.contains(QStringLiteral("metrics")); });
        connect(&events, &og::EventsClient::eventReceived, this, [&](const QJsonObject &event) {
            if (event.value(QStringLiteral("topic")).toString() != u"metrics")
                return;
            const QJsonObject object = event.value(QStringLiteral("object")).toObject();
            wellFormed &= object.value(QStringLiteral("name")).toString() == u"delivery-exp0"
                          && object.value(QStringLiteral("run")).toString() == u"delivery";
            for (const QJsonValue &v : object.value(QStringLiteral("series")).toArray()) {
                const QJsonObject s = v.toObject();
                const QJsonArray steps = s.value(QStringLiteral("steps")).toArray();
                const QJsonArray values = s.value(QStringLiteral("values")).toArray();
                wellFormed &= steps.size() == values.size() && s.value(QStringLiteral("time")).isDouble();
                const QString key = s.value(QStringLiteral("key")).toString();
                delivered[key] += steps.size();
                if (key == u"late")
                    lateSeen[key] += {s.value(QStringLiteral("time")).toDouble(), values.at(0).toDouble()};
            }
        });
        events.subscribe(QStringLiteral("metrics"));
        events.start();
        QTRY_VERIFY_WITH_TIMEOUT(subscribed, 10000);

        constexpr int kLines = 50000;
        QCOMPARE(statusOf(submitAndWait(QStringLiteral("delivery"), kLines, 0.5)), QStringLiteral("succeeded"));
        for (const QString &key : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
            QCOMPARE(totalPoints(QStringLiteral("delivery-exp0"), key), qint64(kLines));
        QCOMPARE(totalPoints(QStringLiteral("delivery-exp0"), QStringLiteral("late")), qint64(2)); // the unterminated one too
        QTRY_COMPARE_WITH_TIMEOUT(delivered.value(QStringLiteral("late")), qint64(2), 10000);
        for (const QString &key : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
            QCOMPARE(delivered.value(key), qint64(kLines));
        QVERIFY(wellFormed);
        QCOMPARE(lateSeen.value(QStringLiteral("late")).mid(0, 2), (QList<double>{1700000000.25, 2.5}));

        const QJsonObject b = m_gridd->call("GET", QStringLiteral("/experiments/delivery-exp0/metrics?key=b")).object();
        const QJsonArray points = b.value(QStringLiteral("points")).toArray();
        QCOMPARE(points.size(), kLines);
        QCOMPARE(points.at(3).toArray().at(0).toDouble(), 3.0);
        QCOMPARE(points.at(3).toArray().at(1).toDouble(), 0.25);
        events.stop();
    }

    void killedWhileIngestingLosesAndDuplicatesNothing()
    {
        // ~2.5 M points: gridd is still taking them in when it is killed.
        constexpr int kLines = 800000;
        const og::ApiResult r = og::test::submitRun(*m_gridd, m_code.path(),
                                                    {{QStringLiteral("name"), QStringLiteral("crash")},
                                                     {QStringLiteral("args"), QJsonArray{QStringLiteral("--lines"), QString::number(kLines),
                                                                                         QStringLiteral("--pause"), QStringLiteral("3")}}});
        QVERIFY2(r.httpStatus == 201, qPrintable(r.message));
        QTRY_VERIFY_WITH_TIMEOUT(totalPoints(QStringLiteral("crash-exp0"), QStringLiteral("a")) > 0, 60000);
        const qint64 before = totalPoints(QStringLiteral("crash-exp0"), QStringLiteral("a"));
        m_gridd->kill();
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        QCOMPARE(statusOf(og::test::waitForRun(*m_gridd, QStringLiteral("crash"), 120000)), QStringLiteral("succeeded"));
        qInfo("killed with %lld of %d lines stored", before, kLines);

        const QString dir = experimentDir(QStringLiteral("crash-exp0"));
        QVERIFY(!dir.isEmpty());
        for (const QString &key : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            QCOMPARE(totalPoints(QStringLiteral("crash-exp0"), key), qint64(kLines));
            // As stored, before reading folds repeated steps together: each point exactly once.
            QCOMPARE(og::metricseries::storedRecords(dir, key), qint64(kLines));
        }
        QCOMPARE(og::metricseries::storedRecords(dir, QStringLiteral("late")), qint64(2));
        const QJsonArray a = m_gridd->call("GET", QStringLiteral("/experiments/crash-exp0/metrics?key=a")).object()
                                 .value(QStringLiteral("points")).toArray();
        QCOMPARE(a.size(), kLines);
        for (int i = 0; i < kLines; i += 9973)
            QCOMPARE(a.at(i).toArray().at(1).toDouble(), i * 0.5);
    }

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_code;
    std::unique_ptr<GriddProcess> m_gridd;
};

QTEST_GUILESS_MAIN(TestMetricsIngestion)
#include "test_metrics_ingestion.moc"
