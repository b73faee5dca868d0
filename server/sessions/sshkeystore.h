// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sshpublickey.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace og {

// A user's registered SSH public key: what sessions put in their authorized_keys.
struct SshKeyRecord
{
    QString id;
    QString name;
    QString type;
    int bits = 0;
    QString publicKey; // the normalised line
    QString fingerprint;
    QDateTime createdAt;

    QJsonObject toJson() const;
};

// ssh_keys rows, always scoped to their owner.
class SshKeyStore final
{
public:
    explicit SshKeyStore(QSqlDatabase db) : m_db(std::move(db)) {}

    QList<SshKeyRecord> list(const QString &userId) const;
    // Nothing when the name or the key itself is already registered (`conflict` says which).
    std::optional<SshKeyRecord> add(const QString &userId, const QString &name, const SshPublicKey &key, QString *conflict);
    // By id or name; returns the removed key.
    std::optional<SshKeyRecord> remove(const QString &userId, const QString &idOrName);
    // The authorized_keys content for the user's sessions.
    QString authorizedKeys(const QString &userId) const;

private:
    QSqlDatabase m_db;
};

} // namespace og
