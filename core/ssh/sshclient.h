// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace og {

class ApiClient;
class SshTunnelClient;

enum class SshError {
    Tunnel,         // the WebSocket could not be opened or was lost
    HostKeyChanged, // the session's key is not the one known_hosts pins: never continue
    HostKeyUnknown, // known_hosts has no key for the session (the platform writes it first)
    AuthFailed,     // no key offered was accepted
    Protocol        // anything else libssh reports
};

struct SshConnectOptions
{
    QString user;           // the login inside the session (the session's ssh_user)
    QString knownHostsFile; // empty: <gridDir>/known_hosts, the platform-managed one
    QStringList identityFiles; // empty: sshidentities::defaultFiles()
    bool useAgent = true;   // ssh-agent first, when SSH_AUTH_SOCK is set
    int rows = 24;
    int columns = 80;
    QString terminalType = QStringLiteral("xterm-256color");
    int keepaliveSeconds = 30;
    // On a plain-HTTP platform, libssh gets the TCP socket gridd hands to the session's sshd
    // (SshTunnelClient's direct way); false always takes the WebSocket.
    bool directTunnel = true;
};

struct SshClientSession; // libssh's objects stay out of this header

// An interactive shell in a session: libssh over the session's tunnel (SshTunnelClient),
// non-blocking and driven by the Qt event loop (socket notifiers and timers, no thread). The host
// key is checked against the platform-managed known_hosts under the session's name; authentication
// is by public key (agent, then the key files, asking passphraseProvider for encrypted ones);
// the shell gets a pty. Bytes in and out are raw terminal bytes: pair it with a
// TerminalScreen.
class SshClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshClient)

public:
    enum class State { Idle, Tunnel, Handshake, Authenticating, OpeningShell, Open, Closed };
    Q_ENUM(State)

    explicit SshClient(QObject *parent = nullptr);
    ~SshClient() override;

    // Called (synchronously, on this thread) for an encrypted key; return the passphrase, or
    // a null QString to skip the key.
    std::function<QString(const QString &keyFile)> passphraseProvider;

    void connectToSession(const ApiClient &api, const QString &session,
                          const SshConnectOptions &options);
    State state() const { return m_state; }
    // Queued and sent as the channel's window allows; empty or after close(): ignored.
    void write(const QByteArray &bytes);
    // Resizes the remote pty (window-change); remembered and sent once the shell is open.
    void resizePty(int rows, int columns);
    // EOF and close of the channel, then disconnect; closed() follows.
    void close();
    // -1 until the remote reported it (exit-status).
    int exitStatus() const { return m_exitStatus; }
    QString sessionName() const { return m_session; }
    qint64 latencyMs() const;
    // Whether the bytes go straight to the session's sshd (no WebSocket relay); see
    // SshTunnelClient.
    bool isDirect() const;
    // SHA256 fingerprint of the session's host key once the handshake got it.
    QString hostKeyFingerprint() const { return m_hostFingerprint; }
    // The key file that authenticated; empty for the agent or before.
    QString authenticatedWith() const { return m_authenticatedWith; }

signals:
    void stateChanged(og::SshClient::State state);
    void shellOpened();
    void dataReceived(const QByteArray &bytes);
    // After an error too. exitStatus() has the shell's status when the remote sent one.
    void closed();
    void errorOccurred(og::SshError error, const QString &message);
    void latencyMeasured(qint64 milliseconds);

private:
    void onTunnelOpened();
    void onTunnelClosed(const QString &reason);
    void step();
    bool stepHandshake();
    bool checkHostKey();
    bool stepAuthentication();
    bool stepOpenShell();
    void pumpChannel();
    void flushOutgoing();
    void updateNotifiers();
    void fail(SshError error, const QString &message);
    // A libssh failure: when the tunnel closed under it, the tunnel's reason is the real one.
    void failFromLibssh(const QString &what);
    void fallBackToWebSocket();
    void finish();
    void setState(State state);
    QString libsshError() const;

    std::unique_ptr<SshClientSession> m_ssh;
    SshTunnelClient *m_tunnel = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QTimer m_keepalive;
    QTimer m_retry; // partial writes and bounded reads continue from here
    State m_state = State::Idle;
    QString m_session;
    SshConnectOptions m_options;
    QByteArray m_outgoing;
    int m_rows = 24;
    int m_columns = 80;
    bool m_resizePending = false;
    int m_exitStatus = -1;
    QString m_hostFingerprint;
    QString m_authenticatedWith;
    bool m_closeRequested = false;
    QString m_tunnelClosedReason;
    bool m_eofSeen = false;
    bool m_directFellBack = false; // this connect went over to the WebSocket already
    bool m_inLibssh = false; // inside step(): a nested event loop must not re-enter libssh
    bool m_importingKey = false; // inside libssh's key import (and maybe a passphrase dialog)
};

} // namespace og
