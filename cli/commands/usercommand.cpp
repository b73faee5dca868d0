// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "core/domain/user.h"

namespace og::cli {

namespace {
int showUser(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("GET", QStringLiteral("/user"));
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson()) {
        ctx.out.json(r.body);
        return 0;
    }
    const User user = User::fromJson(r.object().value(QStringLiteral("user")).toObject());
    ctx.out.line(QStringLiteral("Display name: %1").arg(user.displayName));
    ctx.out.line(QStringLiteral("UserID: %1").arg(user.id));
    ctx.out.line(QStringLiteral("Username: %1").arg(user.username));
    ctx.out.line(QStringLiteral("Email: %1").arg(user.email.isEmpty() ? QStringLiteral("-") : user.email));
    ctx.out.line(QStringLiteral("Cluster context: %1")
                     .arg(r.object().value(QStringLiteral("cluster_context")).toString()));
    return 0;
}
} // namespace

QList<CommandSpec> userCommands()
{
    return {{{QStringLiteral("user")}, {}, QStringLiteral("Show the user you are logged in as."), QString(), {}, 0, 0, false, showUser}};
}

} // namespace og::cli
