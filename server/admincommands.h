// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace og {

struct ServerConfig;

// `gridd user …` and `gridd key …`: administration straight on the database, usable while a
// gridd serves the same data directory (SQLite WAL lets both work). Returns the exit code.
int runAdminCommand(const ServerConfig &config, const QStringList &args);

} // namespace og
