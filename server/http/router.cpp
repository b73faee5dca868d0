// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/router.h"

namespace og {

namespace {
QStringList splitPath(const QString &path)
{
    return path.split(u'/', Qt::SkipEmptyParts);
}

bool isParam(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}
} // namespace

void Router::add(const QByteArray &method, const QString &pattern, Handler handler, Access access)
{
    m_routes.append({method, splitPath(pattern), std::move(handler), access, false, false, 0, {}, {}, {}, {}});
}

void Router::addBinary(const QByteArray &method, const QString &pattern, Handler handler, qint64 maxBodyBytes)
{
    m_routes.append({method, splitPath(pattern), std::move(handler), Access::Authenticated, false, true, maxBodyBytes, {}, {}, {}, {}});
}

qint64 Router::largestBody(qint64 jsonLimit) const
{
    qint64 largest = jsonLimit;
    for (const Route &r : m_routes)
        largest = qMax(largest, r.maxBodyBytes);
    return largest;
}

void Router::addWebSocket(const QString &pattern, WebSocketAcceptor acceptor, Handler precheck,
                          WebSocketStreamAcceptor streamAcceptor)
{
    m_routes.append({"GET", splitPath(pattern), std::move(precheck), Access::Authenticated, true, false, 0, std::move(acceptor),
                     std::move(streamAcceptor), {}, {}});
}

void Router::addRawUpgrade(const QString &pattern, const QByteArray &protocol, WebSocketStreamAcceptor acceptor)
{
    const QStringList segments = splitPath(pattern);
    for (Route &route : m_routes) {
        if (route.webSocket && route.segments == segments) {
            route.rawProtocol = protocol.toLower();
            route.rawAcceptor = std::move(acceptor);
            return;
        }
    }
    Q_ASSERT_X(false, "Router::addRawUpgrade", "add the WebSocket route first");
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match result;
    const QStringList segments = splitPath(path);
    for (const Route &route : m_routes) {
        if (route.segments.size() != segments.size())
            continue;
        QHash<QString, QString> params;
        bool same = true;
        for (qsizetype i = 0; i < segments.size() && same; ++i) {
            const QString &want = route.segments[i];
            if (isParam(want))
                params.insert(want.mid(1, want.size() - 2), segments[i]);
            else
                same = want == segments[i];
        }
        if (!same)
            continue;
        if (route.method != method && !(method == "HEAD" && route.method == "GET")) {
            result.status = 405;
            result.allowed += (result.allowed.isEmpty() ? "" : ", ") + route.method;
            continue;
        }
        result.route = &route;
        result.params = std::move(params);
        result.status = 200;
        return result;
    }
    return result;
}

} // namespace og
