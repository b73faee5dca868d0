// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/content/treematerializer.h"

#include "core/datastore/manifest.h"
#include "server/content/objectstore.h"
#include "server/datastores/dirlisting.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace og {

namespace {
QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

bool removeReadOnlyTree(const QString &path)
{
    if (!QFileInfo::exists(path) && !QFileInfo(path).isSymLink())
        return true;
    ::chmod(native(path).constData(), 0755);
    QDirIterator it(path, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString dir = it.next();
        if (!QFileInfo(dir).isSymLink())
            ::chmod(native(dir).constData(), 0755);
    }
    return QDir(path).removeRecursively();
}

namespace {
// Places the files and links of `entries[begin, end)` under `building`; empty on success, else
// why not (for the first entry that failed).
QString placeEntries(const ObjectStore &objects, const QList<ManifestEntry> &entries, const QString &building,
                     qsizetype begin, qsizetype end)
{
    for (qsizetype i = begin; i < end; ++i) {
        const ManifestEntry &e = entries[i];
        if (e.type == ManifestEntry::Type::Directory)
            continue;
        const QByteArray target = native(building + u'/' + e.path);
        if (e.type == ManifestEntry::Type::Symlink) {
            if (::symlink(native(e.target).constData(), target.constData()) != 0)
                return QStringLiteral("cannot create link '%1': %2").arg(e.path, errnoText());
            continue;
        }
        const QString object = objects.pathOf(e.sha256);
        if (::link(native(object).constData(), target.constData()) != 0) {
            // One inode has a link limit (65000 on ext4): many identical files can hit it.
            if (errno != EMLINK || !QFile::copy(object, building + u'/' + e.path))
                return QStringLiteral("cannot place '%1': %2").arg(e.path, errnoText());
            ::chmod(target.constData(), 0444);
        }
    }
    return {};
}

// Below this many entries one thread places them all: starting threads would cost more.
constexpr qsizetype kEntriesPerThread = 1000;
constexpr int kMaxThreads = 4;
} // namespace

QString buildTree(const ObjectStore &objects, const Manifest &manifest, const QString &dir)
{
    removeReadOnlyTree(dir);
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create %1: %2").arg(dir, errnoText());
    // Directories first, sorted by path, so every directory comes before what it contains.
    const QList<ManifestEntry> &entries = manifest.entries();
    for (const ManifestEntry &e : entries)
        if (e.type == ManifestEntry::Type::Directory && ::mkdir(native(dir + u'/' + e.path).constData(), 0755) != 0)
            return QStringLiteral("cannot create directory '%1': %2").arg(e.path, errnoText());
    // Then the hard links, on a few threads: one link costs several microseconds of kernel
    // time (the directory insert, the object's link count), which adds up to most of an
    // optimize for ten thousand files. Each thread takes a contiguous range, so the threads
    // mostly fill different directories and do not wait on each other's directory locks.
    const qsizetype maxThreads = qMin(kMaxThreads, qMax(1, QThread::idealThreadCount()));
    const int threads = int(qBound(qsizetype(1), entries.size() / kEntriesPerThread, maxThreads));
    std::vector<QString> errors(static_cast<size_t>(threads));
    {
        std::vector<std::thread> workers;
        const qsizetype chunk = (entries.size() + threads - 1) / threads;
        for (int t = 0; t < threads; ++t) {
            const qsizetype begin = t * chunk;
            const qsizetype end = qMin(entries.size(), begin + chunk);
            auto work = [&, t, begin, end] { errors[size_t(t)] = placeEntries(objects, entries, dir, begin, end); };
            if (t + 1 == threads)
                work(); // the last range on this thread
            else
                workers.emplace_back(work);
        }
        for (std::thread &w : workers)
            w.join();
    }
    // The first failure in path order: the ranges are in path order.
    for (const QString &error : errors)
        if (!error.isEmpty())
            return error;
    return {};
}

namespace {
// Removes one entry of a writable tree, a directory with everything in it.
bool removeEntry(const QString &path)
{
    const QByteArray p = native(path);
    struct stat st {};
    if (::lstat(p.constData(), &st) != 0)
        return errno == ENOENT;
    if (S_ISDIR(st.st_mode))
        return removeReadOnlyTree(path);
    return ::unlink(p.constData()) == 0;
}

// Whether an entry can stay as it is in the tree: the same kind of thing with the same content
// (modes are the database's business: files are the store's read-only objects, and every
// directory is made read-only when the tree is sealed).
bool sameOnDisk(const ManifestEntry &a, const ManifestEntry &b)
{
    if (a.type != b.type)
        return false;
    switch (a.type) {
    case ManifestEntry::Type::File: return a.sha256 == b.sha256;
    case ManifestEntry::Type::Symlink: return a.target == b.target;
    case ManifestEntry::Type::Directory: return true;
    }
    return false;
}
} // namespace

QString updateTree(const ObjectStore &objects, const QString &dir, const QList<DirListing> &from,
                   const QList<DirListing> &to, QStringList *changedDirs)
{
    QHash<QString, const DirListing *> before;
    for (const DirListing &l : from)
        before.insert(l.path, &l);
    // Parents before children (the listings are in path order): a directory a parent's change
    // creates exists before its own entries are placed; one it removes goes with its contents.
    for (const DirListing &l : to) {
        const DirListing *old = before.value(l.path);
        if (old && old->hash == l.hash)
            continue;
        const QString here = l.path.isEmpty() ? dir : dir + u'/' + l.path;
        changedDirs->append(here);
        ::chmod(native(here).constData(), 0755); // writable while it changes, read-only again below
        QHash<QString, const ManifestEntry *> oldEntries;
        if (old)
            for (const ManifestEntry &e : old->entries)
                oldEntries.insert(e.path, &e);
        QList<ManifestEntry> place;
        for (const ManifestEntry &e : l.entries) {
            const ManifestEntry *was = oldEntries.take(e.path);
            if (was && sameOnDisk(*was, e))
                continue;
            if (was && !removeEntry(dir + u'/' + e.path))
                return QStringLiteral("cannot replace '%1': %2").arg(e.path, errnoText());
            if (e.type == ManifestEntry::Type::Directory) {
                if (::mkdir(native(dir + u'/' + e.path).constData(), 0755) != 0)
                    return QStringLiteral("cannot create directory '%1': %2").arg(e.path, errnoText());
            } else {
                place.append(e);
            }
        }
        for (const ManifestEntry *gone : std::as_const(oldEntries))
            if (!removeEntry(dir + u'/' + gone->path))
                return QStringLiteral("cannot remove '%1': %2").arg(gone->path, errnoText());
        if (const QString e = placeEntries(objects, place, dir, 0, place.size()); !e.isEmpty())
            return e;
        ::chmod(native(here).constData(), 0555);
    }
    return {};
}

void makeTreeReadOnly(const Manifest &manifest, const QString &dir)
{
    // From the leaves up: sessions and experiments mount this tree as it is.
    const QList<ManifestEntry> &entries = manifest.entries();
    for (auto it = entries.crbegin(); it != entries.crend(); ++it)
        if (it->type == ManifestEntry::Type::Directory)
            ::chmod(native(dir + u'/' + it->path).constData(), 0555);
    ::chmod(native(dir).constData(), 0555);
}

QString moveTreeIntoPlace(const QString &dir, const QString &finalPath)
{
    if (!QDir().mkpath(QFileInfo(finalPath).absolutePath()))
        return QStringLiteral("cannot create %1").arg(QFileInfo(finalPath).absolutePath());
    removeReadOnlyTree(finalPath); // a tree left by a crash before the commit
    // Moving a directory to another parent rewrites its "..": only its owner's write
    // permission allows that (root needs none), so it is writable for the moment of the move.
    ::chmod(native(dir).constData(), 0755);
    if (::rename(native(dir).constData(), native(finalPath).constData()) != 0)
        return QStringLiteral("cannot move the tree into place: %1").arg(errnoText());
    ::chmod(native(finalPath).constData(), 0555);
    return {};
}

QString sealTree(const Manifest &manifest, const QString &dir, const QString &finalPath)
{
    makeTreeReadOnly(manifest, dir);
    return moveTreeIntoPlace(dir, finalPath);
}

QString materializeTree(const ObjectStore &objects, const Manifest &manifest, const QString &building,
                        const QString &finalPath)
{
    if (const QString e = buildTree(objects, manifest, building); !e.isEmpty())
        return e;
    return sealTree(manifest, building, finalPath);
}

} // namespace og
