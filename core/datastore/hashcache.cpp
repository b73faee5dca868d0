// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/hashcache.h"

#include "core/datastore/manifest.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStringEncoder>
#include <QtEndian>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <unistd.h>

namespace og {

namespace {
Q_LOGGING_CATEGORY(lcHashCache, "opengrid.core.datastore")

// File layout, big-endian like QDataStream: magic, version, entry count; the entries (path size,
// device, inode, size, mtime, ctime, recorded-at, 32 hash bytes, then the UTF-8 path); a checksum
// of everything before it. Packed by hand: streaming 100k entries field by field through
// QDataStream took ~40 ms each way. A new layout gets a new version; an old cache is discarded.
constexpr quint32 kMagic = 0x4f474843; // "OGHC"
constexpr quint32 kVersion = 1;
constexpr qsizetype kChecksumSize = 8;
constexpr qsizetype kHeaderSize = 12;
constexpr qsizetype kRecordSize = 4 + 6 * 8 + 32;

// Catches truncation and bit rot (a damaged hash could name an object the server already has,
// so no upload would expose it), not tampering: the cache sits in the user's own directory.
// Word-wise so 100k entries are checked in a few milliseconds; any single changed word changes
// the result because every step is a bijection of the running state.
quint64 checksum(const char *data, qsizetype size)
{
    quint64 h = 0xcbf29ce484222325ULL ^ quint64(size);
    auto mix = [&h](quint64 word) {
        h = (h ^ word) * 0x100000001b3ULL;
        h ^= h >> 29;
    };
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8)
        mix(qFromLittleEndian<quint64>(data + i));
    quint64 tail = 0;
    for (qsizetype shift = 0; i < size; ++i, shift += 8)
        tail |= quint64(uchar(data[i])) << shift;
    mix(tail);
    return h;
}

qint64 nanoseconds(const struct timespec &ts)
{
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

HashCache::HashCache(QString cacheFile)
    : m_cacheFile(std::move(cacheFile))
{
}

qint64 HashCache::nowNs()
{
    struct timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts); // the clock file timestamps come from
    return nanoseconds(ts);
}

qsizetype HashCache::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

std::optional<QString> HashCache::lookup(const QString &absPath, const struct stat &st) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.constFind(absPath);
    if (it == m_entries.constEnd())
        return std::nullopt;
    const Entry &e = *it;
    const qint64 mtime = nanoseconds(st.st_mtim);
    const qint64 ctime = nanoseconds(st.st_ctim);
    if (e.device != quint64(st.st_dev) || e.inode != quint64(st.st_ino) || e.size != st.st_size
        || e.mtimeNs != mtime || e.ctimeNs != ctime)
        return std::nullopt;
    // Git's racy-timestamp rule (Documentation/technical/racy-git.txt). Timestamps have a
    // granularity (1 s on some filesystems, 2 s on FAT, a kernel clock tick even on ext4), so a
    // write that lands in the same tick as the state we recorded leaves mtime and ctime
    // unchanged while the content differs. A write after the recording happens later than
    // recordedAt; if the recorded timestamps are clearly older than that (by more than the
    // granularity), such a write must have moved them. If they are not, the entry proves
    // nothing and the file is re-hashed (the new entry, recorded later, will be trusted).
    const qint64 trustedBefore = e.recordedAtNs - kRacyWindowNs;
    if (!(mtime < trustedBefore && ctime < trustedBefore))
        return std::nullopt;
    return QString::fromLatin1(
        QByteArray::fromRawData(reinterpret_cast<const char *>(e.sha256.data()), 32).toHex());
}

void HashCache::store(const QString &absPath, const struct stat &st, const QString &sha256,
                      std::optional<qint64> readStartedNs)
{
    if (!isSha256Hex(sha256)) {
        qCWarning(lcHashCache) << "not caching an invalid hash for" << absPath;
        return;
    }
    Entry e;
    e.device = quint64(st.st_dev);
    e.inode = quint64(st.st_ino);
    e.size = st.st_size;
    e.mtimeNs = nanoseconds(st.st_mtim);
    e.ctimeNs = nanoseconds(st.st_ctim);
    e.recordedAtNs = readStartedNs.value_or(nowNs());
    const QByteArray raw = QByteArray::fromHex(sha256.toLatin1());
    std::memcpy(e.sha256.data(), raw.constData(), e.sha256.size());
    std::lock_guard lock(m_mutex);
    m_entries.insert(absPath, e);
    m_modified = true;
}

bool HashCache::isModified() const
{
    std::lock_guard lock(m_mutex);
    return m_modified;
}

QString HashCache::writeCacheFile(const QString &path, const QByteArray &contents)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create directory %1").arg(dir);
    QByteArray temp = QFile::encodeName(path) + ".XXXXXX";
    const int fd = ::mkstemp(temp.data()); // mode 0600
    if (fd < 0)
        return QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    const char *data = contents.constData();
    qint64 left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        data += n;
        left -= n;
    }
    const int writeErrno = errno;
    if (::close(fd) != 0 || left > 0 || ::rename(temp.constData(), QFile::encodeName(path).constData()) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(left > 0 ? writeErrno : errno));
        ::unlink(temp.constData());
        return QStringLiteral("cannot write %1: %2").arg(path, why);
    }
    return {};
}

void HashCache::retainOnly(const QSet<QString> &paths)
{
    std::lock_guard lock(m_mutex);
    if (m_entries.removeIf([&paths](const auto &it) { return !paths.contains(it.key()); }) > 0)
        m_modified = true;
}

QString HashCache::save() const
{
    QByteArray bytes;
    {
        std::lock_guard lock(m_mutex);
        qsizetype bound = kHeaderSize + kChecksumSize;
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            bound += kRecordSize + 3 * it.key().size(); // UTF-8 needs at most 3 bytes per QChar
        bytes.resize(bound);
        char *p = bytes.data();
        qToBigEndian(kMagic, p);
        qToBigEndian(kVersion, p + 4);
        qToBigEndian(quint32(m_entries.size()), p + 8);
        p += kHeaderSize;
        QStringEncoder utf8(QStringEncoder::Utf8);
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
            const Entry &e = *it;
            char *const pathEnd = utf8.appendToBuffer(p + kRecordSize, it.key());
            qToBigEndian(quint32(pathEnd - p - kRecordSize), p);
            qToBigEndian(e.device, p + 4);
            qToBigEndian(e.inode, p + 12);
            qToBigEndian(e.size, p + 20);
            qToBigEndian(e.mtimeNs, p + 28);
            qToBigEndian(e.ctimeNs, p + 36);
            qToBigEndian(e.recordedAtNs, p + 44);
            std::memcpy(p + 52, e.sha256.data(), e.sha256.size());
            p = pathEnd;
        }
        bytes.truncate(p - bytes.constData());
    }
    char sum[kChecksumSize];
    qToBigEndian(checksum(bytes.constData(), bytes.size()), sum);
    bytes.append(sum, kChecksumSize);
    const QString error = writeCacheFile(m_cacheFile, bytes);
    if (error.isEmpty()) {
        std::lock_guard lock(m_mutex);
        m_modified = false;
    }
    return error;
}

bool HashCache::load(QString *error)
{
    QHash<QString, Entry> entries;
    const auto install = [this, &entries] {
        std::lock_guard lock(m_mutex);
        m_entries = std::move(entries);
        m_modified = false;
        return true;
    };
    const auto discard = [&](const char *why) {
        qCWarning(lcHashCache, "ignoring hash cache %s: %s; every file will be hashed again",
                  qPrintable(m_cacheFile), why);
        entries.clear();
        return install();
    };

    QFile file(m_cacheFile);
    if (!file.exists())
        return install();
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(m_cacheFile, file.errorString());
        install();
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(m_cacheFile, file.errorString());
        install();
        return false;
    }
    if (bytes.size() < kHeaderSize + kChecksumSize)
        return discard("it is truncated");
    const qsizetype bodySize = bytes.size() - kChecksumSize;
    if (qFromBigEndian<quint64>(bytes.constData() + bodySize)
        != checksum(bytes.constData(), bodySize))
        return discard("its checksum does not match");

    const quint32 magic = qFromBigEndian<quint32>(bytes.constData());
    const quint32 version = qFromBigEndian<quint32>(bytes.constData() + 4);
    const quint32 count = qFromBigEndian<quint32>(bytes.constData() + 8);
    if (magic != kMagic || version != kVersion)
        return discard("it has an unknown format");
    if (qint64(count) * kRecordSize > bodySize)
        return discard("its entry count is impossible");
    entries.reserve(count);
    const char *p = bytes.constData() + kHeaderSize;
    const char *const end = bytes.constData() + bodySize;
    for (quint32 i = 0; i < count; ++i) {
        if (end - p < kRecordSize)
            return discard("it is truncated");
        const quint32 pathSize = qFromBigEndian<quint32>(p);
        if (end - p - kRecordSize < qint64(pathSize))
            return discard("it is truncated");
        Entry e;
        e.device = qFromBigEndian<quint64>(p + 4);
        e.inode = qFromBigEndian<quint64>(p + 12);
        e.size = qFromBigEndian<qint64>(p + 20);
        e.mtimeNs = qFromBigEndian<qint64>(p + 28);
        e.ctimeNs = qFromBigEndian<qint64>(p + 36);
        e.recordedAtNs = qFromBigEndian<qint64>(p + 44);
        std::memcpy(e.sha256.data(), p + 52, e.sha256.size());
        entries.insert(QString::fromUtf8(p + kRecordSize, pathSize), e);
        p += kRecordSize + pathSize;
    }
    if (p != end)
        return discard("it has trailing data");
    return install();
}

} // namespace og
