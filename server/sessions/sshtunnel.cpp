// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sshtunnel.h"

#include <QLocalSocket>
#include <QLoggingCategory>
#include <QTimer>
#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcSessions)

namespace og {

SshTunnel::SshTunnel(std::unique_ptr<QWebSocket> socket, const QString &agentSocket, const SshSessionRef &session,
                     SshConnections &connections, QObject *parent)
    : QObject(parent)
    , m_socket(std::move(socket))
    , m_agent(new QLocalSocket(this))
    , m_session(session)
    , m_connections(connections)
{
    m_connections.opened(m_session);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) {
        if (m_agent->state() == QLocalSocket::ConnectedState)
            m_agent->write(bytes);
        else
            m_early += bytes;
    });
    connect(m_socket.get(), &QWebSocket::disconnected, this, [this] { close(QString()); });
    connect(m_agent, &QLocalSocket::connected, this, [this] {
        if (!m_early.isEmpty())
            m_agent->write(m_early);
        m_early.clear();
    });
    connect(m_agent, &QLocalSocket::readyRead, this, [this] {
        // SSH packets are at most 256 KiB; sending what arrived keeps latency low.
        m_socket->sendBinaryMessage(m_agent->readAll());
    });
    connect(m_agent, &QLocalSocket::disconnected, this, [this] { close(QStringLiteral("the session's SSH server closed the connection")); });
    connect(m_agent, &QLocalSocket::errorOccurred, this, [this, agentSocket](QLocalSocket::LocalSocketError error) {
        if (error == QLocalSocket::PeerClosedError)
            return; // disconnected() follows
        // A session is "running" once its sandbox started; its agent may need a moment more to
        // listen. Wait for it rather than fail the user's first connection.
        const bool notListeningYet = error == QLocalSocket::ServerNotFoundError || error == QLocalSocket::ConnectionRefusedError;
        if (notListeningYet && m_connectTries++ < kConnectTries) {
            QTimer::singleShot(kConnectRetryMs, this, [this, agentSocket] {
                if (!m_closing)
                    m_agent->connectToServer(agentSocket);
            });
            return;
        }
        close(QStringLiteral("cannot reach the SSH server of session '%1' (%2); is it running?").arg(m_session.name, m_agent->errorString()));
    });
    m_agent->connectToServer(agentSocket);
}

SshTunnel::~SshTunnel()
{
    if (!m_closing) // deleted with its worker at shutdown
        m_connections.closed(m_session);
}

void SshTunnel::close(const QString &why)
{
    if (m_closing)
        return;
    m_closing = true;
    m_connections.closed(m_session);
    if (!why.isEmpty())
        qCDebug(lcSessions).noquote() << "ssh tunnel to" << m_session.name << "closed:" << why;
    if (m_agent->state() == QLocalSocket::ConnectedState) {
        m_agent->flush();
        m_agent->disconnectFromServer();
    }
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        if (m_agent->bytesAvailable() > 0)
            m_socket->sendBinaryMessage(m_agent->readAll());
        // What sshd wrote last (the exit status) must reach the client before the close.
        m_socket->flush();
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, why.left(120));
    }
    deleteLater();
}

} // namespace og
