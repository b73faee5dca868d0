// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

namespace og {

class Database;

// Local mode's first start: the one local user and a key for them, stored in the 0600
// credentials file in the data directory that `grid` and the desktop app read. Later starts
// keep the key if it still works. Empty on success, else why not.
QString ensureLocalUser(Database &database, const QString &dataDir);

// The endpoint file clients use to find a running gridd; removed on clean shutdown.
QString writeEndpointFile(const QString &dataDir, const QUrl &url);
void removeEndpointFile(const QString &dataDir);

} // namespace og
