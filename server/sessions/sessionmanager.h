// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"
#include "server/sessions/sessionstore.h"
#include "server/sessions/sshconnections.h"

#include <QHash>
#include <QString>

#include <memory>

namespace og {

class ComputeBackend;
class Database;
class EventHub;
class InstanceTypeRegistry;

// Runs sessions on the local backend. A session is a long-lived sandbox under the same
// supervisor as experiments (`gridd supervise`), so it outlives gridd restarts. Inside it,
// `gridd-session-agent` waits on a Unix socket and starts one `sshd -i` per connection; the
// API's SSH WebSocket is piped to that socket. Its home directory lives on in the session's
// directory across pauses; pausing stops every process and frees the resources.
//
// Layout of <data>/sessions/<id>/: home/ (the user's home inside), ssh/ (host key,
// sshd_config, authorized_keys; read-only inside), run/ (the agent's socket), instance/ (the
// supervisor's directory: launch.json, output.log, exit.json).
class SessionManager final
{
    Q_DISABLE_COPY_MOVE(SessionManager)
public:
    SessionManager(Database &database, EventHub &events, ComputeBackend &backend, const InstanceTypeRegistry &types,
                   QString root, QString agentProgram);
    ~SessionManager();

    // The open SSH connections; any thread.
    SshConnections &connections() const { return *m_connections; }

    // Any thread.
    QString sessionDir(const QString &id) const { return m_root + u'/' + id; }
    QString agentSocket(const QString &id) const { return sessionDir(id) + QStringLiteral("/run/agent.sock"); }
    // Where the agent takes clients' sockets (sessionagent.h); absent for an agent older than that.
    QString handOverSocket(const QString &id) const;
    // Creates the session's directories and its SSH host key; the public key line in
    // `hostKey`. Empty on success, else why not.
    QString prepare(const QString &id, const QString &name, QString *hostKey) const;
    // The user's registered keys, as sshd will read them on the next connection.
    QString writeAuthorizedKeys(const QString &id, const QString &keys) const;
    void stop(const QString &id) const;
    void removeFiles(const QString &id) const;
    // The login inside sessions: the account gridd runs as (sandboxes keep its uid).
    static QString loginUser();
    static QString sshdProgram(); // empty when openssh-server is not installed

    // Main thread, at the start of each scheduling pass: records sessions that ended,
    // starts pending ones that fit, and takes what running sessions hold from the free
    // resources experiments may use.
    void pass(int &freeCpus, qint64 &freeMemory, QList<int> &freeGpus);

private:
    bool tryStart(const SessionRecord &s, int &freeCpus, qint64 &freeMemory, QList<int> &freeGpus);
    QString writeSshdConfig(const SessionRecord &s, const QList<GpuDevice> &gpus) const;
    void publish(const QString &userId, const QString &name, const QString &action = QStringLiteral("updated"));
    std::optional<InstanceShape> shapeOf(const SessionRecord &s) const;

    Database &m_database;
    EventHub &m_events;
    ComputeBackend &m_backend;
    const InstanceTypeRegistry &m_types;
    QString m_root;
    QString m_agent; // gridd-session-agent, beside gridd
    QHash<QString, qint64> m_stopSentAt; // main thread only
    std::unique_ptr<SshConnections> m_connections;
};

} // namespace og
