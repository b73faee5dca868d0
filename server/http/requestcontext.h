// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/servercontext.h"
#include "server/store/userstore.h"

#include <QSqlDatabase>

namespace og {

// Per request: who is calling and this thread's database connection.
struct RequestContext
{
    const ServerContext &server;
    AuthenticatedUser user; // empty for Access::Public routes
    QSqlDatabase db;
};

} // namespace og
