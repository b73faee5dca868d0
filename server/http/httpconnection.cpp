// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpconnection.h"

#include "server/http/authenticator.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/store/database.h"

#include "core/websocketpump.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTcpSocket>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace og {

Q_LOGGING_CATEGORY(lcHttp, "opengrid.server.http", QtWarningMsg)

HttpConnection::HttpConnection(QTcpSocket *socket, const ServerContext &server,
                               const Router &router, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_server(server)
    , m_router(router)
    , m_parser(server.config.maxHeaderBytes, router.largestBody(server.config.maxBodyBytes))
{
    socket->setParent(this);
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &HttpConnection::onTick);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    m_sinceActivity.start();
    m_ticker.start();
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onTick()
{
    if (!m_socket || m_closing)
        return;
    // A half-sent request gets the request timeout; an idle keep-alive connection longer.
    const bool idle = m_buffer.isEmpty() && !m_parser.headersParsed();
    const qint64 limitMs = idle ? kIdleTimeoutMs : m_server.config.requestTimeoutSeconds * 1000;
    if (m_sinceActivity.elapsed() < limitMs)
        return;
    if (idle) {
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    respond(HttpResponse::error(408, QStringLiteral("request_timeout"),
                                QStringLiteral("the request was not completed within %1 seconds")
                                    .arg(m_server.config.requestTimeoutSeconds)),
            false);
}

void HttpConnection::onReadyRead()
{
    while (m_socket && !m_closing) {
        // Read the head of each request inside a transaction so that, for a WebSocket
        // upgrade, the socket can be rolled back and handed over with the handshake unread.
        if (m_buffer.isEmpty() && !m_parser.headersParsed() && !m_inTransaction) {
            m_socket->startTransaction();
            m_inTransaction = true;
            m_requestClock.start();
        }
        // Straight into the buffer (reserved for the whole body once the head is read): a
        // content upload's 32 MiB body is then copied once here, not three times.
        if (const qint64 available = m_socket->bytesAvailable(); available > 0) {
            const qsizetype had = m_buffer.size();
            m_buffer.resize(had + available);
            m_buffer.resize(had + qMax<qint64>(0, m_socket->read(m_buffer.data() + had, available)));
            // Acknowledge at once rather than after the kernel's delayed-ACK wait (40 ms):
            // a client that writes a request in pieces without TCP_NODELAY (Qt's HTTP client
            // does: head, then body, then 16 KiB at a time) holds its last small piece back
            // until the previous one is acknowledged, so every POST with a body waited that
            // long — most of the hourly datastore re-upload. Linux clears the flag again as it
            // pleases, hence after every read.
            if (const qintptr fd = m_socket->socketDescriptor(); fd >= 0) {
                const int one = 1;
                ::setsockopt(int(fd), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
            }
        }
        m_sinceActivity.restart();
        const HttpParser::State state = m_parser.feed(m_buffer);
        if (state == HttpParser::State::NeedMore)
            return;
        if (state == HttpParser::State::Error) {
            respond(HttpResponse::error(m_parser.errorStatus(), QStringLiteral("bad_request"),
                                        m_parser.errorMessage()),
                    false);
            return;
        }
        if (state == HttpParser::State::HeadersDone) {
            handleHead();
            if (!m_closing && m_socket && m_parser.contentLength() > m_buffer.size())
                m_buffer.reserve(m_parser.contentLength());
            continue;
        }
        HttpRequest request = m_parser.takeRequest();
        const HttpResponse response = dispatch(request);
        qCDebug(lcHttp).noquote() << request.method << request.path << response.status
                                  << m_requestClock.elapsed() << "ms";
        respond(response, request.keepAlive());
        if (m_buffer.isEmpty())
            return;
        m_requestClock.start();
    }
}

void HttpConnection::handleHead()
{
    const HttpRequest &head = m_parser.current();
    const QByteArray upgrade = head.header("upgrade").trimmed().toLower();
    if (!upgrade.isEmpty()) {
        const Router::Match match = m_router.match(head.method, head.path);
        const bool raw = match.route && !match.route->rawProtocol.isEmpty() && upgrade == match.route->rawProtocol;
        if (match.route && match.route->webSocket && m_inTransaction && (raw || head.wantsWebSocket())) {
            const auto auth = Authenticator::authenticate(head.header("authorization"),
                                                          m_server.database->connection());
            if (const auto *failure = std::get_if<HttpResponse>(&auth)) {
                m_socket->commitTransaction();
                m_inTransaction = false;
                respond(*failure, false);
                return;
            }
            if (match.route->handler) {
                // The route vets the upgrade like any request (does the session exist, is
                // it the caller's, is it running) so that a refusal is a plain HTTP answer.
                HttpRequest request = head;
                request.pathParams = match.params;
                RequestContext context{m_server, std::get<AuthenticatedUser>(auth), m_server.database->connection()};
                HttpResponse verdict;
                try {
                    verdict = match.route->handler(request, context);
                } catch (const std::exception &e) {
                    qCCritical(lcHttp).noquote() << head.method << head.path << "failed:" << e.what();
                    verdict = HttpResponse::error(500, QStringLiteral("internal_error"),
                                                  QStringLiteral("the platform could not complete the request; the reason is in gridd's log."));
                }
                if (verdict.status < 200 || verdict.status >= 300) {
                    m_socket->commitTransaction();
                    m_inTransaction = false;
                    respond(verdict, false);
                    return;
                }
            }
            if (raw) {
                handOverRaw(head, match, std::get<AuthenticatedUser>(auth));
                return;
            }
            if (match.route->streamAcceptor && !qobject_cast<QSslSocket *>(m_socket.data())
                && handOverStream(head, match, std::get<AuthenticatedUser>(auth)))
                return;
            m_socket->rollbackTransaction();
            m_inTransaction = false;
            m_ticker.stop();
            m_closing = true;
            QTcpSocket *socket = m_socket;
            socket->disconnect(this);
            socket->setParent(nullptr);
            m_socket = nullptr;
            Q_EMIT webSocketUpgrade(socket);
            deleteLater();
            return;
        }
    }
    if (m_inTransaction) {
        m_socket->commitTransaction();
        m_inTransaction = false;
    }
    // Each route has its own body limit; refuse before buffering a byte of an oversize body.
    const Router::Match match = m_router.match(head.method, head.path);
    const qint64 limit = match.route && match.route->maxBodyBytes > 0 ? match.route->maxBodyBytes
                                                                       : m_server.config.maxBodyBytes;
    if (m_parser.contentLength() > limit)
        respond(HttpResponse::error(413, QStringLiteral("bad_request"),
                                    QStringLiteral("request body of %1 bytes exceeds the limit of %2 bytes")
                                        .arg(m_parser.contentLength())
                                        .arg(limit)),
                false);
}

bool HttpConnection::handOverStream(const HttpRequest &head, const Router::Match &match, const AuthenticatedUser &user)
{
    // An answer to an earlier request on this connection still queued: Qt's WebSocket path
    // writes after it.
    m_socket->flush();
    if (m_socket->bytesToWrite() > 0)
        return false;
    m_socket->commitTransaction();
    m_inTransaction = false;
    const QByteArray key = head.header("sec-websocket-key").trimmed();
    if (head.header("sec-websocket-version").trimmed() != "13" || key.isEmpty()
        || !head.header("connection").toLower().contains("upgrade")) {
        respond(HttpResponse::error(400, QStringLiteral("bad_request"),
                                    QStringLiteral("a WebSocket handshake needs 'Connection: Upgrade', a Sec-WebSocket-Key and "
                                                   "'Sec-WebSocket-Version: 13' (RFC 6455)")),
                false);
        return true;
    }
    QByteArray early;
    const int fd = detachSocket("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: " + websocket::acceptKey(key) + "\r\n\r\n",
                                &early);
    if (fd >= 0) {
        // Each SSH keystroke is one small message: send it now, not after the last one's ACK.
        // (A raw upgrade leaves this to sshd, which sets it for interactive sessions.)
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        giveSocket(match.route->streamAcceptor, fd, early, head, match, user);
    }
    return true;
}

void HttpConnection::handOverRaw(const HttpRequest &head, const Router::Match &match, const AuthenticatedUser &user)
{
    m_socket->commitTransaction();
    m_inTransaction = false;
    const QByteArray protocol = match.route->rawProtocol;
    if (qobject_cast<QSslSocket *>(m_socket.data())) { // gridd must stay in the path to decrypt
        HttpResponse refusal = HttpResponse::error(
            426, QStringLiteral("upgrade_required"),
            QStringLiteral("the '%1' upgrade is only offered over plain HTTP; over TLS use the WebSocket (Upgrade: websocket)")
                .arg(QString::fromLatin1(protocol)));
        refusal.headers.append(qMakePair(QByteArray("Upgrade"), QByteArray("websocket")));
        respond(refusal, false);
        return;
    }
    m_socket->flush();
    if (m_socket->bytesToWrite() > 0 || !m_buffer.isEmpty() || m_socket->bytesAvailable() > 0) {
        // Bytes on either side of the 101 would belong to no one: the socket goes to a
        // process that never saw them.
        respond(HttpResponse::error(400, QStringLiteral("bad_request"),
                                    QStringLiteral("send the '%1' upgrade on its own and wait for its 101 before sending more")
                                        .arg(QString::fromLatin1(protocol))),
                false);
        return;
    }
    QByteArray early;
    const int fd = detachSocket("HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + protocol + "\r\nConnection: Upgrade\r\n\r\n", &early);
    if (fd < 0)
        return;
    if (!early.isEmpty()) { // arrived in the meantime, against the protocol
        qCWarning(lcHttp).noquote() << head.path << ": the client sent bytes before the 101 of its upgrade; closed";
        ::close(fd);
        deleteLater();
        return;
    }
    giveSocket(match.route->rawAcceptor, fd, early, head, match, user);
}

int HttpConnection::detachSocket(const QByteArray &answer, QByteArray *early)
{
    const int fd = ::fcntl(int(m_socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        qCWarning(lcHttp) << "cannot take over an upgraded connection:" << std::strerror(errno);
        respond(HttpResponse::error(503, QStringLiteral("unavailable"), QStringLiteral("gridd is out of file descriptors; try again")),
                false);
        return -1;
    }
    *early = m_buffer + m_socket->readAll();
    // Nothing else is queued, so the socket's buffer takes these few bytes at once.
    if (::send(fd, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL) != answer.size()) {
        ::close(fd);
        m_socket->abort();
        return -1;
    }
    m_ticker.stop();
    m_closing = true;
    QTcpSocket *socket = m_socket;
    socket->disconnect(this);
    m_socket = nullptr;
    socket->abort(); // closes Qt's descriptor only; `fd` keeps the connection
    socket->deleteLater();
    return fd;
}

void HttpConnection::giveSocket(const WebSocketStreamAcceptor &acceptor, int fd, const QByteArray &early, const HttpRequest &head,
                                const Router::Match &match, const AuthenticatedUser &user)
{
    try {
        acceptor(fd, early, user, match.params, m_server); // owns `fd` from here
    } catch (const std::exception &e) {
        // Past the 101 there is no HTTP answer to give; the client sees the connection close.
        qCCritical(lcHttp).noquote() << head.method << head.path << "failed after the upgrade:" << e.what();
    }
    deleteLater();
}

HttpResponse HttpConnection::dispatch(HttpRequest &request)
{
    const Router::Match match = m_router.match(request.method, request.path);
    if (match.status == 405) {
        HttpResponse r = HttpResponse::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2; use %3")
                .arg(QString::fromLatin1(request.method), request.path, QString::fromLatin1(match.allowed)));
        r.headers.append(qMakePair(QByteArray("Allow"), match.allowed));
        return r;
    }
    if (!match.route)
        return HttpResponse::error(404, QStringLiteral("not_found"),
                                   QStringLiteral("no API endpoint %1 %2 (see docs/api.md)")
                                       .arg(QString::fromLatin1(request.method), request.path));
    if (match.route->webSocket)
        return HttpResponse::error(400, QStringLiteral("websocket_required"),
                                   QStringLiteral("%1 is a WebSocket endpoint; connect with a "
                                                  "WebSocket client").arg(request.path));
    const QByteArray wantedType = match.route->binaryBody ? "application/octet-stream" : "application/json";
    if (!request.body.isEmpty() && !request.header("content-type").toLower().startsWith(wantedType))
        return HttpResponse::error(415, QStringLiteral("unsupported_media_type"),
                                   QStringLiteral("this request's body must be sent with 'Content-Type: %1'")
                                       .arg(QString::fromLatin1(wantedType)));
    request.pathParams = match.params;
    try {
        RequestContext context{m_server, {}, m_server.database->connection()};
        if (match.route->access == Access::Authenticated) {
            auto auth = Authenticator::authenticate(request.header("authorization"), context.db);
            if (auto *failure = std::get_if<HttpResponse>(&auth))
                return *failure;
            context.user = std::get<AuthenticatedUser>(auth);
        }
        return match.route->handler(request, context);
    } catch (const StoreError &e) {
        qCCritical(lcHttp).noquote() << request.method << request.path << "failed:" << e.what();
        if (e.diskFull())
            return HttpResponse::error(507, QStringLiteral("storage_full"),
                                       QStringLiteral("the platform's disk is full, so nothing was changed; free space on "
                                                      "the gridd machine and try again"));
        return HttpResponse::error(500, QStringLiteral("internal_error"),
                                   QStringLiteral("the platform could not complete the request; nothing was changed. "
                                                  "The reason is in gridd's log."));
    } catch (const std::exception &e) {
        qCCritical(lcHttp).noquote() << request.method << request.path << "failed:" << e.what();
        return HttpResponse::error(500, QStringLiteral("internal_error"),
                                   QStringLiteral("the platform could not complete the request; "
                                                  "nothing was changed. The reason is in gridd's "
                                                  "log."));
    }
}

void HttpConnection::respond(const HttpResponse &response, bool keepAlive)
{
    if (!m_socket)
        return;
    m_socket->write(response.serialize(keepAlive && !m_closing));
    if (!keepAlive) {
        m_closing = true;
        m_ticker.stop();
        m_socket->disconnectFromHost();
    }
}

void HttpConnection::closeGracefully()
{
    if (!m_socket)
        return;
    m_closing = true;
    if (m_socket->bytesToWrite() > 0)
        m_socket->waitForBytesWritten(1000);
    m_socket->disconnectFromHost();
}

} // namespace og
