// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QWebSocket>

class QSocketNotifier;

namespace og {

class ApiClient;

// The byte pipe under an SSH connection to a session: gridd's WebSocket
// (GET /api/v1/sessions/{name}/ssh, raw SSH bytes in binary messages) joined to one end of a
// socket pair whose other end libssh reads and writes as if it were a TCP socket. Pumped on
// the Qt event loop, never blocking it.
class SshTunnelClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshTunnelClient)

public:
    explicit SshTunnelClient(QObject *parent = nullptr);
    ~SshTunnelClient() override;

    // Opens the session's WebSocket with the client's address, key and TLS settings.
    void open(const ApiClient &api, const QString &session);
    // The end for libssh (SSH_OPTIONS_FD), valid after opened(); the caller owns it from then
    // on and closes it. -1 before, or when taken already.
    int takeSshSocket();
    void close();
    // Round-trip time of the last WebSocket ping, -1 before the first answer.
    qint64 latencyMs() const { return m_latencyMs; }

signals:
    void opened();
    // The tunnel ended: the WebSocket closed or failed. `reason` is empty after close().
    void closed(const QString &reason);
    void latencyMeasured(qint64 milliseconds);

private:
    void onConnected();
    void onDisconnected();
    void onMessage(const QByteArray &bytes);
    void readFromSsh();
    void writeToSsh();
    void closeLocal();
    void ping();

    QWebSocket m_socket;
    QString m_session;
    int m_localFd = -1; // our end of the pair
    int m_sshFd = -1;   // libssh's end until taken
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_toSsh; // WebSocket bytes the socket pair could not take yet
    bool m_opened = false;
    bool m_closing = false;
    QTimer m_pingTimer;
    QElapsedTimer m_sincePong;
    qint64 m_latencyMs = -1;
};

} // namespace og
