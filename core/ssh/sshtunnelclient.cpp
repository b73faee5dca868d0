// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshtunnelclient.h"

#include "core/apiclient.h"
#include "core/httpupgrade.h"

#include <QSocketNotifier>
#include <QTcpSocket>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
// The direct attempt's connect and gridd's answer; past this the WebSocket is tried instead.
constexpr int kDirectAnswerMs = 15000;
// An answer head longer than this is not gridd's.
constexpr qsizetype kMaxAnswerHead = 64 * 1024;

// A direct socket carries the SSH connection with nothing between that would ping: TCP notices
// a dead path within about a minute, as the WebSocket's pings do (probes from 15 s idle, every
// 5 s; the 60 s user timeout bounds unanswered probes and unacknowledged data alike).
void setDirectSocketOptions(int fd)
{
    const int one = 1; // each keystroke is one small packet: send it now, not after an ACK
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    const int idle = 15, interval = 5, count = 6, userTimeoutMs = 60000;
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeoutMs, sizeof userTimeoutMs);
}
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
    m_answerTimeout.setSingleShot(true);
    m_answerTimeout.setInterval(kDirectAnswerMs);
    connect(&m_answerTimeout, &QTimer::timeout, this, &SshTunnelClient::endDirectAttempt);
}

SshTunnelClient::~SshTunnelClient()
{
    m_socket.disconnect(this);
    m_socket.abort();
    closeLocal();
    m_closing = true; // no fallback from here
    endDirectAttempt();
    if (m_sshFd >= 0)
        ::close(m_sshFd);
}

void SshTunnelClient::open(const ApiClient &api, const QString &session, bool allowDirect)
{
    m_session = session;
    m_url = api.endpointUrl(QStringLiteral("/sessions/%1/ssh").arg(session));
    m_authorization = api.authorizationHeader();
    m_socket.setSslConfiguration(api.sslConfiguration());
    // Over https the bytes must go through TLS, which only the WebSocket has here.
    if (allowDirect && m_url.scheme() == u"http" &&
        qEnvironmentVariable("OPENGRID_SSH_TUNNEL") != u"websocket")
        openDirect();
    else
        openWebSocket();
}

void SshTunnelClient::openWebSocket()
{
    m_way = Way::WebSocket;
    QUrl url = m_url;
    url.setScheme(url.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", m_authorization.toLatin1());
    m_socket.open(request);
}

void SshTunnelClient::openDirect()
{
    m_way = Way::Direct;
    m_connecting = new QTcpSocket(this);
    connect(m_connecting, &QTcpSocket::connected, this, &SshTunnelClient::onDirectConnected);
    // Not reachable: the WebSocket tries the same address and says so in its own words.
    connect(m_connecting, &QTcpSocket::errorOccurred, this, &SshTunnelClient::endDirectAttempt);
    m_answerTimeout.start();
    m_connecting->connectToHost(m_url.host(), quint16(m_url.port(80)));
}

void SshTunnelClient::onDirectConnected()
{
    // The socket leaves Qt here: once upgraded it is libssh's, and no byte of what sshd sends
    // after gridd's answer may end up in a QTcpSocket buffer. (Qt's close of its descriptor
    // is a plain close: the duplicate keeps the connection.)
    const int fd = ::fcntl(int(m_connecting->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    m_connecting->disconnect(this);
    m_connecting->abort();
    m_connecting->deleteLater();
    m_connecting = nullptr;
    if (fd < 0) {
        endDirectAttempt();
        return;
    }
    m_directFd = fd;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    setDirectSocketOptions(fd);
    const QByteArray request = httpupgrade::requestHead(
        m_url, m_authorization,
        QByteArray("Upgrade: ") + httpupgrade::kSshProtocol + "\r\nConnection: Upgrade\r\n");
    // A fresh socket's send buffer takes these few hundred bytes whole.
    if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) !=
        ssize_t(request.size())) {
        endDirectAttempt();
        return;
    }
    m_answerNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_answerNotifier, &QSocketNotifier::activated, this,
            &SshTunnelClient::readDirectAnswer);
}

void SshTunnelClient::readDirectAnswer()
{
    // A few bytes at a time, never past the head's blank line: sshd's banner may follow it.
    while (!m_answer.endsWith("\r\n\r\n")) {
        char buffer[4];
        const ssize_t n =
            ::recv(m_directFd, buffer, size_t(httpupgrade::bytesBeforePossibleEnd(m_answer)), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0 || m_answer.size() > kMaxAnswerHead) {
            endDirectAttempt();
            return;
        }
        m_answer.append(buffer, qsizetype(n));
    }
    if (!httpupgrade::switchedTo(m_answer.chopped(4), httpupgrade::kSshProtocol)) {
        // An older gridd (400), a session that needs the WebSocket (426), or a refusal (no
        // such session, not running): the WebSocket's answer says which in its own words.
        endDirectAttempt();
        return;
    }
    delete m_answerNotifier;
    m_answerNotifier = nullptr;
    m_answerTimeout.stop();
    m_answer.clear();
    m_sshFd = std::exchange(m_directFd, -1);
    m_opened = true;
    emit opened();
}

void SshTunnelClient::endDirectAttempt()
{
    m_answerTimeout.stop();
    delete m_answerNotifier; // before its fd closes
    m_answerNotifier = nullptr;
    if (m_connecting) {
        m_connecting->disconnect(this);
        m_connecting->abort();
        m_connecting->deleteLater();
        m_connecting = nullptr;
    }
    if (m_directFd >= 0) {
        ::close(m_directFd);
        m_directFd = -1;
    }
    m_answer.clear();
    if (m_way == Way::Direct && !m_opened && !m_closing)
        openWebSocket();
}

void SshTunnelClient::reopenOverWebSocket()
{
    if (m_way != Way::Direct || m_closing)
        return;
    m_opened = false;
    if (m_sshFd >= 0) { // not taken (the SSH client normally has it, and closes it)
        ::close(m_sshFd);
        m_sshFd = -1;
    }
    openWebSocket();
}

int SshTunnelClient::takeSshSocket()
{
    return std::exchange(m_sshFd, -1);
}

void SshTunnelClient::close()
{
    m_closing = true;
    m_pingTimer.stop();
    endDirectAttempt();
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
