// SPDX-License-Identifier: GPL-3.0-or-later
// The datastores and runs panels against a real gridd: a datastore created through the New
// datastore dialog shows up, its files can be browsed, it is deleted after confirmation; a
// tiny sweep submitted through the New run dialog shows its runs, experiments, chart series
// and log without any manual refresh.
#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "models/datastoremodel.h"
#include "models/experimentmodel.h"
#include "models/metricstore.h"
#include "models/runmodel.h"
#include "tests/gui/guifixtures.h"
#include "widgets/artifactsview.h"
#include "widgets/chartspanel.h"
#include "widgets/filepreview.h"
#include "widgets/datastorespanel.h"
#include "widgets/emptyhint.h"
#include "widgets/filteredview.h"
#include "widgets/logview.h"
#include "widgets/messagebanner.h"
#include "widgets/metricchart.h"
#include "widgets/newdatastoredialog.h"
#include "widgets/newrundialog.h"
#include "widgets/parallelcoordinates.h"
#include "widgets/runspanel.h"
#include "widgets/versionbrowser.h"

#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTest>
#include <QTreeView>

using namespace og;
using og::test::GriddProcess;

class TestGuiPanels final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<GriddProcess> m_gridd;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<EventsClient> m_events;

    ConnectionInfo connection() const { return {m_gridd->url(), m_gridd->localToken(), {}}; }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("GRID_DIR", m_dir.filePath(QStringLiteral("grid")).toUtf8());
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        m_api = m_gridd->client();
        m_events = std::make_unique<EventsClient>(m_api.get());
        m_events->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_events->isConnected(), 10000);
    }

    void datastoreCreatedBrowsedAndDeleted()
    {
        DatastoreModel model;
        model.attach(m_api.get(), m_events.get());
        model.reload();
        DatastoresPanel panel(m_api.get(), &model, [this] { return connection(); });
        panel.resize(1200, 700);
        panel.show();
        QTest::qWait(300);
        // No datastores: the empty table says how to make one.
        QVERIFY(panel.emptyHint()->isVisible());
        QVERIFY2(panel.emptyHint()->text().contains(QStringLiteral("grid datastore create --source DIR")), qPrintable(panel.emptyHint()->text()));

        const QString source = m_dir.filePath(QStringLiteral("mnist"));
        QVERIFY(QDir().mkpath(source + QStringLiteral("/train")));
        QVERIFY(test::writeFile(source + QStringLiteral("/train/labels.csv"), "image,label\n1.png,7\n"));
        QVERIFY(test::writeFile(source + QStringLiteral("/README.md"), "digits\n"));

        // Bad input first: a name that breaks the rule keeps Upload disabled and says why.
        NewDatastoreDialog dialog(m_api.get(), connection());
        dialog.setSource(source);
        QCOMPARE(dialog.name(), QStringLiteral("mnist"));
        dialog.setName(QStringLiteral("Bad Name"));
        dialog.startUpload();
        QVERIFY(!dialog.isBusy());
        dialog.setName(QStringLiteral("mnist"));
        QSignalSpy done(&dialog, &NewDatastoreDialog::uploadFinished);
        dialog.startUpload();
        QVERIFY(dialog.isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
        QVERIFY2(done.first().at(1).toBool(), qPrintable(dialog.errorText()));

        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(model.index(0, 0).data(DatastoreModel::StatusRole).toString(), QStringLiteral("succeeded"), 10000);
        QVERIFY(!panel.emptyHint()->isVisible());

        // Selecting the version lists its files; a folder expands on demand.
        QTreeView *view = panel.table()->view();
        view->expandAll();
        const QModelIndex version = panel.table()->proxy()->mapFromSource(model.index(0, 0, model.index(0, 0)));
        view->setCurrentIndex(version);
        QStandardItemModel *files = panel.browser()->model();
        QTRY_COMPARE_WITH_TIMEOUT(files->rowCount(), 2, 10000);
        QStringList names{files->item(0)->text(), files->item(1)->text()};
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("README.md"), QStringLiteral("train")}));
        // Selecting a file previews its bytes, fetched from the platform.
        const int readme = files->item(0)->text() == u"README.md" ? 0 : 1;
        panel.browser()->findChild<QTreeView *>()->setCurrentIndex(files->index(readme, 0));
        QTRY_VERIFY_WITH_TIMEOUT(panel.browser()->preview()->isShowingText(), 10000);
        QVERIFY2(panel.browser()->preview()->text().contains(QStringLiteral("digits")), qPrintable(panel.browser()->preview()->text()));

        // The filter box narrows the table.
        panel.table()->filterEdit()->setText(QStringLiteral("no-such"));
        QCOMPARE(panel.table()->proxy()->rowCount(), 0);
        QVERIFY(panel.emptyHint()->isVisible()); // and says it is the filter
        QVERIFY2(panel.emptyHint()->text().contains(QStringLiteral("filter")), qPrintable(panel.emptyHint()->text()));
        panel.table()->filterEdit()->clear();
        QCOMPARE(panel.table()->proxy()->rowCount(), 1);
        QVERIFY(!panel.emptyHint()->isVisible());

        // Delete asks first; "no" keeps everything.
        view->setCurrentIndex(panel.table()->proxy()->mapFromSource(model.index(0, 0)));
        view->selectionModel()->select(view->currentIndex(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QString asked;
        panel.confirm = [&asked](const QString &q) {
            asked = q;
            return false;
        };
        panel.deleteSelected();
        QVERIFY(asked.contains(QStringLiteral("mnist version 1")));
        QTest::qWait(300);
        QCOMPARE(model.rowCount(), 1);
        panel.confirm = [](const QString &) { return true; };
        panel.deleteSelected();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 10000);
        QVERIFY(panel.banner()->text().isEmpty());
        QVERIFY(panel.emptyHint()->isVisible());
    }

    void sweepShowsRowsChartsAndLogsLive()
    {
        if (!test::hasBubblewrap())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        RunModel runs;
        runs.attach(m_api.get(), m_events.get());
        runs.reload();
        MetricStore metrics(m_api.get(), m_events.get());
        ExperimentModel experiments(m_api.get(), m_events.get(), &metrics);
        RunsPanel panel(m_api.get(), &runs, &experiments, &metrics);
        panel.resize(1400, 900);
        panel.show();
        QTest::qWait(300);
        // Nothing yet: the runs table says how to start one, the charts ask for a selection.
        QVERIFY(panel.runsHint()->isVisible());
        QVERIFY2(panel.runsHint()->text().contains(QStringLiteral("New run")), qPrintable(panel.runsHint()->text()));
        QVERIFY(panel.experimentsHint()->isVisible());
        QVERIFY(panel.charts()->isEmptyHintVisible() && panel.charts()->emptyText().contains(QStringLiteral("Select a run")));

        QTemporaryDir code;
        QVERIFY(test::writeFile(code.filePath(QStringLiteral("train.py")), test::kSweepScript));
        NewRunDialog dialog(m_api.get(), connection());
        dialog.setScript(code.filePath(QStringLiteral("train.py")));
        dialog.setArguments(QStringLiteral("--lr \"[0.1, 0.01]\" --layers \"range(1, 3)\""));
        QVERIFY2(dialog.previewText().startsWith(QStringLiteral("4 experiment")), qPrintable(dialog.previewText()));
        QSignalSpy submitted(&dialog, &NewRunDialog::submitted);
        dialog.submit();
        QTRY_COMPARE_WITH_TIMEOUT(submitted.count(), 1, 30000);
        const QString run = submitted.first().first().toString();
        QVERIFY(!run.isEmpty());

        QTRY_COMPARE_WITH_TIMEOUT(runs.rowCount(), 1, 10000);
        QVERIFY(!panel.runsHint()->isVisible());
        panel.selectRun(run);
        QTRY_COMPARE_WITH_TIMEOUT(experiments.rowCount(), 4, 10000);
        QCOMPARE(experiments.sweptFlags(), (QStringList{QStringLiteral("lr"), QStringLiteral("layers")}));

        // With nothing selected every experiment is charted; the loss chart fills live.
        QTRY_VERIFY_WITH_TIMEOUT(panel.charts()->chart(QStringLiteral("loss")) != nullptr, 60000);
        MetricChart *loss = panel.charts()->chart(QStringLiteral("loss"));
        QCOMPARE(loss->experiments().size(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(runs.index(0, RunModel::StatusColumn).data().toString(), QStringLiteral("succeeded"), 60000);
        // Every point of the tiny series is drawn (one per pixel column), live, with no reload.
        const auto drawn = [loss](const QString &e) { return loss->drawnPoints(e) ? loss->drawnPoints(e)->x.size() : size_t(0); };
        QTRY_COMPARE_WITH_TIMEOUT(drawn(run + QStringLiteral("-exp3")), size_t(5), 10000);
        QCOMPARE(loss->drawnPoints(run + QStringLiteral("-exp3"))->x.front(), 0.0);
        QCOMPARE(loss->drawnPoints(run + QStringLiteral("-exp3"))->y.front(), 1.0);
        QVERIFY(!panel.charts()->isEmptyHintVisible());
        QVERIFY(panel.charts()->chart(QStringLiteral("acc")));

        // Selecting experiments narrows the charts to them; the log follows the current one.
        QTreeView *expView = panel.experimentsTable()->view();
        expView->setCurrentIndex(panel.experimentsTable()->proxy()->index(1, 0));
        expView->selectionModel()->select(expView->currentIndex(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTRY_COMPARE(loss->experiments(), QStringList{run + QStringLiteral("-exp1")});
        QTRY_VERIFY_WITH_TIMEOUT(panel.log()->text().contains(QStringLiteral("training with --lr 0.1 --layers 2")), 10000);

        // The experiment's artifacts list; a JSON one previews as highlighted text.
        QTRY_COMPARE_WITH_TIMEOUT(panel.artifacts()->list()->count(), 1, 10000);
        panel.artifacts()->list()->setCurrentRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(panel.artifacts()->preview()->isShowingText(), 10000);
        QVERIFY2(panel.artifacts()->preview()->text().contains(QStringLiteral("\"final_loss\": 0.2")),
                 qPrintable(panel.artifacts()->preview()->text()));

        // The parallel coordinates see both hyperparameters and the chosen metric.
        panel.parallel()->setMetric(QStringLiteral("loss"));
        QTRY_COMPARE(panel.parallel()->axes().size(), 3);
        QCOMPARE(panel.parallel()->axes().last().title, QStringLiteral("loss"));

        // Chart controls: log scale, smoothing and the time axis redraw the same lines.
        panel.charts()->setLogY(true);
        panel.charts()->setSmoothing(0.6);
        // A frame's work is budgeted; a full redraw may take a few frames: finish it now.
        const auto settle = [&panel] {
            panel.charts()->refreshNow();
            for (MetricChart *c : panel.charts()->charts())
                c->refresh();
        };
        settle();
        QCOMPARE(drawn(run + QStringLiteral("-exp1")), size_t(5));
        panel.charts()->setXAxisIndex(1);
        settle();
        QCOMPARE(drawn(run + QStringLiteral("-exp1")), size_t(5));
        QCOMPARE(loss->drawnPoints(run + QStringLiteral("-exp1"))->x.front(), 0.0); // relative time starts at 0
        // Hovering the first point reads it out.
        const QPointF first = loss->scale().toPixel(0, loss->drawnPoints(run + QStringLiteral("-exp1"))->y.front());
        QVERIFY2(loss->hoverAt(first).contains(run + QStringLiteral("-exp1")), qPrintable(loss->hoverText()));
        panel.charts()->setXAxisIndex(0);
        panel.charts()->setLogY(false);
        panel.charts()->setSmoothing(0);

        // Delete asks, then the run goes away by itself.
        panel.confirm = [](const QString &) { return true; };
        panel.deleteSelected();
        QTRY_COMPARE_WITH_TIMEOUT(runs.rowCount(), 0, 10000);
        QVERIFY2(panel.banner()->text().isEmpty(), qPrintable(panel.banner()->text()));
    }

    void apiErrorsAreShownNextToTheAction()
    {
        RunModel runs;
        MetricStore metrics(m_api.get(), m_events.get());
        ExperimentModel experiments(m_api.get(), m_events.get(), &metrics);
        RunsPanel panel(m_api.get(), &runs, &experiments, &metrics);
        runs.upsert(RunSummary{QStringLiteral("ghost"), {}, QStringLiteral("running"), QDateTime::currentDateTimeUtc(), {}, 1, 1, 0, 0, 0, 0});
        panel.selectRun(QStringLiteral("ghost"));
        panel.stopSelected();
        QTRY_VERIFY2_WITH_TIMEOUT(panel.banner()->text().contains(QStringLiteral("Cannot stop")), qPrintable(panel.banner()->text()), 10000);
        QVERIFY(panel.banner()->isVisible() || !panel.isVisible());
    }

    void cleanupTestCase()
    {
        m_events.reset();
        m_api.reset();
        m_gridd.reset();
    }
};

QTEST_MAIN(TestGuiPanels)
#include "test_gui_panels.moc"
