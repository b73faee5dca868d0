// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httpparser.h"
#include "server/http/httpresponse.h"
#include "server/http/router.h"
#include "server/store/userstore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace og {

struct ServerContext;

// One client connection on an HTTP worker thread: reads requests (keep-alive, pipelining),
// authenticates, runs the route's handler and writes the answer. A request for a WebSocket
// route is authenticated here, then the untouched socket is handed to the worker's
// QWebSocketServer through webSocketUpgrade().
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)
public:
    HttpConnection(QTcpSocket *socket, const ServerContext &server, const Router &router,
                   QObject *parent);
    ~HttpConnection() override;

    // Writes what is pending and closes; used by graceful shutdown.
    void closeGracefully();

    static constexpr int kIdleTimeoutMs = 120000;

Q_SIGNALS:
    void webSocketUpgrade(QTcpSocket *socket);

private:
    void onReadyRead();
    void handleHead();
    // For a route with a stream acceptor, on plain TCP: answers the WebSocket handshake
    // and hands the socket itself over. False (nothing done) when Qt's path must take it.
    bool handOverStream(const HttpRequest &head, const Router::Match &match, const AuthenticatedUser &user);
    // The route's raw upgrade (Router::addRawUpgrade): the 101, then the socket itself to its
    // raw acceptor; over TLS a 426 pointing at the WebSocket.
    void handOverRaw(const HttpRequest &head, const Router::Match &match, const AuthenticatedUser &user);
    // Sends `answer` (a 101) and gives up the connection: the returned descriptor (a dup) is
    // the caller's, `early` what the client had sent past its request's head. -1 when the
    // connection failed meanwhile (then it is answered or closed).
    int detachSocket(const QByteArray &answer, QByteArray *early);
    // Calls `acceptor` with the detached socket and ends this object.
    void giveSocket(const WebSocketStreamAcceptor &acceptor, int fd, const QByteArray &early, const HttpRequest &head,
                    const Router::Match &match, const AuthenticatedUser &user);
    void respond(const HttpResponse &response, bool keepAlive);
    HttpResponse dispatch(HttpRequest &request);
    void onTick();

    QPointer<QTcpSocket> m_socket;
    const ServerContext &m_server;
    const Router &m_router;
    HttpParser m_parser;
    QByteArray m_buffer;
    QTimer m_ticker;            // once a second: checks the timeouts below
    QElapsedTimer m_sinceActivity; // restarted per read; cheaper than re-arming a timer per request
    QElapsedTimer m_requestClock;
    bool m_closing = false;
    bool m_inTransaction = false;
};

} // namespace og
