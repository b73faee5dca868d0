// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrlQuery>

namespace og {

struct HttpRequest
{
    QByteArray method;                     // upper-case as sent: GET, POST, …
    QString path;                          // percent-decoded path, no query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    bool http10 = false;
    QHash<QString, QString> pathParams;    // filled by the router: "{id}" → value

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    bool wantsWebSocket() const
    {
        return header("upgrade").toLower() == "websocket";
    }
    bool keepAlive() const
    {
        const QByteArray c = header("connection").toLower();
        return http10 ? c == "keep-alive" : c != "close";
    }
};

} // namespace og
