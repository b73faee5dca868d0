// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/durations.h"
#include "cli/table.h"
#include "core/domain/runsummary.h"
#include "core/domain/sessionsummary.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace og::cli {

namespace {
qint64 secondsSince(const QDateTime &start, const QDateTime &end = QDateTime())
{
    if (!start.isValid())
        return 0;
    return start.secsTo(end.isValid() ? end : QDateTime::currentDateTimeUtc());
}

Table runsTable(const QJsonArray &runs)
{
    Table t({QStringLiteral("Run"), QStringLiteral("Project"), QStringLiteral("Status"),
             QStringLiteral("Duration"), QStringLiteral("Experiments"), QStringLiteral("Running"),
             QStringLiteral("Queued"), QStringLiteral("Completed"), QStringLiteral("Failed"),
             QStringLiteral("Stopped")});
    for (int c = 3; c < 10; ++c)
        t.setAlignment(c, Align::Right);
    t.setEmptyMessage(QStringLiteral("None Active."));
    for (const QJsonValue &v : runs) {
        const RunSummary r = RunSummary::fromJson(v.toObject());
        t.addRow({r.name, r.project.isEmpty() ? QStringLiteral("-") : r.project, r.status,
                  formatDuration(secondsSince(r.createdAt, r.finishedAt)),
                  QString::number(r.experiments), QString::number(r.running),
                  QString::number(r.queued), QString::number(r.completed),
                  QString::number(r.failed), QString::number(r.stopped)});
    }
    return t;
}


int status(CommandContext &ctx)
{
    if (!ctx.args.positional.isEmpty())
        return showRunExperiments(ctx, ctx.args.positional.first());
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    // All runs in one request: the active ones are shown, the others only counted.
    QUrlQuery all;
    all.addQueryItem(QStringLiteral("status"), QStringLiteral("all"));
    const ApiResult runs = api->call("GET", QStringLiteral("/runs"), QJsonValue(), all);
    if (!runs.ok())
        return ctx.out.fail(runs);
    const ApiResult sessions = api->call("GET", QStringLiteral("/sessions"));
    if (!sessions.ok())
        return ctx.out.fail(sessions);
    QJsonArray runList;
    int notActive = 0;
    for (const QJsonValue &v : runs.object().value(QStringLiteral("runs")).toArray()) {
        if (RunSummary::fromJson(v.toObject()).isActive())
            runList.append(v);
        else
            ++notActive;
    }
    const QJsonArray sessionList = sessions.object().value(QStringLiteral("sessions")).toArray();
    if (ctx.out.isJson()) {
        ctx.out.json(QJsonObject{{QStringLiteral("runs"), runList},
                                 {QStringLiteral("not_active_runs"), notActive},
                                 {QStringLiteral("sessions"), sessionList}});
        return 0;
    }
    ctx.out.table(runsTable(runList));
    if (notActive > 0)
        ctx.out.line(QStringLiteral("%1 Run(s) are not active. Use `grid history` to view your Run history.").arg(notActive));
    ctx.out.table(sessionsTable(sessionList));
    return 0;
}
} // namespace

Table sessionsTable(const QJsonArray &sessions, bool withConnections)
{
    QStringList headers{QStringLiteral("Session"), QStringLiteral("Status"), QStringLiteral("Instance Type"),
                        QStringLiteral("Duration"), QStringLiteral("URL")};
    if (withConnections)
        headers.insert(4, QStringLiteral("SSH"));
    Table t(headers);
    t.setAlignment(2, Align::Right);
    t.setAlignment(3, Align::Right);
    if (withConnections)
        t.setAlignment(4, Align::Right);
    t.setEmptyMessage(QStringLiteral("None Active."));
    for (const QJsonValue &v : sessions) {
        const QJsonObject json = v.toObject();
        const SessionSummary s = SessionSummary::fromJson(json);
        const bool running = s.status == u"running";
        QStringList row{s.name, s.status, s.instanceType, formatDuration(running ? secondsSince(s.startedAt) : 0),
                        s.url.isEmpty() ? QStringLiteral("-") : s.url};
        // A gridd from before `ssh_connections` does not count them: "-", not a wrong 0.
        if (withConnections)
            row.insert(4, json.value(QStringLiteral("ssh_connections")).isDouble() ? QString::number(s.sshConnections)
                                                                                   : QStringLiteral("-"));
        t.addRow(row);
    }
    return t;
}

QList<CommandSpec> statusCommands()
{
    return {{{QStringLiteral("status")}, {}, QStringLiteral("Show active runs and sessions, or the experiments of one run."),
             QStringLiteral("[RUN]"), {}, 0, 1, false, status}};
}

} // namespace og::cli
