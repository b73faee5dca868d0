// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/runmodel.h"

#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "models/colors.h"
#include "models/displayformat.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QPalette>
#include <QSet>

namespace og {

RunModel::RunModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &RunModel::tick);
    m_ticker.start();
}

void RunModel::attach(ApiClient *api, EventsClient *events)
{
    m_api = api;
    connect(events, &EventsClient::eventReceived, this, &RunModel::onEvent);
    events->subscribe(QStringLiteral("runs"));
}

void RunModel::reload()
{
    if (!m_api)
        return;
    const quint64 generation = ++m_loadGeneration;
    ApiReply *reply = m_api->get(QStringLiteral("/runs"));
    connect(reply, &ApiReply::finished, this, [this, generation](const ApiResult &r) {
        if (generation != m_loadGeneration)
            return;
        if (!r.ok()) {
            Q_EMIT loadFailed(r.message);
            return;
        }
        QList<RunSummary> runs;
        for (const QJsonValue &v : r.object().value(QStringLiteral("runs")).toArray())
            runs.append(RunSummary::fromJson(v.toObject()));
        mergeAll(runs);
    });
}

void RunModel::onEvent(const QJsonObject &event)
{
    if (event.value(QStringLiteral("topic")).toString() != u"runs")
        return;
    const RunSummary run = RunSummary::fromJson(event.value(QStringLiteral("object")).toObject());
    if (event.value(QStringLiteral("action")).toString() == u"deleted") {
        remove(run.name);
        return;
    }
    upsert(run);
    if (!run.isActive() && !run.finishedAt.isValid() && m_api) {
        // Ended, but the event carried no end time: the stored summary has it.
        ApiReply *reply = m_api->get(QStringLiteral("/runs/") + run.name);
        connect(reply, &ApiReply::finished, this, [this](const ApiResult &r) {
            if (r.ok())
                upsert(RunSummary::fromJson(r.object().value(QStringLiteral("run")).toObject()));
        });
    }
}

int RunModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].name == name)
            return i;
    return -1;
}

std::optional<RunSummary> RunModel::runAt(int row) const
{
    if (row < 0 || row >= m_runs.size())
        return std::nullopt;
    return m_runs[row];
}

int RunModel::insertPosition(const RunSummary &run) const
{
    // Newest first; equal times keep arrival order.
    int pos = 0;
    while (pos < m_runs.size() && m_runs[pos].createdAt >= run.createdAt)
        ++pos;
    return pos;
}

void RunModel::upsert(const RunSummary &run)
{
    if (run.name.isEmpty())
        return;
    const int row = rowOf(run.name);
    if (row >= 0) {
        if (m_runs[row] == run)
            return;
        m_runs[row] = run;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int pos = insertPosition(run);
    beginInsertRows({}, pos, pos);
    m_runs.insert(pos, run);
    endInsertRows();
}

void RunModel::remove(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_runs.removeAt(row);
    endRemoveRows();
}

void RunModel::mergeAll(const QList<RunSummary> &runs)
{
    QSet<QString> present;
    for (const RunSummary &r : runs)
        present.insert(r.name);
    for (int row = int(m_runs.size()) - 1; row >= 0; --row)
        if (!present.contains(m_runs[row].name))
            remove(m_runs[row].name);
    for (const RunSummary &r : runs)
        upsert(r);
}

void RunModel::tick()
{
    // One range over the duration column, from the first to the last active run.
    int first = -1, last = -1;
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].isActive()) {
            if (first < 0)
                first = i;
            last = i;
        }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, DurationColumn), index(last, DurationColumn), {Qt::DisplayRole});
}

int RunModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunModel::data(const QModelIndex &i, int role) const
{
    if (!checkIndex(i, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunSummary &r = m_runs[i.row()];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (i.column()) {
        case NameColumn: return r.name;
        case StatusColumn: return r.status;
        case ExperimentsColumn: return r.experiments;
        case RunningColumn: return r.running;
        case QueuedColumn: return r.queued;
        case CompletedColumn: return r.completed;
        case FailedColumn: return r.failed;
        case StoppedColumn: return r.stopped;
        case DurationColumn: {
            const qint64 s = displayformat::elapsedSeconds(r.createdAt, r.finishedAt, QDateTime::currentDateTimeUtc());
            return role == Qt::EditRole ? QVariant(s) : QVariant(displayformat::duration(s));
        }
        case CreatedColumn:
            return role == Qt::EditRole ? QVariant(r.createdAt) : QVariant(displayformat::timestamp(r.createdAt));
        }
        return {};
    }
    switch (role) {
    case Qt::ForegroundRole:
        if (i.column() == StatusColumn) {
            const QColor c = colors::forStatus(r.status, QGuiApplication::palette().color(QPalette::Base).lightness() < 128);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (i.column() >= ExperimentsColumn && i.column() <= StoppedColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NameRole: return r.name;
    case StatusRole: return r.status;
    case ActiveRole: return r.isActive();
    }
    return {};
}

QVariant RunModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Run");
    case StatusColumn: return tr("Status");
    case ExperimentsColumn: return tr("Experiments");
    case RunningColumn: return tr("Running");
    case QueuedColumn: return tr("Queued");
    case CompletedColumn: return tr("Completed");
    case FailedColumn: return tr("Failed");
    case StoppedColumn: return tr("Stopped");
    case DurationColumn: return tr("Duration");
    case CreatedColumn: return tr("Created");
    }
    return {};
}

} // namespace og
