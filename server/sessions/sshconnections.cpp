// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sshconnections.h"

#include "core/fdpass.h"
#include "core/unixsocket.h"
#include "core/websocketpump.h"

#include <QHash>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcSessions)

namespace og {

namespace {
// Process-wide, so that every description of a session (SessionStore's rows) can carry it.
std::mutex g_countMutex;
QHash<QString, int> g_counts;

constexpr int kConnectTries = 50; // × kConnectRetryMs: a just-started session's agent
constexpr int kConnectRetryMs = 100;
} // namespace

SshConnections::SshConnections(std::function<void(const SshSessionRef &)> changed)
    : m_changed(std::move(changed))
    , m_stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
}

SshConnections::~SshConnections()
{
    const uint64_t one = 1;
    if (::write(m_stop, &one, sizeof one) < 0)
        qCWarning(lcSessions) << "cannot tell the SSH relays to stop:" << std::strerror(errno);
    std::list<Relay> relays;
    {
        std::lock_guard lock(m_mutex);
        relays.swap(m_relays);
    }
    for (Relay &r : relays)
        r.thread.join();
    ::close(m_stop);
}

int SshConnections::count(const QString &sessionId)
{
    std::lock_guard lock(g_countMutex);
    return g_counts.value(sessionId);
}

void SshConnections::opened(const SshSessionRef &session)
{
    {
        std::lock_guard lock(g_countMutex);
        ++g_counts[session.id];
    }
    QMetaObject::invokeMethod(&m_mainThread, [this, session] { m_changed(session); }, Qt::QueuedConnection);
}

void SshConnections::closed(const SshSessionRef &session)
{
    {
        std::lock_guard lock(g_countMutex);
        if (--g_counts[session.id] <= 0)
            g_counts.remove(session.id);
    }
    QMetaObject::invokeMethod(&m_mainThread, [this, session] { m_changed(session); }, Qt::QueuedConnection);
}

void SshConnections::relay(int webSocketFd, const QByteArray &early, const SshSessionRef &session, const QString &agentSocket)
{
    start(webSocketFd, session, [this, webSocketFd, early, session, agentSocket] { runRelay(webSocketFd, early, session, agentSocket); });
}

void SshConnections::handOver(int clientFd, const SshSessionRef &session, const QString &handOverSocket)
{
    start(clientFd, session, [this, clientFd, session, handOverSocket] { runHandOver(clientFd, session, handOverSocket); });
}

void SshConnections::start(int clientFd, const SshSessionRef &session, std::function<void()> work)
{
    opened(session);
    std::lock_guard lock(m_mutex);
    reapFinished();
    Relay &r = m_relays.emplace_back();
    try {
        r.thread = std::thread([this, &r, session, work = std::move(work)] {
            work();
            closed(session);
            std::lock_guard lock(m_mutex);
            r.done = true;
        });
    } catch (const std::system_error &e) { // out of threads: this connection fails, gridd goes on
        qCWarning(lcSessions).noquote() << "cannot start an SSH relay for session" << session.name << ":" << e.what();
        m_relays.pop_back();
        ::close(clientFd);
        closed(session);
    }
}

void SshConnections::reapFinished()
{
    for (auto it = m_relays.begin(); it != m_relays.end();) {
        if (it->done) {
            it->thread.join();
            it = m_relays.erase(it);
        } else {
            ++it;
        }
    }
}

int SshConnections::connectAgent(const QString &agentSocket, const QString &sessionName) const
{
    const QByteArray path = agentSocket.toLocal8Bit();
    for (int attempt = 0;; ++attempt) {
        const int fd = connectUnixSocket(path.constData(), SOCK_STREAM);
        if (fd >= 0)
            return fd;
        const int error = errno;
        if (error == ENAMETOOLONG) {
            qCWarning(lcSessions).noquote() << "session" << sessionName << "agent socket path too long:" << agentSocket;
            return -1;
        }
        // A session is "running" once its sandbox started; its agent may need a moment more
        // to listen. Wait for it rather than fail the user's first connection.
        const bool notListeningYet = error == ENOENT || error == ECONNREFUSED;
        pollfd stop{m_stop, POLLIN, 0};
        if (!notListeningYet || attempt + 1 >= kConnectTries || ::poll(&stop, 1, kConnectRetryMs) != 0) {
            qCWarning(lcSessions).noquote() << "cannot reach the SSH server of session" << sessionName << ":" << std::strerror(error);
            return -1;
        }
    }
}

void SshConnections::runRelay(int webSocketFd, const QByteArray &early, const SshSessionRef &session, const QString &agentSocket)
{
    const int agent = connectAgent(agentSocket, session.name);
    if (agent >= 0) {
        const std::string why = websocket::pump({webSocketFd, agent, agent, m_stop}, websocket::Role::Server, early);
        ::close(agent);
        if (!why.empty())
            qCDebug(lcSessions).noquote() << "ssh tunnel to" << session.name << "ended:" << QString::fromStdString(why);
    }
    ::close(webSocketFd);
}

void SshConnections::runHandOver(int clientFd, const SshSessionRef &session, const QString &handOverSocket)
{
    const int agent = connectAgent(handOverSocket, session.name);
    const bool passed = agent >= 0 && sendDescriptor(agent, clientFd);
    if (agent >= 0 && !passed)
        qCWarning(lcSessions).noquote() << "cannot pass an SSH connection to session" << session.name << ":" << std::strerror(errno);
    // The session's sshd has its own copy now; ours would keep the connection open after it ends.
    ::close(clientFd);
    if (passed) {
        // The agent closes its end when that sshd exits: the connection has ended then.
        pollfd p[2] = {{agent, POLLIN, 0}, {m_stop, POLLIN, 0}};
        while (::poll(p, 2, -1) < 0 && errno == EINTR) {
        }
    }
    if (agent >= 0)
        ::close(agent);
}

} // namespace og
