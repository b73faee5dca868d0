// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

class QSocketNotifier;
class QTcpSocket;

namespace og {

class ApiClient;

// The byte pipe under an SSH connection to a session (GET /api/v1/sessions/{name}/ssh), one
// of two ways, never blocking the Qt event loop:
// - Direct, on a plain-HTTP platform (the local one): the `opengrid-ssh` upgrade, after which
//   gridd hands this TCP socket to the session's sshd and libssh gets the socket itself. No
//   process relays the bytes: fewer copies and wake-ups per keystroke and per screenful.
// - WebSocket (https, a gridd without the upgrade, or asked for): raw SSH bytes in binary
//   messages, joined to one end of a socket pair whose other end libssh reads and writes as
//   if it were a TCP socket, pumped here.
// A direct attempt that gridd refuses falls back to the WebSocket, whose answer then says why.
class SshTunnelClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshTunnelClient)

public:
    explicit SshTunnelClient(QObject *parent = nullptr);
    ~SshTunnelClient() override;

    enum class Way { Direct, WebSocket };

    // Opens the tunnel with the client's address, key and TLS settings; `allowDirect` false
    // (or OPENGRID_SSH_TUNNEL=websocket in the environment) always takes the WebSocket.
    void open(const ApiClient &api, const QString &session, bool allowDirect = true);
    // After a direct tunnel that gridd upgraded but whose hand-over then failed (the socket
    // closed before sshd's banner): the same session over the WebSocket; opened() again.
    void reopenOverWebSocket();
    // The way the tunnel went (meaningful after opened()).
    Way way() const { return m_way; }
    // The end for libssh (SSH_OPTIONS_FD), valid after opened(); the caller owns it from then
    // on and closes it. -1 before, or when taken already.
    int takeSshSocket();
    void close();
    // Round-trip time of the last WebSocket ping, -1 before the first answer and when direct
    // (the SSH client then asks the socket itself).
    qint64 latencyMs() const { return m_latencyMs; }

signals:
    void opened();
    // The tunnel ended: the WebSocket closed or failed. `reason` is empty after close().
    void closed(const QString &reason);
    void latencyMeasured(qint64 milliseconds);

private:
    void openWebSocket();
    void openDirect();
    void onDirectConnected();
    void readDirectAnswer();
    void endDirectAttempt(); // closes the attempt's socket and goes on over the WebSocket
    void onConnected();
    void onDisconnected();
    void onMessage(const QByteArray &bytes);
    void readFromSsh();
    void writeToSsh();
    void closeLocal();
    void ping();

    QWebSocket m_socket;
    QString m_session;
    QUrl m_url; // …/sessions/{name}/ssh, http(s)
    QString m_authorization;
    Way m_way = Way::WebSocket;
    // The direct attempt: the connect, then our raw socket while gridd's answer comes.
    QTcpSocket *m_connecting = nullptr;
    int m_directFd = -1;
    QSocketNotifier *m_answerNotifier = nullptr;
    QByteArray m_answer;
    QTimer m_answerTimeout;
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
