// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/treescanner.h"

#include <functional>
#include <memory>
#include <optional>
#include <QByteArray>
#include <QList>
#include <QString>

namespace og {

class ApiClient;

// An object for sendThroughLocalIntake: a file of the tree, or bytes held in memory.
struct LocalIntakeObject
{
    QString sha256;
    qint64 size = 0;
    QString path; // empty: `bytes`
    QByteArray bytes;
    QString label; // the manifest path, for messages
};

// Sends `objects` to a gridd on this machine by passing the open files over its local intake
// socket (docs/api.md, "Local intake") instead of their bytes over HTTP; gridd reads, hashes,
// checks and stores them. Up to `connections` at once (one gridd thread each).
//
// Nothing (not even a connection made) when the intake cannot be used here — gridd offers
// none (a remote or server-mode platform), its socket is unreachable, or the process on it is
// neither this user's nor root's, so it could read files this user's processes cannot: then the
// caller uploads over HTTP. Otherwise the outcome: empty on success, else the error. `sent` is
// called on the calling thread as objects are stored; `cancelled` is asked there between
// messages and every 50 ms, and true stops after the messages in hand (`*wasCancelled` set).
std::optional<QString>
sendThroughLocalIntake(ApiClient &api, const QList<LocalIntakeObject> &objects, int connections,
                       const std::function<void(qint64 bytes, int count)> &sent,
                       const std::function<bool()> &cancelled, bool *wasCancelled);

// A hasher for TreeScanner::scan that passes the files to gridd's local intake with "- <size>"
// lines: gridd reads, hashes and stores them and answers with their names, so the client reads
// none of them. Null when the intake is not to be had here (as for sendThroughLocalIntake).
std::unique_ptr<TreeScanner::RemoteHasher> openLocalIntakeHasher(ApiClient &api, int connections);

// Messages carry at most this many objects and, past the first object, this many bytes: large
// enough that ten thousand small files are forty messages, small enough that progress and
// cancellation come every few megabytes.
inline constexpr int kLocalIntakeObjectsPerMessage = 250;
inline constexpr qint64 kLocalIntakeBytesPerMessage = 8 << 20;

} // namespace og
