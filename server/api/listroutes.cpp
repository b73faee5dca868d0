// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "core/domain/runsummary.h"
#include "core/domain/sessionsummary.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/store/database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

namespace og {

namespace {

// ?status=active keeps runs that still have work to do (what `grid status` shows).
HttpResponse listRuns(const HttpRequest &request, RequestContext &ctx)
{
    const QString filter = request.query.queryItemValue(QStringLiteral("status"));
    if (!filter.isEmpty() && filter != u"active" && filter != u"all")
        return invalidRequest(QStringLiteral("status must be 'active' or 'all', not '%1'").arg(filter));
    QSqlQuery q = execute(ctx.db, QStringLiteral(
        "SELECT r.name, r.project, r.status, r.created_at, r.finished_at, COUNT(e.id),"
        " SUM(CASE WHEN e.status = 'running' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status IN ('pending', 'queued') THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'succeeded' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'failed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'cancelled' THEN 1 ELSE 0 END)"
        " FROM runs r LEFT JOIN experiments e ON e.run_id = r.id"
        " WHERE r.user_id = ? GROUP BY r.id, r.name, r.project, r.status, r.created_at, r.finished_at"
        " ORDER BY r.created_at DESC"), {ctx.user.userId});
    QJsonArray runs;
    while (q.next()) {
        RunSummary r;
        r.name = q.value(0).toString();
        r.project = q.value(1).toString();
        r.status = q.value(2).toString();
        r.createdAt = fromSqlTime(q.value(3));
        r.finishedAt = fromSqlTime(q.value(4));
        r.experiments = q.value(5).toInt();
        r.running = q.value(6).toInt();
        r.queued = q.value(7).toInt();
        r.completed = q.value(8).toInt();
        r.failed = q.value(9).toInt();
        r.stopped = q.value(10).toInt();
        if (filter != u"active" || r.isActive())
            runs.append(r.toJson());
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("runs"), runs}});
}

HttpResponse listSessions(const HttpRequest &, RequestContext &ctx)
{
    QSqlQuery q = execute(ctx.db, QStringLiteral(
        "SELECT name, status, instance_type, created_at, started_at FROM sessions"
        " WHERE user_id = ? ORDER BY created_at DESC"), {ctx.user.userId});
    QJsonArray sessions;
    while (q.next()) {
        SessionSummary s{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                         fromSqlTime(q.value(3)), fromSqlTime(q.value(4)), QString()};
        sessions.append(s.toJson());
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("sessions"), sessions}});
}
} // namespace

void registerListRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/runs"), listRuns);
    router.add("GET", QStringLiteral("/api/v1/sessions"), listSessions);
}

} // namespace og
