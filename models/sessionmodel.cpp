// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/sessionmodel.h"

#include "models/colors.h"
#include "models/displayformat.h"

#include <QGuiApplication>
#include <QPalette>

namespace og {

SessionRow SessionRow::fromJson(const QJsonObject &json)
{
    SessionRow row;
    static_cast<SessionSummary &>(row) = SessionSummary::fromJson(json);
    row.reportsConnections = json.value(QStringLiteral("ssh_connections")).isDouble();
    return row;
}

SessionModel::SessionModel(QObject *parent)
    : NamedRowsModel(QStringLiteral("sessions"), DurationColumn, [](const SessionRow &s) { return s.isRunning(); }, parent)
{
}

int SessionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionModel::data(const QModelIndex &i, int role) const
{
    if (!checkIndex(i, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionRow &s = m_items[i.row()];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (i.column()) {
        case NameColumn: return s.name;
        case StatusColumn: return s.status;
        case InstanceTypeColumn: return s.instanceType;
        case DatastoreColumn:
            return s.datastore.isEmpty() ? QString() : QStringLiteral("%1:%2").arg(s.datastore).arg(s.datastoreVersion);
        case DurationColumn: {
            // Time in the current running period; a paused or pending session is not counting.
            const qint64 seconds = s.isRunning() ? displayformat::elapsedSeconds(s.startedAt, {}, QDateTime::currentDateTimeUtc()) : -1;
            return role == Qt::EditRole ? QVariant(seconds) : QVariant(displayformat::duration(seconds));
        }
        case ConnectedColumn:
            if (!s.reportsConnections)
                return role == Qt::EditRole ? QVariant(-1) : QVariant(QString());
            return s.sshConnections;
        }
        return {};
    }
    switch (role) {
    case Qt::ForegroundRole:
        if (i.column() == StatusColumn) {
            const QColor c = colors::forStatus(s.status, QGuiApplication::palette().color(QPalette::Base).lightness() < 128);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        return {};
    case Qt::ToolTipRole:
        if (i.column() == StatusColumn && !s.reason.isEmpty())
            return s.reason;
        if (i.column() == DatastoreColumn && !s.datastore.isEmpty())
            return tr("Version %1 of %2, read-only at %3 and ~/datastore").arg(s.datastoreVersion).arg(s.datastore, s.mountDir);
        if (i.column() == ConnectedColumn && s.reportsConnections) {
            const int mine = localConnections ? localConnections(s.name) : 0;
            return mine > 0 ? tr("Open SSH connections: %1, of them this app's terminals: %2").arg(s.sshConnections).arg(mine)
                            : tr("Open SSH connections: %1").arg(s.sshConnections);
        }
        return {};
    case NameRole: return s.name;
    case StatusRole: return s.status;
    }
    return {};
}

QVariant SessionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Session");
    case StatusColumn: return tr("Status");
    case InstanceTypeColumn: return tr("Instance type");
    case DatastoreColumn: return tr("Datastore");
    case DurationColumn: return tr("Duration");
    case ConnectedColumn: return tr("Connected");
    }
    return {};
}

} // namespace og
