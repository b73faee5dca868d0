// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's item models against a real gridd: rows appear, change and go away from the
// event stream alone (no reload, never a reset), under QAbstractItemModelTester.
#include "core/apiclient.h"
#include "core/datastore/uploader.h"
#include "core/eventsclient.h"
#include "models/datastoremodel.h"
#include "models/experimentmodel.h"
#include "models/metricstore.h"
#include "models/runmodel.h"
#include "tests/gui/guifixtures.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace og;
using og::test::GriddProcess;

class TestGuiModels final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<GriddProcess> m_gridd;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<EventsClient> m_events;

private Q_SLOTS:
    void initTestCase()
    {
        // The upload engine keeps its work state under ~/.grid; keep it in the test's dir.
        qputenv("GRID_DIR", m_dir.filePath(QStringLiteral("grid")).toUtf8());
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        m_api = m_gridd->client();
        m_events = std::make_unique<EventsClient>(m_api.get());
        m_events->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_events->isConnected(), 10000);
    }

    void datastoreRowsFollowTheEventStream()
    {
        DatastoreModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.attach(m_api.get(), m_events.get());
        QTRY_VERIFY(m_events->topics().contains(QStringLiteral("datastores")));
        QTest::qWait(300); // the subscription reaches gridd
        model.reload();
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), 0);

        const QString source = m_dir.filePath(QStringLiteral("cifar5"));
        QVERIFY(QDir().mkpath(source + QStringLiteral("/train")));
        QVERIFY(test::writeFile(source + QStringLiteral("/train/a.txt"), "airplane\n"));
        QVERIFY(test::writeFile(source + QStringLiteral("/classes.txt"), "airplane ship\n"));
        ApiClient uploaderApi;
        uploaderApi.setBaseUrl(m_gridd->url());
        uploaderApi.setToken(m_gridd->localToken());
        DatastoreUploader uploader(uploaderApi);
        const UploadResult first = uploader.run({source, QStringLiteral("cifar5"), false, true, 2});
        QVERIFY2(first.ok(), qPrintable(first.error));

        // No reload: the events alone bring the row and its final status.
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
        const QModelIndex ds = model.index(0, 0);
        QCOMPARE(ds.data().toString(), QStringLiteral("cifar5"));
        QTRY_COMPARE_WITH_TIMEOUT(ds.data(DatastoreModel::StatusRole).toString(), QStringLiteral("succeeded"), 10000);
        QCOMPARE(model.rowCount(ds), 1);
        QCOMPARE(model.index(0, DatastoreModel::FilesColumn, ds).data().toInt(), 2);

        // A second version becomes a child, newest first; the datastore row shows it.
        QVERIFY(test::writeFile(source + QStringLiteral("/train/b.txt"), "bird\n"));
        const UploadResult second = uploader.run({source, QStringLiteral("cifar5"), false, true, 2});
        QVERIFY2(second.ok(), qPrintable(second.error));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(ds), 2, 10000);
        QTRY_COMPARE(model.index(0, 0, ds).data(DatastoreModel::VersionRole).toInt(), 2);
        QTRY_COMPARE(ds.data(DatastoreModel::VersionRole).toInt(), 2);
        QTRY_COMPARE(model.index(0, DatastoreModel::FilesColumn, ds).data().toInt(), 3);

        // Deleting a version removes one child; the last version takes the datastore row along.
        QVERIFY(m_api->call("DELETE", QStringLiteral("/datastores/cifar5/versions/1")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(ds), 1, 10000);
        QVERIFY(m_api->call("DELETE", QStringLiteral("/datastores/cifar5/versions/2")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 10000);
        QCOMPARE(resets.count(), 0);
    }

    void mergeKeepsRowsAndDropsWhatIsGone()
    {
        DatastoreModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        DatastoreVersion a{QStringLiteral("alpha"), 1, QStringLiteral("succeeded"), {}, {}, 10, 1, {}, {}, {}};
        DatastoreVersion b = a;
        b.name = QStringLiteral("beta");
        DatastoreVersion a2 = a;
        a2.version = 2;
        a2.status = QStringLiteral("optimizing");
        model.mergeAll({a, a2, b});
        QCOMPARE(model.rowCount(), 2);
        const QPersistentModelIndex beta = model.index(1, 0);
        QCOMPARE(model.rowCount(model.index(0, 0)), 2);
        QVERIFY(model.index(0, 0).data(DatastoreModel::BusyRole).toBool());
        model.setLocalProgress(QStringLiteral("alpha"), 40);
        QCOMPARE(model.index(0, 0).data(DatastoreModel::ProgressRole).toInt(), 40);
        a2.status = QStringLiteral("succeeded");
        model.mergeAll({a2, b});
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
        QCOMPARE(model.index(0, 0).data(DatastoreModel::ProgressRole).toInt(), -1);
        QVERIFY(beta.isValid()); // the untouched row kept its identity
        QCOMPARE(beta.data().toString(), QStringLiteral("beta"));
        model.mergeAll({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 0);
    }

    void runAndExperimentRowsAndMetricsAppearLive()
    {
        if (!test::hasBubblewrap())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        RunModel runs;
        QAbstractItemModelTester runTester(&runs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy runResets(&runs, &QAbstractItemModel::modelReset);
        runs.attach(m_api.get(), m_events.get());
        runs.reload();
        MetricStore metrics(m_api.get(), m_events.get());
        ExperimentModel experiments(m_api.get(), m_events.get(), &metrics);
        QAbstractItemModelTester expTester(&experiments, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTest::qWait(300);

        QTemporaryDir code;
        QVERIFY(test::writeFile(code.filePath(QStringLiteral("train.py")), test::kSweepScript));
        const ApiResult r = test::submitRun(*m_api, code.path(),
                                              {{QStringLiteral("name"), QStringLiteral("tiny")},
                                               {QStringLiteral("args"), QJsonArray{QStringLiteral("--lr"), QStringLiteral("[0.1, 0.01]")}}});
        QVERIFY2(r.ok(), qPrintable(r.message));
        QTRY_COMPARE_WITH_TIMEOUT(runs.rowCount(), 1, 10000);
        QCOMPARE(runs.index(0, RunModel::NameColumn).data().toString(), QStringLiteral("tiny"));
        QCOMPARE(runs.index(0, RunModel::ExperimentsColumn).data().toInt(), 2);

        QSignalSpy expResets(&experiments, &QAbstractItemModel::modelReset);
        experiments.setRun(QStringLiteral("tiny"));
        QTRY_COMPARE_WITH_TIMEOUT(experiments.rowCount(), 2, 10000);
        QCOMPARE(experiments.sweptFlags(), QStringList{QStringLiteral("lr")});
        QCOMPARE(experiments.headerData(experiments.paramColumn(0), Qt::Horizontal).toString(), QStringLiteral("lr"));
        QCOMPARE(experiments.index(1, experiments.paramColumn(0)).data().toString(), QStringLiteral("0.01"));
        const int resetsAfterLoad = int(expResets.count());

        // The run ends; statuses, then metric columns with the last loss (1/5) arrive live.
        QTRY_COMPARE_WITH_TIMEOUT(runs.index(0, RunModel::StatusColumn).data().toString(), QStringLiteral("succeeded"), 60000);
        QTRY_COMPARE(runs.index(0, RunModel::CompletedColumn).data().toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(experiments.index(0, 1).data().toString(), QStringLiteral("succeeded"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(experiments.metricKeys().contains(QStringLiteral("loss")), 10000);
        const int lossColumn = experiments.metricColumn(int(experiments.metricKeys().indexOf(QStringLiteral("loss"))));
        QCOMPARE(experiments.headerData(lossColumn, Qt::Horizontal).toString(), QStringLiteral("loss"));
        QTRY_COMPARE_WITH_TIMEOUT(experiments.index(1, lossColumn).data(Qt::EditRole).toDouble(), 0.2, 10000);
        const MetricSeries *loss = metrics.series(QStringLiteral("tiny-exp1"), QStringLiteral("loss"));
        QVERIFY(loss);
        QTRY_COMPARE(loss->size(), size_t(5));
        QCOMPARE(loss->value.front(), 1.0);
        QCOMPARE(int(expResets.count()), resetsAfterLoad); // rows and columns came without resets

        QVERIFY(m_api->call("DELETE", QStringLiteral("/runs/tiny")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(runs.rowCount(), 0, 10000);
        QCOMPARE(runResets.count(), 0);
    }

    void cleanupTestCase()
    {
        m_events.reset();
        m_api.reset();
        m_gridd.reset();
    }
};

QTEST_GUILESS_MAIN(TestGuiModels)
#include "test_gui_models.moc"
