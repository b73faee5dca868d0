// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/hashcache.h"
#include "core/datastore/treescanner.h"
#include "core/unixsocket.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

using og::HashCache;
using og::Manifest;
using og::ManifestEntry;
using og::TreeScanner;

namespace {

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    qsizetype i = 0;
    for (; i + 4 <= size; i += 4) {
        const quint32 word = generator.generate();
        std::memcpy(data.data() + i, &word, 4);
    }
    for (; i < size; ++i)
        data[i] = char(generator.generate());
    return data;
}

bool writeFile(const QString &path, const QByteArray &content, int mode = 0644)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(content) != content.size())
        return false;
    file.close();
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

bool makeDir(const QString &path, int mode = 0755)
{
    return QDir().mkpath(path) && ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

bool makeLink(const QString &target, const QString &linkPath)
{
    return ::symlink(QFile::encodeName(target).constData(),
                     QFile::encodeName(linkPath).constData()) == 0;
}

ManifestEntry fileEntry(const QString &path, const QByteArray &content, int mode = 0644)
{
    return {path, ManifestEntry::Type::File, mode, content.size(), sha256Hex(content), {}};
}

ManifestEntry dirEntry(const QString &path, int mode = 0755)
{
    return {path, ManifestEntry::Type::Directory, mode, 0, {}, {}};
}

ManifestEntry linkEntry(const QString &path, const QString &target)
{
    return {path, ManifestEntry::Type::Symlink, 0777, 0, {}, target};
}

// The cache only trusts entries whose timestamps are older than the racy window at the time
// they are hashed, and ctime cannot be set back: wait the window out.
void waitOutRacyWindow()
{
    QThread::msleep(HashCache::kRacyWindowNs / 1'000'000 + 100);
}

bool readable(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

// Root reads anything through CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH. Capabilities belong to
// a thread (the raw syscall touches only the caller) and threads it starts inherit them, so
// dropping them in a thread of our own and scanning from there makes permission bits count,
// including in the scanner's hashing threads, without touching the rest of the test.
bool dropDacCapabilitiesOfThisThread()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0)
        return false;
    for (const int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH})
        data[cap / 32].effective &= ~(1U << (cap % 32));
    return syscall(SYS_capset, &header, data) == 0;
}

// Scans `source` as an unprivileged reader would; nothing when `probe` stays readable anyway.
std::optional<TreeScanner::ScanResult> scanWithoutPrivileges(const QString &source,
                                                             const QString &probe)
{
    if (!readable(probe))
        return TreeScanner::scan(source, nullptr);
    std::optional<TreeScanner::ScanResult> result;
    std::thread thread([&] {
        if (dropDacCapabilitiesOfThisThread() && !readable(probe))
            result = TreeScanner::scan(source, nullptr);
    });
    thread.join();
    return result;
}

} // namespace

class TestTreeScanner final : public QObject
{
    Q_OBJECT

private slots:
    void nestedTreeGivesExactManifest();
    void trailingSlashMakesNoDifference();
    void hashesMatchAtEveryBoundary();
    void emptyDirectoriesAreKept();
    void emptySourceGivesEmptyManifest();
    void symlinksInsideAreKept();
    void symlinksOutsideAreRefused_data();
    void symlinksOutsideAreRefused();
    void specialFilesAreSkipped();
    void unreadableFileIsFatal();
    void unreadableDirectoryIsFatal();
    void nonUtf8NameIsFatal();
    void singleFileSource();
    void missingSource();
    void fifoSourceIsRefused();
    void progressIsReportedOnCallingThread();
    void cacheSkipsUnchangedFiles();
    void racyEntryIsRehashed();
    void corruptCacheIsIgnored();
    void remoteHasherHashesWhatItVouchesFor();
    void benchmark();
};

namespace {
// A RemoteHasher that reads the descriptors itself (as gridd's local intake does) and says
// every other object was new; with `failFirst` its first call fails.
class FakeRemoteHasher final : public TreeScanner::RemoteHasher
{
public:
    bool failFirst = false;
    std::atomic<int> calls{0};
    std::atomic<int> filesSeen{0};
    int slotCount() const override { return 3; }
    bool hash(int slot, const std::vector<int> &fds, const std::vector<qint64> &sizes, QStringList *hashes,
              QList<bool> *added) override
    {
        Q_UNUSED(slot);
        if (calls++ == 0 && failFirst)
            return false;
        hashes->clear();
        added->clear();
        for (size_t i = 0; i < fds.size(); ++i) {
            QByteArray bytes(sizes[i], Qt::Uninitialized);
            if (::pread(fds[i], bytes.data(), size_t(bytes.size()), 0) != bytes.size())
                return false;
            hashes->append(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
            added->append(filesSeen++ % 2 == 0);
        }
        return true;
    }
};
} // namespace

void TestTreeScanner::remoteHasherHashesWhatItVouchesFor()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString src = tmp.filePath(QStringLiteral("data"));
    for (int i = 0; i < 700; ++i)
        QVERIFY(writeFile(src + QStringLiteral("/small/%1").arg(i), randomBytes(100 + i, quint32(40 + i))));
    for (int i = 0; i < 5; ++i)
        QVERIFY(writeFile(src + QStringLiteral("/large%1").arg(i), randomBytes(3 * 1024 * 1024 + i, quint32(900 + i))));
    const TreeScanner::ScanResult local = TreeScanner::scan(src, nullptr);
    QCOMPARE(local.error, QString());
    QVERIFY(local.remotelyStored.isEmpty());

    for (const bool failFirst : {false, true}) {
        qint64 askedFor = -1;
        const TreeScanner::ScanResult remote = TreeScanner::scan(src, nullptr, {}, {}, [&](qint64 bytesToHash) {
            askedFor = bytesToHash;
            auto hasher = std::make_unique<FakeRemoteHasher>();
            hasher->failFirst = failFirst;
            return std::unique_ptr<TreeScanner::RemoteHasher>(std::move(hasher));
        });
        QCOMPARE(remote.error, QString());
        QCOMPARE(askedFor, local.hashedBytes);
        // The same manifest, whoever hashed.
        QCOMPARE(remote.manifest.toCanonicalBytes(), local.manifest.toCanonicalBytes());
        QCOMPARE(remote.hashedFiles, 705);
        if (!failFirst) {
            QCOMPARE(remote.remotelyStored.size(), 705);
            QCOMPARE(remote.remotelyAddedObjects, 353);
        } else {
            // The thread whose call failed hashed those files here, then carried on without
            // its slot; the other threads kept theirs.
            QVERIFY(remote.remotelyStored.size() < 705);
            QVERIFY(!remote.remotelyStored.isEmpty());
        }
    }

    // With a cache that vouches for everything, the factory is not even asked.
    HashCache cache(tmp.filePath(QStringLiteral("cache.bin")));
    waitOutRacyWindow();
    QCOMPARE(TreeScanner::scan(src, &cache).error, QString());
    bool asked = false;
    const TreeScanner::ScanResult cached = TreeScanner::scan(src, &cache, {}, {}, [&](qint64) {
        asked = true;
        return std::unique_ptr<TreeScanner::RemoteHasher>();
    });
    QCOMPARE(cached.cachedFiles, 705);
    QVERIFY(!asked);
}

void TestTreeScanner::nestedTreeGivesExactManifest()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString src = tmp.filePath(QStringLiteral("cifar5"));
    const QByteArray readme = "hello\n";
    const QByteArray image = randomBytes(3 * 1024 * 1024 + 17, 1);
    const QByteArray script = "#!/bin/sh\necho hi\n";
    QVERIFY(writeFile(src + QStringLiteral("/README"), readme));
    QVERIFY(writeFile(src + QStringLiteral("/train/cat/0001.png"), image, 0600));
    QVERIFY(writeFile(src + QStringLiteral("/train/cat/empty"), {}));
    QVERIFY(writeFile(src + QStringLiteral("/run.sh"), script, 0755));
    QVERIFY(writeFile(src + QStringLiteral("/ünïcødé name.txt"), readme));
    QVERIFY(makeDir(src + QStringLiteral("/train"), 0750));
    QVERIFY(makeDir(src + QStringLiteral("/train/cat")));
    QVERIFY(makeDir(src + QStringLiteral("/test"), 0700));

    const TreeScanner::ScanResult result = TreeScanner::scan(src, nullptr);
    QCOMPARE(result.error, QString());
    QCOMPARE(result.warnings, QStringList());
    const Manifest expected({fileEntry(QStringLiteral("README"), readme),
                             fileEntry(QStringLiteral("run.sh"), script, 0755),
                             dirEntry(QStringLiteral("test"), 0700),
                             dirEntry(QStringLiteral("train"), 0750),
                             dirEntry(QStringLiteral("train/cat")),
                             fileEntry(QStringLiteral("train/cat/0001.png"), image, 0600),
                             fileEntry(QStringLiteral("train/cat/empty"), {}),
                             fileEntry(QStringLiteral("ünïcødé name.txt"), readme)});
    QCOMPARE(result.manifest.toCanonicalBytes(), expected.toCanonicalBytes());
    QCOMPARE(result.hashedFiles, 5);
    QCOMPARE(result.cachedFiles, 0);
    QCOMPARE(result.hashedBytes, 2 * readme.size() + image.size() + script.size());
    QCOMPARE(result.sourceFiles.size(), 5);
    QCOMPARE(result.sourceFiles.value(QStringLiteral("train/cat/0001.png")),
             QDir(src).absoluteFilePath(QStringLiteral("train/cat/0001.png")));
    // What the server will accept.
    QString error;
    QVERIFY2(Manifest::parse(result.manifest.toCanonicalBytes(), &error), qPrintable(error));
}

void TestTreeScanner::trailingSlashMakesNoDifference()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("src/a/b")), "b"));
    const auto plain = TreeScanner::scan(tmp.filePath(QStringLiteral("src")), nullptr);
    const auto slashed = TreeScanner::scan(tmp.filePath(QStringLiteral("src/")), nullptr);
    QCOMPARE(plain.error, QString());
    QCOMPARE(slashed.manifest.toCanonicalBytes(), plain.manifest.toCanonicalBytes());
    QCOMPARE(slashed.sourceFiles, plain.sourceFiles);
}

void TestTreeScanner::hashesMatchAtEveryBoundary()
{
    // SHA-256 padding boundaries (55/56/64 bytes, 119/120/128) and the 1 MiB read buffer.
    const QList<qsizetype> sizes{0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129,
                                 1000, 4096, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (1 << 20) + 55,
                                 5 * (1 << 20) + 63};
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QList<ManifestEntry> expected;
    quint32 seed = 10;
    for (qsizetype size : sizes) {
        const QByteArray content = randomBytes(size, ++seed);
        const QString name = QStringLiteral("f%1").arg(size);
        QVERIFY(writeFile(tmp.filePath(name), content));
        expected.append(fileEntry(name, content));
    }
    const auto result = TreeScanner::scan(tmp.path(), nullptr);
    QCOMPARE(result.error, QString());
    QCOMPARE(result.manifest.toCanonicalBytes(), Manifest(expected).toCanonicalBytes());
}

void TestTreeScanner::emptyDirectoriesAreKept()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(makeDir(tmp.filePath(QStringLiteral("a/b/c"))));
    QVERIFY(makeDir(tmp.filePath(QStringLiteral("d"))));
    const auto result = TreeScanner::scan(tmp.path(), nullptr);
    QCOMPARE(result.error, QString());
    const Manifest expected({dirEntry(QStringLiteral("a")), dirEntry(QStringLiteral("a/b")),
                             dirEntry(QStringLiteral("a/b/c")), dirEntry(QStringLiteral("d"))});
    QCOMPARE(result.manifest.toCanonicalBytes(), expected.toCanonicalBytes());
    QCOMPARE(result.sourceFiles.size(), 0);
}

void TestTreeScanner::emptySourceGivesEmptyManifest()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    int calls = 0;
    const auto result = TreeScanner::scan(tmp.path(), nullptr,
                                          [&](qint64, qint64, int, int) { ++calls; });
    QCOMPARE(result.error, QString());
    QCOMPARE(result.manifest.entries().size(), 0);
    QVERIFY(calls >= 1);
}

void TestTreeScanner::symlinksInsideAreKept()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString src = tmp.filePath(QStringLiteral("src"));
    QVERIFY(writeFile(src + QStringLiteral("/data/a.txt"), "a"));
    QVERIFY(makeDir(src + QStringLiteral("/other")));
    QVERIFY(makeLink(QStringLiteral("data/a.txt"), src + QStringLiteral("/latest")));
    QVERIFY(makeLink(QStringLiteral("../data/./a.txt"), src + QStringLiteral("/other/up")));
    QVERIFY(makeLink(QStringLiteral("../other"), src + QStringLiteral("/data/dirlink")));
    QVERIFY(makeLink(QStringLiteral("missing/file"), src + QStringLiteral("/dangling")));
    QVERIFY(makeLink(QStringLiteral(".."), src + QStringLiteral("/other/root"))); // the root itself
    QVERIFY(makeLink(QStringLiteral("other/root/data"),
                     src + QStringLiteral("/via"))); // through a link

    const auto result = TreeScanner::scan(src, nullptr);
    QCOMPARE(result.error, QString());
    const Manifest expected(
        {dirEntry(QStringLiteral("data")), fileEntry(QStringLiteral("data/a.txt"), "a"),
         linkEntry(QStringLiteral("data/dirlink"), QStringLiteral("../other")),
         linkEntry(QStringLiteral("dangling"), QStringLiteral("missing/file")),
         linkEntry(QStringLiteral("latest"), QStringLiteral("data/a.txt")),
         dirEntry(QStringLiteral("other")),
         linkEntry(QStringLiteral("other/root"), QStringLiteral("..")),
         linkEntry(QStringLiteral("other/up"), QStringLiteral("../data/./a.txt")),
         linkEntry(QStringLiteral("via"), QStringLiteral("other/root/data"))});
    QCOMPARE(result.manifest.toCanonicalBytes(), expected.toCanonicalBytes());
    QCOMPARE(result.sourceFiles.size(), 1); // links are not uploaded as content
    QString error;
    QVERIFY2(Manifest::parse(result.manifest.toCanonicalBytes(), &error), qPrintable(error));
}

void TestTreeScanner::symlinksOutsideAreRefused_data()
{
    QTest::addColumn<QString>("linkPath");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("helperLink"); // "path=target" created first, may be empty
    QTest::addColumn<bool>("outside");       // else: refused for a '..' after a name
    QTest::newRow("absolute") << QStringLiteral("a/b") << QStringLiteral("/etc/passwd") << QString()
                              << true;
    QTest::newRow("climbs out") << QStringLiteral("a/b") << QStringLiteral("../../etc/passwd")
                                << QString() << true;
    QTest::newRow("parent of root") << QStringLiteral("top") << QStringLiteral("..") << QString()
                                    << true;
    QTest::newRow("down then out") << QStringLiteral("a/b") << QStringLiteral("x/../../../y")
                                   << QString() << true;
    // Lexically inside, but the kernel follows a/up first and lands in the root's parent.
    QTest::newRow("through another link") << QStringLiteral("escape") << QStringLiteral("a/up/..")
                                          << QStringLiteral("a/up=..") << false;
    // Harmless here, but refused like the server refuses it: the rule must not depend on
    // what the names are.
    QTest::newRow("dot-dot after a name")
        << QStringLiteral("a/b") << QStringLiteral("../a/../a/file") << QString() << false;
}

void TestTreeScanner::symlinksOutsideAreRefused()
{
    QFETCH(QString, linkPath);
    QFETCH(QString, target);
    QFETCH(QString, helperLink);
    QFETCH(bool, outside);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString src = tmp.filePath(QStringLiteral("src"));
    QVERIFY(writeFile(src + QStringLiteral("/a/file"), "f"));
    if (!helperLink.isEmpty()) {
        const QStringList parts = helperLink.split(u'=');
        QVERIFY(makeLink(parts[1], src + u'/' + parts[0]));
    }
    QVERIFY(makeLink(target, src + u'/' + linkPath));
    const auto result = TreeScanner::scan(src, nullptr);
    if (outside)
        QCOMPARE(result.error,
                 QStringLiteral("symbolic link '%1' points outside the source ('%2'); replace it "
                                "with the file or remove it")
                     .arg(linkPath, target));
    else
        QCOMPARE(result.error,
                 QStringLiteral("symbolic link '%1' has '..' after a name in its target ('%2'), "
                                "which datastores do not allow; point it at the same place "
                                "without that '..', or replace it with the file")
                     .arg(linkPath, target));
    QCOMPARE(result.manifest.entries().size(), 0);
    QCOMPARE(result.sourceFiles.size(), 0);

    // The server's parser agrees with the scanner.
    const auto manifestWithLink = [&linkPath](const QString &linkTarget) {
        QByteArray bytes;
        if (linkPath.contains(u'/'))
            bytes += "{\"mode\":493,\"path\":\"a\",\"type\":\"dir\"}\n";
        bytes += "{\"mode\":511,\"path\":\"" + linkPath.toUtf8() + "\",\"target\":\""
                 + linkTarget.toUtf8() + "\",\"type\":\"symlink\"}\n";
        return bytes;
    };
    QString error;
    QVERIFY2(Manifest::parse(manifestWithLink(QStringLiteral("somewhere")), &error),
             qPrintable(error));
    QVERIFY(!Manifest::parse(manifestWithLink(target), &error));
    QVERIFY2(error.contains(QStringLiteral("symbolic link")), qPrintable(error));
}

void TestTreeScanner::specialFilesAreSkipped()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("sub/keep")), "k"));
    QCOMPARE(::mkfifo(QFile::encodeName(tmp.filePath(QStringLiteral("pipe"))).constData(), 0600),
             0);

    const int sock = og::bindUnixSocket(QFile::encodeName(tmp.filePath(QStringLiteral("sub/sock"))).constData(), SOCK_STREAM);
    QVERIFY(sock >= 0);
    const auto closeSocket = qScopeGuard([sock] { ::close(sock); });

    QStringList expectedWarnings{QStringLiteral("skipping 'pipe': a FIFO"),
                                 QStringLiteral("skipping 'sub/sock': a socket")};
    // Device nodes need CAP_MKNOD, which containers often withhold.
    if (::mknod(QFile::encodeName(tmp.filePath(QStringLiteral("null"))).constData(), S_IFCHR | 0600,
                makedev(1, 3))
        == 0)
        expectedWarnings.prepend(QStringLiteral("skipping 'null': a character device"));
    else
        qInfo("cannot create a device node here (%s); checking FIFOs and sockets only",
              strerror(errno));

    const auto result = TreeScanner::scan(tmp.path(), nullptr);
    QCOMPARE(result.error, QString());
    QCOMPARE(result.warnings, expectedWarnings);
    const Manifest expected(
        {dirEntry(QStringLiteral("sub")), fileEntry(QStringLiteral("sub/keep"), "k")});
    QCOMPARE(result.manifest.toCanonicalBytes(), expected.toCanonicalBytes());
}

void TestTreeScanner::unreadableFileIsFatal()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("ok")), "fine"));
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("sub/secret")), "hidden", 0000));
    const auto result =
        scanWithoutPrivileges(tmp.path(), tmp.filePath(QStringLiteral("sub/secret")));
    if (!result)
        QSKIP("running with privileges that read a mode-000 file and cannot be dropped");
    QCOMPARE(result->error, QStringLiteral("cannot read 'sub/secret': Permission denied"));
    QCOMPARE(result->manifest.entries().size(), 0);
    QCOMPARE(result->sourceFiles.size(), 0);
}

void TestTreeScanner::unreadableDirectoryIsFatal()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("locked/inside")), "x"));
    QVERIFY(makeDir(tmp.filePath(QStringLiteral("locked")), 0000));
    const auto restore = qScopeGuard([&] { makeDir(tmp.filePath(QStringLiteral("locked"))); });
    const auto result = scanWithoutPrivileges(tmp.path(), tmp.filePath(QStringLiteral("locked")));
    if (!result)
        QSKIP("running with privileges that read a mode-000 directory and cannot be dropped");
    QCOMPARE(result->error, QStringLiteral("cannot read 'locked': Permission denied"));
    QCOMPARE(result->manifest.entries().size(), 0);
}

void TestTreeScanner::nonUtf8NameIsFatal()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QByteArray name = QFile::encodeName(tmp.path()) + "/caf\xe9.txt"; // Latin-1 é
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    QVERIFY(fd >= 0);
    ::close(fd);
    // QTemporaryDir cannot remove a name Qt cannot decode.
    const auto cleanup = qScopeGuard([&name] { ::unlink(name.constData()); });
    const auto result = TreeScanner::scan(tmp.path(), nullptr);
    QVERIFY2(result.error.startsWith(QStringLiteral("cannot upload 'caf"))
                 && result.error.endsWith(QStringLiteral("its name is not valid UTF-8; rename it")),
             qPrintable(result.error));
}

void TestTreeScanner::singleFileSource()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QByteArray content = randomBytes(70000, 3);
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("dir/data.csv")), content, 0640));
    const auto result = TreeScanner::scan(tmp.filePath(QStringLiteral("dir/data.csv")), nullptr);
    QCOMPARE(result.error, QString());
    const Manifest expected({fileEntry(QStringLiteral("data.csv"), content, 0640)});
    QCOMPARE(result.manifest.toCanonicalBytes(), expected.toCanonicalBytes());
    QCOMPARE(result.sourceFiles,
             (QHash<QString, QString>{
                 {QStringLiteral("data.csv"), tmp.filePath(QStringLiteral("dir/data.csv"))}}));
    QCOMPARE(result.hashedFiles, 1);
    QCOMPARE(result.hashedBytes, content.size());
}

void TestTreeScanner::missingSource()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString missing = tmp.filePath(QStringLiteral("nope"));
    const auto result = TreeScanner::scan(missing, nullptr);
    QCOMPARE(result.error, QStringLiteral("source '%1' does not exist").arg(missing));
    QCOMPARE(result.manifest.entries().size(), 0);

    QVERIFY(makeLink(QStringLiteral("nowhere"), tmp.filePath(QStringLiteral("dangling"))));
    QCOMPARE(
        TreeScanner::scan(tmp.filePath(QStringLiteral("dangling")), nullptr).error,
        QStringLiteral("source '%1' does not exist").arg(tmp.filePath(QStringLiteral("dangling"))));
}

void TestTreeScanner::fifoSourceIsRefused()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString fifo = tmp.filePath(QStringLiteral("fifo"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QCOMPARE(TreeScanner::scan(fifo, nullptr).error,
             QStringLiteral("source '%1' is a FIFO, not a directory or a regular file").arg(fifo));
}

void TestTreeScanner::progressIsReportedOnCallingThread()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    qint64 total = 0;
    for (int i = 0; i < 40; ++i) {
        const QByteArray content = randomBytes(512 * 1024 + i, quint32(100 + i));
        total += content.size();
        QVERIFY(writeFile(tmp.filePath(QStringLiteral("f%1").arg(i)), content));
    }
    struct Call
    {
        qint64 bytesDone, bytesTotal;
        int filesDone, filesTotal;
    };
    QList<Call> calls;
    bool otherThread = false;
    const auto caller = std::this_thread::get_id();
    const auto result =
        TreeScanner::scan(tmp.path(), nullptr, [&](qint64 b, qint64 bt, int f, int ft) {
            otherThread |= std::this_thread::get_id() != caller;
            calls.append({b, bt, f, ft});
        });
    QCOMPARE(result.error, QString());
    QVERIFY(!otherThread);
    QVERIFY(calls.size() >= 2);
    QCOMPARE(calls.first().bytesDone, 0);
    QCOMPARE(calls.last().bytesDone, total);
    QCOMPARE(calls.last().filesDone, 40);
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QCOMPARE(calls[i].bytesTotal, total);
        QCOMPARE(calls[i].filesTotal, 40);
        if (i > 0) {
            QVERIFY(calls[i].bytesDone >= calls[i - 1].bytesDone);
            QVERIFY(calls[i].filesDone >= calls[i - 1].filesDone);
        }
    }
}

void TestTreeScanner::cacheSkipsUnchangedFiles()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString src = tmp.filePath(QStringLiteral("src"));
    const QString cacheFile = tmp.filePath(QStringLiteral("cache/hashes.bin"));
    constexpr int kFiles = 20;
    for (int i = 0; i < kFiles; ++i)
        QVERIFY(writeFile(src + QStringLiteral("/d%1/f%2").arg(i % 3).arg(i),
                          randomBytes(1000 + i, quint32(i))));
    waitOutRacyWindow();

    TreeScanner::ScanResult first;
    {
        HashCache cache(cacheFile);
        QString error;
        QVERIFY(cache.load(&error));
        first = TreeScanner::scan(src, &cache);
        QCOMPARE(first.error, QString());
        QCOMPARE(first.hashedFiles, kFiles);
        QCOMPARE(first.cachedFiles, 0);
        QCOMPARE(cache.size(), kFiles);
        QCOMPARE(cache.save(), QString());
    }

    // A later run (another process): nothing is read again.
    HashCache cache(cacheFile);
    QString error;
    QVERIFY(cache.load(&error));
    const auto second = TreeScanner::scan(src, &cache);
    QCOMPARE(second.error, QString());
    QCOMPARE(second.cachedFiles, kFiles);
    QCOMPARE(second.hashedFiles, 0);
    QCOMPARE(second.hashedBytes, 0);
    QCOMPARE(second.manifest.rootHash(), first.manifest.rootHash());
    QCOMPARE(second.sourceFiles, first.sourceFiles);

    // New content of the same size: mtime and ctime move, so the file is read again.
    const QString changed = src + QStringLiteral("/d1/f7");
    const QByteArray newContent = randomBytes(1007, 999);
    QVERIFY(writeFile(changed, newContent));
    const struct timespec times[2] = {{0, UTIME_OMIT}, {1'600'000'000, 0}};
    QCOMPARE(::utimensat(AT_FDCWD, QFile::encodeName(changed).constData(), times, 0), 0);
    const auto third = TreeScanner::scan(src, &cache);
    QCOMPARE(third.error, QString());
    QCOMPARE(third.hashedFiles, 1);
    QCOMPARE(third.cachedFiles, kFiles - 1);
    QCOMPARE(third.hashedBytes, newContent.size());
    QVERIFY(third.manifest.rootHash() != first.manifest.rootHash());
    bool found = false;
    for (const ManifestEntry &e : third.manifest.entries()) {
        if (e.path == u"d1/f7") {
            QCOMPARE(e.sha256, sha256Hex(newContent));
            found = true;
        }
    }
    QVERIFY(found);

    // Files deleted since: retainOnly keeps what the scan saw.
    QVERIFY(QFile::remove(src + QStringLiteral("/d0/f0")));
    const auto fourth = TreeScanner::scan(src, &cache);
    QCOMPARE(fourth.cachedFiles, kFiles - 2); // f0 gone, f7 still racy (just hashed)
    const auto paths = fourth.sourceFiles.values();
    cache.retainOnly(QSet<QString>(paths.cbegin(), paths.cend()));
    QCOMPARE(cache.size(), kFiles - 1);
}

void TestTreeScanner::racyEntryIsRehashed()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("fresh")), "written just now"));
    HashCache cache(tmp.filePath(QStringLiteral("hashes.bin")));
    // Written in the same second as it is hashed: another write in that second might not
    // change any timestamp, so the entry must not be trusted...
    const auto first = TreeScanner::scan(tmp.filePath(QStringLiteral("fresh")), &cache);
    QCOMPARE(first.hashedFiles, 1);
    QCOMPARE(cache.size(), 1);
    const auto second = TreeScanner::scan(tmp.filePath(QStringLiteral("fresh")), &cache);
    QCOMPARE(second.cachedFiles, 0);
    QCOMPARE(second.hashedFiles, 1);
    QCOMPARE(second.manifest.rootHash(), first.manifest.rootHash());
    // ... until it is recorded clearly after the file's last change.
    waitOutRacyWindow();
    const auto third = TreeScanner::scan(tmp.filePath(QStringLiteral("fresh")), &cache);
    QCOMPARE(third.hashedFiles, 1);
    const auto fourth = TreeScanner::scan(tmp.filePath(QStringLiteral("fresh")), &cache);
    QCOMPARE(fourth.cachedFiles, 1);
    QCOMPARE(fourth.hashedFiles, 0);
}

void TestTreeScanner::corruptCacheIsIgnored()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("src/a")), "a"));
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("hashes.bin")), QByteArray(300, 'z'), 0600));
    HashCache cache(tmp.filePath(QStringLiteral("hashes.bin")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("ignoring hash cache")));
    QString error;
    QVERIFY(cache.load(&error));
    const auto result = TreeScanner::scan(tmp.filePath(QStringLiteral("src")), &cache);
    QCOMPARE(result.error, QString());
    QCOMPARE(result.hashedFiles, 1);
    QCOMPARE(result.manifest.entries().first().sha256, sha256Hex("a"));
}

void TestTreeScanner::benchmark()
{
    // The full-size tree (10,000 × 4 KiB + 100 × 8 MiB = 840 MiB) with OPENGRID_SCAN_BENCH=full;
    // a tenth of it by default so the unit test stays quick.
    const bool full = qgetenv("OPENGRID_SCAN_BENCH") == "full";
    const int smallFiles = full ? 10'000 : 1'000;
    const int bigFiles = full ? 100 : 10;
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString src = tmp.filePath(QStringLiteral("src"));
    const QByteArray big = randomBytes(8 << 20, 7);
    QByteArray small = randomBytes(4096, 8);
    for (int d = 0; d < smallFiles / 100; ++d)
        QVERIFY(makeDir(src + QStringLiteral("/small/%1").arg(d)));
    for (int i = 0; i < smallFiles; ++i) {
        std::memcpy(small.data(), &i, sizeof i);
        QFile f(src + QStringLiteral("/small/%1/%2.bin").arg(i / 100).arg(i));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(small) == small.size());
    }
    QVERIFY(makeDir(src + QStringLiteral("/big")));
    for (int i = 0; i < bigFiles; ++i) {
        QByteArray content = big;
        std::memcpy(content.data(), &i, sizeof i);
        QFile f(src + QStringLiteral("/big/%1.bin").arg(i));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(content) == content.size());
    }
    waitOutRacyWindow();

    HashCache cache(tmp.filePath(QStringLiteral("hashes.bin")));
    QElapsedTimer timer;
    timer.start();
    const auto first = TreeScanner::scan(src, &cache);
    const qint64 firstMs = timer.elapsed();
    QCOMPARE(first.error, QString());
    QCOMPARE(first.hashedFiles, smallFiles + bigFiles);

    timer.restart();
    const auto second = TreeScanner::scan(src, &cache);
    const qint64 secondMs = timer.elapsed();
    QCOMPARE(second.cachedFiles, smallFiles + bigFiles);
    QCOMPARE(second.hashedFiles, 0);
    QCOMPARE(second.manifest.rootHash(), first.manifest.rootHash());

    timer.restart();
    QCOMPARE(cache.save(), QString());
    const qint64 saveMs = timer.elapsed();
    HashCache reloaded(cache.fileName());
    timer.restart();
    QString error;
    QVERIFY(reloaded.load(&error));
    const qint64 loadMs = timer.elapsed();

    qInfo("%d × 4 KiB + %d × 8 MiB (%.0f MiB) on %d threads: first scan %lld ms (%.0f MiB/s), "
          "unchanged re-scan %lld ms; cache save %lld ms, load %lld ms",
          smallFiles, bigFiles, double(first.hashedBytes) / (1 << 20), QThread::idealThreadCount(),
          firstMs, double(first.hashedBytes) / (1 << 20) / (double(firstMs) / 1000.0), secondMs,
          saveMs, loadMs);
}

QTEST_GUILESS_MAIN(TestTreeScanner)
#include "test_treescanner.moc"
