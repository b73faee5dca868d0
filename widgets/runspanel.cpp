// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/runspanel.h"

#include "core/apiclient.h"
#include "models/experimentmodel.h"
#include "models/runmodel.h"
#include "widgets/artifactsview.h"
#include "widgets/chartspanel.h"
#include "widgets/emptyhint.h"
#include "widgets/filteredview.h"
#include "widgets/logview.h"
#include "widgets/messagebanner.h"
#include "widgets/parallelcoordinates.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace og {

RunsPanel::RunsPanel(ApiClient *api, RunModel *runs, ExperimentModel *experiments, MetricStore *metrics, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_runs(runs)
    , m_experiments(experiments)
    , m_banner(new MessageBanner(this))
    , m_runsTable(new FilteredView(QStringLiteral("runs/table"), runs, this))
    , m_experimentsTable(new FilteredView(QStringLiteral("runs/experiments"), experiments, this))
    , m_tabs(new QTabWidget(this))
    , m_charts(new ChartsPanel(metrics, this))
    , m_parallel(new ParallelCoordinatesView(experiments, this))
    , m_log(new LogView(api, this))
    , m_artifacts(new ArtifactsView(api, this))
    , m_split(new QSplitter(Qt::Vertical, this))
{
    m_new = new QAction(QIcon::fromTheme(QStringLiteral("media-playback-start")), tr("&New run…"), this);
    m_new->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_stop = new QAction(QIcon::fromTheme(QStringLiteral("media-playback-stop")), tr("&Stop"), this);
    m_stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_delete = new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_clone = new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Clone…"), this);
    m_clone->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    addAction(m_delete);
    connect(m_new, &QAction::triggered, this, &RunsPanel::newRunRequested);
    connect(m_stop, &QAction::triggered, this, &RunsPanel::stopSelected);
    connect(m_delete, &QAction::triggered, this, &RunsPanel::deleteSelected);
    connect(m_clone, &QAction::triggered, this, [this] {
        const QString run = currentRun();
        if (run.isEmpty())
            return;
        ApiReply *reply = m_api->get(QStringLiteral("/runs/") + run);
        connect(reply, &ApiReply::finished, this, [this](const ApiResult &r) {
            if (!r.ok()) {
                m_banner->showMessage(tr("Cannot clone: %1").arg(r.message));
                return;
            }
            Q_EMIT cloneRequested(r.object().value(QStringLiteral("spec")).toObject());
        });
    });

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions({m_new, m_stop, m_delete, m_clone});

    m_runsTable->setPlaceholder(tr("Filter runs…"));
    m_runsTable->view()->setRootIsDecorated(false);
    m_runsTable->view()->setSelectionMode(QAbstractItemView::SingleSelection);
    // Compact defaults so most columns show at the first-start width; saved widths win.
    QHeaderView *runsHeader = m_runsTable->view()->header();
    runsHeader->resizeSection(RunModel::NameColumn, 160);
    runsHeader->resizeSection(RunModel::StatusColumn, 90);
    for (int column = RunModel::ExperimentsColumn; column <= RunModel::StoppedColumn; ++column)
        runsHeader->resizeSection(column, column == RunModel::ExperimentsColumn ? 85 : 72);
    m_experimentsTable->setPlaceholder(tr("Filter experiments…"));
    m_experimentsTable->view()->setRootIsDecorated(false);
    m_experimentsTable->view()->header()->resizeSection(0, 200);
    m_runsTable->restoreState();
    m_experimentsTable->restoreState();
    m_runsHint = new EmptyHint(m_runsTable->view(),
                               tr("<p><b>No runs yet.</b></p><p>Click <b>New run</b> to start a script or a sweep,<br>or run "
                                  "<code>grid run train.py --lr \"[0.1, 0.01]\"</code> in a terminal.</p>"),
                               tr("No run matches the filter."));
    m_experimentsHint = new EmptyHint(m_experimentsTable->view(), tr("Select a run to see its experiments."),
                                      tr("No experiment matches the filter."));
    connect(m_runsTable, &FilteredView::currentSourceChanged, this, &RunsPanel::onRunChanged);
    connect(m_experimentsTable->view()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPanel::onExperimentSelectionChanged);
    connect(m_experimentsTable, &FilteredView::currentSourceChanged, this, [this](const QModelIndex &i) {
        m_log->setExperiment(i.data(ExperimentModel::NameRole).toString());
        m_artifacts->setExperiment(i.data(ExperimentModel::NameRole).toString());
    });
    // A new run's experiments are all charted until the user picks some.
    connect(m_experiments, &ExperimentModel::loaded, this, &RunsPanel::onExperimentSelectionChanged);
    connect(m_experiments, &QAbstractItemModel::rowsInserted, this, &RunsPanel::onExperimentSelectionChanged);
    connect(m_runs, &RunModel::loadFailed, this, [this](const QString &m) { m_banner->showMessage(m); });
    connect(m_experiments, &ExperimentModel::loadFailed, this, [this](const QString &m) { m_banner->showMessage(m); });

    m_tabs->addTab(m_charts, tr("&Charts"));
    m_tabs->addTab(m_parallel, tr("&Parallel coordinates"));
    m_tabs->addTab(m_log, tr("&Log"));
    m_tabs->addTab(m_artifacts, tr("&Artifacts"));

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->setObjectName(QStringLiteral("runsTablesSplitter"));
    tables->addWidget(m_runsTable);
    tables->addWidget(m_experimentsTable);
    m_split->setObjectName(QStringLiteral("runsSplitter"));
    m_split->addWidget(tables);
    m_split->addWidget(m_tabs);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    QSettings s;
    m_split->restoreState(s.value(QStringLiteral("runs/splitter")).toByteArray());
    tables->restoreState(s.value(QStringLiteral("runs/tablesSplitter")).toByteArray());
    connect(tables, &QSplitter::splitterMoved, this,
            [tables] { QSettings().setValue(QStringLiteral("runs/tablesSplitter"), tables->saveState()); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_split, 1);

    confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Runs"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
               == QMessageBox::Yes;
    };
}

RunsPanel::~RunsPanel()
{
    QSettings s;
    s.setValue(QStringLiteral("runs/splitter"), m_split->saveState());
    s.setValue(QStringLiteral("runs/selectedRun"), currentRun());
}

QString RunsPanel::currentRun() const
{
    return m_runsTable->currentSourceIndex().data(RunModel::NameRole).toString();
}

void RunsPanel::selectRun(const QString &name)
{
    const int row = m_runs->rowOf(name);
    if (row < 0)
        return;
    const QModelIndex proxy = m_runsTable->proxy()->mapFromSource(m_runs->index(row, 0));
    m_runsTable->view()->setCurrentIndex(proxy);
}

void RunsPanel::onRunChanged(const QModelIndex &source)
{
    m_banner->clear();
    m_experiments->setRun(source.data(RunModel::NameRole).toString());
    m_experimentsHint->setEmptyText(source.isValid() ? tr("This run has no experiments yet.") : tr("Select a run to see its experiments."));
    m_log->setExperiment(QString());
    m_artifacts->setExperiment(QString());
}

void RunsPanel::onExperimentSelectionChanged()
{
    QStringList names;
    for (const QModelIndex &i : m_experimentsTable->selectedSourceRows())
        names.append(i.data(ExperimentModel::NameRole).toString());
    if (names.isEmpty())
        for (const Experiment &e : m_experiments->experiments())
            names.append(e.name);
    m_charts->setExperiments(names);
}

void RunsPanel::act(const QByteArray &method, const QString &path, const QString &what)
{
    ApiReply *reply = method == "POST" ? m_api->post(path, QJsonObject()) : m_api->send(method, path);
    connect(reply, &ApiReply::finished, this, [this, what](const ApiResult &r) {
        if (!r.ok())
            m_banner->showMessage(tr("Cannot %1: %2").arg(what, r.message));
    });
}

void RunsPanel::stopSelected()
{
    m_banner->clear();
    const QModelIndexList experiments = m_experimentsTable->selectedSourceRows();
    if (!experiments.isEmpty()) {
        for (const QModelIndex &i : experiments)
            act("POST", QStringLiteral("/experiments/%1/stop").arg(i.data(ExperimentModel::NameRole).toString()), tr("stop"));
        return;
    }
    const QString run = currentRun();
    if (!run.isEmpty())
        act("POST", QStringLiteral("/runs/%1/stop").arg(run), tr("stop"));
}

void RunsPanel::deleteSelected()
{
    m_banner->clear();
    const QString run = currentRun();
    if (run.isEmpty())
        return;
    if (!confirm(tr("Delete run %1 with its experiments' logs, metrics and artifacts? This cannot be undone.").arg(run)))
        return;
    act("DELETE", QStringLiteral("/runs/") + run, tr("delete %1").arg(run));
}

} // namespace og
