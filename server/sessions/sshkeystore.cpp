// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sshkeystore.h"

#include "core/apitoken.h"
#include "core/domain/jsontime.h"
#include "server/store/database.h"

#include <QSqlQuery>

namespace og {

namespace {
const QString kSelect = QStringLiteral("SELECT id, name, key_type, bits, public_key, fingerprint, created_at FROM ssh_keys ");

SshKeyRecord fromRow(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toInt(),
            q.value(4).toString(), q.value(5).toString(), fromSqlTime(q.value(6))};
}
} // namespace

QJsonObject SshKeyRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("type"), type},
            {QStringLiteral("bits"), bits},
            {QStringLiteral("public_key"), publicKey},
            {QStringLiteral("fingerprint"), fingerprint},
            {QStringLiteral("created_at"), toJsonTime(createdAt)}};
}

QList<SshKeyRecord> SshKeyStore::list(const QString &userId) const
{
    QSqlQuery q = execute(m_db, kSelect + QStringLiteral("WHERE user_id = ? ORDER BY created_at, name"), {userId});
    QList<SshKeyRecord> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}

std::optional<SshKeyRecord> SshKeyStore::add(const QString &userId, const QString &name, const SshPublicKey &key, QString *conflict)
{
    WriteTransaction tx(m_db);
    QSqlQuery same = execute(m_db, QStringLiteral("SELECT name, fingerprint FROM ssh_keys WHERE user_id = ? AND (name = ? OR fingerprint = ?)"),
                             {userId, name, key.fingerprint()});
    if (same.next()) {
        *conflict = same.value(0).toString() == name
                        ? QStringLiteral("an SSH key named '%1' already exists; remove it first (grid ssh-keys rm %1) or pick another name").arg(name)
                        : QStringLiteral("this key (%1) is already registered as '%2'").arg(key.fingerprint(), same.value(0).toString());
        return std::nullopt;
    }
    const SshKeyRecord record{randomId(16), name, key.type, key.bits, key.toLine(), key.fingerprint(),
                              QDateTime::currentDateTimeUtc()};
    execute(m_db, QStringLiteral("INSERT INTO ssh_keys (id, user_id, name, key_type, bits, public_key, fingerprint, created_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            {record.id, userId, record.name, record.type, record.bits, record.publicKey, record.fingerprint,
             toSqlTime(record.createdAt)});
    tx.commit();
    return record;
}

std::optional<SshKeyRecord> SshKeyStore::remove(const QString &userId, const QString &idOrName)
{
    WriteTransaction tx(m_db);
    QSqlQuery q = execute(m_db, kSelect + QStringLiteral("WHERE user_id = ? AND (id = ? OR name = ?)"), {userId, idOrName, idOrName});
    if (!q.next())
        return std::nullopt;
    const SshKeyRecord record = fromRow(q);
    execute(m_db, QStringLiteral("DELETE FROM ssh_keys WHERE id = ?"), {record.id});
    tx.commit();
    return record;
}

QString SshKeyStore::authorizedKeys(const QString &userId) const
{
    QString out;
    for (const SshKeyRecord &k : list(userId))
        out += k.publicKey + u'\n';
    return out;
}

} // namespace og
