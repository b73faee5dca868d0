// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/authenticator.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMutex>

namespace og {

Q_LOGGING_CATEGORY(lcAuth, "opengrid.server.auth", QtInfoMsg)

namespace {
constexpr qint64 kLastUsedResolutionSecs = 60;

bool shouldRecordUse(const QString &keyId, const QDateTime &now)
{
    static QMutex mutex;
    static QHash<QString, QDateTime> lastRecorded;
    QMutexLocker lock(&mutex);
    auto it = lastRecorded.find(keyId);
    if (it != lastRecorded.end() && it->secsTo(now) < kLastUsedResolutionSecs)
        return false;
    lastRecorded.insert(keyId, now);
    return true;
}

HttpResponse unauthorized(const QString &message)
{
    HttpResponse r = HttpResponse::error(401, QStringLiteral("unauthorized"), message);
    r.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"opengrid\"")));
    return r;
}
} // namespace

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
    UserStore store(db);
    auto user = store.authenticate(*token);
    if (!user) {
        // The key id is public; logging it helps an admin trace misuse without leaking secrets.
        qCInfo(lcAuth) << "rejected API key" << token->id;
        return unauthorized(QStringLiteral(
            "invalid or revoked API key; run `grid login` with a current key"));
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (shouldRecordUse(user->keyId, now)) {
        try {
            store.recordKeyUse(user->keyId, now);
        } catch (const std::exception &e) {
            // Bookkeeping only: a busy database must not turn a valid request into an error.
            qCWarning(lcAuth) << "could not record key use:" << e.what();
        }
    }
    return *user;
}

} // namespace og
