// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/archive/archiveextractor.h"

#include <archive.h>
#include <archive_entry.h>
#include <clocale>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using og::ArchiveExtractor;
using og::ExtractLimits;
using og::ExtractResult;

namespace {

constexpr qint64 kMiB = 1LL << 20;

// Writes test archives with libarchive's write API, so that no binary fixture is committed.
class ArchiveBuilder final
{
    Q_DISABLE_COPY_MOVE(ArchiveBuilder)

public:
    enum class Kind
    {
        Tar,
        TarGz,
        TarBz2,
        Zip
    };

    ArchiveBuilder(const QString &path, Kind kind, int gzipLevel = 6)
        : m_archive(archive_write_new())
        , m_savedLocale(std::setlocale(LC_CTYPE, nullptr))
    {
        // Writing UTF-8 names needs a UTF-8 locale; the extractor itself runs under "C", as
        // an application without QCoreApplication does.
        if (!std::setlocale(LC_CTYPE, "C.UTF-8")) {
            qWarning("the C.UTF-8 locale is missing");
            m_ok = false;
        }
        switch (kind) {
        case Kind::Tar:
            archive_write_set_format_pax_restricted(m_archive);
            break;
        case Kind::TarGz:
            archive_write_set_format_pax_restricted(m_archive);
            archive_write_add_filter_gzip(m_archive);
            check(archive_write_set_filter_option(m_archive, "gzip", "compression-level",
                                                  QByteArray::number(gzipLevel).constData()));
            break;
        case Kind::TarBz2:
            archive_write_set_format_pax_restricted(m_archive);
            archive_write_add_filter_bzip2(m_archive);
            break;
        case Kind::Zip:
            archive_write_set_format_zip(m_archive);
            check(archive_write_set_format_option(m_archive, "zip", "hdrcharset", "UTF-8"));
            break;
        }
        check(archive_write_open_filename(m_archive, QFile::encodeName(path).constData()));
    }
    ~ArchiveBuilder()
    {
        if (m_archive)
            close();
    }

    ArchiveBuilder &file(const QByteArray &name, const QByteArray &data, int perm = 0644)
    {
        archive_entry *e = entry(name, AE_IFREG, perm);
        archive_entry_set_size(e, data.size());
        check(archive_write_header(m_archive, e));
        if (archive_write_data(m_archive, data.constData(), size_t(data.size())) != data.size())
            m_ok = false;
        archive_entry_free(e);
        return *this;
    }
    // Streams `size` zero bytes in 1 MiB chunks: a bomb without holding it in memory.
    ArchiveBuilder &zeros(const QByteArray &name, qint64 size)
    {
        archive_entry *e = entry(name, AE_IFREG, 0644);
        archive_entry_set_size(e, size);
        check(archive_write_header(m_archive, e));
        const QByteArray chunk(kMiB, '\0');
        for (qint64 left = size; left > 0; left -= chunk.size()) {
            const qint64 n = qMin<qint64>(left, chunk.size());
            if (archive_write_data(m_archive, chunk.constData(), size_t(n)) != n)
                m_ok = false;
        }
        archive_entry_free(e);
        return *this;
    }
    ArchiveBuilder &dir(const QByteArray &name, int perm = 0755)
    {
        return header(entry(name, AE_IFDIR, perm));
    }
    ArchiveBuilder &symlink(const QByteArray &name, const QByteArray &target)
    {
        archive_entry *e = entry(name, AE_IFLNK, 0777);
        archive_entry_set_symlink_utf8(e, target.constData());
        return header(e);
    }
    ArchiveBuilder &hardlink(const QByteArray &name, const QByteArray &target)
    {
        archive_entry *e = entry(name, AE_IFREG, 0644);
        archive_entry_set_hardlink_utf8(e, target.constData());
        return header(e);
    }
    ArchiveBuilder &fifo(const QByteArray &name) { return header(entry(name, AE_IFIFO, 0644)); }

    // True when every call succeeded.
    bool close()
    {
        check(archive_write_close(m_archive));
        archive_write_free(m_archive);
        m_archive = nullptr;
        std::setlocale(LC_CTYPE, m_savedLocale.constData());
        return m_ok;
    }

private:
    archive_entry *entry(const QByteArray &name, unsigned type, int perm)
    {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname_utf8(e, name.constData());
        archive_entry_set_filetype(e, type);
        archive_entry_set_perm(e, mode_t(perm));
        archive_entry_set_mtime(e, 1'700'000'000, 0);
        return e;
    }
    ArchiveBuilder &header(archive_entry *e)
    {
        archive_entry_set_size(e, 0);
        check(archive_write_header(m_archive, e));
        archive_entry_free(e);
        return *this;
    }
    void check(int status)
    {
        if (status != ARCHIVE_OK) {
            qWarning("libarchive (writing the test archive): %s", archive_error_string(m_archive));
            m_ok = false;
        }
    }

    archive *m_archive;
    const QByteArray m_savedLocale;
    bool m_ok = true;
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

int permissions(const QString &path)
{
    struct stat st = {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

bool emptyOrAbsent(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return true;
    return QDir(path).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System |
                              QDir::NoDotAndDotDot);
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

} // namespace

Q_DECLARE_METATYPE(ArchiveBuilder::Kind)

class TestArchiveExtractor final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void looksLikeArchive_data();
    void looksLikeArchive();

    void extractsNestedTarGz();
    void extractsZip();
    void extractsPlainTar();
    void refusesNonEmptyDestination();

    void refusesEscapingNames_data();
    void refusesEscapingNames();

    void keepsSymlinksInside();
    void refusesSymlinksOutside_data();
    void refusesSymlinksOutside();
    void refusesWritingThroughSymlinks_data();
    void refusesWritingThroughSymlinks();

    void copiesHardLinks();
    void refusesBadHardLinks_data();
    void refusesBadHardLinks();
    void skipsFifoWithWarning();
    void laterDuplicateWins();

    void refusesBombQuickly_data();
    void refusesBombQuickly();
    void refusesHighCompressionRatio_data();
    void refusesHighCompressionRatio();
    void acceptsSmallCompressibleArchive();
    void hardLinkCopiesCountAgainstLimit();
    void limitsEntryCount();

    void refusesCorruptInput_data();
    void refusesCorruptInput();

private:
    QString path(const QString &name) const { return m_tmp->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_tmp; // fresh for every test function
    QTemporaryDir m_shared;
};

void TestArchiveExtractor::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
}

void TestArchiveExtractor::looksLikeArchive_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("expected");
    QTest::newRow("zip") << "data.zip" << true;
    QTest::newRow("ZIP upper case") << "/x/DATA.ZIP" << true;
    QTest::newRow("tar") << "a/b.tar" << true;
    QTest::newRow("tar.gz") << "cifar.tar.gz" << true;
    QTest::newRow("Tar.Gz mixed case") << "cifar.Tar.Gz" << true;
    QTest::newRow("tgz") << "cifar.TGZ" << true;
    QTest::newRow("plain gz") << "cifar.gz" << false;
    QTest::newRow("directory") << "data/" << false;
    QTest::newRow("zip inside a name") << "data.zip.txt" << false;
    QTest::newRow("only a suffix") << ".zip" << false;
    QTest::newRow("url") << "https://example.com/d/cifar.tar.gz" << true;
}

void TestArchiveExtractor::looksLikeArchive()
{
    QFETCH(QString, path);
    QFETCH(bool, expected);
    QCOMPARE(ArchiveExtractor::looksLikeArchive(path), expected);
}

void TestArchiveExtractor::extractsNestedTarGz()
{
    const QString archive = path("nested.tar.gz");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::TarGz)
                .dir("./")
                .dir("./data/", 0700)
                .file("./data/train/a.txt", "alpha\n", 0666)
                .file("./data/train/run.sh", "#!/bin/sh\n", 04777)
                .file("data/test/deep/er/c.txt", "gamma", 0600)
                .file("data//odd/./spelling.txt", "delta")
                .file("données/é.txt", "unicode")
                .file("empty.txt", "")
                .close());
    const QString dest = path("out/nested"); // parent missing too: created
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(u'\n')));
    QCOMPARE(r.files, 6);
    QCOMPARE(r.bytes, 6 + 10 + 5 + 5 + 7 + 0);
    QCOMPARE(readAll(dest + "/data/train/a.txt"), "alpha\n");
    QCOMPARE(readAll(dest + "/data/train/run.sh"), "#!/bin/sh\n");
    QCOMPARE(readAll(dest + "/data/test/deep/er/c.txt"), "gamma");
    QCOMPARE(readAll(dest + "/data/odd/spelling.txt"), "delta");
    QCOMPARE(readAll(dest + QString::fromUtf8("/données/é.txt")), "unicode");
    QVERIFY(QFileInfo(dest + "/empty.txt").isFile());
    // Modes are normalised: no setuid, nothing group/world-writable, directories 0755.
    QCOMPARE(permissions(dest + "/data/train/a.txt"), 0644);
    QCOMPARE(permissions(dest + "/data/train/run.sh"), 0755);
    QCOMPARE(permissions(dest + "/data/test/deep/er/c.txt"), 0644);
    QCOMPARE(permissions(dest + "/data"), 0755);
    QCOMPARE(permissions(dest + "/data/test/deep"), 0755);
    QCOMPARE(QFileInfo(dest + "/data/train/a.txt").lastModified().toSecsSinceEpoch(),
             1'700'000'000);
}

void TestArchiveExtractor::extractsZip()
{
    const QString archive = path("data.zip");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Zip)
                .dir("images/")
                .file("images/cat.png", randomBytes(100'000))
                .file("labels/labels.csv", "cat,1\n", 0755)
                .file("données.txt", "unicode")
                .close());
    const QString dest = path("zip");
    QVERIFY(QDir().mkpath(dest)); // an existing, empty destination is fine
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.files, 3);
    QCOMPARE(r.bytes, 100'000 + 6 + 7);
    QCOMPARE(readAll(dest + "/images/cat.png"), randomBytes(100'000));
    QCOMPARE(readAll(dest + "/labels/labels.csv"), "cat,1\n");
    QCOMPARE(permissions(dest + "/labels/labels.csv"), 0755);
    QCOMPARE(readAll(dest + QString::fromUtf8("/données.txt")), "unicode");
}

void TestArchiveExtractor::extractsPlainTar()
{
    const QString archive = path("plain.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar)
                .file("a.txt", "a")
                .file("sub/b.txt", "bb")
                .close());
    const ExtractResult r = ArchiveExtractor::extract(archive, path("plain"));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.files, 2);
    QCOMPARE(readAll(path("plain/sub/b.txt")), "bb");
}

void TestArchiveExtractor::refusesNonEmptyDestination()
{
    const QString archive = path("a.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar).file("a.txt", "new").close());
    QVERIFY(QDir().mkpath(path("full")));
    QFile existing(path("full/keep.txt"));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("old");
    existing.close();
    const ExtractResult r = ArchiveExtractor::extract(archive, path("full"));
    QVERIFY(r.error.contains(u"is not empty"));
    QCOMPARE(readAll(path("full/keep.txt")), "old"); // never cleaned: it was not ours
    QVERIFY(!QFileInfo::exists(path("full/a.txt")));
}

void TestArchiveExtractor::refusesEscapingNames_data()
{
    QTest::addColumn<ArchiveBuilder::Kind>("kind");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("destinationExists");
    const QByteArray absolute = QFile::encodeName(QDir::tempPath()) + "/og-archive-test-abs";
    QTest::newRow("../evil") << ArchiveBuilder::Kind::TarGz << QByteArray("../evil") << false;
    QTest::newRow("/abs") << ArchiveBuilder::Kind::TarGz << absolute << false;
    QTest::newRow("a/../../x") << ArchiveBuilder::Kind::TarGz << QByteArray("a/../../x") << true;
    QTest::newRow("a/../b (inside, still refused)")
        << ArchiveBuilder::Kind::Tar << QByteArray("a/../b") << false;
    QTest::newRow("..\\ backslashes")
        << ArchiveBuilder::Kind::Tar << QByteArray("..\\..\\x") << false;
    QTest::newRow("zip ../evil") << ArchiveBuilder::Kind::Zip << QByteArray("../evil") << true;
    QTest::newRow("zip ./../evil") << ArchiveBuilder::Kind::Zip << QByteArray("./../evil") << false;
}

void TestArchiveExtractor::refusesEscapingNames()
{
    QFETCH(ArchiveBuilder::Kind, kind);
    QFETCH(QByteArray, name);
    QFETCH(bool, destinationExists);
    const QString archive = path("evil.archive");
    // A good entry first, so there is something extracted that must be removed again.
    QVERIFY(ArchiveBuilder(archive, kind).file("ok/fine.txt", "fine").file(name, "evil").close());
    const QString dest = path("d/dest");
    if (destinationExists)
        QVERIFY(QDir().mkpath(dest));
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QCOMPARE(r.error, QStringLiteral("archive entry '%1' escapes the archive's root")
                          .arg(QString::fromUtf8(name)));
    QVERIFY(emptyOrAbsent(dest));
    QCOMPARE(QFileInfo::exists(dest), destinationExists);
    QCOMPARE(r.files, 0);
    QVERIFY(!QFileInfo::exists(path("d/evil")));
    QVERIFY(!QFileInfo::exists(path("d/x")));
    QVERIFY(!name.startsWith('/') || !QFileInfo::exists(QFile::decodeName(name)));
}

void TestArchiveExtractor::keepsSymlinksInside()
{
    const QString archive = path("links.tar.gz");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::TarGz)
                .file("data/file.txt", "content")
                .symlink("data/link", "file.txt")
                .symlink("top", "data/file.txt")
                .symlink("data/sub/up", "../../data/./file.txt")
                .symlink("data/self", ".")
                .close());
    const QString dest = path("links");
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(QFileInfo(dest + "/data/link").symLinkTarget(), dest + "/data/file.txt");
    QCOMPARE(QFile::symLinkTarget(dest + "/top"), dest + "/data/file.txt");
    QCOMPARE(readAll(dest + "/data/sub/up"), "content");
    QVERIFY(QFileInfo(dest + "/data/self").isSymLink());
    QCOMPARE(r.files, 1);
}

void TestArchiveExtractor::refusesSymlinksOutside_data()
{
    QTest::addColumn<QByteArray>("link");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("problem");
    const QString outside = QStringLiteral("points outside the archive's root");
    QTest::newRow("absolute") << QByteArray("link") << QByteArray("/etc") << outside;
    QTest::newRow("parent of root") << QByteArray("link") << QByteArray("..") << outside;
    QTest::newRow("climbs too far")
        << QByteArray("a/b/link") << QByteArray("../../../x") << outside;
    QTest::newRow("dot-dot after a name")
        << QByteArray("d/y") << QByteArray("x/../..") << QStringLiteral("only leading '..'");
    QTest::newRow("empty target") << QByteArray("link") << QByteArray("")
                                  << QStringLiteral("empty target");
}

void TestArchiveExtractor::refusesSymlinksOutside()
{
    QFETCH(QByteArray, link);
    QFETCH(QByteArray, target);
    QFETCH(QString, problem);
    const QString archive = path("out.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar)
                .file("a/b/keep.txt", "x")
                .symlink("d/x", "..") // fine on its own; the "x/../.." row builds on it
                .symlink(link, target)
                .close());
    const QString dest = path("dest");
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.startsWith(QStringLiteral("archive entry '%1' ").arg(QString::fromUtf8(link))),
             qPrintable(r.error));
    QVERIFY2(r.error.contains(problem), qPrintable(r.error));
    QVERIFY(emptyOrAbsent(dest));
}

void TestArchiveExtractor::refusesWritingThroughSymlinks_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("through");
    QTest::addColumn<QString>("expected");
    const QString passes =
        QStringLiteral("archive entry '%1' passes through the symbolic link 'link', which "
                       "extraction never follows");
    QTest::newRow("link to an inside directory")
        << QByteArray("sub") << QByteArray("link/passwd") << passes.arg("link/passwd");
    QTest::newRow("link to the root")
        << QByteArray(".") << QByteArray("link/link/x") << passes.arg("link/link/x");
    QTest::newRow("link to /etc, refused at the link")
        << QByteArray("/etc") << QByteArray("link/passwd")
        << QStringLiteral("archive entry 'link' is a symbolic link to '/etc', which points "
                          "outside the archive's root");
}

void TestArchiveExtractor::refusesWritingThroughSymlinks()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, through);
    QFETCH(QString, expected);
    const QString archive = path("through.tar.gz");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::TarGz)
                .dir("sub/")
                .symlink("link", target)
                .file(through, "owned")
                .close());
    const QString dest = path("dest");
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QCOMPARE(r.error, expected);
    QVERIFY(emptyOrAbsent(dest));
}

void TestArchiveExtractor::copiesHardLinks()
{
    const QString archive = path("hard.tar.gz");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::TarGz)
                .file("orig/a.bin", "payload", 0755)
                .hardlink("copy/b.bin", "orig/a.bin")
                .hardlink("./c.bin", "./orig/a.bin")
                .symlink("orig/link", "a.bin")
                .hardlink("copy/link", "orig/link") // a hard-linked symlink: re-checked
                .close());
    const QString dest = path("hard");
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.files, 3);
    QCOMPARE(r.bytes, 3 * 7);
    QCOMPARE(readAll(dest + "/copy/b.bin"), "payload");
    QCOMPARE(readAll(dest + "/c.bin"), "payload");
    QCOMPARE(permissions(dest + "/copy/b.bin"), 0755);
    struct stat a = {}, b = {};
    QCOMPARE(::stat(QFile::encodeName(dest + "/orig/a.bin").constData(), &a), 0);
    QCOMPARE(::stat(QFile::encodeName(dest + "/copy/b.bin").constData(), &b), 0);
    QVERIFY(a.st_ino != b.st_ino); // a copy, not a link
    QCOMPARE(a.st_nlink, nlink_t(1));
    QVERIFY(QFileInfo(dest + "/copy/link").isSymLink());
    QCOMPARE(QFile::symLinkTarget(dest + "/copy/link"), dest + "/copy/a.bin");
}

void TestArchiveExtractor::refusesBadHardLinks_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("expected");
    QTest::newRow("outside") << QByteArray("../../etc/passwd")
                             << QStringLiteral(
                                    "archive entry 'b' is a hard link to "
                                    "'../../etc/passwd', which escapes the archive's root");
    QTest::newRow("absolute") << QByteArray("/etc/passwd")
                              << QStringLiteral(
                                     "archive entry 'b' is a hard link to '/etc/passwd', "
                                     "which escapes the archive's root");
    QTest::newRow("missing") << QByteArray("nope")
                             << QStringLiteral("archive entry 'b' is a hard link to 'nope', which "
                                               "no earlier entry extracted as a file");
    QTest::newRow("directory") << QByteArray("dir")
                               << QStringLiteral("archive entry 'b' is a hard link to 'dir', which "
                                                 "no earlier entry extracted as a file");
    QTest::newRow("through a symlink")
        << QByteArray("link/a.txt")
        << QStringLiteral("archive entry 'b' passes through the symbolic link 'link', which "
                          "extraction never follows");
}

void TestArchiveExtractor::refusesBadHardLinks()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, expected);
    const QString archive = path("badhard.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar)
                .file("dir/a.txt", "a")
                .symlink("link", "dir")
                .hardlink("b", target)
                .close());
    const ExtractResult r = ArchiveExtractor::extract(archive, path("dest"));
    QCOMPARE(r.error, expected);
    QVERIFY(emptyOrAbsent(path("dest")));
}

void TestArchiveExtractor::skipsFifoWithWarning()
{
    const QString archive = path("fifo.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar)
                .fifo("pipe")
                .file("after.txt", "after")
                .close());
    const QString dest = path("fifo");
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.warnings,
             QStringList{QStringLiteral("skipped archive entry 'pipe': it is a FIFO, not a "
                                        "regular file")});
    QVERIFY(!QFileInfo::exists(dest + "/pipe"));
    QCOMPARE(readAll(dest + "/after.txt"), "after");
}

void TestArchiveExtractor::laterDuplicateWins()
{
    const QString archive = path("dup.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar)
                .file("a.txt", "first")
                .file("a.txt", "second")
                .close());
    const ExtractResult r = ArchiveExtractor::extract(archive, path("dup"));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(readAll(path("dup/a.txt")), "second");
    QCOMPARE(r.warnings.size(), 1);
    QVERIFY(r.warnings.first().contains(u"'a.txt' appears more than once"));

    // A directory is never replaced by a later non-directory.
    const QString clash = path("clash.tar");
    QVERIFY(ArchiveBuilder(clash, ArchiveBuilder::Kind::Tar)
                .file("d/x.txt", "x")
                .file("d", "file now")
                .close());
    const ExtractResult c = ArchiveExtractor::extract(clash, path("clash"));
    QCOMPARE(c.error, QStringLiteral(
                          "archive entry 'd' would replace a directory an earlier entry created"));
    QVERIFY(emptyOrAbsent(path("clash")));
}

void TestArchiveExtractor::refusesBombQuickly_data()
{
    QTest::addColumn<qint64>("maxTotalBytes");
    QTest::addColumn<qint64>("maxEntryBytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("total") << 50 * kMiB << ExtractLimits().maxEntryBytes
                           << QStringLiteral("archive expands past the limit of 52428800 bytes "
                                             "at entry 'zeros.bin'");
    QTest::newRow("per entry") << ExtractLimits().maxTotalBytes << 50 * kMiB
                               << QStringLiteral("archive entry 'zeros.bin' expands past the "
                                                 "per-entry limit of 52428800 bytes");
}

void TestArchiveExtractor::refusesBombQuickly()
{
    QFETCH(qint64, maxTotalBytes);
    QFETCH(qint64, maxEntryBytes);
    QFETCH(QString, expected);
    // Built once for both rows; gzip level 1 keeps building 200 MiB fast and still shrinks
    // it to under 1 MiB.
    const QString archive = m_shared.filePath(QStringLiteral("bomb.tar.gz"));
    if (!QFileInfo::exists(archive)) {
        QVERIFY(m_shared.isValid());
        QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::TarGz, 1)
                    .file("small.txt", "small")
                    .zeros("zeros.bin", 200 * kMiB)
                    .close());
    }
    QVERIFY(QFileInfo(archive).size() < kMiB);
    ExtractLimits limits;
    limits.maxTotalBytes = maxTotalBytes;
    limits.maxEntryBytes = maxEntryBytes;
    QElapsedTimer timer;
    timer.start();
    const ExtractResult r = ArchiveExtractor::extract(archive, path("bomb"), limits);
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(r.error, expected);
    QVERIFY(emptyOrAbsent(path("bomb")));
}

void TestArchiveExtractor::refusesHighCompressionRatio_data()
{
    QTest::addColumn<ArchiveBuilder::Kind>("kind");
    QTest::addColumn<int>("hardLinks");
    // bzip2 squeezes zeros far past 1000:1 (gzip tops out near 1030:1).
    QTest::newRow("bzip2 zeros") << ArchiveBuilder::Kind::TarBz2 << 0;
    // Hard-link copies expand an ordinary gzip archive without limit.
    QTest::newRow("gzip hard-link farm") << ArchiveBuilder::Kind::TarGz << 40;
}

void TestArchiveExtractor::refusesHighCompressionRatio()
{
    QFETCH(ArchiveBuilder::Kind, kind);
    QFETCH(int, hardLinks);
    const QString archive = path("ratio.archive");
    {
        ArchiveBuilder builder(archive, kind);
        builder.zeros("zeros.bin", hardLinks ? kMiB : 16 * kMiB);
        for (int i = 0; i < hardLinks; ++i)
            builder.hardlink("copy" + QByteArray::number(i), "zeros.bin");
        QVERIFY(builder.close());
    }
    const ExtractResult r = ArchiveExtractor::extract(archive, path("ratio")); // default limits
    QVERIFY2(r.error.startsWith(u"archive expands with a compression ratio above 1000 at entry '"),
             qPrintable(r.error));
    QVERIFY(r.error.endsWith(u"', refusing a possible zip bomb"));
    QVERIFY(emptyOrAbsent(path("ratio")));
}

void TestArchiveExtractor::acceptsSmallCompressibleArchive()
{
    // Far above 1000:1, but under the 1 MiB the ratio rule ignores.
    const QString archive = path("small.tar.bz2");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::TarBz2).zeros("z", 900 * 1024).close());
    QVERIFY(900 * 1024 / QFileInfo(archive).size() > 1000);
    const ExtractResult r = ArchiveExtractor::extract(archive, path("small"));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(QFileInfo(path("small/z")).size(), 900 * 1024);
}

void TestArchiveExtractor::hardLinkCopiesCountAgainstLimit()
{
    const QString archive = path("farm.tar");
    QVERIFY(ArchiveBuilder(archive, ArchiveBuilder::Kind::Tar)
                .file("a.bin", randomBytes(2 * kMiB))
                .hardlink("b.bin", "a.bin")
                .close());
    ExtractLimits limits;
    limits.maxTotalBytes = 3 * kMiB; // each entry's declared size fits; the copy does not
    const ExtractResult r = ArchiveExtractor::extract(archive, path("farm"), limits);
    QCOMPARE(r.error, QStringLiteral("archive expands past the limit of 3145728 bytes at entry "
                                     "'b.bin'"));
    QVERIFY(emptyOrAbsent(path("farm")));
}

void TestArchiveExtractor::limitsEntryCount()
{
    const QString archive = path("many.tar");
    {
        ArchiveBuilder builder(archive, ArchiveBuilder::Kind::Tar);
        for (int i = 0; i < 10; ++i)
            builder.file("f" + QByteArray::number(i), "x");
        QVERIFY(builder.close());
    }
    ExtractLimits limits;
    limits.maxEntries = 10;
    const ExtractResult fits = ArchiveExtractor::extract(archive, path("ten"), limits);
    QVERIFY2(fits.error.isEmpty(), qPrintable(fits.error));
    QCOMPARE(fits.files, 10);

    limits.maxEntries = 9;
    const ExtractResult r = ArchiveExtractor::extract(archive, path("nine"), limits);
    QCOMPARE(r.error, QStringLiteral("archive has more than 9 entries; stopped at entry 'f9'"));
    QVERIFY(emptyOrAbsent(path("nine")));
}

void TestArchiveExtractor::refusesCorruptInput_data()
{
    QTest::addColumn<ArchiveBuilder::Kind>("kind");
    QTest::addColumn<qint64>("keepBytes"); // -1: not an archive at all
    QTest::newRow("truncated tar.gz") << ArchiveBuilder::Kind::TarGz << qint64(150'000);
    QTest::newRow("truncated tar") << ArchiveBuilder::Kind::Tar << qint64(150'000);
    QTest::newRow("truncated zip") << ArchiveBuilder::Kind::Zip << qint64(150'000);
    QTest::newRow("not an archive") << ArchiveBuilder::Kind::Tar << qint64(-1);
}

void TestArchiveExtractor::refusesCorruptInput()
{
    QFETCH(ArchiveBuilder::Kind, kind);
    QFETCH(qint64, keepBytes);
    const QString archive = path("broken.archive");
    if (keepBytes < 0) {
        QFile text(archive);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("just some text, not an archive\n");
    } else {
        QVERIFY(ArchiveBuilder(archive, kind)
                    .file("first.txt", "complete")
                    .file("random.bin", randomBytes(300'000))
                    .close());
        QVERIFY(QFile::resize(archive, keepBytes));
    }
    const QString dest = path("broken");
    const ExtractResult r = ArchiveExtractor::extract(archive, dest);
    QVERIFY2(r.error.startsWith(u"cannot read archive"), qPrintable(r.error));
    QVERIFY2(r.error.contains(QRegularExpression(QStringLiteral(": \\S.*$"))),
             qPrintable(r.error)); // libarchive's reason follows
    if (keepBytes < 0)
        QVERIFY2(r.error.contains(u"Unrecognized archive format"), qPrintable(r.error));
    QVERIFY(emptyOrAbsent(dest));
    QVERIFY(!QFileInfo::exists(dest));
}

QTEST_APPLESS_MAIN(TestArchiveExtractor)
#include "test_archiveextractor.moc"
