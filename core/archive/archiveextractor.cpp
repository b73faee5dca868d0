// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/archive/archiveextractor.h"

#include "core/datastore/manifest.h"

#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits>
#include <locale.h>
#include <memory>
#include <QByteArrayList>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace og {

Q_LOGGING_CATEGORY(lcArchive, "opengrid.core.archive", QtInfoMsg)

namespace {

// Below this many written bytes the ratio rule stays quiet: a small archive of a few
// compressible files would otherwise look like a bomb.
constexpr qint64 kRatioFloorBytes = 1LL << 20;
constexpr size_t kCopyChunkBytes = 256 * 1024;

class Fd final
{
    Q_DISABLE_COPY(Fd)

public:
    Fd() = default;
    explicit Fd(int fd)
        : m_fd(fd)
    {
    }
    Fd(Fd &&other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    {
    }
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other)
            reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    ~Fd() { reset(); }

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    // close() reports a delayed write error (NFS, quota) that write() did not.
    bool close()
    {
        const int fd = std::exchange(m_fd, -1);
        return fd < 0 || ::close(fd) == 0;
    }

private:
    int m_fd = -1;
};

Fd duplicate(int fd)
{
    return Fd(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
}

QString systemError(int err)
{
    return qt_error_string(err);
}

QString libarchiveError(archive *a)
{
    const char *message = archive_error_string(a);
    return message ? QString::fromUtf8(message) : QStringLiteral("unknown error");
}

QString escapesRoot(const QString &name)
{
    return QStringLiteral("archive entry '%1' escapes the archive's root").arg(name);
}

// Splits an entry name into components. A leading "./", "." and empty components are dropped
// (harmless spellings); an absolute path or any ".." refuses the entry, including a ".."
// between backslashes, which a Windows consumer of the datastore would read as a parent.
QString normalizeEntryPath(const QByteArray &raw, QByteArrayList *parts)
{
    const QString name = QString::fromUtf8(raw);
    parts->clear();
    if (raw.isEmpty())
        return QStringLiteral("archive has an entry with an empty name");
    // libarchive hands names over as C strings, so a NUL cannot reach here; kept for clarity.
    if (raw.contains('\0') || raw.startsWith('/'))
        return escapesRoot(name);
    if (raw.size() > Manifest::kMaxPathBytes)
        return QStringLiteral("archive entry '%1…' has a name longer than %2 bytes")
            .arg(name.left(60), QString::number(Manifest::kMaxPathBytes));
    for (const QByteArray &part : raw.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == ".." || part.split('\\').contains(QByteArray("..")))
            return escapesRoot(name);
        if (part.size() > Manifest::kMaxNameBytes)
            return QStringLiteral("archive entry '%1' has a component longer than %2 bytes")
                .arg(name, QString::number(Manifest::kMaxNameBytes));
        parts->append(part);
    }
    return {};
}

// Lexical check, relative to the link's directory, which is always a real directory because
// nothing is ever created through a link. ".." is accepted only before the first name: after
// a name it would climb from wherever that name resolves, and the name may itself be a link
// (x -> "..", then y -> "x/../.." looks inside but is not).
QString checkLinkTarget(const QByteArrayList &linkParts, const QByteArray &target,
                        const QString &name)
{
    const QString shownTarget = QString::fromUtf8(target);
    const QString outside =
        QStringLiteral("archive entry '%1' is a symbolic link to '%2', which points outside the "
                       "archive's root")
            .arg(name, shownTarget);
    if (target.isEmpty())
        return QStringLiteral("archive entry '%1' is a symbolic link with an empty target")
            .arg(name);
    if (target.size() > Manifest::kMaxPathBytes)
        return QStringLiteral("archive entry '%1' is a symbolic link with a target longer than %2 "
                              "bytes")
            .arg(name, QString::number(Manifest::kMaxPathBytes));
    if (target.startsWith('/') || target.contains('\0'))
        return outside;
    qsizetype depth = linkParts.size() - 1;
    bool sawName = false;
    for (const QByteArray &part : target.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            if (sawName)
                return QStringLiteral("archive entry '%1' is a symbolic link to '%2', which uses "
                                      "'..' after a name; only leading '..' can be checked "
                                      "without following links")
                    .arg(name, shownTarget);
            if (--depth < 0)
                return outside;
        } else {
            sawName = true;
        }
    }
    return {};
}

QByteArray entryString(const char *utf8, const char *native)
{
    // The UTF-8 form works whatever the locale; the native form is the raw bytes of old tars.
    if (utf8)
        return QByteArray(utf8);
    return native ? QByteArray(native) : QByteArray();
}

mode_t normalizedMode(mode_t mode)
{
    // No setuid/setgid/sticky, nothing group- or world-writable: executable or not is all
    // that survives.
    return (mode & 0111) ? 0755 : 0644;
}

bool writeAll(int fd, const char *data, size_t size, off_t offset)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= size_t(n);
        offset += n;
    }
    return true;
}

// Removes everything below `dirFd` without following a single link. Depth is bounded by the
// entry-name length limit, so the recursion is too.
bool removeContents(int dirFd)
{
    // A fresh open file description: fdopendir() on a dup() would share (and move) the offset.
    const int scanFd = ::openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (scanFd < 0)
        return false;
    DIR *dir = ::fdopendir(scanFd);
    if (!dir) {
        ::close(scanFd);
        return false;
    }
    QByteArrayList names;
    while (const dirent *d = ::readdir(dir)) {
        const QByteArray name(d->d_name);
        if (name != "." && name != "..")
            names.append(name);
    }
    ::closedir(dir);
    bool ok = true;
    for (const QByteArray &name : std::as_const(names)) {
        Fd child(
            ::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (child.valid()) {
            ok = removeContents(child.get()) && ok;
            child.reset();
            ok = ::unlinkat(dirFd, name.constData(), AT_REMOVEDIR) == 0 && ok;
        } else {
            ok = ::unlinkat(dirFd, name.constData(), 0) == 0 && ok;
        }
    }
    return ok;
}

bool isEmptyDirectory(int dirFd)
{
    const int scanFd = ::openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (scanFd < 0)
        return false;
    DIR *dir = ::fdopendir(scanFd);
    if (!dir) {
        ::close(scanFd);
        return false;
    }
    bool empty = true;
    while (const dirent *d = ::readdir(dir)) {
        if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0) {
            empty = false;
            break;
        }
    }
    ::closedir(dir);
    return empty;
}

// libarchive converts every entry name to the locale's character set, and under "C" (a daemon
// started without LANG) it drops UTF-8 names it cannot convert: a zip with "é.txt" would have
// an entry without a name. A UTF-8 LC_CTYPE for this thread only (uselocale, not setlocale)
// keeps them, without touching the rest of the process.
class ScopedUtf8Ctype final
{
    Q_DISABLE_COPY_MOVE(ScopedUtf8Ctype)

public:
    ScopedUtf8Ctype()
    {
        if (std::strcmp(::nl_langinfo(CODESET), "UTF-8") == 0)
            return;
        const locale_t base = ::duplocale(::uselocale(locale_t(nullptr)));
        if (!base)
            return;
        m_utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", base);
        if (!m_utf8) {
            ::freelocale(base);
            return;
        }
        m_previous = ::uselocale(m_utf8);
    }
    ~ScopedUtf8Ctype()
    {
        if (m_utf8) {
            ::uselocale(m_previous);
            ::freelocale(m_utf8);
        }
    }

private:
    locale_t m_utf8 = locale_t(nullptr);
    locale_t m_previous = locale_t(nullptr);
};

struct ArchiveReadDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

// Filters libarchive runs in-process. A filter whose library is missing would fall back to
// an external program (ARCHIVE_WARN) that then parses untrusted bytes; such filters are left
// out, which is also why this is not archive_read_support_filter_all().
void addInProcessFilters(archive *a)
{
    using Support = int (*)(archive *);
    for (const Support support :
         {&archive_read_support_filter_gzip, &archive_read_support_filter_bzip2,
          &archive_read_support_filter_xz, &archive_read_support_filter_zstd}) {
        const ArchiveReader probe(archive_read_new());
        if (probe && support(probe.get()) == ARCHIVE_OK)
            support(a);
    }
}

class Extraction final
{
    Q_DISABLE_COPY_MOVE(Extraction)

public:
    Extraction(const ExtractLimits &limits, qint64 archiveBytes, int rootFd, ExtractResult *result)
        : m_limits(limits)
        , m_archiveBytes(qMax<qint64>(archiveBytes, 1))
        , m_root(rootFd)
        , m_result(result)
    {
    }

    // Empty on success, else the sentence for ExtractResult::error.
    QString run(archive *a, const QString &archivePath);

private:
    QString extractEntry(archive *a, archive_entry *entry, const QByteArray &rawName);
    QString extractFile(archive *a, archive_entry *entry, const QByteArrayList &parts,
                        const QString &name);
    QString makeDirectory(const QByteArrayList &parts, const QString &name);
    QString makeSymlink(const QByteArrayList &parts, const QString &name, const QByteArray &target);
    QString copyHardLink(const QByteArrayList &parts, const QString &name,
                         const QByteArray &rawTarget);

    bool openDirectory(const QByteArrayList &parts, qsizetype count, bool create,
                       const QString &name, Fd *out, QString *error);
    QString makeRoom(int parentFd, const QByteArray &leaf, bool forDirectory, const QString &name);
    QString admitDeclared(qint64 declaredBytes, const QString &name) const;
    QString admit(qint64 growth, qint64 entryBytes, const QString &name);

    const ExtractLimits &m_limits;
    const qint64 m_archiveBytes;
    const int m_root;
    ExtractResult *const m_result;
    qint64 m_entries = 0;
    // Archives list siblings together, so the last parent directory is worth keeping open.
    // Directories are never removed or replaced during extraction, so the descriptor stays
    // valid for that path.
    QByteArray m_cachedParent;
    Fd m_cachedParentFd;
};

QString Extraction::run(archive *a, const QString &archivePath)
{
    for (;;) {
        archive_entry *entry = nullptr;
        const int status = archive_read_next_header(a, &entry);
        if (status == ARCHIVE_EOF)
            return {};
        if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
            return QStringLiteral("cannot read archive '%1': %2")
                .arg(archivePath, libarchiveError(a));
        const char *utf8Name = archive_entry_pathname_utf8(entry);
        const char *nativeName = archive_entry_pathname(entry);
        if (!utf8Name && !nativeName)
            return QStringLiteral("archive '%1' has an entry whose name cannot be read: %2")
                .arg(archivePath, libarchiveError(a));
        const QByteArray rawName = entryString(utf8Name, nativeName);
        const QString shownName = QString::fromUtf8(rawName);
        if (++m_entries > m_limits.maxEntries)
            return QStringLiteral("archive has more than %1 entries; stopped at entry '%2'")
                .arg(m_limits.maxEntries)
                .arg(shownName);
        if (status == ARCHIVE_WARN)
            m_result->warnings.append(
                QStringLiteral("archive entry '%1': %2").arg(shownName, libarchiveError(a)));
        if (QString error = extractEntry(a, entry, rawName); !error.isEmpty())
            return error;
    }
}

QString Extraction::extractEntry(archive *a, archive_entry *entry, const QByteArray &rawName)
{
    QByteArrayList parts;
    if (QString error = normalizeEntryPath(rawName, &parts); !error.isEmpty())
        return error;
    const QString name = QString::fromUtf8(parts.join('/'));
    const mode_t type = archive_entry_filetype(entry);
    if (parts.isEmpty()) {
        if (type == AE_IFDIR)
            return {}; // "./": the destination itself
        return QStringLiteral("archive entry '%1' has an empty name")
            .arg(QString::fromUtf8(rawName));
    }

    // Tar marks a hard link by its target, whatever the type field says.
    const QByteArray hardlink =
        entryString(archive_entry_hardlink_utf8(entry), archive_entry_hardlink(entry));
    if (!hardlink.isEmpty())
        return copyHardLink(parts, name, hardlink);

    switch (type) {
    case AE_IFREG:
        return extractFile(a, entry, parts, name);
    case AE_IFDIR:
        return makeDirectory(parts, name);
    case AE_IFLNK: {
        const QByteArray target =
            entryString(archive_entry_symlink_utf8(entry), archive_entry_symlink(entry));
        return makeSymlink(parts, name, target);
    }
    default:
        break;
    }
    QString what;
    switch (type) {
    case AE_IFIFO:
        what = QStringLiteral("a FIFO");
        break;
    case AE_IFCHR:
        what = QStringLiteral("a character device");
        break;
    case AE_IFBLK:
        what = QStringLiteral("a block device");
        break;
    case AE_IFSOCK:
        what = QStringLiteral("a socket");
        break;
    default:
        what = QStringLiteral("of an unknown type");
        break;
    }
    m_result->warnings.append(
        QStringLiteral("skipped archive entry '%1': it is %2, not a regular file").arg(name, what));
    return {};
}

QString Extraction::extractFile(archive *a, archive_entry *entry, const QByteArrayList &parts,
                                const QString &name)
{
    // An honest size over a limit is refused before a byte is decompressed; a dishonest one
    // is caught below as the data arrives.
    if (archive_entry_size_is_set(entry)) {
        if (QString error = admitDeclared(archive_entry_size(entry), name); !error.isEmpty())
            return error;
    }
    Fd parent;
    if (QString error; !openDirectory(parts, parts.size() - 1, true, name, &parent, &error))
        return error;
    const QByteArray &leaf = parts.last();
    if (QString error = makeRoom(parent.get(), leaf, false, name); !error.isEmpty())
        return error;
    Fd out(::openat(parent.get(), leaf.constData(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid())
        return QStringLiteral("cannot create archive entry '%1': %2").arg(name, systemError(errno));

    qint64 end = 0;     // logical size so far: a sparse entry's holes count
    qint64 written = 0; // end of the last data actually written
    for (;;) {
        const void *buffer = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int status = archive_read_data_block(a, &buffer, &size, &offset);
        if (status == ARCHIVE_EOF)
            break;
        // A warning here is a failed CRC or the like: the data is wrong, so refuse it.
        if (status != ARCHIVE_OK)
            return QStringLiteral("cannot read archive entry '%1': %2")
                .arg(name, libarchiveError(a));
        if (offset < 0 || size > size_t(std::numeric_limits<qint64>::max() - offset))
            return QStringLiteral("archive entry '%1' is corrupt: its data lies at an impossible "
                                  "offset")
                .arg(name);
        const qint64 blockEnd = offset + qint64(size);
        if (blockEnd > end) {
            if (QString error = admit(blockEnd - end, blockEnd, name); !error.isEmpty())
                return error;
            end = blockEnd;
        }
        if (size > 0) {
            if (!writeAll(out.get(), static_cast<const char *>(buffer), size, off_t(offset)))
                return QStringLiteral("cannot write archive entry '%1': %2")
                    .arg(name, systemError(errno));
            written = qMax(written, blockEnd);
        }
    }
    if (end > written && ::ftruncate(out.get(), off_t(end)) != 0) // ends in a hole
        return QStringLiteral("cannot write archive entry '%1': %2").arg(name, systemError(errno));
    ::fchmod(out.get(), normalizedMode(archive_entry_perm(entry)));
    if (archive_entry_mtime_is_set(entry)) {
        const timespec times[2] = {
            {0, UTIME_OMIT},
            {time_t(archive_entry_mtime(entry)), long(archive_entry_mtime_nsec(entry))}};
        ::futimens(out.get(), times);
    }
    if (!out.close())
        return QStringLiteral("cannot write archive entry '%1': %2").arg(name, systemError(errno));
    ++m_result->files;
    return {};
}

QString Extraction::makeDirectory(const QByteArrayList &parts, const QString &name)
{
    Fd parent;
    if (QString error; !openDirectory(parts, parts.size() - 1, true, name, &parent, &error))
        return error;
    const QByteArray &leaf = parts.last();
    if (QString error = makeRoom(parent.get(), leaf, true, name); !error.isEmpty())
        return error;
    if (::mkdirat(parent.get(), leaf.constData(), 0755) != 0 && errno != EEXIST)
        return QStringLiteral("cannot create directory '%1': %2").arg(name, systemError(errno));
    // The umask may have narrowed it; the datastore wants 0755 whatever the archive said.
    const Fd dir(
        ::openat(parent.get(), leaf.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir.valid())
        return QStringLiteral("cannot open directory '%1': %2").arg(name, systemError(errno));
    ::fchmod(dir.get(), 0755);
    return {};
}

QString Extraction::makeSymlink(const QByteArrayList &parts, const QString &name,
                                const QByteArray &target)
{
    if (QString error = checkLinkTarget(parts, target, name); !error.isEmpty())
        return error;
    Fd parent;
    if (QString error; !openDirectory(parts, parts.size() - 1, true, name, &parent, &error))
        return error;
    const QByteArray &leaf = parts.last();
    if (QString error = makeRoom(parent.get(), leaf, false, name); !error.isEmpty())
        return error;
    if (::symlinkat(target.constData(), parent.get(), leaf.constData()) != 0)
        return QStringLiteral("cannot create symbolic link '%1': %2").arg(name, systemError(errno));
    return {};
}

// A hard link becomes a copy of the file an earlier entry extracted: the tree stays plain
// files, and the copied bytes count against the limits like any others (a thousand links to
// one big file are a bomb too).
QString Extraction::copyHardLink(const QByteArrayList &parts, const QString &name,
                                 const QByteArray &rawTarget)
{
    QByteArrayList targetParts;
    const QString shownTarget = QString::fromUtf8(rawTarget);
    if (!normalizeEntryPath(rawTarget, &targetParts).isEmpty() || targetParts.isEmpty())
        return QStringLiteral("archive entry '%1' is a hard link to '%2', which escapes the "
                              "archive's root")
            .arg(name, shownTarget);
    if (targetParts == parts)
        return {}; // a link to itself: the file is already there
    const QString missing = QStringLiteral("archive entry '%1' is a hard link to '%2', which no "
                                           "earlier entry extracted as a file")
                                .arg(name, shownTarget);

    Fd sourceParent;
    if (QString error;
        !openDirectory(targetParts, targetParts.size() - 1, false, name, &sourceParent, &error))
        return error.isEmpty() ? missing : error;
    const QByteArray &sourceLeaf = targetParts.last();
    struct stat st = {};
    if (::fstatat(sourceParent.get(), sourceLeaf.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return missing;
    if (S_ISLNK(st.st_mode)) {
        // Tar can hard-link a symlink; re-check its target from the new link's directory.
        QByteArray linkTarget(Manifest::kMaxPathBytes + 1, Qt::Uninitialized);
        const ssize_t n = ::readlinkat(sourceParent.get(), sourceLeaf.constData(),
                                       linkTarget.data(), size_t(linkTarget.size()));
        if (n < 0 || n > Manifest::kMaxPathBytes)
            return missing;
        linkTarget.truncate(n);
        return makeSymlink(parts, name, linkTarget);
    }
    if (!S_ISREG(st.st_mode))
        return missing;
    Fd in(::openat(sourceParent.get(), sourceLeaf.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in.valid())
        return missing;

    Fd parent;
    if (QString error; !openDirectory(parts, parts.size() - 1, true, name, &parent, &error))
        return error;
    const QByteArray &leaf = parts.last();
    if (QString error = makeRoom(parent.get(), leaf, false, name); !error.isEmpty())
        return error;
    Fd out(::openat(parent.get(), leaf.constData(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid())
        return QStringLiteral("cannot create archive entry '%1': %2").arg(name, systemError(errno));
    QByteArray buffer(qsizetype(kCopyChunkBytes), Qt::Uninitialized);
    qint64 copied = 0;
    for (;;) {
        const ssize_t n = ::read(in.get(), buffer.data(), kCopyChunkBytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return QStringLiteral("cannot copy '%1' for archive entry '%2': %3")
                .arg(shownTarget, name, systemError(errno));
        if (n == 0)
            break;
        if (QString error = admit(n, copied + n, name); !error.isEmpty())
            return error;
        if (!writeAll(out.get(), buffer.constData(), size_t(n), off_t(copied)))
            return QStringLiteral("cannot write archive entry '%1': %2")
                .arg(name, systemError(errno));
        copied += n;
    }
    ::fchmod(out.get(), normalizedMode(st.st_mode));
    const timespec times[2] = {{0, UTIME_OMIT}, st.st_mtim};
    ::futimens(out.get(), times);
    if (!out.close())
        return QStringLiteral("cannot write archive entry '%1': %2").arg(name, systemError(errno));
    ++m_result->files;
    return {};
}

// Opens the directory made of the first `count` components, creating missing ones (0755)
// when `create` is set. O_NOFOLLOW on every component: a link an earlier entry planted
// ("link" -> "/etc", then "link/passwd") is never walked through. With `create` unset, a
// missing component fails with an empty `error`, so the caller can say what was missing.
bool Extraction::openDirectory(const QByteArrayList &parts, qsizetype count, bool create,
                               const QString &name, Fd *out, QString *error)
{
    const QByteArray path = parts.mid(0, count).join('/');
    const bool cached = m_cachedParentFd.valid() && path == m_cachedParent;
    Fd current = duplicate(cached ? m_cachedParentFd.get() : m_root);
    if (!current.valid()) {
        *error = QStringLiteral("cannot open the parent of archive entry '%1': %2")
                     .arg(name, systemError(errno));
        return false;
    }
    for (qsizetype i = cached ? count : 0; i < count; ++i) {
        const char *part = parts.at(i).constData();
        constexpr int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        int fd = ::openat(current.get(), part, flags);
        if (fd < 0 && errno == ENOENT && create) {
            if (::mkdirat(current.get(), part, 0755) != 0 && errno != EEXIST) {
                *error = QStringLiteral("cannot create directory '%1' for archive entry '%2': %3")
                             .arg(QString::fromUtf8(parts.mid(0, i + 1).join('/')), name,
                                  systemError(errno));
                return false;
            }
            fd = ::openat(current.get(), part, flags);
            if (fd >= 0)
                ::fchmod(fd, 0755); // the umask may have narrowed it
        }
        if (fd < 0) {
            const int err = errno;
            const QString where = QString::fromUtf8(parts.mid(0, i + 1).join('/'));
            struct stat st = {};
            if (::fstatat(current.get(), part, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                if (S_ISLNK(st.st_mode)) {
                    *error = QStringLiteral("archive entry '%1' passes through the symbolic link "
                                            "'%2', which extraction never follows")
                                 .arg(name, where);
                    return false;
                }
                if (!S_ISDIR(st.st_mode)) {
                    *error = QStringLiteral("archive entry '%1' needs '%2' to be a directory, "
                                            "but an earlier entry made it a file")
                                 .arg(name, where);
                    return false;
                }
            }
            if (create || err != ENOENT)
                *error = QStringLiteral("cannot open directory '%1' for archive entry '%2': %3")
                             .arg(where, name, systemError(err));
            return false;
        }
        current.reset(fd);
    }
    if (!cached) {
        m_cachedParent = path;
        m_cachedParentFd = duplicate(current.get());
    }
    *out = std::move(current);
    return true;
}

// Clears the way for an entry whose name an earlier entry already used. As tar does, the
// later entry wins, except that a directory is never replaced: the cached parent descriptor
// and the promise that links sit in real directories both rely on that.
QString Extraction::makeRoom(int parentFd, const QByteArray &leaf, bool forDirectory,
                             const QString &name)
{
    struct stat st = {};
    if (::fstatat(parentFd, leaf.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return {};
        return QStringLiteral("cannot inspect archive entry '%1': %2")
            .arg(name, systemError(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        if (forDirectory)
            return {};
        return QStringLiteral("archive entry '%1' would replace a directory an earlier entry "
                              "created")
            .arg(name);
    }
    if (::unlinkat(parentFd, leaf.constData(), 0) != 0)
        return QStringLiteral("cannot replace archive entry '%1': %2")
            .arg(name, systemError(errno));
    m_result->warnings.append(
        QStringLiteral("archive entry '%1' appears more than once; the last one is kept")
            .arg(name));
    return {};
}

QString Extraction::admitDeclared(qint64 declaredBytes, const QString &name) const
{
    if (declaredBytes > m_limits.maxEntryBytes)
        return QStringLiteral("archive entry '%1' expands past the per-entry limit of %2 bytes")
            .arg(name, QString::number(m_limits.maxEntryBytes));
    if (declaredBytes > m_limits.maxTotalBytes - m_result->bytes)
        return QStringLiteral("archive expands past the limit of %1 bytes at entry '%2'")
            .arg(m_limits.maxTotalBytes)
            .arg(name);
    return {};
}

// Called before `growth` more bytes are written; refuses them rather than writing past a limit.
QString Extraction::admit(qint64 growth, qint64 entryBytes, const QString &name)
{
    if (entryBytes > m_limits.maxEntryBytes)
        return QStringLiteral("archive entry '%1' expands past the per-entry limit of %2 bytes")
            .arg(name, QString::number(m_limits.maxEntryBytes));
    if (growth > m_limits.maxTotalBytes - m_result->bytes)
        return QStringLiteral("archive expands past the limit of %1 bytes at entry '%2'")
            .arg(m_limits.maxTotalBytes)
            .arg(name);
    const qint64 total = m_result->bytes + growth;
    if (total > kRatioFloorBytes &&
        double(total) > m_limits.maxCompressionRatio * double(m_archiveBytes))
        return QStringLiteral("archive expands with a compression ratio above %1 at entry '%2', "
                              "refusing a possible zip bomb")
            .arg(QString::number(m_limits.maxCompressionRatio), name);
    m_result->bytes = total;
    return {};
}

} // namespace

bool ArchiveExtractor::looksLikeArchive(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    for (const QLatin1StringView suffix :
         {QLatin1StringView(".zip"), QLatin1StringView(".tar"), QLatin1StringView(".tar.gz"),
          QLatin1StringView(".tgz")}) {
        if (name.size() > suffix.size() && name.endsWith(suffix, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

ExtractResult ArchiveExtractor::extract(const QString &archivePath, const QString &destinationDir,
                                        const ExtractLimits &limits)
{
    ExtractResult result;
    const QFileInfo destination(destinationDir);
    const bool created = !destination.exists() && !destination.isSymLink();
    if (created && !QDir().mkpath(destinationDir)) {
        result.error =
            QStringLiteral("cannot create the destination directory '%1'").arg(destinationDir);
        return result;
    }
    const Fd root(
        ::open(QFile::encodeName(destinationDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.valid()) {
        result.error = QStringLiteral("cannot open the destination directory '%1': %2")
                           .arg(destinationDir, systemError(errno));
        return result;
    }
    if (!created && !isEmptyDirectory(root.get())) {
        result.error =
            QStringLiteral("the destination directory '%1' is not empty").arg(destinationDir);
        return result;
    }

    const ScopedUtf8Ctype utf8Names;
    const ArchiveReader reader(archive_read_new());
    archive *a = reader.get();
    archive_read_support_format_tar(a); // ustar, pax, GNU tar and v7
    archive_read_support_format_zip(a);
    addInProcessFilters(a);
    if (archive_read_open_filename(a, QFile::encodeName(archivePath).constData(), 64 * 1024) !=
        ARCHIVE_OK) {
        result.error =
            QStringLiteral("cannot read archive '%1': %2").arg(archivePath, libarchiveError(a));
    } else {
        Extraction extraction(limits, QFileInfo(archivePath).size(), root.get(), &result);
        result.error = extraction.run(a, archivePath);
    }

    if (!result.error.isEmpty()) {
        qCDebug(lcArchive) << "refused" << archivePath << "-" << result.error;
        if (!removeContents(root.get()))
            qCWarning(lcArchive) << "could not remove everything extracted into" << destinationDir;
        if (created)
            QDir().rmdir(destinationDir);
        result.files = 0;
        result.bytes = 0;
        return result;
    }
    qCDebug(lcArchive) << "extracted" << result.files << "files," << result.bytes << "bytes from"
                       << archivePath;
    return result;
}

} // namespace og
