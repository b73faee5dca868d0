// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpserver.h"

#include "server/events/eventstream.h"
#include "server/http/authenticator.h"
#include "server/http/httpconnection.h"
#include "server/http/router.h"
#include "server/servercontext.h"
#include "server/store/database.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

namespace og {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

// Owns the connections of one thread. Lives (and is deleted) on that thread.
class HttpWorker final : public QObject
{
    Q_OBJECT
public:
    HttpWorker(const ServerContext &server, const Router &router,
               std::optional<QSslConfiguration> tls)
        : m_server(server)
        , m_router(router)
        , m_tls(std::move(tls))
    {
    }

    void accept(qintptr descriptor)
    {
        ensureWebSocketServer();
        QTcpSocket *socket = m_tls ? new QSslSocket : new QTcpSocket;
        if (!socket->setSocketDescriptor(descriptor)) {
            qCWarning(lcHttp) << "cannot adopt connection:" << socket->errorString();
            delete socket;
            return;
        }
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            ssl->setSslConfiguration(*m_tls);
            connect(ssl, &QSslSocket::errorOccurred, ssl, [ssl] { ssl->abort(); });
            ssl->startServerEncryption();
        }
        auto *connection = new HttpConnection(socket, m_server, m_router, this);
        connect(connection, &HttpConnection::webSocketUpgrade, this, [this](QTcpSocket *s) {
            m_webSockets->handleConnection(s);
        });
    }

    void shutdown()
    {
        for (EventStream *stream : findChildren<EventStream *>())
            delete stream;
        for (HttpConnection *connection : findChildren<HttpConnection *>())
            connection->closeGracefully();
        delete m_webSockets;
        m_webSockets = nullptr;
        m_server.database->closeThreadConnection();
    }

private:
    void ensureWebSocketServer()
    {
        if (m_webSockets)
            return;
        // Non-secure mode even with TLS: the socket it receives is already encrypted.
        m_webSockets = new QWebSocketServer(QStringLiteral("gridd"), QWebSocketServer::NonSecureMode, this);
        connect(m_webSockets, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *raw = m_webSockets->nextPendingConnection()) {
                std::unique_ptr<QWebSocket> ws(raw);
                // Re-check the caller from the handshake headers the socket carries: the
                // connection authenticated them, but this is where the identity is bound.
                const auto auth = Authenticator::authenticate(
                    ws->request().rawHeader("Authorization"), m_server.database->connection());
                const auto *user = std::get_if<AuthenticatedUser>(&auth);
                if (!user) {
                    ws->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("unauthorized"));
                    continue;
                }
                const Router::Match match = m_router.match("GET", ws->requestUrl().path());
                if (!match.route || !match.route->acceptor) {
                    ws->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("no such WebSocket endpoint"));
                    continue;
                }
                match.route->acceptor(std::move(ws), *user, match.params, m_server, this);
            }
        });
    }

    const ServerContext &m_server;
    const Router &m_router;
    std::optional<QSslConfiguration> m_tls;
    QWebSocketServer *m_webSockets = nullptr;
};

HttpServer::HttpServer(const ServerContext &server, const Router &router, QObject *parent)
    : QTcpServer(parent)
    , m_server(server)
    , m_router(router)
{
}

HttpServer::~HttpServer()
{
    stop();
}

QString HttpServer::loadTls()
{
    const ServerConfig &c = m_server.config;
    if (!c.tlsEnabled())
        return {};
    const auto certs = QSslCertificate::fromPath(c.tlsCertificate, QSsl::Pem);
    if (certs.isEmpty())
        return QStringLiteral("cannot read a PEM certificate from %1").arg(c.tlsCertificate);
    QFile keyFile(c.tlsKey);
    if (!keyFile.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read TLS key %1: %2").arg(c.tlsKey, keyFile.errorString());
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return QStringLiteral("cannot read an unencrypted RSA or EC private key from %1").arg(c.tlsKey);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(certs);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with API keys
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    m_tls = tls;
    return {};
}

QString HttpServer::start()
{
    if (const QString tlsError = loadTls(); !tlsError.isEmpty())
        return tlsError;
    const ServerConfig &c = m_server.config;
    const QHostAddress address = c.listenHost == u"localhost" ? QHostAddress(QHostAddress::LocalHost)
                                                               : QHostAddress(c.listenHost);
    if (address.isNull())
        return QStringLiteral("cannot listen on '%1': not an IP address").arg(c.listenHost);
    setMaxPendingConnections(1024);
    if (!listen(address, c.listenPort))
        return QStringLiteral("cannot listen on %1:%2: %3").arg(c.listenHost).arg(c.listenPort).arg(errorString());

    const int count = c.workerThreads > 0 ? c.workerThreads : qMax(2, QThread::idealThreadCount());
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("http-%1").arg(i));
        auto *worker = new HttpWorker(m_server, m_router, m_tls);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.append(thread);
        m_workers.append(worker);
    }
    return {};
}

void HttpServer::incomingConnection(qintptr descriptor)
{
    if (m_workers.isEmpty())
        return;
    HttpWorker *worker = m_workers[m_next++ % m_workers.size()];
    QMetaObject::invokeMethod(worker, [worker, descriptor] { worker->accept(descriptor); },
                              Qt::QueuedConnection);
}

void HttpServer::stop()
{
    close();
    for (HttpWorker *worker : std::as_const(m_workers))
        QMetaObject::invokeMethod(worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
        delete thread;
    }
    m_threads.clear();
    m_workers.clear();
}

} // namespace og

#include "httpserver.moc"
