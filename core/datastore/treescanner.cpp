// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/treescanner.h"

#include "core/datastore/hashcache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QtEndian>

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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(OPENGRID_NO_SHA_NI)
#define OG_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace og {

namespace {

// ---- SHA-256 ---------------------------------------------------------------------------------
// Qt 6.4's QCryptographicHash uses portable C (~165 MiB/s here), which alone would take 2.5 s
// for the 840 MiB benchmark tree on two cores. x86 CPUs since ~2017 (AMD Zen, Intel Goldmont /
// Ice Lake) have SHA instructions, which hash ~1.5 GiB/s per core; only the block function needs
// them, and everything else falls back to QCryptographicHash. The tests compare both against
// each other on every padding boundary.

#ifdef OG_SHA_NI
alignas(16) constexpr quint32 kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

bool cpuHasShaNi()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
        return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return (b & bit_SHA) != 0;
}

// Compresses `blocks` 64-byte blocks into `state` (H0..H7) with the SHA extensions. The
// instructions keep the working variables as ABEF/CDGH pairs and compute four schedule words
// at a time: W[t..t+3] = msg2(msg1(W[t-16..], W[t-12..]) + W[t-7..t-4], W[t-4..t-1]).
__attribute__((target("sha,sse4.1,ssse3"))) void sha256BlocksShaNi(quint32 *state, const uchar *data,
                                                                    size_t blocks)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state));
    __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state + 4));
    tmp = _mm_shuffle_epi32(tmp, 0xB1);               // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);         // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);      // CDGH

    for (; blocks > 0; --blocks, data += 64) {
        const __m128i saved0 = state0;
        const __m128i saved1 = state1;
        __m128i w[4];
#pragma GCC unroll 16
        for (int g = 0; g < 16; ++g) {
            __m128i &x = w[g & 3];
            if (g < 4) {
                x = _mm_shuffle_epi8(
                    _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 16 * g)), byteSwap);
            } else {
                const __m128i older = _mm_sha256msg1_epu32(x, w[(g + 1) & 3]);
                const __m128i w7 = _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4);
                x = _mm_sha256msg2_epu32(_mm_add_epi32(older, w7), w[(g + 3) & 3]);
            }
            const __m128i msg = _mm_add_epi32(
                x, _mm_load_si128(reinterpret_cast<const __m128i *>(kRoundConstants + 4 * g)));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
        }
        state0 = _mm_add_epi32(state0, saved0);
        state1 = _mm_add_epi32(state1, saved1);
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);       // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);    // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);    // HGFE
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state + 4), state1);
}

bool useShaNi()
{
    static const bool available = cpuHasShaNi();
    return available;
}
#endif

class Sha256 final
{
public:
    void addData(const uchar *data, size_t size)
    {
#ifdef OG_SHA_NI
        if (useShaNi()) {
            m_length += size;
            if (m_buffered > 0) {
                const size_t take = std::min(size, sizeof m_buffer - m_buffered);
                std::memcpy(m_buffer + m_buffered, data, take);
                m_buffered += take;
                data += take;
                size -= take;
                if (m_buffered < sizeof m_buffer)
                    return;
                sha256BlocksShaNi(m_state, m_buffer, 1);
                m_buffered = 0;
            }
            if (const size_t blocks = size / 64) {
                sha256BlocksShaNi(m_state, data, blocks);
                data += blocks * 64;
                size -= blocks * 64;
            }
            std::memcpy(m_buffer, data, size);
            m_buffered = size;
            return;
        }
#endif
        m_fallback.addData(QByteArrayView(data, qsizetype(size)));
    }

    QString hexResult()
    {
#ifdef OG_SHA_NI
        if (useShaNi()) {
            const quint64 bits = m_length * 8;
            uchar padding[72] = {0x80};
            const size_t zeros = m_buffered < 56 ? 56 - m_buffered : 120 - m_buffered;
            qToBigEndian(bits, padding + zeros);
            addData(padding, zeros + 8);
            uchar digest[32];
            for (int i = 0; i < 8; ++i)
                qToBigEndian(m_state[i], digest + 4 * i);
            return QString::fromLatin1(
                QByteArray::fromRawData(reinterpret_cast<const char *>(digest), 32).toHex());
        }
#endif
        return QString::fromLatin1(m_fallback.result().toHex());
    }

private:
#ifdef OG_SHA_NI
    quint32 m_state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uchar m_buffer[64] = {};
    size_t m_buffered = 0;
    quint64 m_length = 0;
#endif
    QCryptographicHash m_fallback{QCryptographicHash::Sha256};
};

// ---- walking -----------------------------------------------------------------------------------

constexpr size_t kReadBuffer = 1 << 20;
constexpr int kReadAttempts = 3;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

struct FileJob
{
    QString path;    // manifest path
    QString absPath; // what is opened, and the cache key
    struct stat st {};

    enum class Outcome { Pending, Hashed, Cached, Vanished, Failed, Changed, Unstable };
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

QString errnoText(int error)
{
    return qt_error_string(error);
}

QString cannotRead(const QString &path, int error)
{
    return QStringLiteral("cannot read '%1': %2").arg(path, errnoText(error));
}

QString pointsOutside(const QString &path, const QString &target)
{
    return QStringLiteral("symbolic link '%1' points outside the source ('%2'); replace it with "
                          "the file or remove it")
        .arg(path, target);
}

// The same lexical rule Manifest::parse applies on the server: `..` may not climb above the root.
bool staysInsideLexically(const QString &linkPath, const QString &target)
{
    if (target.isEmpty() || target.startsWith(u'/'))
        return false;
    qsizetype depth = linkPath.count(u'/');
    for (QStringView part : QStringView(target).split(u'/')) {
        if (part.isEmpty() || part == u".")
            continue;
        if (part == u"..") {
            if (depth == 0)
                return false;
            --depth;
        } else {
            ++depth;
        }
    }
    return true;
}

// Lexical checks pass `dir/up -> ..` plus `x -> dir/up/..`, yet the kernel resolves the second
// to the parent of the root. So also resolve each target as the kernel would, substituting the
// tree's own links on the way; components that are not links are taken lexically.
bool staysInsidePhysically(const QString &linkPath, const QString &target,
                           const QHash<QString, QString> &links)
{
    QStringList dir = linkPath.split(u'/');
    dir.removeLast();
    QStringList pending = target.split(u'/', Qt::SkipEmptyParts);
    std::reverse(pending.begin(), pending.end());
    int hops = 0;
    while (!pending.isEmpty()) {
        const QString part = pending.takeLast();
        if (part == u".")
            continue;
        if (part == u"..") {
            if (dir.isEmpty())
                return false;
            dir.removeLast();
            continue;
        }
        dir.append(part);
        const auto link = links.constFind(dir.join(u'/'));
        if (link == links.constEnd())
            continue;
        if (++hops > 40) // the kernel gives up with ELOOP here, reaching nothing
            return true;
        if (link->startsWith(u'/'))
            return false;
        dir.removeLast();
        QStringList more = link->split(u'/', Qt::SkipEmptyParts);
        std::reverse(more.begin(), more.end());
        pending += more;
    }
    return true;
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

// Decodes a name from the filesystem; nothing when it is not valid in the locale's encoding
// (UTF-8), since the manifest could not name it and the upload could not find it again.
std::optional<QString> decodeName(const char *raw)
{
    QString name = QFile::decodeName(raw);
    if (QFile::encodeName(name) != QByteArrayView(raw))
        return std::nullopt;
    return name;
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
    Walker(QString rootAbs, QString rootName)
        : m_rootAbs(std::move(rootAbs))
        , m_rootName(std::move(rootName))
    {
    }

    QList<ManifestEntry> entries; // directories and symbolic links
    std::vector<FileJob> files;
    QStringList warnings;
    QString error;

    void walk()
    {
        struct Pending
        {
            QString path;
            int mode;
        };
        std::vector<Pending> pending{{QString(), 0}};
        while (!pending.empty() && error.isEmpty()) {
            const Pending dir = std::move(pending.back());
            pending.pop_back();
            const QByteArray absDir = QFile::encodeName(joinPath(m_rootAbs, dir.path));
            const int fd = ::open(absDir.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
            if (!staysInsideLexically(path, *target)) {
                error = pointsOutside(path, *target);
                return false;
            }
            entries.append({path, ManifestEntry::Type::Symlink, mode, 0, {}, *target});
        } else {
            warnings.append(QStringLiteral("skipping '%1': %2").arg(path, specialFileKind(st.st_mode)));
        }
        return true;
    }

    const QString m_rootAbs;
    const QString m_rootName;
};

// ---- hashing -----------------------------------------------------------------------------------

bool sameVersion(const struct stat &a, const struct stat &b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size
           && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec
           && a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

// Hashes one file; its stat data afterwards describes exactly the bytes hashed (a file written
// to meanwhile is read again, a few times at most).
void hashFile(FileJob &job, uchar *buffer, std::atomic<qint64> &bytesDone)
{
    const QByteArray path = QFile::encodeName(job.absPath);
    for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
        // O_NONBLOCK: if the file was swapped for a FIFO since the walk, open must not hang.
        const int fd = ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
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
            const ssize_t n = ::read(fd, buffer, kReadBuffer);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                readError = errno;
                break;
            }
            if (n == 0)
                break;
            hash.addData(buffer, size_t(n));
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
    HashPool(std::vector<FileJob> &jobs, std::vector<size_t> todo, HashCache *cache)
        : m_jobs(jobs)
        , m_todo(std::move(todo))
        , m_cache(cache)
    {
    }

    // Runs the jobs to completion (or to the first failure), reporting from this thread.
    void run(const std::function<void()> &report)
    {
        const size_t threadCount = std::min<size_t>(
            m_todo.size(), size_t(std::clamp(QThread::idealThreadCount(), 2, 16)));
        std::vector<std::thread> threads;
        for (size_t i = 0; i < threadCount; ++i) {
            {
                std::lock_guard lock(m_mutex);
                ++m_running;
            }
            try {
                threads.emplace_back([this] { work(); });
            } catch (const std::system_error &) {
                std::lock_guard lock(m_mutex);
                --m_running;
                break;
            }
        }
        if (threads.empty() && !m_todo.empty()) {
            ++m_running;
            work(); // no thread could be started: still correct, just slower
        }
        std::unique_lock lock(m_mutex);
        while (m_running > 0) {
            if (m_done.wait_for(lock, kProgressInterval, [this] { return m_running == 0; }))
                break;
            if (report) {
                lock.unlock();
                report();
                lock.lock();
            }
        }
        lock.unlock();
        for (std::thread &t : threads)
            t.join();
    }

    std::atomic<qint64> bytesDone{0};
    std::atomic<int> filesDone{0};

private:
    void work()
    {
        const auto buffer = std::make_unique<uchar[]>(kReadBuffer);
        for (;;) {
            const size_t next = m_next.fetch_add(1);
            if (next >= m_todo.size() || m_stop.load())
                break;
            FileJob &job = m_jobs[m_todo[next]];
            hashFile(job, buffer.get(), bytesDone);
            if (job.outcome == FileJob::Outcome::Hashed) {
                if (m_cache)
                    m_cache->store(job.absPath, job.st, job.sha256, job.readStartedNs);
                filesDone.fetch_add(1, std::memory_order_relaxed);
            } else if (job.outcome != FileJob::Outcome::Vanished) {
                m_stop.store(true); // the scan fails: the rest is wasted work
            }
        }
        {
            std::lock_guard lock(m_mutex);
            --m_running;
        }
        m_done.notify_one();
    }

    std::vector<FileJob> &m_jobs;
    const std::vector<size_t> m_todo;
    HashCache *const m_cache;
    std::atomic<size_t> m_next{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::condition_variable m_done;
    int m_running = 0;
};

QString failureMessage(const FileJob &job)
{
    switch (job.outcome) {
    case FileJob::Outcome::Failed:
        return cannotRead(job.path, job.error);
    case FileJob::Outcome::Changed:
        return QStringLiteral("'%1' was replaced by something that is not a regular file during the "
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

} // namespace

TreeScanner::ScanResult TreeScanner::scan(const QString &source, HashCache *cache,
                                          const Progress &progress)
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

    Walker walker(rootAbs, source);
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
    if (!walker.error.isEmpty()) {
        result.error = walker.error;
        return result;
    }

    QHash<QString, QString> links;
    for (const ManifestEntry &e : std::as_const(walker.entries))
        if (e.type == ManifestEntry::Type::Symlink)
            links.insert(e.path, e.target);
    for (auto it = links.cbegin(); it != links.cend(); ++it) {
        if (!staysInsidePhysically(it.key(), it.value(), links)) {
            result.error = pointsOutside(it.key(), it.value());
            return result;
        }
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
    std::stable_sort(todo.begin(), todo.end(),
                     [&files](size_t a, size_t b) { return files[a].st.st_size > files[b].st.st_size; });

    HashPool pool(files, std::move(todo), cache);
    const int filesTotal = int(files.size());
    const auto report = [&] {
        if (progress)
            progress(cachedBytes + pool.bytesDone.load(), bytesTotal,
                     result.cachedFiles + pool.filesDone.load(), filesTotal);
    };
    report();
    pool.run(report);

    // The first failure in path order, so the message does not depend on thread timing.
    const FileJob *failed = nullptr;
    for (const FileJob &job : files) {
        if (job.outcome == FileJob::Outcome::Vanished) {
            result.warnings.append(QStringLiteral("skipping '%1': it was removed during the scan").arg(job.path));
        } else if (job.outcome != FileJob::Outcome::Hashed && job.outcome != FileJob::Outcome::Cached
                   && job.outcome != FileJob::Outcome::Pending
                   && (!failed || job.path.toUtf8() < failed->path.toUtf8())) {
            failed = &job;
        }
    }
    result.warnings.sort();
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
    if (progress)
        progress(bytesTotal, bytesTotal, filesTotal, filesTotal);
    return result;
}

} // namespace og
