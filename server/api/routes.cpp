// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "server/events/eventhub.h"
#include "server/events/eventstream.h"
#include "server/http/authenticator.h"
#include "server/servercontext.h"
#include "server/http/router.h"

namespace og {

void registerAllRoutes(Router &router, EventHub &events)
{
    registerHealthRoutes(router);
    registerUserRoutes(router);
    registerApiKeyRoutes(router);
    registerInstanceTypeRoutes(router);
    registerListRoutes(router);
    registerObjectRoutes(router);
    registerDatastoreRoutes(router);
    registerRunRoutes(router);
    registerArtifactRoutes(router);
    router.addWebSocket(QStringLiteral("/api/v1/events"),
                        [](std::unique_ptr<QWebSocket> socket, const AuthenticatedUser &user, const QHash<QString, QString> &,
                           const ServerContext &server, QObject *owner) {
                            (new EventStream(std::move(socket), user.userId, server.events))->setParent(owner);
                        });
    registerSshKeyRoutes(router);
    registerSessionRoutes(router);
    for (const char *topic : {"api-keys", "ssh-keys", "runs", "experiments", "metrics", "sessions", "datastores"})
        events.registerTopic(QString::fromLatin1(topic));
}

std::optional<JsonReader> readJsonBody(const HttpRequest &request, HttpResponse *error)
{
    QString message;
    auto object = JsonReader::parseObject(request.body, &message);
    if (!object) {
        *error = invalidRequest(message);
        return std::nullopt;
    }
    return JsonReader(*object);
}

HttpResponse invalidRequest(const QString &message)
{
    return HttpResponse::error(400, QStringLiteral("invalid_request"), message);
}

HttpResponse notFound(const QString &kind, const QString &name)
{
    return HttpResponse::error(404, QStringLiteral("not_found"),
                               QStringLiteral("%1 '%2' does not exist").arg(kind, name));
}

} // namespace og
