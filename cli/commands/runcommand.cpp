// SPDX-License-Identifier: GPL-3.0-or-later
// grid run [OPTIONS] SCRIPT [SCRIPT_ARGS...]: snapshot the code, send it, submit the sweep.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/progressbar.h"
#include "cli/table.h"
#include "core/datastore/objectuploader.h"
#include "core/names.h"
#include "core/runs/codesnapshot.h"
#include "core/runs/runconfig.h"
#include "core/runs/runrequest.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <unistd.h>

#include <cstdio>

namespace og::cli {

namespace {
constexpr int kUploadStreams = 4;

void warn(const QString &message)
{
    std::fprintf(stderr, "warning: %s\n", message.toUtf8().constData());
}

// Python's shlex.quote, which Grid used to record the invocation.
QString shellQuote(const QString &arg)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9@%+=:,./_-]+$"));
    if (safe.match(arg).hasMatch())
        return arg;
    return u'\'' + QString(arg).replace(u'\'', QStringLiteral("'\"'\"'")) + u'\'';
}

bool askToContinue()
{
    std::fputs("Continue? [y/N] ", stderr);
    std::fflush(stderr);
    // One line through C stdio: a QTextStream would read ahead and lose the next answers.
    char line[256] = {};
    if (!std::fgets(line, sizeof line, stdin))
        return false;
    const QString answer = QString::fromLocal8Bit(line).trimmed().toLower();
    return answer == u"y" || answer == u"yes";
}

// The newest version of `name` that finished, so the summary can say which one runs; nothing
// (and gridd picks) when the datastore has none yet or cannot be listed.
std::optional<int> latestSucceededVersion(ApiClient &api, const QString &name, ApiResult *failure)
{
    const ApiResult r = api.call("GET", QStringLiteral("/datastores/%1").arg(name));
    if (!r.ok()) {
        *failure = r;
        return std::nullopt;
    }
    std::optional<int> best;
    for (const QJsonValue &v : r.object().value(QStringLiteral("versions")).toArray()) {
        const QJsonObject o = v.toObject();
        const int version = o.value(QStringLiteral("version")).toInt();
        if (o.value(QStringLiteral("status")).toString() == u"succeeded" && (!best || version > *best))
            best = version;
    }
    return best;
}

void printDryRun(CommandContext &ctx, const QJsonObject &answer)
{
    const QJsonArray experiments = answer.value(QStringLiteral("experiments")).toArray();
    ctx.out.table(experimentsTable(experiments, answer.value(QStringLiteral("swept")).toArray(), false, false));
    ctx.out.line(QStringLiteral("Dry run: %1 experiment(s) would be submitted as %2; nothing was submitted.")
                     .arg(experiments.size())
                     .arg(answer.value(QStringLiteral("name")).toString()));
}

void printSummary(CommandContext &ctx, ApiClient &api, const RunConfig &c, const QString &runCommand, const QJsonObject &answer)
{
    const QString name = answer.value(QStringLiteral("run")).toObject().value(QStringLiteral("name")).toString();
    // gridd resolves what was left to it (instance type, mount dir); ask for the spec it stored.
    const ApiResult stored = api.call("GET", QStringLiteral("/runs/%1").arg(name));
    const QJsonObject spec = stored.object().value(QStringLiteral("spec")).toObject();
    const auto shown = [&spec](const char *key, const std::optional<QString> &given) {
        const QString fromServer = spec.value(QLatin1String(key)).toString();
        if (!fromServer.isEmpty())
            return fromServer;
        return given && !given->isEmpty() ? *given : QStringLiteral("None");
    };
    const bool datastore = c.datastoreName.has_value();
    const QList<QPair<QString, QString>> rows{
        {QStringLiteral("name"), name},
        {QStringLiteral("run_command"), runCommand},
        {QStringLiteral("instance_type"), shown("instance_type", c.instanceType.value_or(QStringLiteral("cpu-1")))},
        {QStringLiteral("use_spot"), QStringLiteral("False")},
        {QStringLiteral("cluster"), QStringLiteral("local")},
        {QStringLiteral("datastore_name"), datastore ? *c.datastoreName : QStringLiteral("None")},
        {QStringLiteral("datastore_version"),
         datastore ? (c.datastoreVersion ? QString::number(*c.datastoreVersion) : QStringLiteral("latest")) : QStringLiteral("None")},
        {QStringLiteral("datastore_mount_dir"), datastore ? shown("datastore_mount_dir", c.datastoreMountDir) : QStringLiteral("None")},
        {QStringLiteral("experiments"), QString::number(answer.value(QStringLiteral("experiments")).toArray().size())},
    };
    QString text = QStringLiteral("Run submitted!\n"
                                  "`grid status` to list all runs\n"
                                  "`grid status %1` to see all experiments for this run\n\n"
                                  "----------------------\n"
                                  "Submission summary\n"
                                  "----------------------\n")
                       .arg(name);
    for (const auto &[key, value] : rows)
        text += (key + u':').leftJustified(25) + value + u'\n';
    text.chop(1);
    ctx.out.line(text);
}

int run(CommandContext &ctx)
{
    const QString script = ctx.args.positional.value(0);
    const QStringList typed = ctx.args.positional.mid(1);

    RunConfig file;
    if (ctx.args.values.contains(QStringLiteral("config"))) {
        file = RunConfig::load(ctx.args.value(QStringLiteral("config")));
        if (!file.ok())
            return ctx.out.fail(file.error, 2);
    }
    const RunConfig flags = RunConfig::fromOptions(ctx.args.values, ctx.args.flags);
    const RunConfig c = RunConfig::merged(file, flags);
    if (!c.ok())
        return ctx.out.fail(c.error, 2);
    for (const QString &w : c.warnings)
        warn(w);
    if (c.name)
        if (const auto problem = names::validate(*c.name, QStringLiteral("Run")))
            return ctx.out.fail(*problem, 2);
    const bool dryRun = c.dryRun.value_or(false);
    const bool ignoreWarnings = ctx.args.has(QStringLiteral("ignore_warnings"));

    const CodeSnapshot snap = takeCodeSnapshot(script, c.localdir.value_or(false));
    for (const QString &w : snap.warnings)
        warn(w);
    if (!snap.ok())
        return ctx.out.fail(snap.error);
    // Grid asked before running code that differs from what the user sees; without a terminal
    // there is nobody to ask, and the warning has been printed.
    if (!snap.uncommittedFiles.isEmpty() && !ignoreWarnings && !dryRun && ::isatty(STDIN_FILENO) && !askToContinue()) {
        std::fputs("Aborted.\n", stderr);
        return 1;
    }

    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    RunConfig resolved = c;
    if (c.datastoreName && !c.datastoreVersion) {
        ApiResult failure;
        resolved.datastoreVersion = latestSucceededVersion(*api, *c.datastoreName, &failure);
        if (!failure.ok())
            return ctx.out.fail(failure);
        warn(QStringLiteral("No --datastore_version passed. Using the latest version%1.")
                 .arg(resolved.datastoreVersion ? QStringLiteral(" (%1)").arg(*resolved.datastoreVersion) : QString()));
    }
    const QStringList args = c.scriptArguments(typed);

    // Expanding first catches a sweep typo or an impossible instance type before any upload.
    const ApiResult preview = api->call("POST", QStringLiteral("/runs"), runRequestBody(resolved, snap, args, true));
    if (!preview.ok())
        return ctx.out.fail(preview);
    if (dryRun) {
        if (ctx.out.isJson())
            ctx.out.json(preview.body);
        else
            printDryRun(ctx, preview.object());
        return 0;
    }

    ProgressBar bar;
    ObjectUploadStats stats;
    const QString uploadError = uploadManifestObjects(*api, snap.manifest, snap.manifest.toCanonicalBytes(), snap.sourceFiles,
                                                      kUploadStreams,
                                                      [&bar](const UploadProgress &p) {
                                                          bar.update(QStringLiteral("uploading code"), p.bytesDone, p.bytesTotal,
                                                                     p.filesDone, p.filesTotal);
                                                      },
                                                      &stats);
    bar.finish();
    if (!uploadError.isEmpty())
        return ctx.out.fail(QStringLiteral("cannot upload the code: %1").arg(uploadError));

    const ApiResult submitted = api->call("POST", QStringLiteral("/runs"), runRequestBody(resolved, snap, args, false));
    if (!submitted.ok())
        return ctx.out.fail(submitted);
    if (ctx.out.isJson()) {
        ctx.out.json(submitted.body);
        return 0;
    }
    QStringList command{shellQuote(snap.script)};
    for (const QString &a : args)
        command.append(shellQuote(a));
    printSummary(ctx, *api, resolved, command.join(u' '), submitted.object());
    return 0;
}

OptionSpec value(const char *name, const char *valueName, const char *help)
{
    return {QLatin1String(name), QLatin1String(valueName), QLatin1String(help), {}};
}

OptionSpec flag(const char *name, const char *help, QChar shortName = {})
{
    return {QLatin1String(name), QString(), QLatin1String(help), shortName};
}
} // namespace

QList<CommandSpec> runCommands()
{
    CommandSpec s;
    s.path = {QStringLiteral("run")};
    s.summary = QStringLiteral("Run a script on the platform, one experiment per hyperparameter combination.");
    s.usage = QStringLiteral("[OPTIONS] SCRIPT [SCRIPT_ARGS...]");
    s.options = {
        value("config", "FILE", "YAML run config (Grid's schema); flags given here override it"),
        value("name", "NAME", "Run name (default: generated, e.g. gifted-seahorse-83)"),
        value("strategy", "STRATEGY", "grid_search (default), random_search or none"),
        value("num_trials", "N", "Experiments to sample with random_search"),
        value("seed", "N", "Random seed for random_search and distributions (default 0)"),
        value("instance_type", "TYPE", "Machine shape per experiment (default cpu-1; see grid instance-types)"),
        value("gpus", "N", "GPUs per experiment"),
        value("cpus", "N", "CPUs per experiment (default: the instance type's)"),
        value("memory", "SIZE", "Memory per experiment, e.g. 16GiB (default: the instance type's)"),
        value("datastore_name", "NAME", "Datastore to mount read-only"),
        value("datastore_version", "N", "Datastore version (default: the latest)"),
        value("datastore_mount_dir", "DIR", "Where the datastore appears (default /datastores/<name>)"),
        value("framework", "NAME", "Recorded with the run (default lightning)"),
        flag("localdir", "Upload the current directory instead of the git commit at HEAD", u'l'),
        flag("ignore_warnings", "Do not ask before submitting with uncommitted changes"),
        flag("dry_run", "Show the experiments the sweep expands to; submit nothing"),
    };
    s.minArgs = 1;
    s.maxArgs = -1;
    s.passThrough = true;
    s.run = run;
    return {s};
}

} // namespace og::cli
