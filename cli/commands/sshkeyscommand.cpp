// SPDX-License-Identifier: GPL-3.0-or-later
// `grid ssh-keys add|list|rm`: the public keys sessions accept.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/output.h"
#include "cli/table.h"
#include "core/apiclient.h"
#include "core/ssh/sshidentities.h"
#include "core/sshpublickey.h"

#include <QJsonObject>

#include <cstdio>

namespace og::cli {

namespace {
int add(CommandContext &ctx)
{
    const QString name = ctx.args.positional.at(0);
    QString error;
    const auto key = SshPublicKey::fromFile(ctx.args.positional.at(1), &error);
    if (!key)
        return ctx.out.fail(error, 2);
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("POST", QStringLiteral("/ssh-keys"),
                                  QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("public_key"), key->toLine()}});
    if (!r.ok())
        return ctx.out.fail(r);
    const QJsonObject added = r.object().value(QStringLiteral("ssh_key")).toObject();
    if (ctx.out.isJson()) {
        ctx.out.json(added);
        return 0;
    }
    // Remembered so that `grid session ssh` can offer it: the spec's key, ~/.ssh/grid_ssh_creds,
    // is not one ssh tries by itself.
    if (const QString e = sshidentities::remember(ctx.args.positional.at(1)); !e.isEmpty())
        std::fprintf(stderr, "warning: cannot remember the key for grid session ssh: %s\n", qPrintable(e));
    ctx.out.line(QStringLiteral("Added key %1 with id: %2").arg(name, added.value(QStringLiteral("id")).toString()));
    ctx.out.line(QStringLiteral("  %1 %2 bits %3").arg(key->type).arg(key->bits).arg(key->fingerprint()));
    return 0;
}

int list(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("GET", QStringLiteral("/ssh-keys"));
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson()) {
        ctx.out.json(r.body);
        return 0;
    }
    Table t({QStringLiteral("Id"), QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("Fingerprint")});
    t.setEmptyMessage(QStringLiteral("No SSH keys. Add one: grid ssh-keys add NAME ~/.ssh/id_ed25519.pub"));
    for (const QJsonValue &v : r.object().value(QStringLiteral("ssh_keys")).toArray()) {
        const QJsonObject k = v.toObject();
        t.addRow({k.value(QStringLiteral("id")).toString(), k.value(QStringLiteral("name")).toString(),
                  QStringLiteral("%1 (%2)").arg(k.value(QStringLiteral("type")).toString()).arg(k.value(QStringLiteral("bits")).toInt()),
                  k.value(QStringLiteral("fingerprint")).toString()});
    }
    ctx.out.table(t);
    return 0;
}

int remove(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    for (const QString &id : ctx.args.positional) {
        const ApiResult r = api->call("DELETE", QStringLiteral("/ssh-keys/") + id);
        if (!r.ok()) {
            code = ctx.out.fail(r);
            continue;
        }
        const QJsonObject k = r.object().value(QStringLiteral("ssh_key")).toObject();
        if (ctx.out.isJson())
            ctx.out.json(k);
        else
            ctx.out.line(QStringLiteral("Removed key %1 (%2)").arg(k.value(QStringLiteral("name")).toString(), id));
    }
    return code;
}
} // namespace

QList<CommandSpec> sshKeyCommands()
{
    const QString group = QStringLiteral("ssh-keys");
    return {
        makeCommand({group, QStringLiteral("add")}, QStringLiteral("Register an SSH public key for your sessions."),
                    QStringLiteral("NAME KEY_PATH   (the .pub file, or the private key with its .pub beside it)"), {}, 2, 2, add),
        makeCommand({group, QStringLiteral("list")}, QStringLiteral("List your SSH keys with their fingerprints."), QString(), {}, 0, 0, list),
        makeCommand({group, QStringLiteral("rm")}, QStringLiteral("Remove SSH keys by id or name."), QStringLiteral("KEY_ID..."), {}, 1, -1, remove),
    };
}

} // namespace og::cli
