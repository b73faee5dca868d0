// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace og {

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = "application/json";

    static HttpResponse json(int status, const QJsonValue &value);
    // The one error shape of the API: {"error": {"code": "...", "message": "..."}}.
    static HttpResponse error(int status, const QString &code, const QString &message);

    QByteArray serialize(bool keepAlive) const;
    static QByteArray reasonPhrase(int status);
};

} // namespace og
