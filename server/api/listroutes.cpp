// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "core/domain/runsummary.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/runs/runstore.h"
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
    QJsonArray runs;
    for (const RunSummary &r : RunStore(ctx.db).listRuns(ctx.user.userId))
        if (filter != u"active" || r.isActive())
            runs.append(r.toJson());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("runs"), runs}});
}

} // namespace

void registerListRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/runs"), listRuns);
}

} // namespace og
