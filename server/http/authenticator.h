// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"
#include "server/store/userstore.h"

#include <variant>

namespace og {

// Checks `Authorization: Bearer grid_<id>_<secret>` against the stored hashes. Unknown, wrong
// and revoked keys get the same 401 so the answer reveals nothing about which keys exist.
//
// Each HTTP worker thread keeps the keys it has verified for a second, so a busy client costs
// one SHA-256 and a constant-time compare per request instead of a database query. A key
// revoked through this gridd's API is dropped from every cache at once (invalidateCache());
// one revoked by another process (`gridd key revoke`) stops working within that second.
// last_used_at is written at most once a minute per key and thread.
class Authenticator final
{
public:
    static std::variant<AuthenticatedUser, HttpResponse> authenticate(const QByteArray &authorizationHeader,
                                                                      const QSqlDatabase &db);
    static void invalidateCache();

    static constexpr qint64 kRevalidateAfterMs = 1000;
    static constexpr qint64 kLastUsedResolutionMs = 60000;
};

} // namespace og
