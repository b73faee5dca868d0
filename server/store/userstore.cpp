// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/store/userstore.h"

#include "server/store/database.h"

#include <QRegularExpression>
#include <QSqlQuery>

#include <openssl/crypto.h>

namespace og {

namespace {


User userFrom(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toString(), fromSqlTime(q.value(4))};
}

ApiKey keyFrom(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), fromSqlTime(q.value(2)),
            fromSqlTime(q.value(3)), fromSqlTime(q.value(4))};
}

const QString kUserColumns = QStringLiteral("id, username, display_name, email, created_at");
const QString kKeyColumns = QStringLiteral("id, name, created_at, last_used_at, revoked_at");
} // namespace

UserStore::UserStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

std::optional<QString> UserStore::validateUsername(const QString &username)
{
    // anchoredPattern: a plain "$" would also match before a trailing newline.
    static const QRegularExpression re(QRegularExpression::anchoredPattern(QStringLiteral(R"([A-Za-z0-9][A-Za-z0-9._@+-]{0,63})")));
    if (!re.match(username).hasMatch())
        return QStringLiteral("invalid username '%1': use 1 to 64 letters, digits or . _ @ + -, "
                              "starting with a letter or digit (a GitHub name or an e-mail "
                              "address)")
            .arg(username);
    return std::nullopt;
}

std::optional<User> UserStore::createUser(const QString &username, const QString &displayName,
                                          const QString &email, QString *error)
{
    if (const auto problem = validateUsername(username)) {
        *error = *problem;
        return std::nullopt;
    }
    WriteTransaction tx(m_db);
    QSqlQuery exists = execute(m_db, QStringLiteral("SELECT 1 FROM users WHERE username = ?"), {username});
    if (exists.next()) {
        *error = QStringLiteral("a user named '%1' already exists").arg(username);
        return std::nullopt;
    }
    // QtSql binds a null QString as SQL NULL; the columns are NOT NULL ''-defaulted text.
    const User user{randomId(12), username, displayName.isEmpty() ? username : displayName,
                    email.isNull() ? QStringLiteral("") : email,
                    QDateTime::fromString(sqlNow(), Qt::ISODateWithMs).toUTC()};
    execute(m_db,
            QStringLiteral("INSERT INTO users (id, username, display_name, email, created_at) "
                           "VALUES (?, ?, ?, ?, ?)"),
            {user.id, user.username, user.displayName, user.email,
             user.createdAt.toString(Qt::ISODateWithMs)});
    tx.commit();
    return user;
}

std::optional<User> UserStore::findUserByName(const QString &username)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT %1 FROM users WHERE username = ?").arg(kUserColumns),
                          {username});
    return q.next() ? std::optional(userFrom(q)) : std::nullopt;
}

std::optional<User> UserStore::findUserById(const QString &id)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(kUserColumns), {id});
    return q.next() ? std::optional(userFrom(q)) : std::nullopt;
}

QList<User> UserStore::listUsers()
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT %1 FROM users ORDER BY username").arg(kUserColumns));
    QList<User> users;
    while (q.next())
        users.append(userFrom(q));
    return users;
}

UserStore::CreatedKey UserStore::createApiKey(const QString &userId, const QString &name)
{
    const ApiToken token = ApiToken::generate();
    const QString created = sqlNow();
    execute(m_db,
            QStringLiteral("INSERT INTO api_keys (id, user_id, name, secret_sha256, created_at) "
                           "VALUES (?, ?, ?, ?, ?)"),
            {token.id, userId, name, QString::fromLatin1(token.secretSha256Hex()), created});
    return {ApiKey{token.id, name, fromSqlTime(created), {}, {}}, token.toString()};
}

QList<ApiKey> UserStore::listApiKeys(const QString &userId)
{
    QSqlQuery q = execute(
        m_db, QStringLiteral("SELECT %1 FROM api_keys WHERE user_id = ? ORDER BY created_at, id").arg(kKeyColumns),
        {userId});
    QList<ApiKey> keys;
    while (q.next())
        keys.append(keyFrom(q));
    return keys;
}

std::optional<ApiKey> UserStore::findApiKey(const QString &userId, const QString &keyId)
{
    QSqlQuery q = execute(
        m_db, QStringLiteral("SELECT %1 FROM api_keys WHERE id = ? AND user_id = ?").arg(kKeyColumns),
        {keyId, userId});
    return q.next() ? std::optional(keyFrom(q)) : std::nullopt;
}

std::optional<ApiKey> UserStore::revokeApiKey(const QString &userId, const QString &keyId)
{
    WriteTransaction tx(m_db);
    auto key = findApiKey(userId, keyId);
    if (!key)
        return std::nullopt;
    if (!key->isRevoked()) {
        const QString when = sqlNow();
        execute(m_db, QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE id = ?"), {when, keyId});
        key->revokedAt = fromSqlTime(when);
    }
    tx.commit();
    return key;
}

std::optional<ApiKey> UserStore::revokeApiKeyById(const QString &keyId)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT user_id FROM api_keys WHERE id = ?"), {keyId});
    if (!q.next())
        return std::nullopt;
    return revokeApiKey(q.value(0).toString(), keyId);
}

std::optional<AuthenticatedUser> UserStore::authenticate(const ApiToken &token)
{
    QSqlQuery q = execute(m_db,
                          QStringLiteral("SELECT k.secret_sha256, k.revoked_at, u.id, u.username,"
                                         " u.display_name, u.email, u.created_at"
                                         " FROM api_keys k JOIN users u ON u.id = k.user_id"
                                         " WHERE k.id = ?"),
                          {token.id});
    if (!q.next())
        return std::nullopt;
    const QByteArray stored = q.value(0).toString().toLatin1();
    const QByteArray offered = token.secretSha256Hex();
    // Compare digests in constant time so response timing says nothing about the secret.
    const bool match = stored.size() == offered.size()
                       && CRYPTO_memcmp(stored.constData(), offered.constData(), stored.size()) == 0;
    if (!match || !q.value(1).isNull())
        return std::nullopt;
    const User profile{q.value(2).toString(), q.value(3).toString(), q.value(4).toString(),
                       q.value(5).toString(), fromSqlTime(q.value(6))};
    return AuthenticatedUser{profile.id, profile.username, token.id, profile};
}

void UserStore::recordKeyUse(const QString &keyId, const QDateTime &when)
{
    execute(m_db, QStringLiteral("UPDATE api_keys SET last_used_at = ? WHERE id = ?"),
            {when.toUTC().toString(Qt::ISODateWithMs), keyId});
}

} // namespace og
