// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>

class QThread;

namespace og {

class HttpWorker;
class Router;
struct ServerContext;

// gridd's HTTP(S) + WebSocket front. The listening socket lives on the caller's thread and
// deals accepted connections round-robin to worker threads; each worker runs its
// connections' handlers with its own database connection, so requests use every core.
// Written on QTcpServer rather than QtHttpServer 6.4, which cannot limit request sizes,
// stream responses or hand upgraded sockets over per path (see docs/architecture.md).
class HttpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)
public:
    HttpServer(const ServerContext &server, const Router &router, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens on the configured address; empty on success, else why not.
    QString start();
    // Stops accepting, finishes writing what is pending and joins the workers.
    void stop();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QString loadTls();

    const ServerContext &m_server;
    const Router &m_router;
    std::optional<QSslConfiguration> m_tls;
    QList<QThread *> m_threads;
    QList<HttpWorker *> m_workers;
    int m_next = 0;
};

} // namespace og
