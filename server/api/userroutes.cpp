// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "server/http/requestcontext.h"
#include "server/http/router.h"

#include <QJsonObject>

namespace og {

void registerUserRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/user"), [](const HttpRequest &, RequestContext &ctx) {
        // The profile came with the key check; no second query on this hot path.
        return HttpResponse::json(
            200, QJsonObject{{QStringLiteral("user"), ctx.user.profile.toJson()},
                             {QStringLiteral("cluster_context"), ctx.server.config.modeName()},
                             {QStringLiteral("api_key_id"), ctx.user.keyId}});
    });
}

} // namespace og
