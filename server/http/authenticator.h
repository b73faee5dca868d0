// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"
#include "server/store/userstore.h"

#include <variant>

namespace og {

// Checks `Authorization: Bearer grid_<id>_<secret>` against the stored hashes. Unknown, wrong
// and revoked keys get the same 401 so the answer reveals nothing about which keys exist.
// last_used_at is written at most once a minute per key: a write per request would serialise
// every reader behind SQLite's single writer.
class Authenticator final
{
public:
    static std::variant<AuthenticatedUser, HttpResponse> authenticate(const QByteArray &authorizationHeader,
                                                                      const QSqlDatabase &db);
};

} // namespace og
