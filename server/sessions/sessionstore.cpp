// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sessionstore.h"

#include "server/sessions/sshconnections.h"
#include "server/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace og {

namespace {
const QString kSelect = QStringLiteral(
    "SELECT s.id, s.user_id, s.name, s.status, s.instance_type, s.created_at, s.started_at, s.datastore_mount_dir,"
    " s.reason, s.host_key, s.ssh_user, s.datastore_version_id, s.datastore_path, s.disk_size_gb, s.gpus,"
    " d.name, v.version"
    " FROM sessions s LEFT JOIN datastore_versions v ON v.id = s.datastore_version_id"
    " LEFT JOIN datastores d ON d.id = v.datastore_id ");

SessionRecord fromRow(const QSqlQuery &q)
{
    SessionRecord r;
    r.id = q.value(0).toString();
    r.userId = q.value(1).toString();
    r.info.name = q.value(2).toString();
    r.info.status = q.value(3).toString();
    r.info.instanceType = q.value(4).toString();
    r.info.createdAt = fromSqlTime(q.value(5));
    r.info.startedAt = fromSqlTime(q.value(6));
    r.info.mountDir = q.value(7).toString();
    r.info.reason = q.value(8).toString();
    r.info.hostKey = q.value(9).toString();
    r.info.sshUser = q.value(10).toString();
    r.datastoreVersionId = q.value(11).toString();
    r.datastorePath = q.value(12).toString();
    r.diskSizeGb = q.value(13).toInt();
    r.info.diskSizeGb = r.diskSizeGb;
    for (const QJsonValue &g : QJsonDocument::fromJson(q.value(14).toByteArray()).array())
        r.gpus.append(g.toInt());
    r.info.datastore = q.value(15).toString();
    r.info.datastoreVersion = q.value(16).toInt();
    // Live, not stored: every description of a session (API answers, events) is read here.
    r.info.sshConnections = SshConnections::count(r.id);
    return r;
}

// QtSql binds a null QString as SQL NULL; these columns are NOT NULL with '' for none.
QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QList<SessionRecord> all(QSqlQuery q)
{
    QList<SessionRecord> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}
} // namespace

bool SessionStore::nameTaken(const QString &userId, const QString &name) const
{
    return execute(m_db, QStringLiteral("SELECT 1 FROM sessions WHERE user_id = ? AND name = ?"), {userId, name}).next();
}

SessionRecord SessionStore::create(const QString &id, const QString &userId, const SessionSummary &info, const QString &datastoreVersionId,
                                   const QString &datastorePath, int diskSizeGb)
{
    SessionRecord r;
    r.id = id;
    r.userId = userId;
    r.info = info;
    r.info.status = QStringLiteral("pending");
    r.info.createdAt = QDateTime::currentDateTimeUtc();
    r.datastoreVersionId = datastoreVersionId;
    r.datastorePath = datastorePath;
    r.diskSizeGb = diskSizeGb;
    r.info.diskSizeGb = diskSizeGb;
    WriteTransaction tx(m_db);
    execute(m_db, QStringLiteral("INSERT INTO sessions (id, user_id, name, status, instance_type, created_at, datastore_version_id,"
                                 " datastore_mount_dir, datastore_path, disk_size_gb, host_key, ssh_user)"
                                 " VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)"),
            {r.id, userId, info.name, info.instanceType, toSqlTime(r.info.createdAt),
             datastoreVersionId.isEmpty() ? QVariant() : QVariant(datastoreVersionId), notNull(info.mountDir),
             notNull(datastorePath), diskSizeGb, notNull(info.hostKey), notNull(info.sshUser)});
    tx.commit();
    return r;
}

std::optional<SessionRecord> SessionStore::find(const QString &userId, const QString &name) const
{
    QSqlQuery q = execute(m_db, kSelect + QStringLiteral("WHERE s.user_id = ? AND s.name = ?"), {userId, name});
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

QList<SessionRecord> SessionStore::list(const QString &userId) const
{
    return all(execute(m_db, kSelect + QStringLiteral("WHERE s.user_id = ? ORDER BY s.created_at DESC"), {userId}));
}

QList<SessionRecord> SessionStore::inStatus(const QStringList &statuses) const
{
    QStringList marks;
    QVariantList binds;
    for (const QString &s : statuses) {
        marks << QStringLiteral("?");
        binds << s;
    }
    return all(execute(m_db, kSelect + QStringLiteral("WHERE s.status IN (%1) ORDER BY s.created_at").arg(marks.join(u',')), binds));
}

bool SessionStore::transition(const QString &id, const QStringList &from, const QString &to, const QString &reason)
{
    QStringList marks;
    QVariantList binds{to, notNull(reason)};
    if (to == u"paused" || to == u"failed")
        binds << QVariant(); // no longer running: no start time, no GPUs
    for (qsizetype i = 0; i < from.size(); ++i)
        marks << QStringLiteral("?");
    WriteTransaction tx(m_db);
    const QString clearRunning = (to == u"paused" || to == u"failed") ? QStringLiteral(", started_at = ?, gpus = '[]'") : QString();
    QVariantList all = binds;
    all << id;
    for (const QString &s : from)
        all << s;
    QSqlQuery q = execute(m_db, QStringLiteral("UPDATE sessions SET status = ?, reason = ?%1 WHERE id = ? AND status IN (%2)")
                                    .arg(clearRunning, marks.join(u',')), all);
    const bool changed = q.numRowsAffected() > 0;
    tx.commit();
    return changed;
}

bool SessionStore::markRunning(const QString &id, const QList<int> &gpus)
{
    QJsonArray g;
    for (int i : gpus)
        g.append(i);
    WriteTransaction tx(m_db);
    QSqlQuery q = execute(m_db, QStringLiteral("UPDATE sessions SET status = 'running', reason = '', started_at = ?, gpus = ?"
                                               " WHERE id = ? AND status = 'pending'"),
                          {sqlNow(), QString::fromUtf8(QJsonDocument(g).toJson(QJsonDocument::Compact)), id});
    const bool changed = q.numRowsAffected() > 0;
    tx.commit();
    return changed;
}

void SessionStore::setInstanceType(const QString &id, const QString &instanceType)
{
    WriteTransaction tx(m_db);
    execute(m_db, QStringLiteral("UPDATE sessions SET instance_type = ? WHERE id = ?"), {instanceType, id});
    tx.commit();
}

void SessionStore::remove(const QString &id)
{
    WriteTransaction tx(m_db);
    execute(m_db, QStringLiteral("DELETE FROM sessions WHERE id = ?"), {id});
    tx.commit();
}

} // namespace og
