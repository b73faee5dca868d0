// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/sessionsummary.h"
#include "models/namedrowsmodel.h"

#include <functional>

namespace og {

// A session as the panel shows it: the API's summary, and whether the platform reports its SSH
// connections at all (an older gridd sends no `ssh_connections`: blank, not "0").
struct SessionRow : SessionSummary
{
    bool reportsConnections = false;

    static SessionRow fromJson(const QJsonObject &json);
    bool isRunning() const { return status == u"running"; }
    bool operator==(const SessionRow &) const = default;
};

// Sessions, newest first, as `grid session` lists them: loaded from GET /sessions, then kept
// current from the `sessions` event topic row by row. A running session's duration (since it
// last started) ticks once a second.
class SessionModel final : public NamedRowsModel<SessionRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionModel)
public:
    enum Column { NameColumn, StatusColumn, InstanceTypeColumn, DatastoreColumn, DurationColumn, ConnectedColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, StatusRole };

    explicit SessionModel(QObject *parent = nullptr);

    // This app's own terminals on a session, for the Connected column's tooltip.
    std::function<int(const QString &session)> localConnections;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    void loadFailedWith(const QString &message) override { Q_EMIT loadFailed(message); }
};

} // namespace og
