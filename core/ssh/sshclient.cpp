// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshclient.h"

#include "core/clientconfig.h"
#include "core/ssh/sshidentities.h"
#include "core/ssh/sshknownhosts.h"
#include "core/ssh/sshtunnelclient.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopedValueRollback>
#include <QSocketNotifier>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <algorithm>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSsh, "opengrid.core.ssh", QtInfoMsg)

namespace og {

namespace {
// The most channel data handed on per event-loop turn, in bytes and in time (the slot that
// takes the data, the screen model, runs inside it): a remote that floods (`yes`, `cat` of a
// big file) must not starve painting and key presses; the rest follows on the next turn. The
// time bound keeps a turn short on a busy machine, where the model gets a fraction of a core.
constexpr int kMaxReadPerTurn = 256 * 1024;
constexpr qint64 kMaxReadNsPerTurn = 8 * 1000 * 1000;
// While libssh negotiates, it may sit on decrypted data with the socket idle; look again
// this often instead of waiting for bytes that already came.
constexpr int kHandshakePollMs = 20;
} // namespace

// libssh's objects for one connection, freed in the order libssh needs.
struct SshClientSession
{
    enum class Auth { None, Agent, NextKey, TryPublicKey, SignWithKey };
    enum class Shell { Open, Pty, Start };

    ssh_session session = nullptr;
    ssh_channel channel = nullptr;
    int fd = -1;
    bool connectStarted = false; // ssh_connect was called: libssh has the socket from then on
    ssh_channel_callbacks_struct channelCallbacks{};
    Auth auth = Auth::None;
    int keyIndex = -1;
    QString keyFile;
    ssh_key publicKey = nullptr;
    ssh_key privateKey = nullptr;
    QStringList triedKeys;   // refused by the session: "PATH (SHA256:…)"
    QStringList skippedKeys; // never offered: "PATH (why)"
    const std::function<QString(const QString &)> *passphraseProvider = nullptr;
    Shell shell = Shell::Open;

    void freeKeys()
    {
        ssh_key_free(publicKey);
        publicKey = nullptr;
        ssh_key_free(privateKey);
        privateKey = nullptr;
    }

    ~SshClientSession()
    {
        freeKeys();
        const bool closeSocket = socketOpen(); // asked before ssh_free forgets it
        if (channel)
            ssh_channel_free(channel); // channel before session
        if (session) {
            ssh_disconnect(session);
            ssh_free(session);
        }
        if (closeSocket)
            ::close(fd);
    }

    // libssh 0.10 leaves an SSH_OPTIONS_FD socket to the application on ssh_disconnect, but
    // closes it itself when the connection fails or the peer goes (an error or EOF on the
    // socket): after that the number is stale — closing it again, or asking it anything, could
    // hit a descriptor that another thread has opened since.
    bool socketOpen() const
    {
        return fd >= 0 && !(connectStarted && ssh_get_fd(session) == SSH_INVALID_SOCKET);
    }
};

SshClient::SshClient(QObject *parent)
    : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &SshClient::step);
    connect(&m_keepalive, &QTimer::timeout, this, [this] {
        // sshd answers nothing to an ignore message; it only keeps the path warm. A dead
        // path is noticed by the tunnel's WebSocket pings, or on a direct socket by TCP (its
        // keepalives and user timeout), whose round-trip time is the latency shown then.
        if (m_state == State::Open && m_ssh && m_ssh->session && !m_inLibssh)
            ssh_send_ignore(m_ssh->session, "keepalive");
        updateNotifiers();
        if (isDirect() && latencyMs() >= 0)
            emit latencyMeasured(latencyMs());
    });
}

SshClient::~SshClient()
{
    delete m_readNotifier; // notifiers go before their fd closes
    delete m_writeNotifier;
}

// gridd took the direct upgrade but the connection closed before the session's sshd said a word:
// gridd could not hand it over (the session paused that instant, or its agent no longer takes
// connections). Once per connect, the same tunnel tries again over the WebSocket, which either
// works (the relay reaches sshd another way) or ends with gridd's reason instead of a bare
// "Socket error".
void SshClient::fallBackToWebSocket()
{
    qCInfo(lcSsh).noquote() << "the direct connection to session" << m_session
                            << "closed before its SSH server answered; trying the WebSocket";
    m_directFellBack = true;
    m_retry.stop();
    delete m_readNotifier; // before their fd closes with m_ssh
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    m_ssh.reset();
    setState(State::Tunnel);
    m_tunnel->reopenOverWebSocket();
}

bool SshClient::isDirect() const
{
    return m_tunnel && m_tunnel->way() == SshTunnelClient::Way::Direct;
}

qint64 SshClient::latencyMs() const
{
    if (!isDirect())
        return m_tunnel ? m_tunnel->latencyMs() : -1;
    // Direct: the kernel's smoothed round-trip time of the connection itself.
    tcp_info info = {};
    socklen_t size = sizeof info;
    if (!m_ssh || !m_ssh->socketOpen() || ::getsockopt(m_ssh->fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0)
        return -1;
    return qint64(info.tcpi_rtt / 1000);
}

void SshClient::connectToSession(const ApiClient &api, const QString &session,
                                 const SshConnectOptions &options)
{
    if (m_state != State::Idle && m_state != State::Closed) {
        qCWarning(lcSsh) << "connectToSession while connected; ignored";
        return;
    }
    m_session = session;
    m_options = options;
    if (m_options.knownHostsFile.isEmpty())
        m_options.knownHostsFile = clientconfig::gridDir() + QStringLiteral("/known_hosts");
    if (m_options.identityFiles.isEmpty())
        m_options.identityFiles = sshidentities::defaultFiles();
    m_rows = options.rows;
    m_columns = options.columns;
    m_exitStatus = -1;
    m_outgoing.clear();
    m_closeRequested = false;
    m_tunnelClosedReason.clear();
    m_directFellBack = false;
    m_eofSeen = false;
    m_hostFingerprint.clear();
    m_authenticatedWith.clear();
    delete m_tunnel;
    m_tunnel = new SshTunnelClient(this);
    connect(m_tunnel, &SshTunnelClient::opened, this, &SshClient::onTunnelOpened);
    connect(m_tunnel, &SshTunnelClient::closed, this, &SshClient::onTunnelClosed);
    connect(m_tunnel, &SshTunnelClient::latencyMeasured, this, &SshClient::latencyMeasured);
    setState(State::Tunnel);
    m_tunnel->open(api, session, m_options.directTunnel);
}

void SshClient::onTunnelOpened()
{
    m_ssh = std::make_unique<SshClientSession>();
    m_ssh->fd = m_tunnel->takeSshSocket();
    ssh_session s = ssh_new();
    m_ssh->session = s;
    // The session's name keys the known_hosts entry; the bytes go through the tunnel.
    const QByteArray host = m_session.toUtf8();
    const QByteArray user = m_options.user.toUtf8();
    const QByteArray knownHosts = QFile::encodeName(m_options.knownHostsFile);
    bool processConfig = false;
    int strict = 1;
    socket_t fd = m_ssh->fd;
    ssh_options_set(s, SSH_OPTIONS_HOST, host.constData());
    if (!user.isEmpty())
        ssh_options_set(s, SSH_OPTIONS_USER, user.constData());
    ssh_options_set(s, SSH_OPTIONS_FD, &fd);
    // Only the platform's known_hosts counts: not ~/.ssh/known_hosts, not /etc/ssh's, and no
    // ~/.ssh/config whose StrictHostKeyChecking no would make every key "known".
    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, knownHosts.constData());
    ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, knownHosts.constData());
    ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &processConfig);
    ssh_options_set(s, SSH_OPTIONS_STRICTHOSTKEYCHECK, &strict);
    ssh_set_blocking(s, 0);

    m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &SshClient::step);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &SshClient::step);
    setState(State::Handshake);
    step();
}

void SshClient::onTunnelClosed(const QString &reason)
{
    if (m_state == State::Closed || m_state == State::Idle)
        return;
    m_tunnelClosedReason = reason.isEmpty() ? tr("the SSH tunnel to session %1 closed").arg(m_session)
                                            : reason;
    if (m_state == State::Tunnel) {
        fail(SshError::Tunnel, m_tunnelClosedReason);
        return;
    }
    // libssh still has to read what was written to its end before EOF (a shell that exited
    // sent its exit status last); the next step sees the end itself and reports it.
    step();
}

void SshClient::step()
{
    if (!m_ssh || m_state == State::Closed)
        return;
    if (m_inLibssh) {
        // A passphrase dialog runs its own event loop inside a libssh call; libssh must not
        // be entered again from there. Go on once that call has returned.
        m_retry.start(kHandshakePollMs);
        return;
    }
    const QScopedValueRollback<bool> busy(m_inLibssh, true);
    bool again = true;
    switch (m_state) {
    case State::Handshake:
        again = stepHandshake();
        break;
    case State::Authenticating:
        again = stepAuthentication();
        break;
    case State::OpeningShell:
        again = stepOpenShell();
        break;
    case State::Open:
        pumpChannel();
        again = false;
        break;
    default:
        return;
    }
    if (!m_ssh || m_state == State::Closed)
        return;
    if (again && m_state != State::Open && !m_retry.isActive())
        m_retry.start(kHandshakePollMs);
    updateNotifiers();
}

bool SshClient::stepHandshake()
{
    m_ssh->connectStarted = true;
    const int rc = ssh_connect(m_ssh->session);
    if (rc == SSH_AGAIN)
        return true;
    if (rc != SSH_OK) {
        if (isDirect() && !ssh_get_serverbanner(m_ssh->session) && !m_directFellBack) {
            fallBackToWebSocket();
            return false;
        }
        failFromLibssh(tr("SSH handshake with session %1 failed").arg(m_session));
        return false;
    }
    if (!checkHostKey())
        return false;
    setState(State::Authenticating);
    return stepAuthentication();
}

bool SshClient::checkHostKey()
{
    ssh_key serverKey = nullptr;
    if (ssh_get_server_publickey(m_ssh->session, &serverKey) != SSH_OK) {
        fail(SshError::Protocol, tr("session %1 sent no host key").arg(m_session));
        return false;
    }
    m_hostFingerprint = sshknownhosts::fingerprint(serverKey);
    ssh_key_free(serverKey);
    switch (ssh_session_is_known_server(m_ssh->session)) {
    case SSH_KNOWN_HOSTS_OK:
        return true;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: {
        const QStringList pinned =
            sshknownhosts::pinnedFingerprints(m_options.knownHostsFile, m_session);
        fail(SshError::HostKeyChanged,
             tr("The host key of session %1 has CHANGED: it presented %2, but %3 pins %4. "
                "Someone may be intercepting the connection; not connecting.")
                 .arg(m_session, m_hostFingerprint, m_options.knownHostsFile,
                      pinned.isEmpty() ? tr("another key") : pinned.join(QStringLiteral(", "))));
        return false;
    }
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
        // The platform serves each session's host key and the client pins it before
        // connecting; a key it did not pin is never accepted blindly.
        fail(SshError::HostKeyUnknown,
             tr("The host key of session %1 (%2) is not in %3; refresh the sessions list so the "
                "platform's key is pinned, then connect again.")
                 .arg(m_session, m_hostFingerprint, m_options.knownHostsFile));
        return false;
    case SSH_KNOWN_HOSTS_ERROR:
    default:
        fail(SshError::Protocol, tr("cannot check the host key of session %1 against %2: %3")
                                     .arg(m_session, m_options.knownHostsFile, libsshError()));
        return false;
    }
}

namespace {

// libssh's auth callback while it decrypts a key file (OpenSSH and PEM formats alike; without
// it a PEM key would make OpenSSL prompt on the terminal).
int askPassphrase(const char *, char *buffer, size_t length, int, int, void *userdata)
{
    const auto *ssh = static_cast<const SshClientSession *>(userdata);
    if (!ssh->passphraseProvider || !*ssh->passphraseProvider)
        return -1;
    const QString passphrase = (*ssh->passphraseProvider)(ssh->keyFile);
    if (passphrase.isNull())
        return -1;
    const QByteArray bytes = passphrase.toUtf8();
    if (size_t(bytes.size()) + 1 > length)
        return -1;
    std::memcpy(buffer, bytes.constData(), size_t(bytes.size()) + 1);
    return 0;
}

} // namespace

bool SshClient::stepAuthentication()
{
    SshClientSession &ssh = *m_ssh;
    for (;;) {
        int rc = SSH_AUTH_ERROR;
        switch (ssh.auth) {
        case SshClientSession::Auth::None:
            // Also what makes sshd list its methods; a session accepts only public keys.
            rc = ssh_userauth_none(ssh.session, nullptr);
            if (rc == SSH_AUTH_AGAIN)
                return true;
            if (rc == SSH_AUTH_SUCCESS)
                break;
            ssh.auth = m_options.useAgent && qEnvironmentVariableIsSet("SSH_AUTH_SOCK")
                           ? SshClientSession::Auth::Agent
                           : SshClientSession::Auth::NextKey;
            continue;
        case SshClientSession::Auth::Agent:
            rc = ssh_userauth_agent(ssh.session, nullptr);
            if (rc == SSH_AUTH_AGAIN)
                return true;
            if (rc == SSH_AUTH_SUCCESS)
                break;
            ssh.triedKeys << tr("the keys in ssh-agent");
            ssh.auth = SshClientSession::Auth::NextKey;
            continue;
        case SshClientSession::Auth::NextKey: {
            ssh.freeKeys();
            if (++ssh.keyIndex >= m_options.identityFiles.size()) {
                QString message;
                if (!ssh.triedKeys.isEmpty())
                    message = tr("Session %1 refused the SSH key tried: %2. Register its public "
                                 "key in Settings → SSH keys (or: grid ssh-keys add NAME KEY.pub).")
                                  .arg(m_session, ssh.triedKeys.join(QStringLiteral("; ")));
                else if (!ssh.skippedKeys.isEmpty())
                    message = tr("No SSH key could be offered to session %1.").arg(m_session);
                else
                    message = tr("No SSH key to offer session %1: none of the key files exists. "
                                 "Generate or add one in Settings → SSH keys.").arg(m_session);
                if (!ssh.skippedKeys.isEmpty())
                    message += u' ' + tr("Not used: %1.").arg(ssh.skippedKeys.join(QStringLiteral("; ")));
                fail(SshError::AuthFailed, message);
                return false;
            }
            ssh.keyFile = m_options.identityFiles.at(ssh.keyIndex);
            const QByteArray pub = QFile::encodeName(ssh.keyFile + QStringLiteral(".pub"));
            // Ask with the public key first: a key the session does not know never needs
            // its passphrase.
            if (QFileInfo::exists(QString::fromLocal8Bit(pub))
                && ssh_pki_import_pubkey_file(pub.constData(), &ssh.publicKey) == SSH_OK) {
                ssh.auth = SshClientSession::Auth::TryPublicKey;
                continue;
            }
            ssh.auth = SshClientSession::Auth::SignWithKey;
            continue;
        }
        case SshClientSession::Auth::TryPublicKey:
            rc = ssh_userauth_try_publickey(ssh.session, nullptr, ssh.publicKey);
            if (rc == SSH_AUTH_AGAIN)
                return true;
            if (rc == SSH_AUTH_SUCCESS) {
                ssh.auth = SshClientSession::Auth::SignWithKey;
                continue;
            }
            if (rc == SSH_AUTH_ERROR) {
                failFromLibssh(tr("SSH authentication with session %1 failed").arg(m_session));
                return false;
            }
            ssh.triedKeys << QStringLiteral("%1 (%2)").arg(
                ssh.keyFile, sshknownhosts::fingerprint(ssh.publicKey));
            ssh.auth = SshClientSession::Auth::NextKey;
            continue;
        case SshClientSession::Auth::SignWithKey:
            if (!ssh.privateKey) {
                ssh.passphraseProvider = &passphraseProvider;
                const QByteArray path = QFile::encodeName(ssh.keyFile);
                m_importingKey = true; // the passphrase callback may run a dialog's event loop
                const int imported = ssh_pki_import_privkey_file(path.constData(), nullptr, &askPassphrase,
                                                                 &ssh, &ssh.privateKey);
                m_importingKey = false;
                if (m_closeRequested) { // close() came during the dialog
                    finish();
                    return false;
                }
                if (imported != SSH_OK) {
                    ssh.privateKey = nullptr;
                    ssh.skippedKeys << tr("%1 (unreadable, or encrypted and no passphrase "
                                          "given)").arg(ssh.keyFile);
                    ssh.auth = SshClientSession::Auth::NextKey;
                    continue;
                }
            }
            rc = ssh_userauth_publickey(ssh.session, nullptr, ssh.privateKey);
            if (rc == SSH_AUTH_AGAIN)
                return true;
            if (rc == SSH_AUTH_SUCCESS) {
                m_authenticatedWith = ssh.keyFile;
                break;
            }
            if (rc == SSH_AUTH_ERROR) {
                failFromLibssh(tr("SSH authentication with session %1 failed").arg(m_session));
                return false;
            }
            ssh.triedKeys << QStringLiteral("%1 (%2)").arg(
                ssh.keyFile, sshknownhosts::fingerprint(ssh.privateKey));
            ssh.auth = SshClientSession::Auth::NextKey;
            continue;
        }
        // Authenticated.
        ssh.freeKeys();
        setState(State::OpeningShell);
        return stepOpenShell();
    }
}

bool SshClient::stepOpenShell()
{
    SshClientSession &ssh = *m_ssh;
    int rc = SSH_ERROR;
    switch (ssh.shell) {
    case SshClientSession::Shell::Open:
        if (!ssh.channel) {
            ssh.channel = ssh_channel_new(ssh.session);
            ssh_callbacks_init(&ssh.channelCallbacks);
            ssh.channelCallbacks.userdata = this;
            ssh.channelCallbacks.channel_exit_status_function =
                [](ssh_session, ssh_channel, int status, void *userdata) {
                    static_cast<SshClient *>(userdata)->m_exitStatus = status;
                };
            ssh_set_channel_callbacks(ssh.channel, &ssh.channelCallbacks);
        }
        rc = ssh_channel_open_session(ssh.channel);
        if (rc == SSH_AGAIN)
            return true;
        if (rc != SSH_OK)
            break;
        ssh.shell = SshClientSession::Shell::Pty;
        [[fallthrough]];
    case SshClientSession::Shell::Pty:
        // libssh takes (columns, rows); libvterm the other way round.
        rc = ssh_channel_request_pty_size(ssh.channel, m_options.terminalType.toLatin1().constData(),
                                          m_columns, m_rows);
        if (rc == SSH_AGAIN)
            return true;
        if (rc != SSH_OK)
            break;
        ssh.shell = SshClientSession::Shell::Start;
        [[fallthrough]];
    case SshClientSession::Shell::Start:
        rc = ssh_channel_request_shell(ssh.channel);
        if (rc == SSH_AGAIN)
            return true;
        if (rc != SSH_OK)
            break;
        m_retry.stop();
        setState(State::Open);
        if (m_options.keepaliveSeconds > 0)
            m_keepalive.start(m_options.keepaliveSeconds * 1000);
        emit shellOpened();
        if (isDirect() && latencyMs() >= 0)
            emit latencyMeasured(latencyMs());
        if (m_resizePending)
            resizePty(m_rows, m_columns);
        pumpChannel();
        return false;
    }
    failFromLibssh(tr("cannot start a shell in session %1").arg(m_session));
    return false;
}

void SshClient::pumpChannel()
{
    if (!m_ssh || !m_ssh->channel)
        return;
    flushOutgoing();
    if (!m_ssh)
        return;
    char buffer[64 * 1024];
    int total = 0;
    QElapsedTimer turn;
    turn.start();
    while (total < kMaxReadPerTurn && turn.nsecsElapsed() < kMaxReadNsPerTurn) {
        const int n = ssh_channel_read_nonblocking(m_ssh->channel, buffer, sizeof buffer, 0);
        if (n > 0) {
            total += n;
            emit dataReceived(QByteArray(buffer, n));
            if (!m_ssh)
                return; // a slot closed us
            continue;
        }
        if (n == SSH_ERROR) {
            if (m_exitStatus >= 0 || m_closeRequested || ssh_channel_is_eof(m_ssh->channel)) {
                finish();
            } else {
                failFromLibssh(tr("the connection to session %1 was lost").arg(m_session));
            }
            return;
        }
        // libssh reads at most 4 KiB from the socket per poll, less than one 32 KiB data
        // packet: while the socket still holds bytes, poll again now rather than wait for
        // the next event-loop turn (which cut the transport to a fraction of OpenSSH's).
        int pending = 0;
        if (m_ssh->socketOpen() && ::ioctl(m_ssh->fd, FIONREAD, &pending) == 0 && pending > 0)
            continue;
        break; // nothing now; the read notifier brings the next packet
    }
    if (total >= kMaxReadPerTurn || turn.nsecsElapsed() >= kMaxReadNsPerTurn) {
        m_retry.start(0); // more waiting; let the event loop paint and take keys first
        return;
    }
    // sshd sends end-of-file when the pty's output ends, which can be before the shell's
    // exit status; the channel close comes after both.
    if (ssh_channel_is_closed(m_ssh->channel)) {
        finish();
        return;
    }
    if (ssh_channel_is_eof(m_ssh->channel) && !m_eofSeen) {
        m_eofSeen = true;
        QTimer::singleShot(2000, this, [this] {
            if (m_state == State::Open)
                finish(); // a remote that never closes after EOF
        });
    }
    // A window adjust may have come with this read: send what waited for it.
    if (!m_outgoing.isEmpty())
        flushOutgoing();
}

void SshClient::flushOutgoing()
{
    if (m_state != State::Open || m_outgoing.isEmpty())
        return;
    const int n = ssh_channel_write(m_ssh->channel, m_outgoing.constData(),
                                    uint32_t(std::min<qsizetype>(m_outgoing.size(), 1 << 20)));
    if (n == SSH_ERROR) {
        failFromLibssh(tr("cannot send to session %1").arg(m_session));
        return;
    }
    m_outgoing.remove(0, n);
    // The remote's window is full (a large paste): libssh wrote what it could.
    if (!m_outgoing.isEmpty() && !m_retry.isActive())
        m_retry.start(10);
}

void SshClient::write(const QByteArray &bytes)
{
    if (bytes.isEmpty() || m_closeRequested || m_state == State::Closed || m_state == State::Idle)
        return;
    m_outgoing += bytes;
    if (m_state == State::Open) {
        flushOutgoing();
        updateNotifiers();
    }
}

void SshClient::resizePty(int rows, int columns)
{
    m_rows = std::max(1, rows);
    m_columns = std::max(1, columns);
    if (m_state != State::Open) {
        m_resizePending = true;
        return;
    }
    m_resizePending = false;
    // A window-change request has no reply; in non-blocking mode it is queued at once.
    ssh_channel_change_pty_size(m_ssh->channel, m_columns, m_rows);
    updateNotifiers();
}

void SshClient::close()
{
    if (m_state == State::Closed || m_state == State::Idle)
        return;
    m_closeRequested = true;
    if (m_importingKey)
        return; // libssh is still on the stack; the key import finishes the close
    if (m_state == State::Open && m_ssh && m_ssh->channel) {
        flushOutgoing();
        if (m_ssh) {
            ssh_channel_send_eof(m_ssh->channel);
            ssh_channel_close(m_ssh->channel);
        }
    }
    finish();
}

void SshClient::updateNotifiers()
{
    if (!m_ssh || !m_ssh->session || !m_writeNotifier)
        return;
    if (!m_ssh->socketOpen()) { // libssh closed it: nothing more will come; the next step ends
        m_readNotifier->setEnabled(false);
        m_writeNotifier->setEnabled(false);
        return;
    }
    // libssh holds bytes the socket did not take yet: wake when it can take more.
    m_writeNotifier->setEnabled(ssh_get_poll_flags(m_ssh->session) & SSH_WRITE_PENDING);
}

void SshClient::fail(SshError error, const QString &message)
{
    qCInfo(lcSsh) << message;
    emit errorOccurred(error, message);
    finish();
}

void SshClient::failFromLibssh(const QString &what)
{
    if (!m_tunnelClosedReason.isEmpty())
        fail(SshError::Tunnel, m_tunnelClosedReason);
    else
        fail(SshError::Protocol, QStringLiteral("%1: %2").arg(what, libsshError()));
}

void SshClient::finish()
{
    if (m_state == State::Closed)
        return;
    m_retry.stop();
    m_keepalive.stop();
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_ssh && m_ssh->session && m_ssh->socketOpen()) {
        // The channel close and disconnect messages go into a local socket pair, or a TCP
        // socket's send buffer: flushing them waits for no round trip.
        ssh_blocking_flush(m_ssh->session, 200);
    }
    // Closing libssh's end lets the tunnel send what is left and close the WebSocket.
    m_ssh.reset();
    if (m_tunnel && m_state == State::Tunnel)
        m_tunnel->close();
    setState(State::Closed);
    emit closed();
}

void SshClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

QString SshClient::libsshError() const
{
    return m_ssh && m_ssh->session ? QString::fromUtf8(ssh_get_error(m_ssh->session))
                                   : QString();
}

} // namespace og
