// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/content/objectstore.h"

#include "core/apitoken.h"
#include "core/datastore/manifest.h"
#include "core/sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace og {

namespace {
ObjectStore::PutResult failure(int status, const char *code, const QString &message)
{
    return {status, QString::fromLatin1(code), message};
}

ObjectStore::PutResult ioFailure(const QString &what)
{
    if (errno == ENOSPC || errno == EDQUOT)
        return failure(507, "storage_full",
                       QStringLiteral("the platform's disk is full (%1); free space on the gridd "
                                      "machine and run `grid datastore resume`").arg(what));
    return failure(500, "storage_error", QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno))));
}

// Objects from this size on start their write-back right away (sync_file_range, which does
// not wait): a first upload of hundreds of megabytes then reaches the disk while the rest is
// still arriving, instead of all at once in the sync() before the version may succeed.
// Small ones are left to the kernel, which writes many of them together more cheaply.
constexpr qint64 kEarlyWritebackBytes = 1 << 20;

void startWriteback(int fd, qint64 offset, qint64 size)
{
    if (size >= kEarlyWritebackBytes)
        ::sync_file_range(fd, offset, size, SYNC_FILE_RANGE_WRITE);
}

// Objects from this size on are written past the page cache (O_DIRECT), straight to the disk.
// They are flushed before their version may succeed anyway, and going through the cache
// costs more than the disk write: every page of a first upload's hundreds of megabytes is a
// page the kernel must find, clear and later write back (on a virtual machine, the first
// touch of each is a trip to the hypervisor too). Measured on the project's 2-core VM: 800 MB
// cost 2.3 s of CPU through the cache, 0.2 s direct. Smaller objects stay cached: many small
// writes are what the cache is good at, and a direct write waits for the disk — for the
// 1.4 MB manifest of the hourly re-upload that was 40–50 ms of its request, where the cached
// write is flushed later together with the rest of the version. 4 MiB is where the client
// stops packing objects into batches: the bulk of a large upload.
constexpr qint64 kDirectWriteBytes = 4 << 20;
constexpr qint64 kDirectAlign = 4096; // of memory, file offset and length; any block device's
constexpr qint64 kDirectChunk = 4 << 20;
// Small passed files are read whole into the one kDirectChunk buffer (putFromDescriptor).
static_assert(kDirectWriteBytes <= kDirectChunk);

// Writes `size` bytes at offset 0 of a file opened with O_DIRECT, through an aligned buffer
// of this thread's; the last block is padded and the file cut back to `size`. False with
// errno set on failure.
bool writeDirect(int fd, const char *data, qint64 size)
{
    thread_local std::unique_ptr<char, decltype(&std::free)> buffer(nullptr, &std::free);
    if (!buffer) {
        void *p = nullptr;
        if (::posix_memalign(&p, size_t(kDirectAlign), size_t(kDirectChunk)) != 0) {
            errno = ENOMEM;
            return false;
        }
        buffer.reset(static_cast<char *>(p));
    }
    for (qint64 done = 0; done < size;) {
        const qint64 n = qMin(kDirectChunk, size - done);
        const qint64 padded = (n + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
        std::memcpy(buffer.get(), data + done, size_t(n));
        std::memset(buffer.get() + n, 0, size_t(padded - n));
        for (qint64 written = 0; written < padded;) {
            const ssize_t w = ::write(fd, buffer.get() + written, size_t(padded - written));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0 || w % kDirectAlign != 0) { // a short write that leaves the rest unaligned
                if (w >= 0)
                    errno = EIO;
                return false;
            }
            written += w;
        }
        done += n;
    }
    return ::ftruncate(fd, size) == 0;
}

// Past this many, objects are no longer remembered as stored by this process (they are then
// verified by re-reading, as after a restart): bounds the memory of a long-running gridd.
constexpr qsizetype kMaxFreshObjects = 2'000'000;

// Writes all of `bytes` to fd at its current position; false with errno set on failure.
bool writeAll(int fd, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}
// Gives a file born unnamed (O_TMPFILE) its name, through /proc/self/fd; errno set when false
// (EEXIST: the same object was stored meanwhile by a concurrent upload).
bool linkUnnamed(int fd, const QString &finalPath)
{
    const QByteArray self = "/proc/self/fd/" + QByteArray::number(fd);
    return ::linkat(AT_FDCWD, self.constData(), AT_FDCWD, QFile::encodeName(finalPath).constData(), AT_SYMLINK_FOLLOW) == 0;
}

// Whether linkUnnamed can work here (a sandbox or container without /proc: no).
bool unnamedFilesUsable()
{
    static const bool usable = ::access("/proc/self/fd", X_OK) == 0;
    return usable;
}
} // namespace

ObjectStore::ObjectStore(QString root)
    : m_root(std::move(root))
{
}

QString ObjectStore::prepare()
{
    for (const char *sub : {"", "/tmp", "/partial"})
        if (!QDir().mkpath(m_root + QLatin1String(sub)))
            return QStringLiteral("cannot create %1%2").arg(m_root, QLatin1String(sub));
    // A hint to ext4's allocator (chattr +T): the object directories below are spread over
    // the disk's block groups, as the top directories of separate trees are, rather than
    // packed into this one's group. New objects' inodes then land all over, like a tree copy's,
    // and a group full of recently deleted inodes (which ext4 skips one by one for a while)
    // slows only some of them. Filesystems without the flag refuse it; nothing changes there.
    if (const int fd = ::open(QFile::encodeName(m_root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        int flags = 0;
        if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_TOPDIR_FL)) {
            flags |= FS_TOPDIR_FL;
            ::ioctl(fd, FS_IOC_SETFLAGS, &flags);
        }
        ::close(fd);
    }
    // Leftovers of writes a crash interrupted; never referenced by anything.
    QDir tmp(m_root + QStringLiteral("/tmp"));
    for (const QString &name : tmp.entryList(QDir::Files | QDir::Hidden))
        tmp.remove(name);
    return {};
}

QString ObjectStore::pathOf(const QString &sha256) const
{
    return m_root + u'/' + sha256.left(2) + u'/' + sha256.mid(2);
}

// contains() and sizeOf() run for every file of a version at its commit: a plain stat, not
// a QFileInfo (which costs several times as much for the same answer).
bool ObjectStore::contains(const QString &sha256) const
{
    return sizeOf(sha256) >= 0;
}

qint64 ObjectStore::sizeOf(const QString &sha256) const
{
    struct stat st {};
    return ::stat(QFile::encodeName(pathOf(sha256)).constData(), &st) == 0 ? qint64(st.st_size) : -1;
}

ObjectStore::PutResult ObjectStore::storeFile(const QString &tempPath, const QString &sha256, bool hashedByThisProcess)
{
    const QString finalPath = pathOf(sha256);
    if (!QDir().mkpath(QFileInfo(finalPath).absolutePath())) {
        QFile::remove(tempPath);
        return ioFailure(QStringLiteral("cannot create the object directory"));
    }
    ::chmod(QFile::encodeName(tempPath).constData(), 0444);
    if (::rename(QFile::encodeName(tempPath).constData(), QFile::encodeName(finalPath).constData()) != 0) {
        const PutResult r = ioFailure(QStringLiteral("cannot store object %1").arg(sha256));
        QFile::remove(tempPath);
        return r;
    }
    if (hashedByThisProcess) {
        std::lock_guard lock(m_freshMutex);
        if (m_fresh.size() < kMaxFreshObjects)
            m_fresh.insert(sha256);
    }
    return {};
}

bool ObjectStore::storedByThisProcess(const QString &sha256) const
{
    std::lock_guard lock(m_freshMutex);
    return m_fresh.contains(sha256);
}

void ObjectStore::forgetStoredByThisProcess(const QStringList &hashes)
{
    std::lock_guard lock(m_freshMutex);
    for (const QString &h : hashes)
        m_fresh.remove(h);
}

ObjectStore::PutResult ObjectStore::put(const QString &sha256, const QByteArray &bytes)
{
    if (!isSha256Hex(sha256))
        return failure(400, "invalid_request", QStringLiteral("'%1' is not a lower-case hex SHA-256").arg(sha256));
    const QString actual = Sha256::hex(bytes);
    if (actual != sha256)
        return failure(400, "hash_mismatch",
                       QStringLiteral("the %1 bytes sent for object %2 hash to %3; the object was "
                                      "rejected").arg(bytes.size()).arg(sha256, actual));
    return storeChecked(sha256, bytes);
}

ObjectStore::PutResult ObjectStore::storeChecked(const QString &sha256, const QByteArray &bytes)
{
    if (contains(sha256))
        return {};
    if (const std::optional<PutResult> r = putUnnamed(sha256, bytes))
        return *r;
    const QString tempPath = m_root + QStringLiteral("/tmp/") + randomId(16);
    const int fd = ::open(QFile::encodeName(tempPath).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioFailure(QStringLiteral("cannot create a temporary object"));
    const bool written = writeAll(fd, bytes.constData(), bytes.size());
    const int savedErrno = errno;
    if (written)
        startWriteback(fd, 0, bytes.size());
    ::close(fd);
    if (!written) {
        QFile::remove(tempPath);
        errno = savedErrno;
        return ioFailure(QStringLiteral("cannot write object %1").arg(sha256));
    }
    return storeFile(tempPath, sha256, true);
}

std::optional<ObjectStore::PutResult> ObjectStore::putUnnamed(const QString &sha256, const QByteArray &bytes)
{
    // The file is born unnamed in the object's own directory (O_TMPFILE) and gets its name
    // only once it is whole, so a crash leaves nothing behind. Its own directory, not one
    // shared temporary directory, also matters for speed: ext4 places a new inode in its
    // directory's block group, and on a filesystem where many files were deleted lately
    // (build and test directories), finding a free inode in one group that holds recently
    // freed ones cost a first upload of ten thousand objects seconds of kernel time; spread
    // over the 256 object directories, like any tree copy, it does not.
    const QString finalPath = pathOf(sha256);
    const QString dir = QFileInfo(finalPath).path();
    if (!QDir().mkpath(dir))
        return ioFailure(QStringLiteral("cannot create the object directory"));
    const QByteArray dirName = QFile::encodeName(dir);
    int fd = -1;
    bool written = false;
    if (bytes.size() >= kDirectWriteBytes) {
        fd = ::open(dirName.constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC | O_DIRECT, 0444);
        written = fd >= 0 && writeDirect(fd, bytes.constData(), bytes.size());
        if (fd >= 0 && !written && errno != ENOSPC && errno != EDQUOT) {
            ::close(fd); // a filesystem that opens O_DIRECT files but refuses these writes: cached
            fd = -1;
        }
    }
    const bool direct = fd >= 0;
    if (!direct)
        fd = ::open(dirName.constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0444);
    if (fd < 0)
        return std::nullopt; // a filesystem without O_TMPFILE: the temporary-name way
    if (!direct)
        written = writeAll(fd, bytes.constData(), bytes.size());
    int error = errno;
    if (written) {
        if (!direct)
            startWriteback(fd, 0, bytes.size());
        if (!linkUnnamed(fd, finalPath)) {
            error = errno;
            ::close(fd);
            if (error == EEXIST) // stored meanwhile by a concurrent upload of the same bytes
                return PutResult{};
            if (error == ENOENT || error == EPERM || error == EACCES)
                return std::nullopt; // no /proc here: the temporary-name way
            errno = error;
            return ioFailure(QStringLiteral("cannot store object %1").arg(sha256));
        }
    }
    ::close(fd);
    if (!written) {
        errno = error;
        return ioFailure(QStringLiteral("cannot write object %1").arg(sha256));
    }
    rememberFresh(sha256);
    return PutResult{};
}

void ObjectStore::rememberFresh(const QString &sha256)
{
    std::lock_guard lock(m_freshMutex);
    if (m_fresh.size() < kMaxFreshObjects)
        m_fresh.insert(sha256);
}

namespace {
// Reads exactly `size` bytes at `offset`; false (errno set, or 0 for a file that is shorter
// now) otherwise.
bool preadAll(int fd, char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pread(fd, data, size_t(size), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = 0;
            return false;
        }
        data += n;
        size -= n;
        offset += n;
    }
    return true;
}

bool pwriteAll(int fd, const char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size_t(size), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        data += n;
        size -= n;
        offset += n;
    }
    return true;
}

// One aligned buffer per thread for reading passed files (O_DIRECT writes need the alignment).
char *descriptorBuffer()
{
    thread_local std::unique_ptr<char, decltype(&std::free)> buffer(nullptr, &std::free);
    if (!buffer) {
        void *p = nullptr;
        if (::posix_memalign(&p, size_t(kDirectAlign), size_t(kDirectChunk)) != 0)
            return nullptr;
        buffer.reset(static_cast<char *>(p));
    }
    return buffer.get();
}
} // namespace

ObjectStore::PutResult ObjectStore::putFromDescriptor(const QString &sha256, qint64 size, int fd, QString *stored, bool *wrote)
{
    bool ignored = false;
    if (!wrote)
        wrote = &ignored;
    *wrote = false;
    const bool compute = sha256.isEmpty(); // store under the hash of what is read
    if (!compute && !isSha256Hex(sha256))
        return failure(400, "invalid_request", QStringLiteral("'%1' is not a lower-case hex SHA-256").arg(sha256));
    struct stat st {};
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_PATH) || (flags & O_ACCMODE) == O_WRONLY || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return failure(400, "invalid_request",
                       QStringLiteral("the descriptor passed for object %1 is not a regular file open for reading").arg(sha256));
    if (size < 0 || qint64(st.st_size) != size)
        return failure(400, "hash_mismatch",
                       QStringLiteral("the file passed for object %1 holds %2 bytes, not the %3 announced; the object was "
                                      "rejected").arg(sha256).arg(qint64(st.st_size)).arg(size));
    auto shortFile = [&] {
        if (errno != 0)
            return ioFailure(QStringLiteral("cannot read the file passed for object %1").arg(sha256));
        return failure(400, "hash_mismatch",
                       QStringLiteral("the file passed for object %1 became shorter while it was read; the object was "
                                      "rejected").arg(sha256));
    };
    auto mismatch = [&](const QString &actual) {
        return failure(400, "hash_mismatch",
                       QStringLiteral("the %1 bytes passed for object %2 hash to %3; the object was "
                                      "rejected").arg(size).arg(sha256, actual));
    };
    char *buffer = descriptorBuffer();
    if (!buffer) {
        errno = ENOMEM;
        return ioFailure(QStringLiteral("cannot read object %1").arg(sha256));
    }
    if (size < kDirectWriteBytes) {
        // Small: read whole into this thread's buffer, checked, then stored like put().
        if (!preadAll(fd, buffer, size, 0))
            return shortFile();
        const QByteArray bytes = QByteArray::fromRawData(buffer, size);
        const QString actual = Sha256::hex(bytes);
        if (!compute && actual != sha256)
            return mismatch(actual);
        if (stored)
            *stored = actual;
        if (contains(actual))
            return {};
        const PutResult r = storeChecked(actual, bytes);
        *wrote = r.ok();
        return r;
    }
    // Large: chunk by chunk into a file born unnamed in the object's directory, written past
    // the page cache where the filesystem allows (see kDirectWriteBytes), named once whole and
    // checked. An already stored object is only read and checked.
    // Hashing for the caller, the name is known only at the end: the file is born in tmp/.
    const bool present = !compute && contains(sha256);
    const QString dir = compute ? m_root + QStringLiteral("/tmp") : QFileInfo(pathOf(sha256)).path();
    int out = -1;
    bool direct = false;
    QString tempPath;
    if (!present) {
        if (!QDir().mkpath(dir))
            return ioFailure(QStringLiteral("cannot create the object directory"));
        const QByteArray dirName = QFile::encodeName(dir);
        if (unnamedFilesUsable()) {
            out = ::open(dirName.constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC | O_DIRECT, 0444);
            direct = out >= 0;
            if (out < 0)
                out = ::open(dirName.constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0444);
        }
        if (out < 0) { // no O_TMPFILE or no /proc here: a temporary name, renamed into place
            tempPath = m_root + QStringLiteral("/tmp/") + randomId(16);
            out = ::open(QFile::encodeName(tempPath).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (out < 0)
                return ioFailure(QStringLiteral("cannot create a temporary object"));
        }
    }
    auto abandon = [&] {
        const int saved = errno;
        if (out >= 0)
            ::close(out);
        if (!tempPath.isEmpty())
            QFile::remove(tempPath);
        errno = saved;
    };
    Sha256 hash;
    for (qint64 done = 0; done < size;) {
        const qint64 n = qMin(kDirectChunk, size - done);
        if (!preadAll(fd, buffer, n, done)) {
            const PutResult r = shortFile();
            abandon();
            return r;
        }
        hash.add(buffer, n);
        if (out >= 0) {
            bool written;
            if (direct) {
                const qint64 padded = (n + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
                std::memset(buffer + n, 0, size_t(padded - n));
                written = pwriteAll(out, buffer, padded, done);
                if (!written && done == 0 && errno == EINVAL) {
                    // A filesystem that opens O_DIRECT files but refuses these writes: cached.
                    ::close(out);
                    out = ::open(QFile::encodeName(dir).constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0444);
                    direct = false;
                    if (out < 0)
                        return ioFailure(QStringLiteral("cannot create a temporary object"));
                    written = pwriteAll(out, buffer, n, done);
                }
            } else {
                written = pwriteAll(out, buffer, n, done);
                if (written)
                    startWriteback(out, done, n);
            }
            if (!written) {
                const PutResult r = ioFailure(QStringLiteral("cannot write object %1").arg(sha256));
                abandon();
                return r;
            }
        }
        done += n;
    }
    const QString actual = hash.hexResult();
    if (!compute && actual != sha256) {
        abandon();
        return mismatch(actual);
    }
    if (stored)
        *stored = actual;
    if (out < 0)
        return {}; // already stored, and the caller proved it holds the bytes
    if (compute && contains(actual)) {
        abandon(); // stored before: this copy is not needed
        return {};
    }
    const QString finalPath = pathOf(actual);
    if (compute && !QDir().mkpath(QFileInfo(finalPath).path())) {
        const PutResult r = ioFailure(QStringLiteral("cannot create the object directory"));
        abandon();
        return r;
    }
    if (direct && ::ftruncate(out, size) != 0) {
        const PutResult r = ioFailure(QStringLiteral("cannot write object %1").arg(sha256));
        abandon();
        return r;
    }
    if (!tempPath.isEmpty()) {
        ::close(out);
        const PutResult r = storeFile(tempPath, actual, true);
        *wrote = r.ok();
        return r;
    }
    if (!linkUnnamed(out, finalPath)) {
        const int error = errno;
        ::close(out);
        if (error == EEXIST) // stored meanwhile by a concurrent upload of the same bytes
            return {};
        errno = error;
        return ioFailure(QStringLiteral("cannot store object %1").arg(actual));
    }
    ::close(out);
    rememberFresh(actual);
    *wrote = true;
    return {};
}

ObjectStore::PutResult ObjectStore::adoptFile(const QString &path, const QString &sha256)
{
    if (contains(sha256)) {
        QFile::remove(path);
        return {};
    }
    return storeFile(path, sha256, true); // the caller hashed the file it made
}

QString ObjectStore::partialPath(const QString &owner, const QString &sha256) const
{
    return m_root + QStringLiteral("/partial/") + owner + u'-' + sha256;
}

qint64 ObjectStore::partialSize(const QString &owner, const QString &sha256) const
{
    QFileInfo info(partialPath(owner, sha256));
    return info.exists() ? info.size() : 0;
}

ObjectStore::PutResult ObjectStore::putPart(const QString &owner, const QString &sha256, qint64 offset,
                                            qint64 totalSize, const QByteArray &bytes, qint64 *received,
                                            bool *complete)
{
    *complete = false;
    *received = partialSize(owner, sha256);
    if (!isSha256Hex(sha256))
        return failure(400, "invalid_request", QStringLiteral("'%1' is not a lower-case hex SHA-256").arg(sha256));
    if (contains(sha256)) {
        // Someone already stored it; the caller still has to prove it holds the bytes, which
        // the final part's hash check does — so keep accepting parts.
    }
    if (offset != *received)
        return failure(409, "offset_mismatch",
                       QStringLiteral("part at offset %1 does not follow the %2 bytes already received; "
                                      "continue from %2").arg(offset).arg(*received));
    if (offset + bytes.size() > totalSize)
        return failure(400, "invalid_request",
                       QStringLiteral("part ends at byte %1, past the object's size of %2").arg(offset + bytes.size()).arg(totalSize));
    if (offset == 0 && bytes.size() == totalSize) {
        // The whole object in one part: checked in memory and stored like put(), without the
        // partial file and the second read of it that hashing it from disk would cost.
        const PutResult whole = put(sha256, bytes);
        if (!whole.ok())
            return whole;
        *received = totalSize;
        *complete = true;
        return {};
    }
    const QString path = partialPath(owner, sha256);
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioFailure(QStringLiteral("cannot open the partial object"));
    const bool written = writeAll(fd, bytes.constData(), bytes.size());
    const int savedErrno = errno;
    if (written)
        startWriteback(fd, offset, bytes.size());
    ::close(fd);
    if (!written) {
        // Cut back to the last whole part so the client can resume from a known offset.
        [[maybe_unused]] const int rc = ::truncate(QFile::encodeName(path).constData(), offset);
        errno = savedErrno;
        return ioFailure(QStringLiteral("cannot write object %1").arg(sha256));
    }
    *received = offset + bytes.size();
    if (*received < totalSize)
        return {202, {}, {}};

    QString error;
    const QString actual = sha256OfFile(path, &error);
    if (actual != sha256) {
        QFile::remove(path);
        *received = 0;
        return failure(400, "hash_mismatch",
                       QStringLiteral("the %1 bytes received for object %2 hash to %3; the object was "
                                      "rejected, upload it again").arg(totalSize).arg(sha256, actual));
    }
    *complete = true;
    if (contains(sha256)) {
        QFile::remove(path);
        return {};
    }
    return storeFile(path, sha256, true); // hashed from the file just written
}

QString ObjectStore::verify(const QString &sha256) const
{
    QString error;
    const QString actual = sha256OfFile(pathOf(sha256), &error);
    if (!error.isEmpty())
        return QStringLiteral("object %1 is missing or unreadable").arg(sha256);
    if (actual != sha256)
        return QStringLiteral("object %1 is damaged (its bytes hash to %2)").arg(sha256, actual);
    return {};
}

bool ObjectStore::remove(const QString &sha256)
{
    return QFile::remove(pathOf(sha256));
}

QString ObjectStore::syncObjects(const QStringList &hashes, const QStringList &alsoPaths) const
{
    QStringList paths = alsoPaths;
    QSet<QString> directories;
    for (const QString &h : hashes) {
        paths.append(pathOf(h));
        directories.insert(QFileInfo(paths.last()).path());
    }
    paths += QStringList(directories.begin(), directories.end());
    return syncPaths(paths);
}

namespace {
QString syncPath(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || ::fsync(fd) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        if (fd >= 0)
            ::close(fd);
        return QStringLiteral("flushing %1 failed: %2").arg(path, why);
    }
    ::close(fd);
    return {};
}

// fsyncs issued one after another each wait for their own journal commit and disk cache
// flush; issued together, the filesystem serves them with one or two (ext4 and XFS group
// concurrent commits). An incremental version flushes about ten paths: a few milliseconds
// instead of ten times that on a busy disk.
constexpr qsizetype kSyncThreads = 16;
} // namespace

QString ObjectStore::syncPaths(const QStringList &paths)
{
    if (paths.size() <= 1)
        return paths.isEmpty() ? QString() : syncPath(paths.first());
    const qsizetype threadCount = qMin(kSyncThreads, paths.size());
    std::vector<QString> errors(static_cast<size_t>(threadCount));
    std::vector<std::thread> threads;
    for (qsizetype t = 0; t < threadCount; ++t) {
        auto work = [&paths, &errors, t, threadCount] {
            for (qsizetype i = t; i < paths.size() && errors[size_t(t)].isEmpty(); i += threadCount)
                errors[size_t(t)] = syncPath(paths[i]);
        };
        try {
            threads.emplace_back(work);
        } catch (const std::system_error &) {
            work(); // no thread to be had: this one does its share
        }
    }
    for (std::thread &thread : threads)
        thread.join();
    for (const QString &e : errors)
        if (!e.isEmpty())
            return e;
    return {};
}

QString ObjectStore::sync() const
{
    const int fd = ::open(QFile::encodeName(m_root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return QStringLiteral("cannot open %1 to sync it").arg(m_root);
    const int rc = ::syncfs(fd);
    ::close(fd);
    return rc == 0 ? QString() : QStringLiteral("syncing the content store failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
}

} // namespace og
