// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/jsonreader.h"
#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <optional>

namespace og {

class EventHub;
class Router;

// Each resource registers its routes; registerAllRoutes wires the whole API.
void registerHealthRoutes(Router &router);
void registerUserRoutes(Router &router);
void registerApiKeyRoutes(Router &router);
void registerInstanceTypeRoutes(Router &router);
void registerListRoutes(Router &router);
void registerObjectRoutes(Router &router);
void registerDatastoreRoutes(Router &router);
void registerRunRoutes(Router &router);
void registerArtifactRoutes(Router &router);
void registerSshKeyRoutes(Router &router);
void registerSessionRoutes(Router &router);

struct RequestContext;
// Object uploads move in bounded parts: no request body is larger than this.
inline constexpr qint64 kMaxObjectRequestBytes = 32LL << 20;
inline constexpr int kMaxMissingQuery = 10000;
// Which of `hashes` the caller has not uploaded, or that are no longer stored.
QStringList missingObjects(RequestContext &ctx, const QStringList &hashes);
void registerAllRoutes(Router &router, EventHub &events);

// The request body as a strict JSON object reader; nothing (and `error` set to the 400) when
// the body is not a JSON object.
std::optional<JsonReader> readJsonBody(const HttpRequest &request, HttpResponse *error);
HttpResponse invalidRequest(const QString &message);
HttpResponse notFound(const QString &kind, const QString &name);

} // namespace og
