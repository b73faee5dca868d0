// SPDX-License-Identifier: GPL-3.0-or-later
// /api/v1/sessions: live machines to SSH into, paused and resumed with their home kept.
#include "server/api/routes.h"

#include "core/apitoken.h"
#include "core/httpupgrade.h"
#include "core/names.h"
#include "server/api/computerequest.h"
#include "server/events/eventhub.h"
#include "server/http/authenticator.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/runs/runnames.h"
#include "server/runs/scheduler.h"
#include "server/servercontext.h"
#include "server/sessions/sessionmanager.h"
#include "server/sessions/sessionstore.h"
#include "server/sessions/sshkeystore.h"
#include "server/sessions/sshtunnel.h"
#include "server/store/database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <unistd.h>

namespace og {

namespace {
const QString kName = QStringLiteral("name");
// GET …/ssh with `Upgrade: opengrid-ssh`: the client's own socket goes to the session's sshd.
const QByteArray kSshUpgrade = QByteArray(httpupgrade::kSshProtocol);

HttpResponse sessionJson(int status, const SessionRecord &s)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("session"), s.info.toJson()}});
}

void publish(RequestContext &ctx, const QString &action, const SessionRecord &s)
{
    ctx.server.events->publish({QStringLiteral("sessions"), action, ctx.user.userId, s.info.toJson()});
}

// After a change of `s`: publishes the session as it is now, lets the scheduler act on it at
// once, and answers with it.
HttpResponse announceChange(RequestContext &ctx, const SessionStore &store, const SessionRecord &s)
{
    const SessionRecord now = store.find(ctx.user.userId, s.info.name).value_or(s);
    publish(ctx, QStringLiteral("updated"), now);
    ctx.server.scheduler->wake();
    return sessionJson(200, now);
}

// The caller's session named in the path, or the 404.
std::optional<SessionRecord> findSession(const HttpRequest &request, RequestContext &ctx, HttpResponse *error)
{
    const QString name = request.pathParams.value(kName);
    auto s = SessionStore(ctx.db).find(ctx.user.userId, name);
    if (!s)
        *error = notFound(QStringLiteral("session"), name);
    return s;
}

HttpResponse conflict(const QString &message)
{
    return HttpResponse::error(409, QStringLiteral("conflict"), message);
}

HttpResponse listSessions(const HttpRequest &, RequestContext &ctx)
{
    QJsonArray sessions;
    for (const SessionRecord &s : SessionStore(ctx.db).list(ctx.user.userId))
        sessions.append(s.info.toJson());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("sessions"), sessions}});
}

HttpResponse getSession(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto s = findSession(request, ctx, &error);
    return s ? sessionJson(200, *s) : error;
}

HttpResponse createSession(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    auto body = readJsonBody(request, &error);
    if (!body)
        return error;
    QString name = body->optionalString(kName);
    const QString instanceType = body->optionalString(QStringLiteral("instance_type"), QStringLiteral("cpu-1"));
    const QString datastoreName = body->optionalString(QStringLiteral("datastore_name"));
    const qint64 datastoreVersion = body->optionalInteger(QStringLiteral("datastore_version"), 0, 0, 1 << 30);
    const QString mountDir = body->optionalString(QStringLiteral("datastore_mount_dir"));
    const qint64 diskSize = body->optionalInteger(QStringLiteral("disk_size"), 0, 0, 1 << 20);
    body->rejectUnknown({kName, QStringLiteral("instance_type"), QStringLiteral("datastore_name"), QStringLiteral("datastore_version"),
                         QStringLiteral("datastore_mount_dir"), QStringLiteral("disk_size")});
    if (!body->ok())
        return invalidRequest(body->error());
    SessionStore sessions(ctx.db);
    if (name.isEmpty()) {
        do
            name = randomRunName();
        while (sessions.nameTaken(ctx.user.userId, name));
    } else if (const auto problem = names::validate(name, QStringLiteral("Session"))) {
        return invalidRequest(*problem);
    } else if (sessions.nameTaken(ctx.user.userId, name)) {
        return conflict(QStringLiteral("A Session with the name %1 already exists").arg(name));
    }
    if (datastoreName.isEmpty() && (datastoreVersion > 0 || !mountDir.isEmpty()))
        return invalidRequest(QStringLiteral("datastore_version and datastore_mount_dir need a datastore_name"));
    const auto shape = resolveShape(ctx, instanceType, &error);
    if (!shape)
        return error;
    std::optional<ResolvedMount> mount;
    if (!datastoreName.isEmpty()) {
        mount = resolveDatastoreMount(ctx, datastoreName, datastoreVersion, mountDir, &error);
        if (!mount)
            return error;
    }
    if (SessionManager::sshdProgram().isEmpty())
        return HttpResponse::error(503, QStringLiteral("sshd_missing"),
                                   QStringLiteral("sessions need OpenSSH's server on the gridd machine: install the "
                                                  "openssh-server package there"));

    SessionSummary info;
    info.name = name;
    info.instanceType = shape->instanceType;
    info.sshUser = SessionManager::loginUser();
    if (mount) {
        info.datastore = datastoreName;
        info.datastoreVersion = mount->version;
        info.mountDir = mount->mountDir;
    }
    const QString id = randomId(16);
    SessionManager &manager = *ctx.server.sessions;
    if (const QString why = manager.prepare(id, name, &info.hostKey); !why.isEmpty()) {
        manager.removeFiles(id);
        return HttpResponse::error(500, QStringLiteral("internal_error"), why);
    }
    SessionRecord created;
    try {
        created = sessions.create(id, ctx.user.userId, info, mount ? mount->versionId : QString(),
                                  mount ? mount->treePath : QString(), int(diskSize));
    } catch (...) {
        manager.removeFiles(id);
        throw;
    }
    manager.writeAuthorizedKeys(id, SshKeyStore(ctx.db).authorizedKeys(ctx.user.userId));
    const auto stored = sessions.find(ctx.user.userId, name);
    publish(ctx, QStringLiteral("created"), stored.value_or(created));
    ctx.server.scheduler->wake();
    return sessionJson(201, stored.value_or(created));
}

HttpResponse pauseSession(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto s = findSession(request, ctx, &error);
    if (!s)
        return error;
    SessionStore store(ctx.db);
    const QString status = s->info.status;
    if (status == u"paused" || status == u"pausing")
        return sessionJson(200, *s);
    if (status == u"running" && store.transition(s->id, {QStringLiteral("running")}, QStringLiteral("pausing")))
        ctx.server.sessions->stop(s->id);
    else if (!(status == u"pending" && store.transition(s->id, {QStringLiteral("pending")}, QStringLiteral("paused"))))
        return conflict(QStringLiteral("session %1 is %2 and cannot be paused").arg(s->info.name, status));
    return announceChange(ctx, store, *s);
}

HttpResponse resumeSession(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto s = findSession(request, ctx, &error);
    if (!s)
        return error;
    SessionStore store(ctx.db);
    const QString status = s->info.status;
    if (status == u"running" || status == u"pending")
        return conflict(QStringLiteral("session %1 is already %2; nothing to resume")
                            .arg(s->info.name, status == u"running" ? QStringLiteral("running") : QStringLiteral("starting")));
    if (status == u"pausing")
        return conflict(QStringLiteral("session %1 is still pausing; resume it once it is paused (a few seconds)").arg(s->info.name));
    if (!store.transition(s->id, {QStringLiteral("paused"), QStringLiteral("failed")}, QStringLiteral("pending")))
        return conflict(QStringLiteral("session %1 is %2 and cannot be resumed").arg(s->info.name, status));
    return announceChange(ctx, store, *s);
}

HttpResponse changeInstanceType(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    auto body = readJsonBody(request, &error);
    if (!body)
        return error;
    const QString instanceType = body->requiredString(QStringLiteral("instance_type"));
    body->rejectUnknown({QStringLiteral("instance_type")});
    if (!body->ok())
        return invalidRequest(body->error());
    const auto s = findSession(request, ctx, &error);
    if (!s)
        return error;
    if (s->info.status != u"paused" && s->info.status != u"failed")
        return conflict(QStringLiteral("session %1 is %2; pause it first (grid session pause %1), then change its instance type")
                            .arg(s->info.name, s->info.status));
    const auto shape = resolveShape(ctx, instanceType, &error);
    if (!shape)
        return error;
    SessionStore store(ctx.db);
    store.setInstanceType(s->id, shape->instanceType);
    return announceChange(ctx, store, *s);
}

HttpResponse deleteSession(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto s = findSession(request, ctx, &error);
    if (!s)
        return error;
    SessionStore store(ctx.db);
    if (store.transition(s->id, {QStringLiteral("running"), QStringLiteral("pausing")}, QStringLiteral("deleting"))) {
        ctx.server.sessions->stop(s->id); // files and row go once it has stopped
        return announceChange(ctx, store, *s);
    }
    if (s->info.status == u"deleting")
        return sessionJson(200, *s);
    // Nothing runs: pending (not started yet), paused or failed.
    store.remove(s->id);
    ctx.server.sessions->removeFiles(s->id);
    SessionRecord gone = *s;
    gone.info.status = QStringLiteral("deleted");
    publish(ctx, QStringLiteral("deleted"), gone);
    return sessionJson(200, gone);
}

// Vets GET …/ssh before the upgrade, so a refusal is a plain JSON error.
HttpResponse checkSsh(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto s = findSession(request, ctx, &error);
    if (!s)
        return error;
    if (s->info.status != u"running")
        return conflict(s->info.status == u"paused"
                            ? QStringLiteral("session %1 is paused; resume it first: grid session resume %1").arg(s->info.name)
                            : QStringLiteral("session %1 is %2, not running").arg(s->info.name, s->info.status));
    const QString keys = SshKeyStore(ctx.db).authorizedKeys(ctx.user.userId);
    if (keys.isEmpty())
        return HttpResponse::error(412, QStringLiteral("no_ssh_keys"),
                                   QStringLiteral("you have no SSH keys registered; add one first: grid ssh-keys add NAME ~/.ssh/id_ed25519"));
    // Keys added since the session started count from this connection on.
    if (const QString e = ctx.server.sessions->writeAuthorizedKeys(s->id, keys); !e.isEmpty())
        return HttpResponse::error(500, QStringLiteral("internal_error"), e);
    // An agent started by a gridd from before the direct connections listens only for byte
    // streams: its client falls back to the WebSocket (until the session is paused and resumed).
    const SessionManager &manager = *ctx.server.sessions;
    if (request.header("upgrade").trimmed().toLower() == kSshUpgrade && QFile::exists(manager.agentSocket(s->id))
        && !QFile::exists(manager.handOverSocket(s->id))) {
        HttpResponse refusal = HttpResponse::error(
            426, QStringLiteral("upgrade_required"),
            QStringLiteral("session %1 was started before direct SSH connections existed; use the WebSocket, "
                           "or pause and resume it").arg(s->info.name));
        refusal.headers.append(qMakePair(QByteArray("Upgrade"), QByteArray("websocket")));
        return refusal;
    }
    return HttpResponse::json(200, QJsonObject{});
}

// The caller's running session named in `params`, looked up again: the identity is bound
// here, from the handshake this connection carries.
std::optional<SessionRecord> runningSession(const AuthenticatedUser &user, const QHash<QString, QString> &params,
                                            const ServerContext &server)
{
    auto s = SessionStore(server.database->connection()).find(user.userId, params.value(kName));
    if (!s || s->info.status != u"running")
        return std::nullopt;
    return s;
}

// Over TLS: Qt's WebSocket, piped by SshTunnel.
void acceptSsh(std::unique_ptr<QWebSocket> socket, const AuthenticatedUser &user, const QHash<QString, QString> &params,
               const ServerContext &server, QObject *owner)
{
    const auto s = runningSession(user, params, server);
    if (!s) {
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("session not running"));
        return;
    }
    new SshTunnel(std::move(socket), server.sessions->agentSocket(s->id), {s->id, s->userId, s->info.name},
                  server.sessions->connections(), owner);
}

// For an upgraded plain-TCP connection: its running session, or nullopt with `descriptor`
// closed (paused or deleted since the check a moment ago).
std::optional<SessionRecord> sessionForSocket(int descriptor, const AuthenticatedUser &user, const QHash<QString, QString> &params,
                                              const ServerContext &server)
{
    std::optional<SessionRecord> s;
    try {
        s = runningSession(user, params, server);
    } catch (...) {
        ::close(descriptor);
        throw;
    }
    if (!s)
        ::close(descriptor);
    return s;
}

// Plain TCP, WebSocket: the socket itself, relayed on a thread of its own.
void acceptSshStream(int descriptor, const QByteArray &early, const AuthenticatedUser &user, const QHash<QString, QString> &params,
                     const ServerContext &server)
{
    if (const auto s = sessionForSocket(descriptor, user, params, server))
        server.sessions->connections().relay(descriptor, early, {s->id, s->userId, s->info.name}, server.sessions->agentSocket(s->id));
}

// Plain TCP with `Upgrade: opengrid-ssh`: the socket itself goes to the session's sshd.
void acceptSshDirect(int descriptor, const QByteArray &, const AuthenticatedUser &user, const QHash<QString, QString> &params,
                     const ServerContext &server)
{
    if (const auto s = sessionForSocket(descriptor, user, params, server))
        server.sessions->connections().handOver(descriptor, {s->id, s->userId, s->info.name}, server.sessions->handOverSocket(s->id));
}
} // namespace

void registerSessionRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/sessions"), listSessions);
    router.add("POST", QStringLiteral("/api/v1/sessions"), createSession);
    router.add("GET", QStringLiteral("/api/v1/sessions/{name}"), getSession);
    router.add("DELETE", QStringLiteral("/api/v1/sessions/{name}"), deleteSession);
    router.add("POST", QStringLiteral("/api/v1/sessions/{name}/pause"), pauseSession);
    router.add("POST", QStringLiteral("/api/v1/sessions/{name}/resume"), resumeSession);
    router.add("POST", QStringLiteral("/api/v1/sessions/{name}/instance-type"), changeInstanceType);
    router.addWebSocket(QStringLiteral("/api/v1/sessions/{name}/ssh"), acceptSsh, checkSsh, acceptSshStream);
    router.addRawUpgrade(QStringLiteral("/api/v1/sessions/{name}/ssh"), kSshUpgrade, acceptSshDirect);
}

} // namespace og
