// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/manifest.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <QSet>

#include <functional>
#include <memory>
#include <vector>

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
        // Hashes of the files a RemoteHasher hashed: it stored them too (gridd's local intake);
        // how many of them, and their bytes, it did not hold before.
        QSet<QString> remotelyStored;
        int remotelyAddedObjects = 0;
        qint64 remotelyAddedBytes = 0;
    };

    // Hashes files that something else reads itself from descriptors the scanner opened: gridd's
    // local intake, which stores them as it hashes them (the client then neither reads them
    // nor sends them). `slotCount()` threads call hash() at once, each with its own slot.
    class RemoteHasher
    {
    public:
        virtual ~RemoteHasher() = default;
        virtual int slotCount() const = 0;
        // The SHA-256 of each of `fds` (regular files of `sizes` bytes), in order, and whether
        // the hasher stored it only now; false when that failed, and then this slot is not used
        // again (its files are hashed here).
        virtual bool hash(int slot, const std::vector<int> &fds, const std::vector<qint64> &sizes, QStringList *hashes,
                          QList<bool> *added) = 0;
    };
    // Called once the scan knows how many bytes it must hash: a hasher to use, or null to hash
    // here.
    using RemoteHasherFactory = std::function<std::unique_ptr<RemoteHasher>(qint64 bytesToHash)>;
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
    // With `remote`, files it vouches for (the stat data before and after its read match) are
    // hashed by its RemoteHasher; any other file, and all of them when it gives none, here.
    static ScanResult scan(const QString &source, HashCache *cache, const Progress &progress = {},
                           const Cancelled &cancelled = {}, const RemoteHasherFactory &remote = {});

    // A remote hash call carries at most this many files and, past the first, this many bytes.
    static constexpr int kRemoteBatchFiles = 250;
    static constexpr qint64 kRemoteBatchBytes = 8 << 20;

    TreeScanner() = delete;
};

} // namespace og
