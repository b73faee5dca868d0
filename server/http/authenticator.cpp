// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/authenticator.h"

#include <QHash>
#include <QLoggingCategory>

#include <openssl/crypto.h>

#include <atomic>
#include <chrono>

namespace og {

Q_LOGGING_CATEGORY(lcAuth, "opengrid.server.auth", QtInfoMsg)

namespace {
struct CachedKey
{
    QByteArray secretSha256Hex;
    AuthenticatedUser user;
    qint64 verifiedAtMs = 0;
    qint64 useRecordedAtMs = -1;
};

struct ThreadCache
{
    quint64 generation = 0;
    QHash<QString, CachedKey> keys;
};

std::atomic<quint64> g_generation{1};
thread_local ThreadCache t_cache;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

HttpResponse unauthorized(const QString &message)
{
    HttpResponse r = HttpResponse::error(401, QStringLiteral("unauthorized"), message);
    r.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"opengrid\"")));
    return r;
}

HttpResponse rejected()
{
    return unauthorized(QStringLiteral("invalid or revoked API key; run `grid login` with a current key"));
}

void recordUse(CachedKey &entry, const QSqlDatabase &db, qint64 now)
{
    if (entry.useRecordedAtMs >= 0 && now - entry.useRecordedAtMs < Authenticator::kLastUsedResolutionMs)
        return;
    entry.useRecordedAtMs = now;
    try {
        UserStore(db).recordKeyUse(entry.user.keyId, QDateTime::currentDateTimeUtc());
    } catch (const std::exception &e) {
        // Bookkeeping only: a busy database must not turn a valid request into an error.
        qCWarning(lcAuth) << "could not record key use:" << e.what();
    }
}
} // namespace

void Authenticator::invalidateCache()
{
    g_generation.fetch_add(1);
}

std::variant<AuthenticatedUser, HttpResponse> Authenticator::authenticate(const QByteArray &header,
                                                                          const QSqlDatabase &db)
{
    if (header.isEmpty())
        return unauthorized(QStringLiteral(
            "no API key: send 'Authorization: Bearer grid_<id>_<secret>' (run `grid login` to "
            "store your key)"));
    if (!header.startsWith("Bearer "))
        return unauthorized(QStringLiteral("the Authorization header must be 'Bearer <API key>'"));
    const auto token = ApiToken::parse(QString::fromLatin1(header.mid(7)));
    if (!token)
        return unauthorized(QStringLiteral(
            "malformed API key: expected grid_<12 characters>_<64 hex digits>"));

    const quint64 generation = g_generation.load();
    if (t_cache.generation != generation) {
        t_cache.keys.clear();
        t_cache.generation = generation;
    }
    const qint64 now = nowMs();
    auto cached = t_cache.keys.find(token->id);
    if (cached != t_cache.keys.end() && now - cached->verifiedAtMs < kRevalidateAfterMs) {
        const QByteArray offered = token->secretSha256Hex();
        if (offered.size() == cached->secretSha256Hex.size()
            && CRYPTO_memcmp(offered.constData(), cached->secretSha256Hex.constData(), offered.size()) == 0) {
            recordUse(*cached, db, now);
            return cached->user;
        }
        return rejected();
    }

    auto user = UserStore(db).authenticate(*token);
    if (!user) {
        t_cache.keys.remove(token->id);
        // The key id is public; logging it helps an admin trace misuse without leaking secrets.
        qCInfo(lcAuth) << "rejected API key" << token->id;
        return rejected();
    }
    CachedKey &entry = t_cache.keys[token->id];
    entry.secretSha256Hex = token->secretSha256Hex();
    entry.user = *user;
    entry.verifiedAtMs = now;
    recordUse(entry, db, now);
    return *user;
}

} // namespace og
