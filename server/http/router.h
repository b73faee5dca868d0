// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <QList>
#include <QStringList>

#include <QHash>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

namespace og {

struct RequestContext;
struct ServerContext;
struct AuthenticatedUser;

// Takes over an upgraded WebSocket of an authenticated caller: parents what it creates to
// `owner`, which lives on the connection's thread.
using WebSocketAcceptor = std::function<void(std::unique_ptr<QWebSocket> socket, const AuthenticatedUser &user,
                                             const QHash<QString, QString> &params, const ServerContext &server,
                                             QObject *owner)>;

// Takes over a plain-TCP WebSocket of an authenticated caller right after the connection
// answered the handshake itself: `descriptor` is the connected socket (the acceptor closes
// it), `early` what the client sent after its handshake. For routes that move bulk bytes
// without Qt's WebSocket layer in the way (the SSH tunnel).
using WebSocketStreamAcceptor = std::function<void(int descriptor, const QByteArray &early, const AuthenticatedUser &user,
                                                   const QHash<QString, QString> &params, const ServerContext &server)>;

enum class Access {
    Public,        // no token needed (health)
    Authenticated, // a valid, unrevoked API key
};

using Handler = std::function<HttpResponse(const HttpRequest &, RequestContext &)>;

// Maps method + path patterns ("/api/v1/api-keys/{id}") to handlers. Path parameters are
// whole segments; an unknown path is 404 and a known path with another method 405, both as
// the API's JSON error.
class Router final
{
public:
    struct Route
    {
        QByteArray method;
        QStringList segments;
        Handler handler;
        Access access = Access::Authenticated;
        bool webSocket = false;
        bool binaryBody = false; // application/octet-stream instead of JSON
        qint64 maxBodyBytes = 0; // 0: the configured limit for JSON bodies
        WebSocketAcceptor acceptor; // WebSocket routes; `handler`, if any, vets the upgrade first
        WebSocketStreamAcceptor streamAcceptor; // optional: takes plain-TCP upgrades instead of `acceptor`
        QByteArray rawProtocol;                 // optional: `Upgrade: <this>` on plain TCP goes to…
        WebSocketStreamAcceptor rawAcceptor;    // …this, with the bare socket after the 101
    };
    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> params;
        int status = 404; // 200 when matched, else 404 or 405
        QByteArray allowed;
    };

    void add(const QByteArray &method, const QString &pattern, Handler handler,
             Access access = Access::Authenticated);
    // A route whose body is raw bytes (content objects), allowed up to `maxBodyBytes`.
    void addBinary(const QByteArray &method, const QString &pattern, Handler handler, qint64 maxBodyBytes);
    // The largest body any route accepts: what the parser must allow before routing.
    qint64 largestBody(qint64 jsonLimit) const;
    // A path upgraded to a WebSocket (GET only); the connection hands the socket over to
    // `acceptor`. `precheck`, when given, runs before the upgrade like a normal handler: an
    // answer other than 2xx is sent instead (a 404 for another user's session, say).
    // `streamAcceptor`, when given, takes the connections that are not TLS (see above).
    void addWebSocket(const QString &pattern, WebSocketAcceptor acceptor, Handler precheck = {},
                      WebSocketStreamAcceptor streamAcceptor = {});
    // Lets the WebSocket route `pattern` also take `Upgrade: <protocol>` on plain TCP: after the
    // same authentication and precheck, a 101 and then the connection is a bare byte stream,
    // handed to `acceptor` (`early` is then always empty: the client must wait for the 101).
    void addRawUpgrade(const QString &pattern, const QByteArray &protocol, WebSocketStreamAcceptor acceptor);
    Match match(const QByteArray &method, const QString &path) const;

private:
    QList<Route> m_routes;
};

} // namespace og
