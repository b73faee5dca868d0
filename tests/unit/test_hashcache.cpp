// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/hashcache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <thread>
#include <vector>

using og::HashCache;

namespace {
constexpr qint64 kSecond = 1'000'000'000;

struct timespec toTimespec(qint64 ns)
{
    return {time_t(ns / kSecond), long(ns % kSecond)};
}

// Stat data of a file last changed `ageNs` before now.
struct stat fakeStat(quint64 inode, qint64 size, qint64 ageNs)
{
    struct stat st {};
    st.st_dev = 42;
    st.st_ino = inode;
    st.st_size = size;
    st.st_mode = S_IFREG | 0644;
    st.st_mtim = toTimespec(HashCache::nowNs() - ageNs);
    st.st_ctim = st.st_mtim;
    return st;
}

QString hashOf(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}
} // namespace

class TestHashCache final : public QObject
{
    Q_OBJECT

private slots:
    void hitNeedsEveryStatFieldToMatch();
    void racyEntriesAreNotTrusted();
    void racyBoundaryIsStrict();
    void laterStoreReplacesEntry();
    void invalidHashIsNotStored();
    void missingFileIsAnEmptyCache();
    void saveLoadRoundTrip();
    void savedFileIsPrivate();
    void corruptFileIsDiscarded_data();
    void corruptFileIsDiscarded();
    void unreadableFileIsReported();
    void retainOnlyDropsOtherPaths();
    void modifiedOnlyByChanges();
    void cacheFileIsReplacedWhole();
    void concurrentStoreAndLookup();
    void hundredThousandEntries();
};

void TestHashCache::hitNeedsEveryStatFieldToMatch()
{
    HashCache cache(QString{});
    const struct stat st = fakeStat(7, 100, 60 * kSecond);
    const QString sha = hashOf("a");
    cache.store(QStringLiteral("/data/a"), st, sha);
    QCOMPARE(cache.lookup(QStringLiteral("/data/a"), st), std::optional<QString>(sha));
    QCOMPARE(cache.lookup(QStringLiteral("/data/b"), st), std::nullopt);

    struct stat other = st;
    other.st_dev = 43;
    QCOMPARE(cache.lookup(QStringLiteral("/data/a"), other), std::nullopt);
    other = st;
    other.st_ino = 8;
    QCOMPARE(cache.lookup(QStringLiteral("/data/a"), other), std::nullopt);
    other = st;
    other.st_size = 101;
    QCOMPARE(cache.lookup(QStringLiteral("/data/a"), other), std::nullopt);
    other = st;
    other.st_mtim.tv_nsec = (other.st_mtim.tv_nsec + 1) % kSecond;
    QCOMPARE(cache.lookup(QStringLiteral("/data/a"), other), std::nullopt);
    other = st;
    other.st_ctim.tv_sec += 1;
    QCOMPARE(cache.lookup(QStringLiteral("/data/a"), other), std::nullopt);
}

void TestHashCache::racyEntriesAreNotTrusted()
{
    HashCache cache(QString{});
    const QString sha = hashOf("b");
    // Changed in the same second as it was recorded: a later write in that second could
    // leave every timestamp as it is.
    const struct stat fresh = fakeStat(1, 10, kSecond / 2);
    cache.store(QStringLiteral("/f"), fresh, sha);
    QCOMPARE(cache.lookup(QStringLiteral("/f"), fresh), std::nullopt);

    // Content old, but chmod'ed (ctime) just now.
    struct stat chmodded = fakeStat(2, 10, 600 * kSecond);
    chmodded.st_ctim = toTimespec(HashCache::nowNs());
    cache.store(QStringLiteral("/g"), chmodded, sha);
    QCOMPARE(cache.lookup(QStringLiteral("/g"), chmodded), std::nullopt);

    const struct stat old = fakeStat(3, 10, 3 * kSecond);
    cache.store(QStringLiteral("/h"), old, sha);
    QCOMPARE(cache.lookup(QStringLiteral("/h"), old), std::optional<QString>(sha));
}

void TestHashCache::racyBoundaryIsStrict()
{
    HashCache cache(QString{});
    const QString sha = hashOf("c");
    const qint64 recordedAt = 1'700'000'000 * kSecond;
    struct stat st {};
    st.st_ino = 1;
    st.st_mtim = toTimespec(recordedAt - HashCache::kRacyWindowNs);
    st.st_ctim = st.st_mtim;
    cache.store(QStringLiteral("/edge"), st, sha, recordedAt);
    QCOMPARE(cache.lookup(QStringLiteral("/edge"), st), std::nullopt);

    st.st_mtim = toTimespec(recordedAt - HashCache::kRacyWindowNs - 1);
    st.st_ctim = st.st_mtim;
    cache.store(QStringLiteral("/edge"), st, sha, recordedAt);
    QCOMPARE(cache.lookup(QStringLiteral("/edge"), st), std::optional<QString>(sha));
}

void TestHashCache::laterStoreReplacesEntry()
{
    HashCache cache(QString{});
    struct stat st = fakeStat(5, 1, 100 * kSecond);
    cache.store(QStringLiteral("/x"), st, hashOf("1"));
    st = fakeStat(6, 1, 90 * kSecond);
    cache.store(QStringLiteral("/x"), st, hashOf("2"));
    QCOMPARE(cache.size(), 1);
    QCOMPARE(cache.lookup(QStringLiteral("/x"), st), std::optional<QString>(hashOf("2")));
}

void TestHashCache::invalidHashIsNotStored()
{
    HashCache cache(QString{});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("invalid hash")));
    cache.store(QStringLiteral("/x"), fakeStat(1, 1, 100 * kSecond), QStringLiteral("ABC"));
    QCOMPARE(cache.size(), 0);
}

void TestHashCache::missingFileIsAnEmptyCache()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HashCache cache(dir.filePath(QStringLiteral("none/hashes.bin")));
    cache.store(QStringLiteral("/x"), fakeStat(1, 1, 100 * kSecond), hashOf("x"));
    QString error;
    QVERIFY(cache.load(&error));
    QVERIFY(error.isEmpty());
    QCOMPARE(cache.size(), 0);
}

void TestHashCache::saveLoadRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("cache/hashes.bin"));
    std::vector<struct stat> stats;
    {
        HashCache cache(file);
        for (int i = 0; i < 1000; ++i) {
            stats.push_back(fakeStat(quint64(i) + 1, i * 3, (10 + i) * kSecond));
            cache.store(QStringLiteral("/data/ü/%1").arg(i), stats.back(),
                        hashOf(QByteArray::number(i)));
        }
        QCOMPARE(cache.save(), QString());
    }
    HashCache loaded(file);
    QString error;
    QVERIFY(loaded.load(&error));
    QCOMPARE(loaded.size(), 1000);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(loaded.lookup(QStringLiteral("/data/ü/%1").arg(i), stats[size_t(i)]),
                 std::optional<QString>(hashOf(QByteArray::number(i))));

    // An empty cache round-trips too.
    HashCache empty(dir.filePath(QStringLiteral("empty.bin")));
    QCOMPARE(empty.save(), QString());
    QVERIFY(empty.load(&error));
    QCOMPARE(empty.size(), 0);
}

void TestHashCache::savedFileIsPrivate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    HashCache cache(dir.filePath(QStringLiteral("hashes.bin")));
    cache.store(QStringLiteral("/x"), fakeStat(1, 1, 100 * kSecond), hashOf("x"));
    QCOMPARE(cache.save(), QString());
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(cache.fileName()).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
}

void TestHashCache::corruptFileIsDiscarded_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("empty") << QStringLiteral("empty");
    QTest::newRow("garbage") << QStringLiteral("garbage");
    QTest::newRow("truncated") << QStringLiteral("truncated");
    QTest::newRow("flipped byte") << QStringLiteral("flip");
    QTest::newRow("appended byte") << QStringLiteral("append");
}

void TestHashCache::corruptFileIsDiscarded()
{
    QFETCH(QString, damage);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("hashes.bin"));
    {
        HashCache cache(file);
        for (int i = 0; i < 50; ++i)
            cache.store(QStringLiteral("/f%1").arg(i), fakeStat(quint64(i), i, 100 * kSecond),
                        hashOf("x"));
        QCOMPARE(cache.save(), QString());
    }
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    f.close();
    if (damage == u"empty")
        bytes.clear();
    else if (damage == u"garbage")
        bytes = QByteArray(5000, 'g');
    else if (damage == u"truncated")
        bytes.chop(bytes.size() / 3);
    else if (damage == u"flip")
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x10);
    else
        bytes.append('\0');
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
    f.close();

    HashCache loaded(file);
    loaded.store(QStringLiteral("/stale"), fakeStat(1, 1, 100 * kSecond), hashOf("y"));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("ignoring hash cache")));
    QString error;
    QVERIFY(loaded.load(&error));
    QVERIFY(error.isEmpty());
    QCOMPARE(loaded.size(), 0);
}

void TestHashCache::unreadableFileIsReported()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A directory where the file should be: exists, cannot be read, even as root.
    HashCache cache(dir.path());
    QString error;
    QVERIFY(!cache.load(&error));
    QVERIFY2(error.contains(dir.path()), qPrintable(error));
    QCOMPARE(cache.size(), 0);
}

void TestHashCache::retainOnlyDropsOtherPaths()
{
    HashCache cache(QString{});
    const struct stat st = fakeStat(1, 1, 100 * kSecond);
    for (const char *path : {"/a", "/b", "/c", "/d"})
        cache.store(QString::fromLatin1(path), st, hashOf(path));
    cache.retainOnly({QStringLiteral("/b"), QStringLiteral("/d"), QStringLiteral("/zzz")});
    QCOMPARE(cache.size(), 2);
    QCOMPARE(cache.lookup(QStringLiteral("/a"), st), std::nullopt);
    QCOMPARE(cache.lookup(QStringLiteral("/b"), st), std::optional<QString>(hashOf("/b")));
    QCOMPARE(cache.lookup(QStringLiteral("/d"), st), std::optional<QString>(hashOf("/d")));
}

// The uploader writes the cache only when something changed: the hourly re-upload of an
// unchanged tree then writes nothing.
void TestHashCache::modifiedOnlyByChanges()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("cache.bin"));
    const struct stat st = fakeStat(1, 1, 100 * kSecond);
    {
        HashCache cache(file);
        QVERIFY(cache.load(nullptr));
        QVERIFY(!cache.isModified());
        cache.store(QStringLiteral("/a"), st, hashOf("a"));
        cache.store(QStringLiteral("/b"), st, hashOf("b"));
        QVERIFY(cache.isModified());
        QCOMPARE(cache.save(), QString());
        QVERIFY(!cache.isModified());
    }
    HashCache cache(file);
    QVERIFY(cache.load(nullptr));
    QVERIFY(!cache.isModified());
    QVERIFY(cache.lookup(QStringLiteral("/a"), st));
    cache.retainOnly({QStringLiteral("/a"), QStringLiteral("/b")}); // drops nothing
    QVERIFY(!cache.isModified());
    cache.retainOnly({QStringLiteral("/a")});
    QVERIFY(cache.isModified());
}

// writeCacheFile replaces the file in one step (no temporary left behind), private.
void TestHashCache::cacheFileIsReplacedWhole()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("sub/known.txt"));
    QCOMPARE(HashCache::writeCacheFile(file, "first\n"), QString());
    QCOMPARE(HashCache::writeCacheFile(file, "second\n"), QString());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("second\n"));
    QCOMPARE(QFileInfo(file).permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    QCOMPARE(QDir(dir.filePath(QStringLiteral("sub"))).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("known.txt")});
    // A directory in the way: a clear error, nothing left behind.
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("sub/blocked"))));
    const QString error = HashCache::writeCacheFile(dir.filePath(QStringLiteral("sub/blocked")), "x");
    QVERIFY2(error.contains(QStringLiteral("blocked")), qPrintable(error));
    QCOMPARE(QDir(dir.filePath(QStringLiteral("sub"))).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("known.txt")});
}

void TestHashCache::concurrentStoreAndLookup()
{
    HashCache cache(QString{});
    const struct stat st = fakeStat(1, 1, 100 * kSecond);
    const QString sha = hashOf("t");
    std::atomic<int> misses{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5000; ++i) {
                const QString path = QStringLiteral("/t%1/%2").arg(t).arg(i);
                cache.store(path, st, sha);
                if (cache.lookup(path, st) != sha)
                    ++misses;
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(misses.load(), 0);
    QCOMPARE(cache.size(), 20000);
}

void TestHashCache::hundredThousandEntries()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("hashes.bin"));
    constexpr int kEntries = 100'000;
    const struct stat st = fakeStat(1, 4096, 100 * kSecond);
    const QString sha = hashOf("big");
    HashCache cache(file);
    for (int i = 0; i < kEntries; ++i)
        cache.store(QStringLiteral("/home/user/datasets/cifar5/train/class%1/image_%2.png")
                        .arg(i % 10)
                        .arg(i),
                    st, sha);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(cache.save(), QString());
    const qint64 saveMs = timer.elapsed();

    HashCache loaded(file);
    timer.restart();
    QString error;
    QVERIFY(loaded.load(&error));
    const qint64 loadMs = timer.elapsed();
    QCOMPARE(loaded.size(), kEntries);
    QCOMPARE(loaded.lookup(
                 QStringLiteral("/home/user/datasets/cifar5/train/class7/image_12347.png"), st),
             std::optional<QString>(sha));
    qInfo("100k entries, %lld KiB: save %lld ms (incl. fsync), load %lld ms",
          QFileInfo(file).size() / 1024, saveMs, loadMs);
}

QTEST_GUILESS_MAIN(TestHashCache)
#include "test_hashcache.moc"
