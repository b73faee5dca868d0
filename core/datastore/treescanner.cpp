// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/treescanner.h"

#include "core/datastore/hashcache.h"
#include "core/sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace og {

namespace {

constexpr size_t kReadBuffer = 1 << 20;
constexpr int kReadAttempts = 3;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

struct FileJob
{
    QString path;    // manifest path
    QString absPath; // what is opened, and the cache key
    struct stat st {};

    enum class Outcome { Pending, Hashed, Cached, Vanished, Failed, Changed, Unstable, Stopped };
    Outcome outcome = Outcome::Pending;
    int error = 0; // errno for Failed
    QString sha256;
    qint64 readStartedNs = 0;
};

QString joinPath(const QString &dir, const QString &name)
{
    if (dir.isEmpty())
        return name;
    if (dir.endsWith(u'/'))
        return dir + name;
    return dir + u'/' + name;
}

QString cannotRead(const QString &path, int error)
{
    return QStringLiteral("cannot read '%1': %2").arg(path, qt_error_string(error));
}

QString pointsOutside(const QString &path, const QString &target)
{
    return QStringLiteral("symbolic link '%1' points outside the source ('%2'); replace it with "
                          "the file or remove it")
        .arg(path, target);
}

// Why a link target is refused, or empty. Mirrors Manifest::parse on the server: resolved
// lexically from the link's directory, `..` may not climb above the root, and may only lead the
// target. The second half is what makes the lexical check sound: `d/up -> ..` with
// `x -> d/up/..` passes a purely lexical test, yet the kernel resolves `x` to the root's parent.
// With `..` only in front, a target resolves to a real directory inside the tree (the link's
// own directory path holds no links, since the walk never follows one) and then only descends.
QString linkTargetProblem(const QString &linkPath, const QString &target)
{
    if (target.isEmpty() || target.startsWith(u'/'))
        return pointsOutside(linkPath, target);
    qsizetype depth = linkPath.count(u'/');
    bool leading = true;
    bool dotDotAfterName = false;
    for (QStringView part : QStringView(target).split(u'/')) {
        if (part.isEmpty() || part == u".")
            continue;
        if (part == u"..") {
            if (depth == 0)
                return pointsOutside(linkPath, target);
            --depth;
            dotDotAfterName |= !leading;
        } else {
            leading = false;
            ++depth;
        }
    }
    if (dotDotAfterName)
        return QStringLiteral("symbolic link '%1' has '..' after a name in its target ('%2'), "
                              "which datastores do not allow; point it at the same place "
                              "without that '..', or replace it with the file")
            .arg(linkPath, target);
    return {};
}

QString specialFileKind(mode_t mode)
{
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    return QStringLiteral("not a file, directory or symbolic link");
}

// Decodes a name from the filesystem (UTF-8, as QFile::decodeName does in Qt 6); nothing when
// it is not valid UTF-8, since the manifest could not name it nor the upload find it again.
std::optional<QString> decodeName(const char *raw)
{
    const QByteArrayView bytes(raw, qsizetype(std::strlen(raw)));
    if (!bytes.isValidUtf8())
        return std::nullopt;
    return QString::fromUtf8(bytes);
}

std::optional<QByteArray> readLinkAt(int dirFd, const char *name, qint64 sizeHint)
{
    QByteArray buffer(std::max<qint64>(sizeHint + 1, 256), Qt::Uninitialized);
    for (;;) {
        const ssize_t n = readlinkat(dirFd, name, buffer.data(), size_t(buffer.size()));
        if (n < 0)
            return std::nullopt;
        if (n < buffer.size()) {
            buffer.truncate(n);
            return buffer;
        }
        buffer.resize(buffer.size() * 2);
    }
}

class Walker final
{
public:
    // `rootName` is how messages name the root: the source as the user gave it.
    Walker(QString rootAbs, QString rootName, const TreeScanner::Cancelled &cancelled)
        : m_rootAbs(std::move(rootAbs))
        , m_rootName(std::move(rootName))
        , m_cancelled(cancelled)
    {
    }

    QList<ManifestEntry> entries; // directories and symbolic links
    std::vector<FileJob> files;
    QStringList warnings;
    QString error;
    bool cancelled = false;

    void walk()
    {
        struct Pending
        {
            QString path;
            int mode;
        };
        std::vector<Pending> pending{{QString(), 0}};
        while (!pending.empty() && error.isEmpty()) {
            if (m_cancelled && m_cancelled()) {
                cancelled = true;
                return;
            }
            const Pending dir = std::move(pending.back());
            pending.pop_back();
            const QByteArray absDir = QFile::encodeName(joinPath(m_rootAbs, dir.path));
            const int fd =
                ::open(absDir.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                if (errno == ENOENT && !dir.path.isEmpty()) {
                    warnings.append(removedMeanwhile(dir.path));
                    continue;
                }
                error = cannotRead(dir.path.isEmpty() ? m_rootName : dir.path, errno);
                return;
            }
            if (!dir.path.isEmpty())
                entries.append({dir.path, ManifestEntry::Type::Directory, dir.mode, 0, {}, {}});
            DIR *stream = fdopendir(fd);
            if (!stream) {
                error = cannotRead(dir.path.isEmpty() ? m_rootName : dir.path, errno);
                ::close(fd);
                return;
            }
            for (;;) {
                errno = 0;
                const dirent *d = readdir(stream);
                if (!d) {
                    if (errno != 0)
                        error = cannotRead(dir.path.isEmpty() ? m_rootName : dir.path, errno);
                    break;
                }
                if (std::strcmp(d->d_name, ".") == 0 || std::strcmp(d->d_name, "..") == 0)
                    continue;
                if (!visit(fd, dir.path, d->d_name, pending))
                    break;
            }
            closedir(stream);
        }
    }

private:
    static QString removedMeanwhile(const QString &path)
    {
        return QStringLiteral("skipping '%1': it was removed during the scan").arg(path);
    }

    template<typename PendingList>
    bool visit(int dirFd, const QString &dirPath, const char *rawName, PendingList &pending)
    {
        const std::optional<QString> name = decodeName(rawName);
        if (!name) {
            error = QStringLiteral("cannot upload '%1': its name is not valid UTF-8; rename it")
                        .arg(joinPath(dirPath, QFile::decodeName(rawName)));
            return false;
        }
        const QString path = joinPath(dirPath, *name);
        struct stat st {};
        if (fstatat(dirFd, rawName, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) {
                warnings.append(removedMeanwhile(path));
                return true;
            }
            error = cannotRead(path, errno);
            return false;
        }
        if (const QString problem = Manifest::validatePath(path); !problem.isEmpty()) {
            error = problem;
            return false;
        }
        const int mode = int(st.st_mode & 07777);
        if (S_ISREG(st.st_mode)) {
            FileJob job;
            job.path = path;
            job.absPath = joinPath(m_rootAbs, path);
            job.st = st;
            files.push_back(std::move(job));
        } else if (S_ISDIR(st.st_mode)) {
            pending.push_back({path, mode});
        } else if (S_ISLNK(st.st_mode)) {
            const std::optional<QByteArray> raw = readLinkAt(dirFd, rawName, st.st_size);
            if (!raw) {
                if (errno == ENOENT) {
                    warnings.append(removedMeanwhile(path));
                    return true;
                }
                error = cannotRead(path, errno);
                return false;
            }
            const std::optional<QString> target = decodeName(raw->constData());
            if (!target) {
                error = QStringLiteral("cannot upload symbolic link '%1': its target is not valid "
                                       "UTF-8")
                            .arg(path);
                return false;
            }
            if (const QString problem = linkTargetProblem(path, *target); !problem.isEmpty()) {
                error = problem;
                return false;
            }
            entries.append({path, ManifestEntry::Type::Symlink, mode, 0, {}, *target});
        } else {
            warnings.append(
                QStringLiteral("skipping '%1': %2").arg(path, specialFileKind(st.st_mode)));
        }
        return true;
    }

    const QString m_rootAbs;
    const QString m_rootName;
    const TreeScanner::Cancelled &m_cancelled;
};

bool sameVersion(const struct stat &a, const struct stat &b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size
           && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec
           && a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

// Hashes one file; its stat data afterwards describes exactly the bytes hashed (a file written
// to meanwhile is read again, a few times at most).
// `stop` ends it between two reads (the scan was cancelled or failed elsewhere).
void hashFile(FileJob &job, char *buffer, std::atomic<qint64> &bytesDone, const std::atomic<bool> &stop)
{
    const QByteArray path = QFile::encodeName(job.absPath);
    for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
        // O_NONBLOCK: if the file was swapped for a FIFO since the walk, open must not hang.
        const int fd =
            ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            const int error = errno;
            job.outcome = error == ENOENT ? FileJob::Outcome::Vanished
                          : error == ELOOP ? FileJob::Outcome::Changed
                                           : FileJob::Outcome::Failed;
            job.error = error;
            return;
        }
        // Taken before the stat data it vouches for; see HashCache::lookup.
        const qint64 readStartedNs = HashCache::nowNs();
        struct stat before {};
        if (fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) {
            job.outcome = FileJob::Outcome::Changed;
            ::close(fd);
            return;
        }
        if (before.st_size > qint64(kReadBuffer))
            posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        Sha256 hash;
        qint64 total = 0;
        int readError = 0;
        // Reading stops at the size stat reported; growth beyond it shows in the second stat.
        while (total < before.st_size) {
            if (stop.load(std::memory_order_relaxed)) {
                ::close(fd);
                job.outcome = FileJob::Outcome::Stopped;
                return;
            }
            const ssize_t n = ::read(fd, buffer, kReadBuffer);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                readError = errno;
                break;
            }
            if (n == 0)
                break;
            hash.add(buffer, n);
            total += n;
            bytesDone.fetch_add(n, std::memory_order_relaxed);
        }
        struct stat after {};
        const bool statted = fstat(fd, &after) == 0;
        ::close(fd);
        if (readError != 0) {
            job.outcome = FileJob::Outcome::Failed;
            job.error = readError;
            return;
        }
        if (statted && total == before.st_size && sameVersion(before, after)) {
            job.st = after;
            job.sha256 = hash.hexResult();
            job.readStartedNs = readStartedNs;
            job.outcome = FileJob::Outcome::Hashed;
            return;
        }
        bytesDone.fetch_sub(total, std::memory_order_relaxed);
    }
    job.outcome = FileJob::Outcome::Unstable;
}

class HashPool final
{
public:
    HashPool(std::vector<FileJob> &jobs, std::vector<size_t> todo, HashCache *cache, TreeScanner::RemoteHasher *remote)
        : m_jobs(jobs)
        , m_todo(std::move(todo))
        , m_cache(cache)
        , m_remote(remote)
    {
    }

    // Runs the jobs to completion (or to the first failure, or until `cancelled` says so),
    // reporting from this thread.
    void run(const std::function<void()> &report, const TreeScanner::Cancelled &cancelled)
    {
        const size_t threadCount = std::min<size_t>(
            m_todo.size(), m_remote ? size_t(qMax(1, m_remote->slotCount())) : size_t(std::clamp(QThread::idealThreadCount(), 2, 16)));
        std::vector<std::thread> threads;
        for (size_t i = 0; i < threadCount; ++i) {
            {
                std::lock_guard lock(m_mutex);
                ++m_running;
            }
            try {
                threads.emplace_back([this, i] { work(m_remote ? int(i) : -1); });
            } catch (const std::system_error &) {
                std::lock_guard lock(m_mutex);
                --m_running;
                break;
            }
        }
        if (threads.empty() && !m_todo.empty()) {
            ++m_running;
            work(-1); // no thread could be started: still correct, just slower
        }
        std::unique_lock lock(m_mutex);
        while (m_running > 0) {
            if (m_done.wait_for(lock, kProgressInterval, [this] { return m_running == 0; }))
                break;
            lock.unlock();
            if (report)
                report();
            if (cancelled && !m_stop.load() && cancelled()) {
                m_cancelled = true;
                m_stop.store(true);
            }
            lock.lock();
        }
        lock.unlock();
        for (std::thread &t : threads)
            t.join();
    }

    std::atomic<qint64> bytesDone{0};
    std::atomic<int> filesDone{0};
    bool wasCancelled() const { return m_cancelled; }
    QSet<QString> remotelyStored; // after run()
    int remotelyAddedObjects = 0;
    qint64 remotelyAddedBytes = 0;

private:
    // `slot` >= 0: this thread's slot of the remote hasher, used until a call of it fails.
    void work(int slot)
    {
        std::unique_ptr<char[]> buffer; // for hashing here, made when first needed
        auto hashHere = [&](FileJob &job) {
            if (!buffer)
                buffer = std::make_unique<char[]>(kReadBuffer);
            hashFile(job, buffer.get(), bytesDone, m_stop);
            finish(job);
        };
        std::vector<size_t> batch;
        for (;;) {
            if (m_stop.load())
                break;
            batch.clear();
            qint64 batchBytes = 0;
            // Remote: a batch of files (largest first, so the big ones go one or two at a time);
            // here: one file at a time.
            while (batch.size() < (slot >= 0 ? size_t(TreeScanner::kRemoteBatchFiles) : 1u)) {
                std::lock_guard lock(m_takeMutex);
                if (m_next >= m_todo.size())
                    break;
                const qint64 size = m_jobs[m_todo[m_next]].st.st_size;
                if (!batch.empty() && batchBytes + size > TreeScanner::kRemoteBatchBytes)
                    break;
                batch.push_back(m_todo[m_next++]);
                batchBytes += size;
            }
            if (batch.empty())
                break;
            if (slot < 0) {
                hashHere(m_jobs[batch.front()]);
                continue;
            }
            if (!hashRemotely(slot, batch))
                slot = -1; // this slot failed: the rest of this thread's files are hashed here
            for (const size_t i : batch)
                if (m_jobs[i].outcome == FileJob::Outcome::Pending && !m_stop.load())
                    hashHere(m_jobs[i]);
        }
        {
            std::lock_guard lock(m_mutex);
            --m_running;
        }
        m_done.notify_one();
    }

    void finish(FileJob &job)
    {
        if (job.outcome == FileJob::Outcome::Hashed) {
            if (m_cache)
                m_cache->store(job.absPath, job.st, job.sha256, job.readStartedNs);
            filesDone.fetch_add(1, std::memory_order_relaxed);
        } else if (job.outcome != FileJob::Outcome::Vanished && job.outcome != FileJob::Outcome::Stopped) {
            m_stop.store(true); // the scan fails: the rest is wasted work
        }
    }

    // Opens the files of `batch` and has the remote hasher hash them. A file it hashed whose stat
    // data did not change meanwhile is Hashed; any other stays Pending, for hashFile() to hash
    // (or to report what is wrong with it). False when the remote call failed.
    bool hashRemotely(int slot, const std::vector<size_t> &batch)
    {
        struct Open
        {
            size_t job;
            int fd;
            struct stat before;
            qint64 startedNs;
        };
        std::vector<Open> open;
        for (const size_t i : batch) {
            FileJob &job = m_jobs[i];
            const int fd = ::open(QFile::encodeName(job.absPath).constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
            if (fd < 0)
                continue; // hashFile() says why
            Open o{i, fd, {}, HashCache::nowNs()};
            if (::fstat(fd, &o.before) != 0 || !S_ISREG(o.before.st_mode)) {
                ::close(fd);
                continue;
            }
            open.push_back(o);
        }
        std::vector<int> fds;
        std::vector<qint64> sizes;
        for (const Open &o : open) {
            fds.push_back(o.fd);
            sizes.push_back(o.before.st_size);
        }
        QStringList hashes;
        QList<bool> added;
        const bool ok = fds.empty() || m_remote->hash(slot, fds, sizes, &hashes, &added);
        for (size_t k = 0; k < open.size(); ++k) {
            struct stat after {};
            FileJob &job = m_jobs[open[k].job];
            if (ok && qsizetype(k) < hashes.size() && ::fstat(open[k].fd, &after) == 0 && sameVersion(open[k].before, after)) {
                job.st = after;
                job.sha256 = hashes[qsizetype(k)];
                job.readStartedNs = open[k].startedNs;
                job.outcome = FileJob::Outcome::Hashed;
                bytesDone.fetch_add(after.st_size, std::memory_order_relaxed);
                {
                    std::lock_guard lock(m_takeMutex);
                    remotelyStored.insert(job.sha256);
                    if (added.value(qsizetype(k))) {
                        ++remotelyAddedObjects;
                        remotelyAddedBytes += after.st_size;
                    }
                }
                finish(job);
            }
            ::close(open[k].fd);
        }
        return ok;
    }

    std::vector<FileJob> &m_jobs;
    const std::vector<size_t> m_todo;
    HashCache *const m_cache;
    TreeScanner::RemoteHasher *const m_remote;
    std::mutex m_takeMutex; // m_next, remotelyStored
    size_t m_next = 0;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::condition_variable m_done;
    int m_running = 0;
    bool m_cancelled = false; // this thread only
};

QString failureMessage(const FileJob &job)
{
    switch (job.outcome) {
    case FileJob::Outcome::Failed:
        return cannotRead(job.path, job.error);
    case FileJob::Outcome::Changed:
        return QStringLiteral(
                   "'%1' was replaced by something that is not a regular file during the "
                   "scan; try again")
            .arg(job.path);
    case FileJob::Outcome::Unstable:
        return QStringLiteral("'%1' kept changing while it was read; upload it when nothing writes "
                              "to it")
            .arg(job.path);
    default:
        return {};
    }
}

QString cancelledMessage()
{
    return QStringLiteral("cancelled");
}

} // namespace

TreeScanner::ScanResult TreeScanner::scan(const QString &source, HashCache *cache,
                                          const Progress &progress, const Cancelled &cancelled,
                                          const RemoteHasherFactory &remoteFactory)
{
    ScanResult result;
    if (source.isEmpty()) {
        result.error = QStringLiteral("no source given");
        return result;
    }
    // The source itself is followed (naming a link to a dataset is deliberate); nothing inside.
    struct stat top {};
    if (::stat(QFile::encodeName(source).constData(), &top) != 0) {
        const int error = errno;
        result.error = error == ENOENT ? QStringLiteral("source '%1' does not exist").arg(source)
                                       : cannotRead(source, error);
        return result;
    }
    const QString rootAbs = QDir::cleanPath(QFileInfo(source).absoluteFilePath());

    Walker walker(rootAbs, source, cancelled);
    if (S_ISDIR(top.st_mode)) {
        walker.walk();
    } else if (S_ISREG(top.st_mode)) {
        const QString name = QFileInfo(rootAbs).fileName();
        if (const QString problem = Manifest::validatePath(name); !problem.isEmpty()) {
            result.error = problem;
            return result;
        }
        FileJob job;
        job.path = name;
        job.absPath = rootAbs;
        job.st = top;
        walker.files.push_back(std::move(job));
    } else {
        result.error = QStringLiteral("source '%1' is %2, not a directory or a regular file")
                           .arg(source, specialFileKind(top.st_mode));
        return result;
    }
    result.warnings = std::move(walker.warnings);
    if (walker.cancelled) {
        result.cancelled = true;
        result.error = cancelledMessage();
        return result;
    }
    if (!walker.error.isEmpty()) {
        result.error = walker.error;
        return result;
    }

    std::vector<FileJob> &files = walker.files;
    qint64 bytesTotal = 0;
    qint64 cachedBytes = 0;
    std::vector<size_t> todo;
    for (size_t i = 0; i < files.size(); ++i) {
        FileJob &job = files[i];
        bytesTotal += job.st.st_size;
        if (cache) {
            if (std::optional<QString> sha = cache->lookup(job.absPath, job.st)) {
                job.sha256 = std::move(*sha);
                job.outcome = FileJob::Outcome::Cached;
                cachedBytes += job.st.st_size;
                ++result.cachedFiles;
                continue;
            }
        }
        todo.push_back(i);
    }
    // Largest first, so that one big file does not finish alone at the end.
    std::stable_sort(todo.begin(), todo.end(), [&files](size_t a, size_t b) {
        return files[a].st.st_size > files[b].st.st_size;
    });

    qint64 bytesToHash = 0;
    for (const size_t i : todo)
        bytesToHash += files[i].st.st_size;
    const std::unique_ptr<RemoteHasher> remote = remoteFactory && bytesToHash > 0 ? remoteFactory(bytesToHash) : nullptr;
    HashPool pool(files, std::move(todo), cache, remote.get());
    const int filesTotal = int(files.size());
    const auto report = [&] {
        if (progress)
            progress(cachedBytes + pool.bytesDone.load(), bytesTotal,
                     result.cachedFiles + pool.filesDone.load(), filesTotal);
    };
    report();
    pool.run(report, cancelled);

    // Of the failures found before the pool stopped, the first in path order.
    const FileJob *failed = nullptr;
    for (const FileJob &job : files) {
        if (job.outcome == FileJob::Outcome::Vanished) {
            result.warnings.append(
                QStringLiteral("skipping '%1': it was removed during the scan").arg(job.path));
        } else if (job.outcome != FileJob::Outcome::Hashed
                   && job.outcome != FileJob::Outcome::Cached
                   && job.outcome != FileJob::Outcome::Pending
                   && job.outcome != FileJob::Outcome::Stopped
                   && (!failed || job.path.toUtf8() < failed->path.toUtf8())) {
            failed = &job;
        }
    }
    result.warnings.sort();
    if (pool.wasCancelled() && !failed) {
        result.cancelled = true;
        result.error = cancelledMessage();
        return result;
    }
    if (failed) {
        result.error = failureMessage(*failed);
        return result;
    }

    QList<ManifestEntry> entries = std::move(walker.entries);
    entries.reserve(entries.size() + qsizetype(files.size()));
    result.sourceFiles.reserve(qsizetype(files.size()));
    for (FileJob &job : files) {
        if (job.outcome == FileJob::Outcome::Vanished)
            continue;
        if (job.outcome == FileJob::Outcome::Hashed) {
            result.hashedBytes += job.st.st_size;
            ++result.hashedFiles;
        }
        entries.append({job.path, ManifestEntry::Type::File, int(job.st.st_mode & 07777),
                        job.st.st_size, std::move(job.sha256), {}});
        result.sourceFiles.insert(job.path, job.absPath);
    }
    result.manifest = Manifest(std::move(entries));
    result.remotelyStored = std::move(pool.remotelyStored);
    result.remotelyAddedObjects = pool.remotelyAddedObjects;
    result.remotelyAddedBytes = pool.remotelyAddedBytes;
    if (progress)
        progress(bytesTotal, bytesTotal, filesTotal, filesTotal);
    return result;
}

} // namespace og
