// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/servercontext.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace og {

class DataDirLock;
class Database;
class DatastoreWorker;
class LocalBackend;
class Scheduler;
class SessionManager;
class ObjectStore;
class LocalIntake;
class EventHub;
class HttpServer;
class InstanceTypeRegistry;
class Router;

// The whole platform in one object: claims the data directory, opens and migrates the
// database, bootstraps local mode, wires the API and listens. stop() is the graceful path
// SIGTERM takes.
class PlatformServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlatformServer)
public:
    explicit PlatformServer(ServerConfig config, QObject *parent = nullptr);
    ~PlatformServer() override;

    // Empty on success, else a message for the operator.
    QString start();
    void stop();
    QUrl url() const;

private:
    ServerContext m_context;
    std::unique_ptr<DataDirLock> m_lock;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<EventHub> m_events;
    std::unique_ptr<InstanceTypeRegistry> m_instanceTypes;
    std::unique_ptr<ObjectStore> m_objects;
    std::unique_ptr<DatastoreWorker> m_datastores;
    std::unique_ptr<LocalIntake> m_localIntake; // after the store and database it uses: destroyed before them
    std::unique_ptr<LocalBackend> m_backend;
    std::unique_ptr<SessionManager> m_sessions; // before the scheduler, which calls it: destroyed after it
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<HttpServer> m_http;
    bool m_running = false;
};

} // namespace og
