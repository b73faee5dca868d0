// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <QString>

#include <sys/stat.h>

#include <array>
#include <mutex>
#include <optional>

namespace og {

// Remembers the SHA-256 of files by their stat data, so that re-uploading an unchanged tree (the
// hourly cron case) costs one lstat per file instead of reading every byte — git's index, borg's
// and restic's files cache. An entry is trusted only while device, inode, size, mtime and ctime
// are all unchanged and it is not "racy" (see lookup()).
//
// The cache is a pure optimisation: losing it costs one full re-hash, so a missing or corrupt
// cache file is never an error. lookup() and store() may be called from several threads.
class HashCache final
{
    Q_DISABLE_COPY_MOVE(HashCache)

public:
    explicit HashCache(QString cacheFile);

    // Replaces the contents with the cache file's. A missing file gives an empty cache; a corrupt
    // or foreign one is discarded with a logged warning (returns true, cache empty). Returns false
    // only when the file exists but cannot be read; the cache is then empty and usable.
    bool load(QString *error);
    // Writes the cache atomically as a private file; empty on success, else why not.
    QString save() const;
    // Whether store() or retainOnly() changed anything since the last load() or save():
    // the hourly re-upload of an unchanged tree then writes nothing.
    bool isModified() const;

    // The recorded hash, or nothing when the file may have changed since it was recorded.
    std::optional<QString> lookup(const QString &absPath, const struct stat &st) const;
    // Records `sha256` (lower-case hex) for the file whose stat data is `st`. `readStartedNs` is
    // the wall-clock time (ns since the epoch, CLOCK_REALTIME) taken before `st` was read and
    // the content hashed; it defaults to now. Passing the earlier time makes the racy check
    // (see lookup()) hold even when hashing a large file took long.
    void store(const QString &absPath, const struct stat &st, const QString &sha256,
               std::optional<qint64> readStartedNs = std::nullopt);
    // Drops the entries of every path not in `paths` (files deleted since the last scan).
    void retainOnly(const QSet<QString> &paths);

    QString fileName() const { return m_cacheFile; }
    qsizetype size() const;

    // Writes within this window before the recording time may not show in mtime/ctime
    // (filesystem timestamp granularity, coarse kernel clock, FAT's 2 s).
    static constexpr qint64 kRacyWindowNs = 2'000'000'000;
    static qint64 nowNs();

    // Replaces `path` with `contents` atomically (a private temporary file, then a rename) but
    // without fsync, which costs milliseconds to tens of them per call: right for caches like
    // this one, where a file a power cut leaves empty or short only costs re-work (the
    // checksum or the reader rejects it). Empty on success, else why not.
    static QString writeCacheFile(const QString &path, const QByteArray &contents);

private:
    struct Entry
    {
        quint64 device = 0;
        quint64 inode = 0;
        qint64 size = 0;
        qint64 mtimeNs = 0;
        qint64 ctimeNs = 0;
        qint64 recordedAtNs = 0;
        std::array<uchar, 32> sha256{};
    };

    const QString m_cacheFile;
    mutable std::mutex m_mutex;
    QHash<QString, Entry> m_entries;
    mutable bool m_modified = false;
};

} // namespace og
