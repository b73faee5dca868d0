// SPDX-License-Identifier: GPL-3.0-or-later
// /api/v1/ssh-keys: the public keys a user's sessions accept.
#include "server/api/routes.h"

#include "core/sshpublickey.h"
#include "server/events/eventhub.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/servercontext.h"
#include "server/sessions/sshkeystore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace og {

namespace {
HttpResponse listKeys(const HttpRequest &, RequestContext &ctx)
{
    QJsonArray keys;
    for (const SshKeyRecord &k : SshKeyStore(ctx.db).list(ctx.user.userId))
        keys.append(k.toJson());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("ssh_keys"), keys}});
}

HttpResponse addKey(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    auto body = readJsonBody(request, &error);
    if (!body)
        return error;
    const QString name = body->requiredString(QStringLiteral("name"));
    const QString line = body->requiredString(QStringLiteral("public_key"));
    body->rejectUnknown({QStringLiteral("name"), QStringLiteral("public_key")});
    if (!body->ok())
        return invalidRequest(body->error());
    // Grid's own tutorial names a key `key_1`: key names are labels, looser than resource names.
    static const QRegularExpression keyName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    if (!keyName.match(name).hasMatch())
        return invalidRequest(QStringLiteral("invalid SSH key name '%1': use up to 64 letters, digits, '.', '_' or '-', "
                                             "starting with a letter or digit (e.g. key_1)").arg(name.left(80)));
    QString why;
    const auto key = SshPublicKey::parse(line, &why);
    if (!key)
        return HttpResponse::error(422, QStringLiteral("invalid_ssh_key"), why);
    QString conflict;
    const auto added = SshKeyStore(ctx.db).add(ctx.user.userId, name, *key, &conflict);
    if (!added)
        return HttpResponse::error(409, QStringLiteral("conflict"), conflict);
    ctx.server.events->publish({QStringLiteral("ssh-keys"), QStringLiteral("created"), ctx.user.userId, added->toJson()});
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("ssh_key"), added->toJson()}});
}

HttpResponse removeKey(const HttpRequest &request, RequestContext &ctx)
{
    const QString id = request.pathParams.value(QStringLiteral("id"));
    const auto removed = SshKeyStore(ctx.db).remove(ctx.user.userId, id);
    if (!removed)
        return notFound(QStringLiteral("SSH key"), id);
    ctx.server.events->publish({QStringLiteral("ssh-keys"), QStringLiteral("deleted"), ctx.user.userId, removed->toJson()});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("ssh_key"), removed->toJson()}});
}
} // namespace

void registerSshKeyRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/ssh-keys"), listKeys);
    router.add("POST", QStringLiteral("/api/v1/ssh-keys"), addKey);
    router.add("DELETE", QStringLiteral("/api/v1/ssh-keys/{id}"), removeKey);
}

} // namespace og
