// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/durations.h"
#include "cli/table.h"
#include "core/domain/instancetype.h"

#include <QJsonArray>

namespace og::cli {

namespace {
int instanceTypes(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("GET", QStringLiteral("/instance-types"));
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson()) {
        ctx.out.json(r.body);
        return 0;
    }
    const bool all = ctx.args.has(QStringLiteral("all"));
    Table t({QStringLiteral("Name"), QStringLiteral("Alias"), QStringLiteral("CPU"), QStringLiteral("GPU"),
             QStringLiteral("GPU Memory"), QStringLiteral("Memory"), QStringLiteral("Source"),
             QStringLiteral("Available")});
    for (int c : {2, 3, 4, 5})
        t.setAlignment(c, Align::Right);
    t.setEmptyMessage(QStringLiteral("No instance types."));
    int hidden = 0;
    for (const QJsonValue &v : r.object().value(QStringLiteral("instance_types")).toArray()) {
        const InstanceType type = InstanceType::fromJson(v.toObject());
        if (!all && !type.available) {
            ++hidden;
            continue;
        }
        t.addRow({type.name, type.aliases.isEmpty() ? QStringLiteral("-") : type.aliases.join(QStringLiteral(", ")),
                  QString::number(type.shape.cpus), QString::number(type.shape.gpus),
                  type.shape.gpus ? formatBytes(type.shape.gpuMemoryBytes) : QStringLiteral("-"),
                  formatBytes(type.shape.memoryBytes), type.source,
                  type.available ? QStringLiteral("yes") : QStringLiteral("no")});
    }
    const ClusterResources cluster = ClusterResources::fromJson(r.object().value(QStringLiteral("cluster")).toObject());
    ctx.out.line(QStringLiteral("This cluster has %1.").arg(cluster.describe()));
    ctx.out.table(t);
    if (hidden > 0)
        ctx.out.line(QStringLiteral("%1 more type(s) do not fit this cluster; `grid instance-types --all` lists them.").arg(hidden));
    return 0;
}
} // namespace

QList<CommandSpec> instanceTypeCommands()
{
    CommandSpec spec;
    spec.path = {QStringLiteral("instance-types")};
    spec.summary = QStringLiteral("List the instance types this cluster offers.");
    spec.usage = QStringLiteral("[--all]");
    spec.options = {{QStringLiteral("all"), QString(), QStringLiteral("Also list types this cluster cannot run"), {}}};
    spec.run = instanceTypes;
    return {spec};
}

} // namespace og::cli
