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

Table sessionsTable(const QJsonArray &sessions)
{
    Table t({QStringLiteral("Session"), QStringLiteral("Status"), QStringLiteral("Instance Type"),
             QStringLiteral("Duration"), QStringLiteral("URL")});
    t.setAlignment(2, Align::Right);
    t.setAlignment(3, Align::Right);
    t.setEmptyMessage(QStringLiteral("None Active."));
    for (const QJsonValue &v : sessions) {
        const SessionSummary s = SessionSummary::fromJson(v.toObject());
        const bool running = s.status == u"running";
        t.addRow({s.name, s.status, s.instanceType,
                  formatDuration(running ? secondsSince(s.startedAt) : 0),
                  s.url.isEmpty() ? QStringLiteral("-") : s.url});
    }
    return t;
}

int status(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    QUrlQuery active;
    active.addQueryItem(QStringLiteral("status"), QStringLiteral("active"));
    const ApiResult runs = api->call("GET", QStringLiteral("/runs"), QJsonValue(), active);
    if (!runs.ok())
        return ctx.out.fail(runs);
    const ApiResult sessions = api->call("GET", QStringLiteral("/sessions"));
    if (!sessions.ok())
        return ctx.out.fail(sessions);
    const QJsonArray runList = runs.object().value(QStringLiteral("runs")).toArray();
    const QJsonArray sessionList = sessions.object().value(QStringLiteral("sessions")).toArray();
    if (ctx.out.isJson()) {
        ctx.out.json(QJsonObject{{QStringLiteral("runs"), runList}, {QStringLiteral("sessions"), sessionList}});
        return 0;
    }
    ctx.out.table(runsTable(runList));
    ctx.out.table(sessionsTable(sessionList));
    return 0;
}
} // namespace

QList<CommandSpec> statusCommands()
{
    return {{{QStringLiteral("status")}, {}, QStringLiteral("Show active runs and sessions."), QString(), {}, 0, 0, false, status}};
}

} // namespace og::cli
