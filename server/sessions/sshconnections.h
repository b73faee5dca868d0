// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace og {

// The open SSH connections of every session: how many each has (the Session's
// `ssh_connections`), and a thread per plain-TCP connection:
//
// - handOver (the `opengrid-ssh` upgrade): the thread passes the client's socket to the
//   session agent, which starts `sshd -i` on it, and then only waits for the agent to say
//   that sshd ended. No byte of the connection passes through gridd.
// - relay (a WebSocket): the thread runs websocket::pump between the client's WebSocket and
//   the session agent's Unix socket (where an `sshd -i` answers), outside the HTTP workers'
//   Qt event loops: each byte costs one poll and two system calls here, not a trip through
//   QWebSocket's signals and buffers.
// Which session a connection belongs to, and whose it is (for its events).
struct SshSessionRef
{
    QString id;
    QString userId;
    QString name;
};

class SshConnections final
{
    Q_DISABLE_COPY_MOVE(SshConnections)
public:
    // `changed(session)` runs on the thread that created this object (the main thread)
    // whenever a session's count changes.
    explicit SshConnections(std::function<void(const SshSessionRef &session)> changed);
    ~SshConnections(); // ends every relay (their clients see a WebSocket close 1001)

    // Any thread. How many SSH connections session `sessionId` has open now.
    static int count(const QString &sessionId);

    // Counting for connections carried elsewhere (SshTunnel, over TLS). Any thread.
    void opened(const SshSessionRef &session);
    void closed(const SshSessionRef &session);

    // Takes over `webSocketFd` (a connected TCP socket past the WebSocket handshake; `early`
    // holds bytes the client sent after it) and relays it to the agent at `agentSocket` on
    // a new thread until either side ends. Any thread.
    void relay(int webSocketFd, const QByteArray &early, const SshSessionRef &session, const QString &agentSocket);
    // Takes over `clientFd` (a connected TCP socket past the `opengrid-ssh` upgrade) and passes
    // it to the agent at `handOverSocket`; counts the connection until that sshd ends. Any thread.
    // A connection handed over outlives gridd (it is the session's sshd's alone).
    void handOver(int clientFd, const SshSessionRef &session, const QString &handOverSocket);

private:
    struct Relay
    {
        std::thread thread;
        bool done = false; // under m_mutex
    };
    // Runs `work` on a thread of its own, counting the connection meanwhile; closes
    // `clientFd` when no thread can start.
    void start(int clientFd, const SshSessionRef &session, std::function<void()> work);
    void runRelay(int webSocketFd, const QByteArray &early, const SshSessionRef &session, const QString &agentSocket);
    void runHandOver(int clientFd, const SshSessionRef &session, const QString &handOverSocket);
    int connectAgent(const QString &agentSocket, const QString &sessionName) const; // -1 when it cannot
    void reapFinished(); // under m_mutex

    std::function<void(const SshSessionRef &)> m_changed;
    QObject m_mainThread; // where `changed` runs; pending calls die with it
    int m_stop;           // eventfd: readable once this object is going away
    std::mutex m_mutex;
    std::list<Relay> m_relays;
};

} // namespace og
