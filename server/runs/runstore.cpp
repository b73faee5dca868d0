// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runs/runstore.h"

#include "core/apitoken.h"
#include "server/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace og {

namespace {
const QString kExperimentSelect = QStringLiteral(
    "SELECT e.id, e.run_id, r.user_id, r.spec, e.name, r.name, e.ordinal, e.status, e.args, e.params,"
    " e.exit_code, e.reason, e.created_at, e.started_at, e.finished_at, e.gpus"
    " FROM experiments e JOIN runs r ON r.id = e.run_id ");

QJsonArray arrayFrom(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).array();
}

QString compact(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

ExperimentRecord recordFrom(const QSqlQuery &q)
{
    ExperimentRecord r;
    r.id = q.value(0).toString();
    r.runId = q.value(1).toString();
    r.userId = q.value(2).toString();
    r.runSpec = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
    Experiment &e = r.info;
    e.name = q.value(4).toString();
    e.runName = q.value(5).toString();
    e.index = q.value(6).toInt();
    e.status = q.value(7).toString();
    for (const QJsonValue &v : arrayFrom(q.value(8)))
        e.args.append(v.toString());
    for (const QJsonValue &v : arrayFrom(q.value(9)))
        e.params.append({v.toArray().at(0).toString(), v.toArray().at(1).toString()});
    e.exitCode = q.value(10).isNull() ? -1 : q.value(10).toInt();
    e.reason = q.value(11).toString();
    e.createdAt = fromSqlTime(q.value(12));
    e.startedAt = fromSqlTime(q.value(13));
    e.finishedAt = fromSqlTime(q.value(14));
    e.command = (QStringList{r.runSpec.value(QStringLiteral("script")).toString()} + e.args).join(u' ');
    for (const QJsonValue &v : arrayFrom(q.value(15)))
        r.gpus.append(v.toInt());
    return r;
}

QList<ExperimentRecord> all(QSqlQuery q)
{
    QList<ExperimentRecord> out;
    while (q.next())
        out.append(recordFrom(q));
    return out;
}
} // namespace

RunStore::RunStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

bool RunStore::nameTaken(const QString &userId, const QString &name)
{
    return execute(m_db, QStringLiteral("SELECT 1 FROM runs WHERE user_id = ? AND name = ?"), {userId, name}).next();
}

QString RunStore::createRun(const QString &userId, const QString &name, const QJsonObject &spec,
                            const QList<NewExperiment> &experiments, const QString &datastoreVersionId)
{
    WriteTransaction tx(m_db);
    const QString runId = randomId(16);
    const QString now = sqlNow();
    execute(m_db, QStringLiteral("INSERT INTO runs (id, user_id, name, project, status, created_at, spec) VALUES (?, ?, ?, ?, 'pending', ?, ?)"),
            {runId, userId, name, spec.value(QStringLiteral("project")).toString(), now,
             QString::fromUtf8(QJsonDocument(spec).toJson(QJsonDocument::Compact))});
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT INTO experiments (id, run_id, name, ordinal, status, created_at, args, params, datastore_version_id)"
                                  " VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)"));
    for (int i = 0; i < experiments.size(); ++i) {
        QJsonArray params;
        for (const auto &[flag, value] : experiments[i].params)
            params.append(QJsonArray{flag, value});
        insert.bindValue(0, randomId(16));
        insert.bindValue(1, runId);
        insert.bindValue(2, QStringLiteral("%1-exp%2").arg(name).arg(i));
        insert.bindValue(3, i);
        insert.bindValue(4, now);
        insert.bindValue(5, compact(QJsonArray::fromStringList(experiments[i].args)));
        insert.bindValue(6, compact(params));
        insert.bindValue(7, datastoreVersionId.isEmpty() ? QVariant() : QVariant(datastoreVersionId));
        if (!insert.exec())
            throwQueryError(insert, "cannot record the run's experiments");
    }
    tx.commit();
    return runId;
}

std::optional<QPair<QString, QJsonObject>> RunStore::findRun(const QString &userId, const QString &name)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT id, spec FROM runs WHERE user_id = ? AND name = ?"), {userId, name});
    if (!q.next())
        return std::nullopt;
    return qMakePair(q.value(0).toString(), QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object());
}

namespace {
// A run and how many of its experiments are in each state, for one run or all of a user's.
QList<RunSummary> summaries(const QSqlDatabase &db, const QString &where, const QVariant &bind)
{
    QSqlQuery q = execute(db, QStringLiteral(
        "SELECT r.name, r.project, r.status, r.created_at, r.finished_at, COUNT(e.id),"
        " SUM(CASE WHEN e.status = 'running' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status IN ('pending', 'queued') THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'succeeded' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'failed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'cancelled' THEN 1 ELSE 0 END)"
        " FROM runs r LEFT JOIN experiments e ON e.run_id = r.id WHERE %1"
        " GROUP BY r.id, r.name, r.project, r.status, r.created_at, r.finished_at"
        " ORDER BY r.created_at DESC").arg(where), {bind});
    QList<RunSummary> out;
    while (q.next()) {
        RunSummary r;
        r.name = q.value(0).toString();
        r.project = q.value(1).toString();
        r.status = q.value(2).toString();
        r.createdAt = fromSqlTime(q.value(3));
        r.finishedAt = fromSqlTime(q.value(4));
        r.experiments = q.value(5).toInt();
        r.running = q.value(6).toInt();
        r.queued = q.value(7).toInt();
        r.completed = q.value(8).toInt();
        r.failed = q.value(9).toInt();
        r.stopped = q.value(10).toInt();
        out.append(r);
    }
    return out;
}
} // namespace

std::optional<RunSummary> RunStore::summary(const QString &runId)
{
    const QList<RunSummary> one = summaries(m_db, QStringLiteral("r.id = ?"), runId);
    return one.isEmpty() ? std::nullopt : std::optional(one.front());
}

QList<RunSummary> RunStore::listRuns(const QString &userId)
{
    return summaries(m_db, QStringLiteral("r.user_id = ?"), userId);
}

QList<ExperimentRecord> RunStore::experimentsOfRun(const QString &runId)
{
    return all(execute(m_db, kExperimentSelect + QStringLiteral("WHERE e.run_id = ? ORDER BY e.ordinal"), {runId}));
}

std::optional<ExperimentRecord> RunStore::findExperiment(const QString &userId, const QString &name)
{
    QSqlQuery q = execute(m_db, kExperimentSelect + QStringLiteral("WHERE r.user_id = ? AND e.name = ?"), {userId, name});
    return q.next() ? std::optional(recordFrom(q)) : std::nullopt;
}

std::optional<ExperimentRecord> RunStore::experimentById(const QString &id)
{
    QSqlQuery q = execute(m_db, kExperimentSelect + QStringLiteral("WHERE e.id = ?"), {id});
    return q.next() ? std::optional(recordFrom(q)) : std::nullopt;
}

QList<ExperimentRecord> RunStore::experimentsInStatus(const QStringList &statuses)
{
    QString placeholders = QStringLiteral("?") + QStringLiteral(",?").repeated(statuses.size() - 1);
    QVariantList binds;
    for (const QString &s : statuses)
        binds.append(s);
    return all(execute(m_db, kExperimentSelect + QStringLiteral("WHERE e.status IN (%1) ORDER BY e.created_at, e.ordinal").arg(placeholders), binds));
}

void RunStore::setStatus(const QString &experimentId, const QString &status)
{
    execute(m_db, QStringLiteral("UPDATE experiments SET status = ? WHERE id = ?"), {status, experimentId});
}

void RunStore::queueRun(const QString &runId)
{
    execute(m_db, QStringLiteral("UPDATE experiments SET status = 'queued' WHERE run_id = ? AND status = 'pending'"), {runId});
}

void RunStore::markRunning(const QString &experimentId, const QList<int> &gpus)
{
    QJsonArray g;
    for (int i : gpus)
        g.append(i);
    execute(m_db, QStringLiteral("UPDATE experiments SET status = 'running', started_at = ?, gpus = ? WHERE id = ?"),
            {sqlNow(), compact(g), experimentId});
}

void RunStore::markFinished(const QString &experimentId, const QString &status, int exitCode, const QString &reason)
{
    execute(m_db, QStringLiteral("UPDATE experiments SET status = ?, exit_code = ?, reason = ?, finished_at = ? WHERE id = ?"),
            {status, exitCode < 0 ? QVariant() : QVariant(exitCode), reason, sqlNow(), experimentId});
}

QString RunStore::refreshRunStatus(const QString &runId)
{
    const auto s = summary(runId);
    if (!s)
        return {};
    QString status;
    if (s->running > 0)
        status = QStringLiteral("running");
    else if (s->queued > 0)
        status = QStringLiteral("queued");
    else if (s->failed > 0)
        status = QStringLiteral("failed");
    else if (s->stopped > 0)
        status = QStringLiteral("cancelled");
    else
        status = QStringLiteral("succeeded");
    const bool finished = s->running == 0 && s->queued == 0;
    if (status != s->status)
        execute(m_db, QStringLiteral("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?"),
                {status, finished ? QVariant(sqlNow()) : QVariant(), runId});
    return status;
}

void RunStore::deleteRun(const QString &runId)
{
    execute(m_db, QStringLiteral("DELETE FROM runs WHERE id = ?"), {runId});
}

void RunStore::deleteExperiment(const QString &experimentId)
{
    execute(m_db, QStringLiteral("DELETE FROM experiments WHERE id = ?"), {experimentId});
}

QStringList RunStore::metricKeys(const QString &experimentId)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT DISTINCT key FROM metrics WHERE experiment_id = ? ORDER BY key"), {experimentId});
    QStringList keys;
    while (q.next())
        keys.append(q.value(0).toString());
    return keys;
}

void RunStore::metricSeries(const QString &experimentId, const QString &key, std::vector<double> *steps,
                            std::vector<double> *wallTimes, std::vector<double> *values)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true); // no client-side cache of a possibly long series
    q.prepare(QStringLiteral("SELECT step, wall_time, value FROM metrics WHERE experiment_id = ? AND key = ? ORDER BY step"));
    q.addBindValue(experimentId);
    q.addBindValue(key);
    if (!q.exec())
        throwQueryError(q, "cannot read metrics");
    while (q.next()) {
        steps->push_back(q.value(0).toDouble());
        wallTimes->push_back(q.value(1).toDouble());
        values->push_back(q.value(2).toDouble());
    }
}

} // namespace og
