// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/objectuploader.h"
#include "core/domain/datastoreversion.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace og {

class ApiClient;

// What to upload: a directory, a single file, or an archive (extracted first with `extract`).
struct UploadRequest
{
    QString source;
    QString name;
    bool extract = false;
    bool wait = true;  // wait until the version has succeeded or failed
    int streams = 4;   // requests in flight at once
    bool localIntake = true; // a gridd on this machine may read the files itself (docs/api.md, "Local intake")
};

struct UploadResult
{
    QString error;       // empty on success
    bool unchanged = false; // the tree equals the latest version: nothing was created
    bool resumed = false;   // an interrupted upload of this datastore was continued
    bool cancelled = false; // stopped on request: before the commit `error` says so and the upload is
                            // resumable; after it the version is gridd's, and only the waiting stopped
    DatastoreVersion version;
    QStringList warnings;
    bool localIntake = false; // gridd read the files itself (docs/api.md, "Local intake")
    qint64 uploadedBytes = 0;
    int uploadedObjects = 0;
    bool ok() const { return error.isEmpty(); }
};

// The client half of datastores, shared by the CLI and the desktop app (which runs it on a
// worker thread). Scans the source with a persistent stat cache, asks gridd which objects it
// lacks, uploads only those — small files packed into batches, large ones in resumable
// parts, several requests in flight — then commits the manifest. Work state is kept under
// ~/.grid/datastores so `grid datastore resume` (or simply running the create again)
// continues an interrupted upload; a lock file stops two uploads of one datastore racing.
class DatastoreUploader final
{
public:
    using ProgressFn = std::function<void(const UploadProgress &)>;
    // Asked only on the thread that runs the upload, between steps and every 50–100 ms within
    // the long ones (hashing, sending); true ends run() soon with `cancelled` set. What it reads
    // is usually set from another thread, so it should be an atomic flag or the like.
    using CancelFn = std::function<bool()>;

    DatastoreUploader(ApiClient &api, ProgressFn progress = {}, CancelFn cancelled = {});
    UploadResult run(const UploadRequest &request);

    // Work states of uploads that did not finish, for `grid datastore resume`.
    static QList<UploadRequest> interruptedUploads();
    static QString workDir(); // ~/.grid/datastores
    // Grid's rule: last path component, text before the first '.', lower-cased; anything
    // outside [a-z0-9-] becomes '-'.
    static QString nameFromSource(const QString &source);

private:
    bool cancelledNow() const { return m_cancelled && m_cancelled(); }

    ApiClient &m_api;
    ProgressFn m_progress;
    CancelFn m_cancelled;
};

} // namespace og
