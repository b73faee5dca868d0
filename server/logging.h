// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace og {

// Timestamped log lines "2026-11-26T09:49:17.123Z info opengrid.server.http: …" on stderr.
// Our categories log info and above by default; `rules` (config log_rules) and
// QT_LOGGING_RULES refine that. Secrets never reach a log call: tokens are logged by key id.
void setupServerLogging(const QString &rules);

} // namespace og
