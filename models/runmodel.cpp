// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/runmodel.h"

#include "core/apiclient.h"
#include "models/colors.h"
#include "models/displayformat.h"

#include <QGuiApplication>
#include <QPalette>

namespace og {

RunModel::RunModel(QObject *parent)
    : NamedRowsModel(QStringLiteral("runs"), DurationColumn, [](const RunSummary &r) { return r.isActive(); }, parent)
{
}

void RunModel::afterEvent(const RunSummary &run)
{
    if (!run.isActive() && !run.finishedAt.isValid() && api()) {
        // Ended, but the event carried no end time: the stored summary has it.
        ApiReply *reply = api()->get(QStringLiteral("/runs/") + run.name);
        connect(reply, &ApiReply::finished, this, [this](const ApiResult &r) {
            if (r.ok())
                upsert(RunSummary::fromJson(r.object().value(QStringLiteral("run")).toObject()));
        });
    }
}

int RunModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunModel::data(const QModelIndex &i, int role) const
{
    if (!checkIndex(i, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunSummary &r = m_items[i.row()];
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
