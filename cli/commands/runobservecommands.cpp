// SPDX-License-Identifier: GPL-3.0-or-later
// Watching and managing runs: grid status RUN (the experiments table), grid history,
// grid logs, grid stop run|experiment, grid delete run|experiment.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/durations.h"
#include "cli/table.h"
#include "core/domain/experiment.h"
#include "core/domain/runsummary.h"

#include <QJsonArray>
#include <QThread>
#include <QUrlQuery>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace og::cli {

namespace {
constexpr int kFollowIntervalMs = 500;
constexpr int kMaxCommandWidth = 80;

QString withoutDashes(QString flag)
{
    while (flag.startsWith(u'-'))
        flag.remove(0, 1);
    return flag;
}

// Running: since it started; waiting: since it was submitted; over: how long it ran.
qint64 experimentSeconds(const Experiment &e)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (e.startedAt.isValid())
        return e.startedAt.secsTo(e.finishedAt.isValid() ? e.finishedAt : now);
    if (e.isActive() && e.createdAt.isValid())
        return e.createdAt.secsTo(now);
    return 0;
}

QString shortened(const QString &command)
{
    return command.size() <= kMaxCommandWidth ? command : command.left(kMaxCommandWidth - 1) + u'…';
}

void printLines(const QJsonArray &lines)
{
    QByteArray bytes;
    for (const QJsonValue &l : lines)
        bytes += l.toString().toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

bool isActiveStatus(const QString &status)
{
    return status == u"pending" || status == u"queued" || status == u"running";
}

int history(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    QUrlQuery all;
    all.addQueryItem(QStringLiteral("status"), QStringLiteral("all"));
    const ApiResult r = api->call("GET", QStringLiteral("/runs"), QJsonValue(), all);
    if (!r.ok())
        return ctx.out.fail(r);
    QJsonArray finished;
    for (const QJsonValue &v : r.object().value(QStringLiteral("runs")).toArray())
        if (!RunSummary::fromJson(v.toObject()).isActive())
            finished.append(v);
    if (ctx.out.isJson()) {
        ctx.out.json(QJsonObject{{QStringLiteral("runs"), finished}});
        return 0;
    }
    Table t({QStringLiteral("Run"), QStringLiteral("Created At"), QStringLiteral("Experiments"), QStringLiteral("Failed"),
             QStringLiteral("Stopped"), QStringLiteral("Completed")});
    for (int c = 1; c < 6; ++c)
        t.setAlignment(c, Align::Right);
    t.setEmptyMessage(QStringLiteral("No History."));
    for (const QJsonValue &v : finished) {
        const RunSummary s = RunSummary::fromJson(v.toObject());
        t.addRow({s.name, formatTimestamp(s.createdAt), QString::number(s.experiments), QString::number(s.failed),
                  QString::number(s.stopped), QString::number(s.completed)});
    }
    ctx.out.table(t);
    return 0;
}

// Reads an experiment's log from where the last read ended. gridd answers in bounded pieces,
// so one read asks until nothing new comes back.
struct LogReader
{
    ApiClient &api;
    QString name;       // as given: an experiment, or a run meaning its first experiment
    QString experiment; // as gridd resolved it
    QString status;
    qint64 offset = 0;

    ApiResult readAvailable(const std::function<void(const QJsonArray &)> &sink)
    {
        for (;;) {
            QUrlQuery q;
            q.addQueryItem(QStringLiteral("offset"), QString::number(offset));
            const ApiResult r = api.call("GET", QStringLiteral("/experiments/%1/logs").arg(experiment.isEmpty() ? name : experiment),
                                         QJsonValue(), q);
            if (!r.ok())
                return r;
            const QJsonObject o = r.object();
            experiment = o.value(QStringLiteral("experiment")).toString();
            status = o.value(QStringLiteral("status")).toString();
            const qint64 next = o.value(QStringLiteral("offset")).toInteger(offset);
            sink(o.value(QStringLiteral("lines")).toArray());
            if (next <= offset)
                return r;
            offset = next;
        }
    }
};

int logs(CommandContext &ctx)
{
    const bool follow = ctx.args.has(QStringLiteral("follow"));
    const bool json = ctx.out.isJson();
    int tail = 0;
    if (ctx.args.values.contains(QStringLiteral("tail-lines"))) {
        bool ok = false;
        tail = ctx.args.value(QStringLiteral("tail-lines")).toInt(&ok);
        if (!ok || tail < 1)
            return ctx.out.fail(QStringLiteral("--tail-lines must be a positive number"), 2);
    }
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);

    LogReader reader{*api, ctx.args.positional.value(0), {}, {}, 0};
    QJsonArray kept; // the last `tail` lines, or everything for -o json
    bool noticed = false;
    bool anyLine = false;
    const auto sink = [&](const QJsonArray &lines, bool catchingUp) {
        if (!noticed && !json && reader.experiment != reader.name)
            std::fprintf(stderr, "Experiment ID not supplied, defaulting to %s\n", reader.experiment.toUtf8().constData());
        noticed = true;
        anyLine |= !lines.isEmpty();
        if (json || (tail > 0 && catchingUp)) {
            for (const QJsonValue &l : lines)
                kept.append(l);
            while (tail > 0 && catchingUp && kept.size() > tail)
                kept.removeFirst();
        } else {
            printLines(lines);
        }
    };
    // Catch up on what is there; with --tail-lines keep only the end of it.
    if (const ApiResult r = reader.readAvailable([&](const QJsonArray &l) { sink(l, true); }); !r.ok())
        return ctx.out.fail(r);
    if (!json) {
        printLines(kept);
        kept = QJsonArray();
        if (!anyLine && (reader.status == u"pending" || reader.status == u"queued"))
            std::fprintf(stderr, "Experiment is %s. Logs will be available when experiment starts.\n", reader.status.toUtf8().constData());
    }
    // Follow until the experiment is over, then look once more for what it wrote while ending.
    for (bool lastLook = false; follow;) {
        if (!isActiveStatus(reader.status)) {
            if (lastLook)
                break;
            lastLook = true;
        } else {
            QThread::msleep(kFollowIntervalMs);
        }
        if (const ApiResult r = reader.readAvailable([&](const QJsonArray &l) { sink(l, false); }); !r.ok())
            return ctx.out.fail(r);
    }
    if (json)
        ctx.out.json(QJsonObject{{QStringLiteral("experiment"), reader.experiment},
                                 {QStringLiteral("status"), reader.status},
                                 {QStringLiteral("lines"), kept},
                                 {QStringLiteral("offset"), reader.offset}});
    return 0;
}

// `grid stop run A B`, `grid stop experiment X`: every name is tried; the exit code says
// whether all of them worked.
int stop(CommandContext &ctx, bool runs)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    QJsonArray answers;
    for (const QString &name : ctx.args.positional) {
        const ApiResult r = api->call("POST", QStringLiteral("/%1/%2/stop").arg(runs ? QStringLiteral("runs") : QStringLiteral("experiments"), name),
                                      QJsonObject());
        if (!r.ok()) {
            code = ctx.out.fail(r);
            continue;
        }
        answers.append(r.body);
        if (ctx.out.isJson())
            continue;
        if (runs) {
            const int stopping = r.object().value(QStringLiteral("stopping")).toInt();
            ctx.out.line(stopping > 0 ? QStringLiteral("Stopping run %1: %2 active experiment(s) are being cancelled.").arg(name).arg(stopping)
                                      : QStringLiteral("Run %1 has no active experiments.").arg(name));
        } else {
            const Experiment e = Experiment::fromJson(r.object().value(QStringLiteral("experiment")).toObject());
            ctx.out.line(e.isActive() ? QStringLiteral("Experiment %1 is stopping.").arg(e.name)
                                      : QStringLiteral("Experiment %1 is not active (%2).").arg(e.name, e.status));
        }
    }
    if (ctx.out.isJson())
        ctx.out.json(answers);
    return code;
}

int remove(CommandContext &ctx, bool runs)
{
    const QString kind = runs ? QStringLiteral("Run") : QStringLiteral("Experiment");
    return deleteAfterConfirmation(ctx, kind, runs ? QStringLiteral("/runs/") : QStringLiteral("/experiments/"),
                                   QStringLiteral("%1 %2 has been deleted successfully").arg(kind));
}

} // namespace

int deleteAfterConfirmation(CommandContext &ctx, const QString &kind, const QString &apiPrefix, const QString &doneLine)
{
    const bool yes = ctx.args.has(QStringLiteral("yes"));
    if (!yes && !::isatty(STDIN_FILENO))
        return ctx.out.fail(QStringLiteral("deleting asks for confirmation, and stdin is not a terminal; pass --yes to delete without asking"), 2);
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    QJsonArray answers;
    for (const QString &name : ctx.args.positional) {
        if (!yes && !confirmDelete(kind, name, ctx.out.isJson())) {
            std::fprintf(stderr, "%s %s was not deleted.\n", kind.toUtf8().constData(), name.toUtf8().constData());
            code = 1;
            continue;
        }
        const ApiResult r = api->call("DELETE", apiPrefix + name);
        if (!r.ok()) {
            code = ctx.out.fail(r);
            continue;
        }
        answers.append(r.body);
        if (!ctx.out.isJson())
            ctx.out.line(doneLine.arg(name));
    }
    if (ctx.out.isJson())
        ctx.out.json(answers);
    return code;
}

bool confirmDelete(const QString &kind, const QString &name, bool json)
{
    FILE *prompt = json ? stderr : stdout;
    std::fprintf(prompt,
                 "WARNING! Your are about to delete the %s (%s). This will delete all the associated artifacts, logs, "
                 "and metadata. Are you sure you want to do this? [y/N]: ",
                 kind.toUtf8().constData(), name.toUtf8().constData());
    std::fflush(prompt);
    // One line through C stdio: a QTextStream would read ahead and lose the next answers.
    char line[256] = {};
    if (!std::fgets(line, sizeof line, stdin))
        return false;
    const QString answer = QString::fromLocal8Bit(line).trimmed().toLower();
    return answer == u"y" || answer == u"yes";
}

Table experimentsTable(const QJsonArray &experiments, const QJsonArray &swept, bool withStatus, bool newestFirst)
{
    QStringList columns;
    for (const QJsonValue &v : swept)
        columns.append(withoutDashes(v.toString()));
    QStringList headers{QStringLiteral("Experiment")};
    if (withStatus)
        headers << QStringLiteral("Status") << QStringLiteral("Duration");
    headers << QStringLiteral("Command");
    const int firstParam = int(headers.size());
    Table t(headers + columns);
    if (withStatus)
        t.setAlignment(2, Align::Right);
    for (int c = firstParam; c < t.columnCount(); ++c)
        t.setAlignment(c, Align::Right); // Grid right-aligned the (mostly numeric) values
    t.setEmptyMessage(QStringLiteral("No experiments."));

    QList<Experiment> list;
    for (const QJsonValue &v : experiments)
        list.append(Experiment::fromJson(v.toObject()));
    std::sort(list.begin(), list.end(), [newestFirst](const Experiment &a, const Experiment &b) {
        return newestFirst ? a.index > b.index : a.index < b.index;
    });
    for (const Experiment &e : list) {
        QStringList row{e.name};
        if (withStatus)
            row << e.status << formatDuration(experimentSeconds(e));
        row << shortened(e.command);
        for (const QString &column : columns) {
            QString value = QStringLiteral("-");
            for (const auto &[flag, v] : e.params)
                if (withoutDashes(flag) == column)
                    value = v;
            row << value;
        }
        t.addRow(row);
    }
    return t;
}

int showRunExperiments(CommandContext &ctx, const QString &run)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("GET", QStringLiteral("/runs/%1").arg(run));
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson()) {
        ctx.out.json(r.body);
        return 0;
    }
    const QJsonObject o = r.object();
    ctx.out.table(experimentsTable(o.value(QStringLiteral("experiments")).toArray(), o.value(QStringLiteral("swept")).toArray(), true, true));
    return 0;
}

QList<CommandSpec> runObserveCommands()
{
    const OptionSpec yes{QStringLiteral("yes"), QString(), QStringLiteral("Delete without asking"), {}};
    return {
        makeCommand({QStringLiteral("history")}, QStringLiteral("List runs that are no longer active."), QString(), {}, 0, 0, history),
        makeCommand({QStringLiteral("logs")}, QStringLiteral("Show an experiment's logs (a run name means its first experiment)."),
             QStringLiteral("EXPERIMENT [-f] [-l N]"),
             {{QStringLiteral("follow"), QString(), QStringLiteral("Keep printing new lines until the experiment ends"), u'f'},
              {QStringLiteral("tail-lines"), QStringLiteral("N"), QStringLiteral("Only the last N lines"), u'l'}},
             1, 1, logs),
        makeCommand({QStringLiteral("stop"), QStringLiteral("run")}, QStringLiteral("Stop runs: cancel all their active experiments."),
             QStringLiteral("RUN_NAMES..."), {}, 1, -1, [](CommandContext &c) { return stop(c, true); }),
        makeCommand({QStringLiteral("stop"), QStringLiteral("experiment")}, QStringLiteral("Stop experiments."),
             QStringLiteral("EXPERIMENT_NAMES..."), {}, 1, -1, [](CommandContext &c) { return stop(c, false); }),
        makeCommand({QStringLiteral("delete"), QStringLiteral("run")},
             QStringLiteral("Delete runs with their experiments, logs, metrics and artifacts."),
             QStringLiteral("RUN_NAMES... [--yes]"), {yes}, 1, -1, [](CommandContext &c) { return remove(c, true); }),
        makeCommand({QStringLiteral("delete"), QStringLiteral("experiment")},
             QStringLiteral("Delete experiments with their logs, metrics and artifacts."),
             QStringLiteral("EXPERIMENT_NAMES... [--yes]"), {yes}, 1, -1, [](CommandContext &c) { return remove(c, false); }),
    };
}

} // namespace og::cli
