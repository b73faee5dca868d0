// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/manifest.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>

namespace og {

class HashCache;

// Turns a local directory (or a single file) into the Manifest a datastore version is made of:
// the client half of `grid datastore create --source`.
class TreeScanner final
{
public:
    struct ScanResult
    {
        Manifest manifest;
        // manifest path → absolute path of the regular file whose content is to be uploaded
        QHash<QString, QString> sourceFiles;
        QStringList warnings; // things left out (sockets, FIFOs, devices, files removed meanwhile)
        QString error;        // non-empty = fatal: manifest and sourceFiles are empty
        bool cancelled = false; // `cancelled` said so; `error` says that too
        qint64 hashedBytes = 0;
        int hashedFiles = 0;
        int cachedFiles = 0;
    };
    // Bytes and files hashed or found in the cache so far, out of all regular files.
    using Progress = std::function<void(qint64 bytesDone, qint64 bytesTotal, int filesDone,
                                        int filesTotal)>;
    // Asked on the calling thread, between directories and about ten times a second while
    // files are hashed; true stops the scan within one read of each hashing thread.
    using Cancelled = std::function<bool()>;

    // A directory's contents become the datastore root (`cifar5/train` gives `train/...`); a
    // regular file gives a one-file manifest named after it. `source` itself may be a symbolic
    // link; nothing below it is ever followed. Symbolic links are kept as links when their
    // target stays inside the source by the rule Manifest::parse applies (relative, `..` only
    // leading), and are fatal otherwise; sockets, FIFOs and devices are skipped with a warning;
    // anything unreadable, and any name that is not valid UTF-8, is fatal. Files the cache (may be null) does not vouch for
    // are hashed on a few threads and then recorded in it. `progress` is called on the calling
    // thread, at most about ten times a second. Hashes recorded in the cache before a
    // cancellation stay there, so the next scan does not hash those files again.
    static ScanResult scan(const QString &source, HashCache *cache, const Progress &progress = {},
                           const Cancelled &cancelled = {});

    TreeScanner() = delete;
};

} // namespace og
