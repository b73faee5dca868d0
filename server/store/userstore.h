// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/apitoken.h"
#include "core/domain/apikey.h"
#include "core/domain/user.h"

#include <QSqlDatabase>

#include <optional>

namespace og {

// The caller of a request, once its token checked out.
struct AuthenticatedUser
{
    QString userId;
    QString username;
    QString keyId;
    User profile; // the users row, read in the same query as the key

    bool isValid() const { return !userId.isEmpty(); }
};

// Users and their API keys. Every key operation takes the owner's user id: a key of another
// user is indistinguishable from a missing one.
class UserStore final
{
public:
    explicit UserStore(QSqlDatabase db);

    // Usernames are Grid usernames: GitHub names or e-mail addresses.
    static std::optional<QString> validateUsername(const QString &username);

    // Nothing (and `error` set) when the name is taken or invalid.
    std::optional<User> createUser(const QString &username, const QString &displayName,
                                   const QString &email, QString *error);
    std::optional<User> findUserByName(const QString &username);
    std::optional<User> findUserById(const QString &id);
    QList<User> listUsers();

    struct CreatedKey
    {
        ApiKey key;
        QString token; // shown once; only its hash is stored
    };
    CreatedKey createApiKey(const QString &userId, const QString &name);
    QList<ApiKey> listApiKeys(const QString &userId);
    std::optional<ApiKey> findApiKey(const QString &userId, const QString &keyId);
    // Revokes the key if it belongs to `userId`; returns the revoked key, nothing if not found.
    std::optional<ApiKey> revokeApiKey(const QString &userId, const QString &keyId);
    // Admin path (gridd key revoke): by id alone.
    std::optional<ApiKey> revokeApiKeyById(const QString &keyId);

    // Constant-time check of the secret; nothing for unknown, wrong or revoked tokens.
    std::optional<AuthenticatedUser> authenticate(const ApiToken &token);
    void recordKeyUse(const QString &keyId, const QDateTime &when);

private:
    QSqlDatabase m_db;
};

} // namespace og
