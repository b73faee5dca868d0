// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "opengrid/version.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"

#include <QJsonObject>

namespace og {

void registerHealthRoutes(Router &router)
{
    // Public and cheap: for load balancers, `grid` auto-start and monitoring.
    router.add("GET", QStringLiteral("/api/v1/health"), [](const HttpRequest &, RequestContext &ctx) {
        return HttpResponse::json(
            200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                             {QStringLiteral("version"), QStringLiteral(OPENGRID_VERSION)},
                             {QStringLiteral("mode"), ctx.server.config.modeName()},
                             {QStringLiteral("uptime_seconds"),
                              ctx.server.startedAt.secsTo(QDateTime::currentDateTimeUtc())}});
    }, Access::Public);
}

} // namespace og
