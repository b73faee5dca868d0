// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <functional>

class QAction;
class QSplitter;
class QTabWidget;

namespace og {

class ApiClient;
class ArtifactsView;
class ChartsPanel;
class EmptyHint;
class ExperimentModel;
class FilteredView;
class LogView;
class MessageBanner;
class MetricStore;
class ParallelCoordinatesView;
class RunModel;

// Runs: the runs table; the selected run's experiments (hyperparameter and latest-metric
// columns); below them live charts of the selected experiments, the sweep's parallel
// coordinates and the current experiment's log. Stop / Delete / Clone act on the selection.
class RunsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunsPanel)
public:
    RunsPanel(ApiClient *api, RunModel *runs, ExperimentModel *experiments, MetricStore *metrics, QWidget *parent = nullptr);
    ~RunsPanel() override;

    QAction *newAction() const { return m_new; }
    QAction *stopAction() const { return m_stop; }
    QAction *deleteAction() const { return m_delete; }
    QAction *cloneAction() const { return m_clone; }
    FilteredView *runsTable() const { return m_runsTable; }
    FilteredView *experimentsTable() const { return m_experimentsTable; }
    EmptyHint *runsHint() const { return m_runsHint; }
    EmptyHint *experimentsHint() const { return m_experimentsHint; }
    ChartsPanel *charts() const { return m_charts; }
    LogView *log() const { return m_log; }
    ArtifactsView *artifacts() const { return m_artifacts; }
    ParallelCoordinatesView *parallel() const { return m_parallel; }
    MessageBanner *banner() const { return m_banner; }
    QTabWidget *tabs() const { return m_tabs; }

    void selectRun(const QString &name);
    void stopSelected();
    void deleteSelected();
    std::function<bool(const QString &question)> confirm;

Q_SIGNALS:
    void newRunRequested();
    // Clone: the New-run dialog filled from this run's stored spec.
    void cloneRequested(const QJsonObject &spec);

private:
    void onRunChanged(const QModelIndex &source);
    void onExperimentSelectionChanged();
    QString currentRun() const;
    void act(const QByteArray &method, const QString &path, const QString &what);

    ApiClient *m_api;
    RunModel *m_runs;
    ExperimentModel *m_experiments;
    MessageBanner *m_banner;
    FilteredView *m_runsTable;
    FilteredView *m_experimentsTable;
    EmptyHint *m_runsHint;
    EmptyHint *m_experimentsHint;
    QTabWidget *m_tabs;
    ChartsPanel *m_charts;
    ParallelCoordinatesView *m_parallel;
    LogView *m_log;
    ArtifactsView *m_artifacts;
    QSplitter *m_split;
    QAction *m_new;
    QAction *m_stop;
    QAction *m_delete;
    QAction *m_clone;
};

} // namespace og
