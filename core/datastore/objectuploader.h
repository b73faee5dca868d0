// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <QString>

#include <functional>

namespace og {

class ApiClient;
class Manifest;

struct UploadProgress
{
    QString phase; // "scanning", "uploading", "committing", "optimizing"
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    int filesDone = 0;
    int filesTotal = 0;
};

struct ObjectUploadStats
{
    qint64 uploadedBytes = 0;
    int uploadedObjects = 0;
    qint64 bytesTotal = 0; // of the objects that were missing
    int missingObjects = 0;
    bool cancelled = false; // `cancelled` said so; the error says "cancelled"
    bool localIntake = false; // the objects went through gridd's local intake, not HTTP
};

// Sends gridd every object of `manifest` it reports missing for this user: the files
// (read from `sourceFiles`: manifest path → local path) and the manifest's own bytes.
// Small objects travel packed in batches, large ones in resumable parts, `streams` requests
// at a time. Used for datastore versions and for run code snapshots. Empty on success.
// `report` and `stats` may be empty/null. Hashes in `knownPresent` (the files of the version
// this one replaces) are not asked about: the hourly re-upload then asks only about what changed.
// With `localIntake` and more than kSendWithoutAskingBytes to send, a gridd on this machine
// gets the open files instead of their bytes (sendThroughLocalIntake), when it offers that.
// `cancelled` is asked every 50 ms: true stops at once, leaving requests in flight unanswered
// (gridd keeps only whole objects and whole parts, so the upload stays resumable).
QString uploadManifestObjects(ApiClient &api, const Manifest &manifest, const QByteArray &manifestBytes,
                              const QHash<QString, QString> &sourceFiles, int streams,
                              const std::function<void(const UploadProgress &)> &report, ObjectUploadStats *stats,
                              const QSet<QString> &knownPresent = {}, const std::function<bool()> &cancelled = {},
                              bool localIntake = true);

inline constexpr qint64 kSmallObjectBytes = 4 << 20; // packed into batches
inline constexpr qint64 kBatchBytes = 16 << 20;
inline constexpr int kBatchObjects = 4000;
inline constexpr qint64 kPartBytes = 32 << 20;       // large objects, per request
inline constexpr qint64 kSendWithoutAskingBytes = 8 << 20; // objects/missing is not asked about less

} // namespace og
