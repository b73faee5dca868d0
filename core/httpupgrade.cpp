// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/httpupgrade.h"

#include <QList>
#include <QUrl>

namespace og::httpupgrade {

QByteArray requestHead(const QUrl &url, const QString &authorization,
                       const QByteArray &upgradeHeaders)
{
    // An IPv6 literal goes in brackets, as in the URL (RFC 7230 §5.4).
    const QByteArray host = url.host().contains(u':') ? '[' + url.host().toUtf8() + ']' : url.host().toUtf8();
    return "GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) + " HTTP/1.1\r\n"
           "Host: " + host + ':' + QByteArray::number(url.port(80)) + "\r\n" + upgradeHeaders
           + "Authorization: " + authorization.toLatin1() + "\r\n\r\n";
}

qsizetype bytesBeforePossibleEnd(const QByteArray &answer)
{
    if (answer.endsWith("\r\n\r"))
        return 1;
    if (answer.endsWith("\r\n"))
        return 2;
    if (answer.endsWith('\r'))
        return 3;
    return 4;
}

QByteArray headerOf(const QByteArray &head, const QByteArray &lowerName)
{
    for (const QByteArray &line : head.split('\n'))
        if (line.toLower().startsWith(lowerName + ':'))
            return line.mid(lowerName.size() + 1).trimmed();
    return {};
}

QByteArray statusLine(const QByteArray &head)
{
    return head.left(head.indexOf('\n')).trimmed();
}

bool switchedTo(const QByteArray &head, const QByteArray &protocol)
{
    return statusLine(head).startsWith("HTTP/1.1 101") &&
           headerOf(head, "upgrade").toLower() == protocol;
}

} // namespace og::httpupgrade
