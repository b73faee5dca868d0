// SPDX-License-Identifier: GPL-3.0-or-later
// `grid session [list|create|pause|resume|delete|change-instance-type]`, with Grid's messages.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/output.h"
#include "cli/table.h"
#include "core/apiclient.h"
#include "core/runs/runconfig.h"

#include <QJsonObject>

namespace og::cli {

namespace {
const QString kSessions = QStringLiteral("/sessions/");

int list(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("GET", QStringLiteral("/sessions"));
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson())
        ctx.out.json(r.body);
    else
        ctx.out.table(sessionsTable(r.object().value(QStringLiteral("sessions")).toArray(), true));
    return 0;
}

// The request body of `grid session create`: the --config file's settings with the flags
// given on the command line put over them. Empty with `error` set when either is wrong.
std::optional<QJsonObject> createBody(CommandContext &ctx, QString *error)
{
    QJsonObject body;
    if (ctx.args.values.contains(QStringLiteral("config"))) {
        const RunConfig file = RunConfig::load(ctx.args.value(QStringLiteral("config")), RunConfig::Schema::Session);
        if (!file.ok()) {
            *error = file.error;
            return std::nullopt;
        }
        for (const QString &w : file.warnings)
            ctx.out.warn(w);
        if (file.instanceType)
            body.insert(QStringLiteral("instance_type"), *file.instanceType);
        if (file.datastoreName)
            body.insert(QStringLiteral("datastore_name"), *file.datastoreName);
        if (file.datastoreVersion)
            body.insert(QStringLiteral("datastore_version"), *file.datastoreVersion);
        if (file.datastoreMountDir)
            body.insert(QStringLiteral("datastore_mount_dir"), *file.datastoreMountDir);
        if (file.diskSizeGb)
            body.insert(QStringLiteral("disk_size"), *file.diskSizeGb);
    }
    for (const char *option : {"name", "instance_type", "datastore_name", "datastore_mount_dir"})
        if (ctx.args.values.contains(QLatin1String(option)))
            body.insert(QLatin1String(option), ctx.args.value(QLatin1String(option)));
    for (const char *option : {"datastore_version", "disk_size"}) {
        if (!ctx.args.values.contains(QLatin1String(option)))
            continue;
        bool ok = false;
        const int n = ctx.args.value(QLatin1String(option)).toInt(&ok);
        if (!ok || n <= 0) {
            *error = QStringLiteral("--%1 must be a positive number, not '%2'").arg(QLatin1String(option), ctx.args.value(QLatin1String(option)));
            return std::nullopt;
        }
        body.insert(QLatin1String(option), n);
    }
    return body;
}

int create(CommandContext &ctx)
{
    QString error;
    const auto body = createBody(ctx, &error);
    if (!body)
        return ctx.out.fail(error, 2);
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("POST", QStringLiteral("/sessions"), *body);
    if (!r.ok())
        return ctx.out.fail(r);
    const QJsonObject s = r.object().value(QStringLiteral("session")).toObject();
    if (ctx.out.isJson()) {
        ctx.out.json(s);
        return 0;
    }
    const QString name = s.value(QStringLiteral("name")).toString();
    ctx.out.line(QStringLiteral("✔ Interactive session created!"));
    ctx.out.line(QStringLiteral("  name:                %1").arg(name));
    ctx.out.line(QStringLiteral("  instance_type:       %1").arg(s.value(QStringLiteral("instance_type")).toString()));
    ctx.out.line(QStringLiteral("  cluster_id:          local"));
    if (!s.value(QStringLiteral("datastore")).toString().isEmpty()) {
        ctx.out.line(QStringLiteral("  datastore_name:      %1").arg(s.value(QStringLiteral("datastore")).toString()));
        ctx.out.line(QStringLiteral("  datastore_version:   %1").arg(s.value(QStringLiteral("datastore_version")).toInt()));
        ctx.out.line(QStringLiteral("  datastore_mount_dir: %1 (also ~/datastore)").arg(s.value(QStringLiteral("datastore_mount_dir")).toString()));
    }
    ctx.out.line(QStringLiteral("Interactive session %1 is spinning up. Connect with: grid session ssh %1").arg(name));
    return 0;
}

// POST /sessions/NAME/<action> for each name, printing `done` for each.
int act(CommandContext &ctx, const QString &action, const QString &done, const QString &note = {})
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    for (const QString &name : ctx.args.positional) {
        const ApiResult r = api->call("POST", kSessions + name + u'/' + action, QJsonObject{});
        if (!r.ok()) {
            code = ctx.out.fail(r);
            continue;
        }
        if (ctx.out.isJson()) {
            ctx.out.json(r.object().value(QStringLiteral("session")));
            continue;
        }
        ctx.out.line(done.arg(name));
        if (!note.isEmpty())
            ctx.out.line(note);
    }
    return code;
}

int pause(CommandContext &ctx)
{
    return act(ctx, QStringLiteral("pause"), QStringLiteral("Interactive session %1 has been paused successfully."));
}

int resume(CommandContext &ctx)
{
    return act(ctx, QStringLiteral("resume"), QStringLiteral("✔ Interactive session: %1 successfully began resuming."),
               QStringLiteral("Note: its files and installed packages are as you left them; `grid status` shows when it is running."));
}

int remove(CommandContext &ctx)
{
    return deleteAfterConfirmation(ctx, QStringLiteral("Session"), kSessions,
                                   QStringLiteral("Interactive session %1 has been deleted with all its files (datastores are untouched)."));
}

int changeInstanceType(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const QString name = ctx.args.positional.at(0);
    const ApiResult r = api->call("POST", kSessions + name + QStringLiteral("/instance-type"),
                                  QJsonObject{{QStringLiteral("instance_type"), ctx.args.positional.at(1)}});
    if (!r.ok())
        return ctx.out.fail(r);
    const QJsonObject s = r.object().value(QStringLiteral("session")).toObject();
    if (ctx.out.isJson())
        ctx.out.json(s);
    else
        ctx.out.line(QStringLiteral("Interactive session %1 will resume on instance type %2.")
                         .arg(name, s.value(QStringLiteral("instance_type")).toString()));
    return 0;
}
} // namespace

QList<CommandSpec> sessionCommands()
{
    const QString group = QStringLiteral("session");
    const QList<OptionSpec> createOptions{
        {QStringLiteral("name"), QStringLiteral("NAME"), QStringLiteral("Session name (default: a generated one)"), {}},
        {QStringLiteral("instance_type"), QStringLiteral("TYPE"), QStringLiteral("Instance type (default: cpu-1; see grid instance-types)"), {}},
        {QStringLiteral("datastore_name"), QStringLiteral("NAME"), QStringLiteral("Datastore to mount read-only"), {}},
        {QStringLiteral("datastore_version"), QStringLiteral("N"), QStringLiteral("Its version (default: the latest)"), {}},
        {QStringLiteral("datastore_mount_dir"), QStringLiteral("DIR"), QStringLiteral("Where it appears (default: /datastores/NAME; also ~/datastore)"), {}},
        {QStringLiteral("disk_size"), QStringLiteral("GB"), QStringLiteral("Disk size in GB (recorded; the local backend uses the host's disk)"), {}},
        {QStringLiteral("config"), QStringLiteral("FILE"),
         QStringLiteral("YAML session config (Grid's schema: compute.train.instance_type, disk_size, datastore_*); flags given here override it"), {}},
    };
    QList<CommandSpec> out{
        makeCommand({group}, QStringLiteral("List your sessions."), QString(), {}, 0, 0, list),
        makeCommand({group, QStringLiteral("list")}, QStringLiteral("List your sessions."), QString(), {}, 0, 0, list),
        makeCommand({group, QStringLiteral("create")}, QStringLiteral("Start a live machine you can SSH into."), QStringLiteral("[OPTIONS]"),
                    createOptions, 0, 0, create),
        makeCommand({group, QStringLiteral("pause")}, QStringLiteral("Stop every process and free the resources; files are kept."),
                    QStringLiteral("NAME..."), {}, 1, -1, pause),
        makeCommand({group, QStringLiteral("resume")}, QStringLiteral("Start a paused session again."), QStringLiteral("NAME..."), {}, 1, -1, resume),
        makeCommand({group, QStringLiteral("delete")}, QStringLiteral("Delete sessions and all their files (asks first)."),
                    QStringLiteral("NAME... [--yes]"), {{QStringLiteral("yes"), QString(), QStringLiteral("Don't ask"), {}}}, 1, -1, remove),
        makeCommand({group, QStringLiteral("change-instance-type")}, QStringLiteral("Change a paused session's instance type."),
                    QStringLiteral("NAME INSTANCE_TYPE"), {}, 2, 2, changeInstanceType),
    };
    out += sessionSshCommands();
    return out;
}

} // namespace og::cli
