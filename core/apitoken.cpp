// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/apitoken.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace og {

namespace {
const QLatin1StringView kPrefix("grid_");

bool allOf(QStringView s, bool (*pred)(QChar))
{
    for (QChar c : s)
        if (!pred(c))
            return false;
    return true;
}
bool isIdChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}
bool isHexChar(QChar c)
{
    return (c >= u'a' && c <= u'f') || (c >= u'0' && c <= u'9');
}
} // namespace

std::optional<ApiToken> ApiToken::parse(const QString &token)
{
    const QString t = token.trimmed();
    if (!t.startsWith(kPrefix))
        return std::nullopt;
    const QStringView rest = QStringView(t).mid(kPrefix.size());
    const qsizetype sep = rest.indexOf(u'_');
    if (sep != kApiKeyIdLength || rest.size() != kApiKeyIdLength + 1 + kApiKeySecretLength)
        return std::nullopt;
    const QStringView id = rest.left(sep);
    const QStringView secret = rest.mid(sep + 1);
    if (!allOf(id, isIdChar) || !allOf(secret, isHexChar))
        return std::nullopt;
    return ApiToken{id.toString(), secret.toLatin1()};
}

QString randomId(int length)
{
    // QRandomGenerator::system() reads the kernel CSPRNG; the global generator is not for secrets.
    static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    for (int i = 0; i < length; ++i)
        id.append(QChar::fromLatin1(kAlphabet[QRandomGenerator::system()->bounded(36)]));
    return id;
}

ApiToken ApiToken::generate()
{
    auto *rng = QRandomGenerator::system();
    ApiToken token;
    token.id = randomId(kApiKeyIdLength);
    QByteArray raw(kApiKeySecretLength / 2, Qt::Uninitialized);
    rng->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    token.secret = raw.toHex();
    return token;
}

QString ApiToken::toString() const
{
    return kPrefix + id + u'_' + QString::fromLatin1(secret);
}

QByteArray ApiToken::secretSha256Hex() const
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
}

} // namespace og
