// SPDX-License-Identifier: GPL-3.0-or-later
// Runs end to end against a real gridd: code snapshots, sweeps, the bubblewrap sandbox, the
// scheduler's capacity, logs, metrics, stop, failures, refused submissions and a gridd killed
// while experiments run.
#include "core/apiclient.h"
#include "core/datastore/objectuploader.h"
#include "core/datastore/treescanner.h"
#include "core/datastore/uploader.h"
#include "tests/support/griddprocess.h"
#include "tests/support/runfixtures.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

using og::ApiResult;
using og::test::GriddProcess;

namespace {
// A small experiment script: reports its environment, writes metrics, then does what its
// --mode says.
const char *const kScript =
    "import json, os, signal, sys, time\n"
    "args = sys.argv[1:]\n"
    "mode = args[args.index('--mode') + 1] if '--mode' in args else 'ok'\n"
    "print('args', ' '.join(args))\n"
    "print('cwd', os.getcwd(), 'exp', os.environ['GRID_EXPERIMENT_NAME'], 'run', os.environ['GRID_RUN_NAME'])\n"
    "print('cuda', repr(os.environ.get('CUDA_VISIBLE_DEVICES')))\n"
    "try:\n"
    "    open('/usr/opengrid-probe', 'w')\n"
    "    print('usr writable')\n"
    "except OSError:\n"
    "    print('usr read-only')\n"
    "open('/tmp/' + os.environ['GRID_EXPERIMENT_ID'], 'w').write('private')\n"
    "with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "    for step in range(5):\n"
    "        f.write(json.dumps({'step': step, 'loss': 1.0 / (step + 1)}) + '\\n')\n"
    "os.makedirs('outputs', exist_ok=True)\n"
    "open('outputs/result.txt', 'w').write('result of ' + os.environ['GRID_EXPERIMENT_NAME'])\n"
    "open('lib/helper.txt', 'a').write('changed by the experiment')\n"
    "os.symlink('/etc/passwd', 'outputs/leak')\n"
    "if mode == 'datastore':\n"
    "    d = os.environ['DATASTORE']\n"
    "    print('datastore', sorted(os.listdir(d)))\n"
    "    try:\n"
    "        open(os.path.join(d, 'new.txt'), 'w')\n"
    "        print('datastore writable')\n"
    "    except OSError:\n"
    "        print('datastore read-only')\n"
    "if mode == 'fail':\n"
    "    sys.exit(3)\n"
    "if mode == 'kill':\n"
    "    os.kill(os.getpid(), signal.SIGKILL)\n"
    "if mode == 'sleep':\n"
    "    def stop(signum, frame):\n"
    "        print('got SIGTERM', flush=True)\n"
    "        sys.exit(0)\n"
    "    signal.signal(signal.SIGTERM, stop)\n"
    "    time.sleep(float(args[args.index('--seconds') + 1]))\n"
    "    with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "        f.write(json.dumps({'step': 99, 'late': 1.5}) + '\\n')\n"
    "with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "    f.write(json.dumps({'step': 0, 'unterminated': 7.0}))  # no newline at the very end\n";
} // namespace

class TestRuns final : public QObject
{
    Q_OBJECT

    ApiResult submit(GriddProcess &gridd, QJsonObject body) { return og::test::submitRun(gridd, m_code.path(), body); }

    static QJsonObject waitForRun(GriddProcess &gridd, const QString &name, int timeoutMs = 60000)
    {
        return og::test::waitForRun(gridd, name, timeoutMs);
    }

    static QString logOf(GriddProcess &gridd, const QString &experiment) { return og::test::experimentLog(gridd, experiment); }

    static QString cpuTypeForWholeMachine(GriddProcess &gridd)
    {
        const int cpus = gridd.call("GET", QStringLiteral("/instance-types")).object().value(QStringLiteral("cluster"))
                             .toObject().value(QStringLiteral("cpus")).toInt();
        return QStringLiteral("cpu-%1").arg(cpus);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        QFile f(m_code.filePath(QStringLiteral("train.py")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kScript);
        f.close();
        QDir(m_code.path()).mkpath(QStringLiteral("lib"));
        QFile helper(m_code.filePath(QStringLiteral("lib/helper.txt")));
        QVERIFY(helper.open(QIODevice::WriteOnly));
        helper.write("code file\n");
        QFile config(m_dir.filePath(QStringLiteral("gridd.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("runs:\n  max_experiments: 20\ndatastores:\n  gc_grace_seconds: 0\n");
        config.close();
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")),
                                                 QStringList{QStringLiteral("--config"), config.fileName()});
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
    }

    void sweepRunsEveryExperimentInItsSandbox()
    {
        const ApiResult r = submit(*m_gridd, {{QStringLiteral("name"), QStringLiteral("sweep")},
                                              {QStringLiteral("args"), QJsonArray{QStringLiteral("--lr"), QStringLiteral("[0.1, 0.01]"),
                                                                                  QStringLiteral("--layers"), QStringLiteral("range(1, 3)")}}});
        QVERIFY2(r.httpStatus == 201, qPrintable(r.message));
        QCOMPARE(r.object().value(QStringLiteral("experiments")).toArray().size(), 4);
        QCOMPARE(r.object().value(QStringLiteral("swept")).toArray(), (QJsonArray{QStringLiteral("lr"), QStringLiteral("layers")}));
        const QJsonObject run = waitForRun(*m_gridd, QStringLiteral("sweep"));
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("completed")).toInt(), 4);

        const QString log = logOf(*m_gridd, QStringLiteral("sweep-exp1"));
        QVERIFY2(log.contains(QStringLiteral("] args --lr 0.1 --layers 2")), qPrintable(log));
        QVERIFY(log.contains(QStringLiteral("cwd /gridai/project exp sweep-exp1 run sweep")));
        QVERIFY(log.contains(QStringLiteral("cuda ''")));            // no GPUs given, none visible
        QVERIFY(log.contains(QStringLiteral("usr read-only")));      // the host is read-only
        QVERIFY(log.contains(QStringLiteral("experiment ended: exit code 0")));
        QVERIFY(log.contains(QStringLiteral("[stdout] [")));
        QVERIFY(!QFile::exists(QStringLiteral("/usr/opengrid-probe")));
        const QJsonObject exp1 = m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp1")).object().value(QStringLiteral("experiment")).toObject();
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/") + exp1.value(QStringLiteral("name")).toString())); // private /tmp

        const QJsonObject keys = m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp3/metrics")).object();
        // The last line had no newline; the experiment's end completes it.
        QCOMPARE(keys.value(QStringLiteral("keys")).toArray(), (QJsonArray{QStringLiteral("loss"), QStringLiteral("unterminated")}));
        const QJsonObject loss = m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp3/metrics?key=loss")).object();
        QCOMPARE(loss.value(QStringLiteral("total_points")).toInt(), 5);
        QCOMPARE(loss.value(QStringLiteral("points")).toArray().at(1).toArray().at(1).toDouble(), 0.5);
        // Artifacts: what the experiment created, not its (even modified) code, and never
        // what a link it made points at.
        const QJsonArray artifacts = m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp2/artifacts")).object()
                                         .value(QStringLiteral("artifacts")).toArray();
        QCOMPARE(artifacts.size(), 1);
        QCOMPARE(artifacts.at(0).toObject().value(QStringLiteral("path")).toString(), QStringLiteral("outputs/result.txt"));
        const ApiResult file = m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp2/artifacts/file?path=outputs/result.txt"));
        QVERIFY2(file.ok(), qPrintable(file.message));
        QCOMPARE(file.raw, QByteArray("result of sweep-exp2"));
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp2/artifacts/file?path=outputs/leak")).httpStatus, 404);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp2/artifacts/file?path=lib/helper.txt")).httpStatus, 404);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp2/artifacts/file?path=../launch.json")).httpStatus, 400);
        // A run name means its first experiment, as in Grid.
        QVERIFY(logOf(*m_gridd, QStringLiteral("sweep")).contains(QStringLiteral("exp sweep-exp0")));
    }

    void failuresRecordExitCodeOrSignal()
    {
        QVERIFY(submit(*m_gridd, {{QStringLiteral("name"), QStringLiteral("failing")},
                                  {QStringLiteral("args"), QJsonArray{QStringLiteral("--mode"), QStringLiteral("['fail', 'kill', 'ok']")}}}).ok());
        const QJsonObject run = waitForRun(*m_gridd, QStringLiteral("failing"));
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QJsonArray experiments = run.value(QStringLiteral("experiments")).toArray();
        QCOMPARE(experiments.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(experiments.at(0).toObject().value(QStringLiteral("exit_code")).toInt(), 3);
        QCOMPARE(experiments.at(0).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("exit code 3"));
        QCOMPARE(experiments.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY2(experiments.at(1).toObject().value(QStringLiteral("reason")).toString().contains(QStringLiteral("signal 9")),
                 qPrintable(experiments.at(1).toObject().value(QStringLiteral("reason")).toString()));
        QCOMPARE(experiments.at(2).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    }

    void badSubmissionsAreRefusedAndNothingIsSubmitted_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        auto args = [](QStringList a) { return QJsonArray::fromStringList(a); };
        QTest::newRow("unknown distribution") << QJsonObject{{QStringLiteral("args"), args({QStringLiteral("--lr"), QStringLiteral("gaussian(0, 1, 3)")})}} << 400 << QStringLiteral("unknown distribution");
        QTest::newRow("argument count") << QJsonObject{{QStringLiteral("args"), args({QStringLiteral("--lr"), QStringLiteral("uniform(1e-5, 1e-1)")})}} << 400 << QStringLiteral("--lr");
        QTest::newRow("random search without trials") << QJsonObject{{QStringLiteral("strategy"), QStringLiteral("random_search")}} << 400 << QStringLiteral("num_trials");
        QTest::newRow("over the cap") << QJsonObject{{QStringLiteral("args"), args({QStringLiteral("--a"), QStringLiteral("range(0, 7)"), QStringLiteral("--b"), QStringLiteral("[1, 2, 3]")})}} << 400 << QStringLiteral("limit");
        QTest::newRow("missing script") << QJsonObject{{QStringLiteral("script"), QStringLiteral("absent.py")}} << 400 << QStringLiteral("absent.py");
        QTest::newRow("missing datastore") << QJsonObject{{QStringLiteral("datastore_name"), QStringLiteral("nope")}} << 404 << QStringLiteral("nope");
        QTest::newRow("unsatisfiable type") << QJsonObject{{QStringLiteral("instance_type"), QStringLiteral("p3.16xlarge")}} << 422 << QStringLiteral("this cluster has");
        QTest::newRow("too many gpus") << QJsonObject{{QStringLiteral("gpus"), 64}} << 422 << QStringLiteral("GPUs");
        QTest::newRow("bad strategy") << QJsonObject{{QStringLiteral("strategy"), QStringLiteral("bayes")}} << 400 << QStringLiteral("strategy");
    }

    void badSubmissionsAreRefusedAndNothingIsSubmitted()
    {
        QFETCH(QJsonObject, body);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const int before = m_gridd->call("GET", QStringLiteral("/runs")).object().value(QStringLiteral("runs")).toArray().size();
        body.insert(QStringLiteral("name"), QStringLiteral("refused"));
        const ApiResult r = submit(*m_gridd, body);
        QCOMPARE(r.httpStatus, status);
        QVERIFY2(r.message.contains(mentions), qPrintable(r.message));
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/runs")).object().value(QStringLiteral("runs")).toArray().size(), before);
    }

    void stopCancelsRunningExperiments()
    {
        QVERIFY(submit(*m_gridd, {{QStringLiteral("name"), QStringLiteral("stopped")},
                                  {QStringLiteral("args"), QJsonArray{QStringLiteral("--mode"), QStringLiteral("sleep"),
                                                                      QStringLiteral("--seconds"), QStringLiteral("60")}}}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_gridd->call("GET", QStringLiteral("/experiments/stopped-exp0")).object()
                                      .value(QStringLiteral("experiment")).toObject().value(QStringLiteral("status")).toString(),
                                  QStringLiteral("running"), 20000);
        QTest::qWait(500); // let the script install its SIGTERM handler
        QCOMPARE(m_gridd->call("POST", QStringLiteral("/runs/stopped/stop"), QJsonObject()).httpStatus, 202);
        const QJsonObject run = waitForRun(*m_gridd, QStringLiteral("stopped"), 30000);
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(logOf(*m_gridd, QStringLiteral("stopped-exp0")).contains(QStringLiteral("got SIGTERM")));
        // Deleting it removes it; an active run could not have been deleted.
        QCOMPARE(m_gridd->call("DELETE", QStringLiteral("/runs/stopped")).httpStatus, 200);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/runs/stopped")).httpStatus, 404);
    }

    void capacityLimitsWhatRunsAtOnce()
    {
        const QString wholeMachine = cpuTypeForWholeMachine(*m_gridd);
        QVERIFY(submit(*m_gridd, {{QStringLiteral("name"), QStringLiteral("queued")}, {QStringLiteral("instance_type"), wholeMachine},
                                  {QStringLiteral("args"), QJsonArray{QStringLiteral("--mode"), QStringLiteral("sleep"), QStringLiteral("--seconds"),
                                                                      QStringLiteral("0.5"), QStringLiteral("--i"), QStringLiteral("[1, 2, 3]")}}}).ok());
        int maxRunning = 0;
        QDeadlineTimer deadline(60000);
        QString status;
        while (!deadline.hasExpired()) {
            const QJsonObject run = m_gridd->call("GET", QStringLiteral("/runs/queued")).object().value(QStringLiteral("run")).toObject();
            maxRunning = qMax(maxRunning, run.value(QStringLiteral("running")).toInt());
            status = run.value(QStringLiteral("status")).toString();
            if (status == u"succeeded" || status == u"failed")
                break;
            QTest::qWait(50);
        }
        QCOMPARE(status, QStringLiteral("succeeded"));
        QCOMPARE(maxRunning, 1); // each takes the whole machine
    }

    void datastoreIsMountedReadOnly()
    {
        QTemporaryDir data;
        QFile file(data.filePath(QStringLiteral("images.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("cat\n");
        file.close();
        qputenv("GRID_DIR", m_dir.filePath(QStringLiteral("grid-home")).toUtf8());
        auto api = m_gridd->client();
        og::DatastoreUploader uploader(*api);
        og::UploadRequest request;
        request.source = data.path();
        request.name = QStringLiteral("pics");
        const og::UploadResult uploaded = uploader.run(request);
        QVERIFY2(uploaded.ok(), qPrintable(uploaded.error));
        QVERIFY(submit(*m_gridd, {{QStringLiteral("name"), QStringLiteral("mounted")}, {QStringLiteral("datastore_name"), QStringLiteral("pics")},
                                  {QStringLiteral("environment"), QJsonObject{{QStringLiteral("DATASTORE"), QStringLiteral("/datastores/pics")}}},
                                  {QStringLiteral("args"), QJsonArray{QStringLiteral("--mode"), QStringLiteral("datastore")}}}).ok());
        waitForRun(*m_gridd, QStringLiteral("mounted"));
        const QString log = logOf(*m_gridd, QStringLiteral("mounted-exp0"));
        QVERIFY2(log.contains(QStringLiteral("datastore ['images.txt']")), qPrintable(log));
        QVERIFY(log.contains(QStringLiteral("datastore read-only")));
        // A version in use cannot be deleted.
        const ApiResult del = m_gridd->call("DELETE", QStringLiteral("/datastores/pics/versions/1"));
        QCOMPARE(del.httpStatus, 409);
        QVERIFY2(del.message.contains(QStringLiteral("experiment mounted-exp0")), qPrintable(del.message));
    }

    void garbageCollectionKeepsCodeSnapshots()
    {
        // Deleting a datastore version collects unreferenced objects at once (no grace here);
        // the code runs were made from must survive it.
        QTemporaryDir data;
        QFile file(data.filePath(QStringLiteral("scratch.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("temporary\n");
        file.close();
        auto api = m_gridd->client();
        og::DatastoreUploader uploader(*api);
        og::UploadRequest request;
        request.source = data.path();
        request.name = QStringLiteral("scratch");
        QVERIFY(uploader.run(request).ok());
        QCOMPARE(m_gridd->call("DELETE", QStringLiteral("/datastores/scratch/versions/1")).httpStatus, 200);
        QTest::qWait(500); // collection runs on the datastore thread
        const QJsonArray artifacts = m_gridd->call("GET", QStringLiteral("/experiments/sweep-exp2/artifacts")).object()
                                         .value(QStringLiteral("artifacts")).toArray();
        QCOMPARE(artifacts.size(), 1); // still only what the experiment made, not its code
        const auto scan = og::TreeScanner::scan(m_code.path(), nullptr);
        const QJsonArray missing = m_gridd->call("POST", QStringLiteral("/objects/missing"),
                                                 QJsonObject{{QStringLiteral("hashes"), QJsonArray{scan.manifest.rootHash()}}})
                                       .object().value(QStringLiteral("missing")).toArray();
        QVERIFY(missing.isEmpty());
    }

    void killedGriddReattachesAndLosesNoMetric()
    {
        QVERIFY(submit(*m_gridd, {{QStringLiteral("name"), QStringLiteral("survivor")},
                                  {QStringLiteral("args"), QJsonArray{QStringLiteral("--mode"), QStringLiteral("sleep"),
                                                                      QStringLiteral("--seconds"), QStringLiteral("[2, 4]")}}}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_gridd->call("GET", QStringLiteral("/runs/survivor")).object().value(QStringLiteral("run")).toObject()
                                      .value(QStringLiteral("running")).toInt(), 2, 20000);
        m_gridd->kill();
        QTest::qWait(2500); // the first experiment ends while gridd is down
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")),
                                                 QStringList{QStringLiteral("--config"), m_dir.filePath(QStringLiteral("gridd.yaml"))});
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        const QJsonObject run = waitForRun(*m_gridd, QStringLiteral("survivor"));
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        for (const QString &exp : {QStringLiteral("survivor-exp0"), QStringLiteral("survivor-exp1")}) {
            const QJsonObject late = m_gridd->call("GET", QStringLiteral("/experiments/%1/metrics?key=late").arg(exp)).object();
            QCOMPARE(late.value(QStringLiteral("total_points")).toInt(), 1);
            QCOMPARE(m_gridd->call("GET", QStringLiteral("/experiments/%1/metrics?key=loss").arg(exp)).object()
                         .value(QStringLiteral("total_points")).toInt(), 5);
        }
    }

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_code;
    std::unique_ptr<GriddProcess> m_gridd;
};

QTEST_GUILESS_MAIN(TestRuns)
#include "test_runs.moc"
