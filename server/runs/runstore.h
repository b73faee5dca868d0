// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/experiment.h"
#include "core/domain/runsummary.h"

#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>
#include <vector>

namespace og {

struct ExperimentRecord
{
    QString id;
    QString runId;
    QString userId;
    QJsonObject runSpec; // the run's stored spec (what to run, where, with which resources)
    Experiment info;
    QList<int> gpus;     // GPU indexes held while running
};

struct NewExperiment
{
    QStringList args;
    QList<QPair<QString, QString>> params;
    QString command;
};

// Runs and their experiments in SQL. Lookups by name take the owner's user id; the
// scheduler's queries span users.
class RunStore final
{
public:
    explicit RunStore(QSqlDatabase db);

    bool nameTaken(const QString &userId, const QString &name);
    // One transaction: the run and all its experiments, pending.
    QString createRun(const QString &userId, const QString &name, const QJsonObject &spec,
                      const QList<NewExperiment> &experiments, const QString &datastoreVersionId);
    std::optional<QPair<QString, QJsonObject>> findRun(const QString &userId, const QString &name); // id, spec
    std::optional<RunSummary> summary(const QString &runId);
    QList<RunSummary> listRuns(const QString &userId); // newest first
    QList<ExperimentRecord> experimentsOfRun(const QString &runId);
    std::optional<ExperimentRecord> findExperiment(const QString &userId, const QString &name);
    std::optional<ExperimentRecord> experimentById(const QString &id);
    // Across all users, oldest first: what the scheduler works on.
    QList<ExperimentRecord> experimentsInStatus(const QStringList &statuses);

    void setStatus(const QString &experimentId, const QString &status);
    void queueRun(const QString &runId); // pending → queued, once its code is in place
    void markRunning(const QString &experimentId, const QList<int> &gpus);
    void markFinished(const QString &experimentId, const QString &status, int exitCode, const QString &reason);
    // Recomputes the run's status from its experiments; returns it.
    QString refreshRunStatus(const QString &runId);
    void deleteRun(const QString &runId);
    void deleteExperiment(const QString &experimentId);

    // Metric points that gridd stored in SQL before series storage (server/metrics/
    // metricseriesstore.h) took their place: what experiments of that time have.
    QStringList metricKeys(const QString &experimentId);
    // One series in step order: steps, wall times, values.
    void metricSeries(const QString &experimentId, const QString &key, std::vector<double> *steps,
                      std::vector<double> *wallTimes, std::vector<double> *values);

private:
    QSqlDatabase m_db;
};

} // namespace og
