// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/platformserver.h"

#include "server/api/routes.h"
#include "server/backends/local/localbackend.h"
#include "server/runs/scheduler.h"
#include "server/sessions/sessionmanager.h"
#include "server/content/localintake.h"
#include "server/content/objectstore.h"
#include "server/datastores/datastoreworker.h"
#include "server/datadirlock.h"
#include "server/events/eventhub.h"
#include "server/http/httpserver.h"
#include "server/http/router.h"
#include "server/localbootstrap.h"
#include "server/resources/instancetyperegistry.h"
#include "server/resources/machineinventory.h"
#include "server/store/database.h"

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>

namespace og {

Q_LOGGING_CATEGORY(lcServer, "opengrid.server", QtInfoMsg)

PlatformServer::PlatformServer(ServerConfig config, QObject *parent)
    : QObject(parent)
{
    m_context.config = std::move(config);
}

PlatformServer::~PlatformServer()
{
    stop();
}

QUrl PlatformServer::url() const
{
    QUrl url;
    url.setScheme(m_context.config.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http"));
    const QString host = m_http ? m_http->serverAddress().toString() : m_context.config.listenHost;
    url.setHost(host == u"0.0.0.0" ? QStringLiteral("127.0.0.1") : host);
    url.setPort(m_http ? m_http->serverPort() : m_context.config.listenPort);
    return url;
}

QString PlatformServer::start()
{
    ServerConfig &config = m_context.config;
    if (const QString problem = config.validate(); !problem.isEmpty())
        return problem;
    const QString dataDir = config.dataDir;
    if (!QDir().mkpath(dataDir))
        return QStringLiteral("cannot create the data directory %1").arg(dataDir);
    QFile::setPermissions(dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    m_lock = std::make_unique<DataDirLock>();
    if (const QString e = m_lock->acquire(dataDir); !e.isEmpty())
        return e;

    m_database = std::make_unique<Database>(dataDir + QStringLiteral("/gridd.db"));
    if (const QString e = m_database->open(); !e.isEmpty())
        return e;
    if (config.mode == ServerConfig::Mode::Local) {
        if (const QString e = ensureLocalUser(*m_database, dataDir); !e.isEmpty())
            return QStringLiteral("cannot set up the local user: %1").arg(e);
    }

    m_events = std::make_unique<EventHub>();
    m_objects = std::make_unique<ObjectStore>(dataDir + QStringLiteral("/objects"));
    if (const QString e = m_objects->prepare(); !e.isEmpty())
        return e;
    m_datastores = std::make_unique<DatastoreWorker>(*m_database, *m_objects, *m_events,
                                                     dataDir + QStringLiteral("/datastores"),
                                                     dataDir + QStringLiteral("/imports"), config.datastores);
    if (const QString e = m_datastores->start(); !e.isEmpty())
        return e;
    m_instanceTypes = std::make_unique<InstanceTypeRegistry>(detectLocalMachine(), config.instanceTypes);
    // Experiments run under `gridd supervise`: this very program.
    m_backend = std::make_unique<LocalBackend>(QCoreApplication::applicationFilePath());
    m_scheduler = std::make_unique<Scheduler>(*m_database, *m_events, *m_backend, m_instanceTypes->cluster(),
                                              dataDir + QStringLiteral("/experiments"));
    m_sessions = std::make_unique<SessionManager>(*m_database, *m_events, *m_backend, *m_instanceTypes,
                                                  dataDir + QStringLiteral("/sessions"),
                                                  QCoreApplication::applicationDirPath() + QStringLiteral("/gridd-session-agent"));
    m_scheduler->setSessions(m_sessions.get());
    m_context.scheduler = m_scheduler.get();
    m_context.sessions = m_sessions.get();
    m_context.database = m_database.get();
    m_context.events = m_events.get();
    m_context.instanceTypes = m_instanceTypes.get();
    m_context.objects = m_objects.get();
    // Clients on this machine may pass open files instead of sending their bytes (local mode:
    // the data directory, where the socket lives, is the user's own). Without it they upload
    // over HTTP as from anywhere.
    if (config.mode == ServerConfig::Mode::Local) {
        m_localIntake = std::make_unique<LocalIntake>(dataDir + QStringLiteral("/objects.sock"), *m_objects, *m_database);
        if (const QString e = m_localIntake->start(); !e.isEmpty()) {
            qCWarning(lcServer).noquote() << "no local intake (clients upload over HTTP):" << e;
            m_localIntake.reset();
        }
        m_context.localIntake = m_localIntake.get();
    }
    m_context.datastores = m_datastores.get();
    m_context.startedAt = QDateTime::currentDateTimeUtc();

    m_router = std::make_unique<Router>();
    registerAllRoutes(*m_router, *m_events);
    m_http = std::make_unique<HttpServer>(m_context, *m_router);
    if (const QString e = m_http->start(); !e.isEmpty())
        return e;
    if (const QString e = writeEndpointFile(dataDir, url()); !e.isEmpty())
        return e;
    m_scheduler->start();
    m_running = true;
    qCInfo(lcServer).noquote() << "gridd" << config.modeName() << "mode serving" << url().toString()
                               << "with data in" << dataDir;
    return {};
}

void PlatformServer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    qCInfo(lcServer) << "shutting down";
    m_http->stop();
    if (m_localIntake)
        m_localIntake->stop();
    m_datastores->stop();
    removeEndpointFile(m_context.config.dataDir);
    m_database->closeThreadConnection();
}

} // namespace og
