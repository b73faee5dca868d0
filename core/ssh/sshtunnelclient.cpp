// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshtunnelclient.h"

#include "core/apiclient.h"

#include <QSocketNotifier>
#include <QUrl>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace og {

namespace {
// How often the tunnel pings gridd: the answers give the latency the terminal shows, and a
// NAT or proxy between sees traffic even while the shell is idle.
constexpr int kPingIntervalMs = 15000;
// No pong for this long: the path is dead even if TCP has not noticed yet.
constexpr int kDeadAfterMs = 3 * kPingIntervalMs + 5000;
constexpr qsizetype kReadChunk = 64 * 1024;
} // namespace

SshTunnelClient::SshTunnelClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::connected, this, &SshTunnelClient::onConnected);
    connect(&m_socket, &QWebSocket::disconnected, this, &SshTunnelClient::onDisconnected);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &SshTunnelClient::onMessage);
    connect(&m_socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &) {
        m_latencyMs = qint64(elapsed);
        m_sincePong.restart();
        emit latencyMeasured(m_latencyMs);
    });
    m_pingTimer.setInterval(kPingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &SshTunnelClient::ping);
}

SshTunnelClient::~SshTunnelClient()
{
    m_socket.disconnect(this);
    m_socket.abort();
    closeLocal();
    if (m_sshFd >= 0)
        ::close(m_sshFd);
}

void SshTunnelClient::open(const ApiClient &api, const QString &session)
{
    m_session = session;
    QUrl url = api.endpointUrl(QStringLiteral("/sessions/%1/ssh").arg(session));
    url.setScheme(url.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", api.authorizationHeader().toLatin1());
    m_socket.setSslConfiguration(api.sslConfiguration());
    m_socket.open(request);
}

int SshTunnelClient::takeSshSocket()
{
    return std::exchange(m_sshFd, -1);
}

void SshTunnelClient::close()
{
    m_closing = true;
    m_pingTimer.stop();
    closeLocal();
    m_socket.close();
}

void SshTunnelClient::onConnected()
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        m_socket.abort();
        emit closed(tr("cannot create a socket pair for the SSH connection: %1").arg(why));
        return;
    }
    m_localFd = fds[0];
    m_sshFd = fds[1];
    // Room for a few SSH windows between the WebSocket and libssh, so gridd can keep
    // streaming while the terminal parses what came (the default is ~200 KiB).
    for (int fd : fds) {
        const int size = 4 * 1024 * 1024;
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    ::fcntl(m_localFd, F_SETFL, ::fcntl(m_localFd, F_GETFL) | O_NONBLOCK);
    m_readNotifier = new QSocketNotifier(m_localFd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &SshTunnelClient::readFromSsh);
    m_writeNotifier = new QSocketNotifier(m_localFd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &SshTunnelClient::writeToSsh);
    m_opened = true;
    m_sincePong.start();
    m_pingTimer.start();
    ping();
    emit opened();
}

void SshTunnelClient::onDisconnected()
{
    m_pingTimer.stop();
    QString reason;
    if (!m_closing) {
        // gridd answers a refused upgrade (no such session, not running, no keys) with an
        // HTTP error before any message; the socket's error string carries its status.
        // gridd says in the close frame why it ended the tunnel (e.g. the session's SSH
        // server cannot be reached); that beats the socket's generic error.
        const QString why = m_socket.closeReason().isEmpty() ? m_socket.errorString()
                                                             : m_socket.closeReason();
        reason = m_opened ? tr("the SSH tunnel to session %1 closed: %2").arg(m_session, why)
                          : tr("cannot open the SSH tunnel to session %1: %2").arg(m_session, why);
    }
    // Let libssh see end-of-file rather than wait forever, after handing it what arrived.
    writeToSsh();
    closeLocal();
    emit closed(reason);
}

void SshTunnelClient::onMessage(const QByteArray &bytes)
{
    m_toSsh += bytes;
    writeToSsh();
}

void SshTunnelClient::writeToSsh()
{
    while (m_localFd >= 0 && !m_toSsh.isEmpty()) {
        const ssize_t n = ::write(m_localFd, m_toSsh.constData(), size_t(m_toSsh.size()));
        if (n > 0) {
            m_toSsh.remove(0, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            m_writeNotifier->setEnabled(true); // libssh is behind; go on when it has read
            return;
        }
        m_toSsh.clear(); // libssh's end is gone
        break;
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
}

void SshTunnelClient::readFromSsh()
{
    char buffer[kReadChunk];
    for (;;) {
        const ssize_t n = ::read(m_localFd, buffer, sizeof buffer);
        if (n > 0) {
            m_socket.sendBinaryMessage(QByteArray(buffer, qsizetype(n)));
            if (n < kReadChunk)
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        // libssh closed its end: the SSH connection is over.
        m_closing = true;
        closeLocal();
        m_socket.close();
        return;
    }
}

void SshTunnelClient::closeLocal()
{
    delete m_readNotifier; // before the fd closes
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_localFd >= 0) {
        ::close(m_localFd);
        m_localFd = -1;
    }
}

void SshTunnelClient::ping()
{
    if (m_sincePong.isValid() && m_sincePong.elapsed() > kDeadAfterMs) {
        m_socket.abort(); // disconnected() reports it
        return;
    }
    m_socket.ping();
}

} // namespace og
