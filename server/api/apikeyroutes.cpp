// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "core/names.h"
#include "server/events/eventhub.h"
#include "server/http/authenticator.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"

#include <QJsonArray>
#include <QJsonObject>

namespace og {

namespace {
void publish(RequestContext &ctx, const QString &action, const ApiKey &key)
{
    ctx.server.events->publish({QStringLiteral("api-keys"), action, ctx.user.userId, key.toJson()});
}

HttpResponse listKeys(const HttpRequest &, RequestContext &ctx)
{
    QJsonArray keys;
    for (const ApiKey &k : UserStore(ctx.db).listApiKeys(ctx.user.userId))
        keys.append(k.toJson());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("api_keys"), keys}});
}

HttpResponse createKey(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    auto body = readJsonBody(request, &error);
    if (!body)
        return error;
    const QString name = body->requiredString(QStringLiteral("name"));
    body->rejectUnknown({QStringLiteral("name")});
    if (!body->ok())
        return invalidRequest(body->error());
    if (const auto problem = names::validate(name, QStringLiteral("API key")))
        return invalidRequest(*problem);
    const auto created = UserStore(ctx.db).createApiKey(ctx.user.userId, name);
    publish(ctx, QStringLiteral("created"), created.key);
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("api_key"), created.key.toJson()},
                                               {QStringLiteral("token"), created.token}});
}

HttpResponse getKey(const HttpRequest &request, RequestContext &ctx)
{
    const QString id = request.pathParams.value(QStringLiteral("id"));
    const auto key = UserStore(ctx.db).findApiKey(ctx.user.userId, id);
    if (!key)
        return notFound(QStringLiteral("API key"), id);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("api_key"), key->toJson()}});
}

HttpResponse revokeKey(const HttpRequest &request, RequestContext &ctx)
{
    const QString id = request.pathParams.value(QStringLiteral("id"));
    const auto key = UserStore(ctx.db).revokeApiKey(ctx.user.userId, id);
    if (!key)
        return notFound(QStringLiteral("API key"), id);
    Authenticator::invalidateCache(); // revoked means revoked now, on every worker
    publish(ctx, QStringLiteral("updated"), *key);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("api_key"), key->toJson()}});
}
} // namespace

void registerApiKeyRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/api-keys"), listKeys);
    router.add("POST", QStringLiteral("/api/v1/api-keys"), createKey);
    router.add("GET", QStringLiteral("/api/v1/api-keys/{id}"), getKey);
    router.add("DELETE", QStringLiteral("/api/v1/api-keys/{id}"), revokeKey);
}

} // namespace og
