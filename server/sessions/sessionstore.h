// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/sessionsummary.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace og {

// A session row with what gridd needs beyond the API's summary.
struct SessionRecord
{
    QString id;
    QString userId;
    SessionSummary info;
    QString datastoreVersionId;
    QString datastorePath; // the read-only tree, while a version is mounted
    int diskSizeGb = 0;
    QList<int> gpus;       // given while running
};

// Session statuses: pending (waiting for resources or starting) → running → pausing →
// paused → pending … ; failed when it ended on its own; deleting while it stops for good.
class SessionStore final
{
public:
    explicit SessionStore(QSqlDatabase db) : m_db(std::move(db)) {}

    bool nameTaken(const QString &userId, const QString &name) const;
    SessionRecord create(const QString &id, const QString &userId, const SessionSummary &info, const QString &datastoreVersionId,
                         const QString &datastorePath, int diskSizeGb);
    std::optional<SessionRecord> find(const QString &userId, const QString &name) const;
    QList<SessionRecord> list(const QString &userId) const;
    QList<SessionRecord> inStatus(const QStringList &statuses) const;

    // Moves the session from one of `from` to `to`; false when it was in none of them (someone
    // else changed it first). `reason` replaces the stored one.
    bool transition(const QString &id, const QStringList &from, const QString &to, const QString &reason = {});
    // pending → running with these GPUs; false when it is no longer pending.
    bool markRunning(const QString &id, const QList<int> &gpus);
    void setInstanceType(const QString &id, const QString &instanceType);
    void remove(const QString &id);

private:
    QSqlDatabase m_db;
};

} // namespace og
