// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/experimentmodel.h"

#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "models/colors.h"
#include "models/displayformat.h"
#include "models/metricstore.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QPalette>
#include <QSet>

namespace og {

ExperimentModel::ExperimentModel(ApiClient *api, EventsClient *events, MetricStore *metrics, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
    , m_metrics(metrics)
{
    connect(events, &EventsClient::eventReceived, this, &ExperimentModel::onEvent);
    events->subscribe(QStringLiteral("experiments"));
    connect(m_metrics, &MetricStore::keysChanged, this, &ExperimentModel::onKeysChanged);
    connect(m_metrics, &MetricStore::seriesChanged, this, &ExperimentModel::onSeriesChanged);
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &ExperimentModel::tick);
    m_ticker.start();
}

ExperimentModel::~ExperimentModel()
{
    unwatchAll();
}

void ExperimentModel::unwatchAll()
{
    if (!m_metrics)
        return;
    for (const Experiment &e : std::as_const(m_experiments))
        m_metrics->unwatch(e.name);
}

void ExperimentModel::setRun(const QString &run)
{
    if (run == m_run)
        return;
    beginResetModel();
    unwatchAll();
    m_run = run;
    m_swept.clear();
    m_metricKeys.clear();
    m_experiments.clear();
    endResetModel();
    reload();
}

void ExperimentModel::reload()
{
    if (m_run.isEmpty())
        return;
    const quint64 generation = ++m_loadGeneration;
    const QString run = m_run;
    ApiReply *reply = m_api->get(QStringLiteral("/runs/") + run);
    connect(reply, &ApiReply::finished, this, [this, generation, run](const ApiResult &r) {
        if (generation != m_loadGeneration || run != m_run)
            return;
        if (!r.ok()) {
            Q_EMIT loadFailed(r.message);
            return;
        }
        const QJsonObject o = r.object();
        QStringList swept;
        for (const QJsonValue &s : o.value(QStringLiteral("swept")).toArray())
            swept.append(s.toString());
        if (swept != m_swept) {
            // The hyperparameter columns are fixed for a run; they change only on first load.
            beginResetModel();
            unwatchAll();
            m_experiments.clear();
            m_swept = swept;
            endResetModel();
        }
        QSet<QString> present;
        for (const QJsonValue &v : o.value(QStringLiteral("experiments")).toArray()) {
            const Experiment e = Experiment::fromJson(v.toObject());
            present.insert(e.name);
            upsert(e);
        }
        for (int row = int(m_experiments.size()) - 1; row >= 0; --row)
            if (!present.contains(m_experiments[row].name))
                remove(m_experiments[row].name);
        Q_EMIT loaded();
    });
}

void ExperimentModel::onEvent(const QJsonObject &event)
{
    if (event.value(QStringLiteral("topic")).toString() != u"experiments")
        return;
    const Experiment e = Experiment::fromJson(event.value(QStringLiteral("object")).toObject());
    if (e.runName != m_run || m_run.isEmpty())
        return;
    if (event.value(QStringLiteral("action")).toString() == u"deleted") {
        remove(e.name);
        return;
    }
    upsert(e);
    if (!e.isActive() && !e.finishedAt.isValid()) {
        // An ended experiment whose event came without its end time: ask for the stored record,
        // so the duration stops counting.
        ApiReply *reply = m_api->get(QStringLiteral("/experiments/") + e.name);
        connect(reply, &ApiReply::finished, this, [this, run = m_run](const ApiResult &r) {
            const Experiment stored = Experiment::fromJson(r.object().value(QStringLiteral("experiment")).toObject());
            if (r.ok() && run == m_run && stored.runName == m_run)
                upsert(stored);
        });
    }
}

int ExperimentModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_experiments.size(); ++i)
        if (m_experiments[i].name == name)
            return i;
    return -1;
}

void ExperimentModel::upsert(const Experiment &e)
{
    const int row = rowOf(e.name);
    if (row >= 0) {
        if (m_experiments[row] == e)
            return;
        m_experiments[row] = e;
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
        return;
    }
    int pos = 0;
    while (pos < m_experiments.size() && m_experiments[pos].index < e.index)
        ++pos;
    beginInsertRows({}, pos, pos);
    m_experiments.insert(pos, e);
    endInsertRows();
    m_metrics->watch(e.name);
    onKeysChanged(e.name); // keys already known when another view watched it first
}

void ExperimentModel::remove(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_experiments.removeAt(row);
    endRemoveRows();
    if (m_metrics)
        m_metrics->unwatch(name);
}

void ExperimentModel::onKeysChanged(const QString &experiment)
{
    if (rowOf(experiment) < 0)
        return;
    for (const QString &key : m_metrics->keys(experiment)) {
        if (m_metricKeys.contains(key))
            continue;
        const int column = columnCount();
        beginInsertColumns({}, column, column);
        m_metricKeys.append(key);
        endInsertColumns();
    }
}

void ExperimentModel::onSeriesChanged(const QString &experiment, const QString &key)
{
    const int row = rowOf(experiment);
    const int k = int(m_metricKeys.indexOf(key));
    if (row < 0 || k < 0)
        return;
    const QModelIndex cell = index(row, metricColumn(k));
    Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole, Qt::EditRole});
}

void ExperimentModel::tick()
{
    int first = -1, last = -1;
    for (int i = 0; i < m_experiments.size(); ++i)
        if (m_experiments[i].status == u"running") {
            if (first < 0)
                first = i;
            last = i;
        }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, 2), index(last, 2), {Qt::DisplayRole});
}

int ExperimentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_experiments.size());
}

int ExperimentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kFixedColumns + int(m_swept.size() + m_metricKeys.size());
}

QVariant ExperimentModel::data(const QModelIndex &i, int role) const
{
    if (!checkIndex(i, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Experiment &e = m_experiments[i.row()];
    const int c = i.column();
    switch (role) {
    case NameRole: return e.name;
    case StatusRole: return e.status;
    case ActiveRole: return e.isActive();
    case IndexRole: return e.index;
    case Qt::DecorationRole:
        return c == 0 ? QVariant(colors::forExperiment(e.index)) : QVariant();
    case Qt::ForegroundRole:
        if (c == 1) {
            const QColor color = colors::forStatus(e.status, QGuiApplication::palette().color(QPalette::Base).lightness() < 128);
            return color.isValid() ? QVariant(color) : QVariant();
        }
        return {};
    case Qt::ToolTipRole:
        if (c == 1 && !e.reason.isEmpty())
            return e.reason;
        if (c == 0)
            return e.command;
        return {};
    case Qt::TextAlignmentRole:
        if (c >= metricColumn(0))
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    if (c == 0)
        return e.name;
    if (c == 1)
        return e.status;
    if (c == 2) {
        const qint64 s = displayformat::elapsedSeconds(e.startedAt, e.finishedAt, QDateTime::currentDateTimeUtc());
        return role == Qt::EditRole ? QVariant(s) : QVariant(displayformat::duration(s));
    }
    if (c < metricColumn(0)) {
        const QString flag = m_swept.value(c - kFixedColumns);
        for (const auto &[k, v] : e.params)
            if (k == flag) {
                bool numeric = false;
                const double d = v.toDouble(&numeric);
                return role == Qt::EditRole && numeric ? QVariant(d) : QVariant(v);
            }
        return {};
    }
    if (!m_metrics)
        return {};
    const auto latest = m_metrics->latest(e.name, m_metricKeys.value(c - metricColumn(0)));
    if (!latest)
        return {};
    return role == Qt::EditRole ? QVariant(*latest) : QVariant(displayformat::number(*latest));
}

QVariant ExperimentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    if (section == 0)
        return tr("Experiment");
    if (section == 1)
        return tr("Status");
    if (section == 2)
        return tr("Duration");
    if (section < metricColumn(0))
        return m_swept.value(section - kFixedColumns);
    return m_metricKeys.value(section - metricColumn(0));
}

} // namespace og
