// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <QHash>
#include <QString>
#include <thread>
#include <vector>

namespace og {

class Database;
class ObjectStore;

// Uploads from a client on the same machine without copying the bytes through HTTP: the
// client opens each file itself and passes the open descriptor over a Unix socket
// (SOCK_SEQPACKET, SCM_RIGHTS); gridd reads the file through it, hashes what it reads, checks
// it against the object's name and stores it like any upload. gridd never opens a path the
// client names, so it reads nothing the client could not read itself.
//
// The socket lives in gridd's data directory (which only gridd's user may enter). A client
// first gets a short-lived token from `POST /api/v1/objects/local` over the authenticated
// API; a connection presenting it stores objects as that user. Protocol (docs/api.md):
//   client: "OGFD1 <token>"                      gridd: "OK" | "ERR <code> 0 <message>"
//   client: "<sha256> <size>\n" × k, k descriptors   gridd: "OK <k>" and "\n<sha256> +" (stored
//   now)
//           ("- <size>": gridd hashes it)                    or "\n<sha256> =" (held already) × k,
//                                                            | "ERR <code> <i> <message>"
// Objects before index i of a refused message are stored and recorded; after an ERR gridd
// closes the connection. Each connection is served by a thread of its own.
class LocalIntake final
{
    Q_DISABLE_COPY_MOVE(LocalIntake)

public:
    LocalIntake(QString socketPath, ObjectStore &objects, Database &database);
    ~LocalIntake();

    QString start(); // empty on success
    void stop();

    const QString &socketPath() const { return m_socketPath; }
    // A token that lets connections store objects as `userId` for the next kTokenSeconds.
    QString issueToken(const QString &userId);

    static constexpr int kTokenSeconds = 300;
    static constexpr int kMaxConnections = 16;
    static constexpr int kMaxObjectsPerMessage = 250; // SCM_RIGHTS carries at most 253
    static constexpr int kIdleSeconds = 120;

private:
    struct Connection;
    void acceptLoop();
    void serve(int fd);
    QString userForToken(const QString &token);

    QString m_socketPath;
    ObjectStore &m_objects;
    Database &m_database;
    int m_listenFd = -1;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptor;
    std::mutex m_mutex;
    struct Token
    {
        QString userId;
        qint64 expiresAtMs = 0;
    };
    QHash<QString, Token> m_tokens;
    std::vector<std::shared_ptr<Connection>> m_connections;
};

} // namespace og
