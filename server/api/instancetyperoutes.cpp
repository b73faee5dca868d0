// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/routes.h"

#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/resources/instancetyperegistry.h"

#include <QJsonArray>
#include <QJsonObject>

namespace og {

void registerInstanceTypeRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/instance-types"), [](const HttpRequest &, RequestContext &ctx) {
        const InstanceTypeRegistry &registry = *ctx.server.instanceTypes;
        QJsonArray types;
        for (const InstanceType &t : registry.list())
            types.append(t.toJson());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("cluster"), registry.cluster().toJson()},
                                                   {QStringLiteral("instance_types"), types}});
    });
    router.add("GET", QStringLiteral("/api/v1/instance-types/{name}"),
               [](const HttpRequest &request, RequestContext &ctx) {
        const auto resolution = ctx.server.instanceTypes->resolve(request.pathParams.value(QStringLiteral("name")));
        if (!resolution.type)
            return HttpResponse::error(resolution.httpStatus, resolution.errorCode, resolution.message);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("instance_type"), resolution.type->toJson()}});
    });
}

} // namespace og
