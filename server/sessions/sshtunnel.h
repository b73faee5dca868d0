// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/sessions/sshconnections.h"

#include <QObject>

#include <memory>

class QLocalSocket;
class QWebSocket;

namespace og {

// One SSH connection over TLS: the bytes of the API's WebSocket (binary messages) piped to
// and from the session agent's Unix socket, where an `sshd -i` answers. Either side closing
// closes the other; the tunnel deletes itself then. gridd never looks inside: it is SSH,
// encrypted end to end between the user's client and the session's sshd. (Plain-TCP
// connections take SshConnections::relay instead, off Qt's event loop; TLS needs Qt's.)
class SshTunnel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshTunnel)
public:
    SshTunnel(std::unique_ptr<QWebSocket> socket, const QString &agentSocket, const SshSessionRef &session,
              SshConnections &connections, QObject *parent);
    ~SshTunnel() override;

private:
    void close(const QString &why);

    std::unique_ptr<QWebSocket> m_socket;
    QLocalSocket *m_agent;
    SshSessionRef m_session;
    SshConnections &m_connections;
    QByteArray m_early; // what the client sent before the agent accepted
    bool m_closing = false;
    int m_connectTries = 0;
    static constexpr int kConnectTries = 50; // × kConnectRetryMs: the agent's start-up
    static constexpr int kConnectRetryMs = 100;
};

} // namespace og
