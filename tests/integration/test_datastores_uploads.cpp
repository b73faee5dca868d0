// SPDX-License-Identifier: GPL-3.0-or-later
// Uploads end to end against a real gridd: the upload engine (DatastoreUploader) over both ways,
// gridd's local intake (open files passed over its Unix socket) spoken by hand with bad input,
// cancel and resume, and a disk that fills up during an upload. The REST API's own checks
// are in test_datastores_api.cpp, the CLI's in test_datastores_cli.cpp.
#include "core/apiclient.h"
#include "core/datastore/manifest.h"
#include "core/datastore/uploader.h"
#include "core/fdpass.h"
#include "core/unixsocket.h"
#include "tests/support/datastorefixtures.h"
#include "tests/support/griddprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using og::ApiReply;
using og::ApiResult;
using og::Manifest;
using og::ManifestEntry;
using og::test::GriddProcess;

using namespace og::test;

namespace {
// The uploader tests run each way: gridd's local intake (open files passed over its socket)
// and HTTP.
void addLocalIntakeRows()
{
    QTest::addColumn<bool>("localIntake");
    QTest::newRow("local intake") << true;
    QTest::newRow("http") << false;
}

// A client's ~/.grid (GRID_DIR, the uploader's caches and resume state) of its own for one
// test, and a source directory to upload.
struct UploaderHome
{
    QTemporaryDir gridDir;
    QTemporaryDir source;
    UploaderHome() { qputenv("GRID_DIR", gridDir.path().toUtf8()); }
    ~UploaderHome() { qunsetenv("GRID_DIR"); }
    bool isValid() const { return gridDir.isValid() && source.isValid(); }
};

// A gridd whose data directory (`dataDir`, under `mount`) is on a 16 MiB tmpfs of its own
// (a private mount namespace). start(): empty on success, else why it cannot be done here
// (the caller skips); `error` says what went wrong when gridd itself did not start.
struct SmallDiskGridd
{
    QTemporaryDir base;
    QString mount = base.path() + QStringLiteral("/mnt");
    QString dataDir = mount + QStringLiteral("/data");
    GriddProcess gridd{dataDir};
    QString error;

    QString start()
    {
        if (::geteuid() != 0)
            return QStringLiteral("needs root to mount a small tmpfs for gridd's data directory (unshare -m)");
        if (!QDir().mkpath(mount))
            return QStringLiteral("cannot create %1").arg(mount);
        QProcess probe;
        probe.setProcessChannelMode(QProcess::MergedChannels);
        probe.start(QStringLiteral("unshare"), {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                                                QStringLiteral("mount -t tmpfs -o size=1m tmpfs \"$0\""), mount});
        if (!probe.waitForFinished(10000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
            return QStringLiteral("cannot mount a tmpfs in a private mount namespace here: %1")
                .arg(QString::fromUtf8(probe.readAll()).trimmed() + probe.errorString());
        gridd.launcher = {QStringLiteral("unshare"), QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("mount -t tmpfs -o size=16m tmpfs \"$0\" && exec \"$@\""), mount};
        gridd.ownMountNamespace = true;
        if (!gridd.start(&error) && error.isEmpty())
            error = QStringLiteral("gridd did not start");
        return {};
    }
};

} // namespace

// A connection to gridd's local intake (docs/api.md, "Local intake"), spoken by hand.
struct IntakeConnection
{
    int fd = -1;
    ~IntakeConnection()
    {
        if (fd >= 0)
            ::close(fd);
    }
    bool connectTo(const QString &path)
    {
        fd = og::connectUnixSocket(QFile::encodeName(path).constData(), SOCK_SEQPACKET);
        return fd >= 0;
    }
    // Sends `text` with `fds` attached and returns gridd's answer ("" when it closed).
    QByteArray exchange(const QByteArray &text, const QList<int> &fds = {})
    {
        if (og::sendWithDescriptors(fd, text.constData(), size_t(text.size()), fds.constData(), size_t(fds.size())) != text.size())
            return {};
        QByteArray answer(4096, '\0');
        const ssize_t n = ::recv(fd, answer.data(), size_t(answer.size()), 0);
        answer.resize(qMax<ssize_t>(0, n));
        return answer;
    }
};

QByteArray intakeLine(const QString &hash, qint64 size)
{
    return hash.toLatin1() + ' ' + QByteArray::number(size) + '\n';
}

class TestDatastoresUploads final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    std::unique_ptr<GriddProcess> m_gridd; // no GC grace: what a test removes goes at once

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        m_gridd = startWithConfig(m_work.filePath(QStringLiteral("gridd.yaml")), "datastores:\n  gc_grace_seconds: 0\n", &error);
        QVERIFY2(m_gridd, qPrintable(error));
    }

    void cleanupTestCase()
    {
        if (m_gridd)
            m_gridd->terminate();
    }

    // --- cancelling the upload engine ---------------------------------------------------------

    // DatastoreUploader's cancel hook: asked between batches, it stops after the first one with
    // a "cancelled" result; the version stays uploading, the upload is listed as interrupted,
    // and running it again finishes it without sending the first batch again. Cancelled
    // while scanning, nothing is created at all.
    void cancelMidUploadThenResumeCompletes_data()
    {
        addLocalIntakeRows();
    }

    void cancelMidUploadThenResumeCompletes()
    {
        QFETCH(bool, localIntake);
        UploaderHome home;
        QVERIFY(home.isValid());
        QTemporaryDir &source = home.source;
        constexpr int kFiles = 12; // of 2 MiB: two batches of at most 16 MiB
        for (int i = 0; i < kFiles; ++i) {
            QFile f(source.filePath(QStringLiteral("part%1.bin").arg(i, 2, 10, QLatin1Char('0'))));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(randomBytes(2 * kMiB, quint32(9100 + i + (localIntake ? 0 : 100))));
        }
        auto api = m_gridd->client();
        og::UploadRequest request;
        request.source = source.path();
        request.name = localIntake ? QStringLiteral("cancelled") : QStringLiteral("cancelled-http");
        request.streams = 1;
        request.localIntake = localIntake;

        // Cancelled during the scan: no version, nothing to resume.
        og::DatastoreUploader early(*api, {}, [] { return true; });
        og::UploadResult r = early.run(request);
        QVERIFY(r.cancelled);
        QVERIFY2(r.error.contains(QStringLiteral("cancelled before anything was uploaded")), qPrintable(r.error));
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/") + request.name).httpStatus, 404);

        // Cancelled once the first batch has arrived.
        bool sentSome = false;
        og::DatastoreUploader uploader(
            *api, [&sentSome](const og::UploadProgress &p) { sentSome |= p.phase == u"uploading" && p.bytesDone > 0; },
            [&sentSome] { return sentSome; });
        r = uploader.run(request);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("cancelled; run the same upload again")), qPrintable(r.error));
        // Over HTTP the cancellation lands between two batches. Through the local intake gridd
        // hashes and stores the files as they are scanned, and it lands before the manifest.
        QVERIFY2(r.uploadedObjects > 0 && (r.uploadedObjects < kFiles || (localIntake && r.uploadedObjects <= kFiles + 1)),
                 qPrintable(QString::number(r.uploadedObjects)));
        const int sentBefore = r.uploadedObjects;
        QCOMPARE(versionOf(m_gridd->call("GET", QStringLiteral("/datastores/%1/versions/1").arg(request.name))).value(QStringLiteral("status")).toString(),
                 QStringLiteral("uploading"));
        bool listed = false;
        for (const og::UploadRequest &i : og::DatastoreUploader::interruptedUploads())
            listed |= i.name == request.name;
        QVERIFY(listed);

        // Resumed: the rest only, then the same version succeeds.
        og::DatastoreUploader again(*api);
        r = again.run(request);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r.resumed);
        QVERIFY(!r.cancelled);
        // + the manifest, which is sent again when little else is (without asking gridd first).
        QCOMPARE(r.uploadedObjects, qMax(1, kFiles - sentBefore + 1));
        QCOMPARE(r.version.version, 1);
        QCOMPARE(r.version.status, QStringLiteral("succeeded"));
        QCOMPARE(r.version.fileCount, kFiles);
        for (const og::UploadRequest &i : og::DatastoreUploader::interruptedUploads())
            QVERIFY(i.name != request.name);
    }

    // --- the local intake: open files passed over a Unix socket --------------------------

    void localIntakeStoresPassedFilesAfterCheckingThem()
    {
        auto client = m_gridd->client();
        const ApiResult offer = client->call("POST", QStringLiteral("/objects/local"), QJsonObject());
        QCOMPARE(offer.httpStatus, 201);
        const QString socketPath = offer.object().value(QStringLiteral("socket")).toString();
        const QString token = offer.object().value(QStringLiteral("token")).toString();
        QVERIFY(socketPath.startsWith(m_gridd->dataDir()));
        QVERIFY(token.size() >= 32);
        QCOMPARE(QFileInfo(socketPath).permissions() & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.flush();
        };
        const QByteArray small = "a small object passed as an open file\n";
        const QByteArray large = randomBytes(5 * kMiB + 123, 7100); // past the direct-write size, not a whole block
        const QByteArray forged = "not what the name says\n";
        QVERIFY(write(QStringLiteral("small"), small) && write(QStringLiteral("large"), large) && write(QStringLiteral("forged"), forged));
        auto openFile = [&](const QString &name, int flags = O_RDONLY) {
            return ::open(QFile::encodeName(dir.filePath(name)).constData(), flags | O_CLOEXEC);
        };
        auto stored = [&](const QString &hash) {
            return QFile::exists(m_gridd->dataDir() + QStringLiteral("/objects/") + hash.left(2) + u'/' + hash.mid(2));
        };
        auto missingOf = [&](const QStringList &hashes) {
            return client->call("POST", QStringLiteral("/objects/missing"),
                                QJsonObject{{QStringLiteral("hashes"), QJsonArray::fromStringList(hashes)}})
                .object().value(QStringLiteral("missing")).toArray();
        };

        // Without the token: refused, nothing read.
        {
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QVERIFY(c.exchange("OGFD1 not-the-token").startsWith("ERR unauthorized 0 "));
        }
        {
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            const int f = openFile(QStringLiteral("small"));
            QVERIFY(c.exchange(intakeLine(sha(small), small.size()), {f}).startsWith("ERR unauthorized"));
            ::close(f);
        }
        QVERIFY(!stored(sha(small)));

        // Two good objects in one message, then one whose bytes do not match its name: the
        // good ones are stored and recorded as the caller's, the bad one is not stored.
        {
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QCOMPARE(c.exchange("OGFD1 " + token.toLatin1()), QByteArray("OK"));
            const int a = openFile(QStringLiteral("small")), b = openFile(QStringLiteral("large"));
            QCOMPARE(c.exchange(intakeLine(sha(small), small.size()) + intakeLine(sha(large), large.size()), {a, b}),
                     "OK 2\n" + sha(small).toLatin1() + " +\n" + sha(large).toLatin1() + " +");
            ::close(a);
            ::close(b);
            QVERIFY(stored(sha(small)) && stored(sha(large)));
            QFile copy(m_gridd->dataDir() + QStringLiteral("/objects/") + sha(large).left(2) + u'/' + sha(large).mid(2));
            QVERIFY(copy.open(QIODevice::ReadOnly));
            QCOMPARE(copy.readAll(), large);
            QCOMPARE(missingOf({sha(small), sha(large)}), QJsonArray());

            const int g = openFile(QStringLiteral("forged"));
            const QByteArray answer = c.exchange(intakeLine(sha("the claimed bytes\n"), forged.size()), {g});
            ::close(g);
            QVERIFY2(answer.startsWith("ERR hash_mismatch 0 "), answer.constData());
            QVERIFY(!stored(sha("the claimed bytes\n")) && !stored(sha(forged)));
            QCOMPARE(c.exchange("anything"), QByteArray()); // closed after an error
        }
        // "- <size>": gridd hashes the file and says under which name it stored it, and whether
        // it held that object before.
        {
            const QByteArray unnamed = randomBytes(4 * kMiB + 1, 7150); // the large way, born in tmp/
            const QByteArray unnamedSmall = "hashed by gridd\n";
            QVERIFY(write(QStringLiteral("unnamed"), unnamed) && write(QStringLiteral("unnamed-small"), unnamedSmall));
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QCOMPARE(c.exchange("OGFD1 " + token.toLatin1()), QByteArray("OK"));
            const int a = openFile(QStringLiteral("unnamed")), b = openFile(QStringLiteral("unnamed-small")), d = openFile(QStringLiteral("small"));
            QCOMPARE(c.exchange("- " + QByteArray::number(unnamed.size()) + "\n- " + QByteArray::number(unnamedSmall.size()) + "\n- "
                                    + QByteArray::number(small.size()) + "\n",
                                {a, b, d}),
                     "OK 3\n" + sha(unnamed).toLatin1() + " +\n" + sha(unnamedSmall).toLatin1() + " +\n" + sha(small).toLatin1() + " =");
            QCOMPARE(c.exchange("- " + QByteArray::number(unnamed.size()) + "\n", {a}), "OK 1\n" + sha(unnamed).toLatin1() + " =");
            QVERIFY(c.exchange("- 5\n", {b}).startsWith("ERR hash_mismatch 0 "));
            for (const int f : {a, b, d})
                ::close(f);
            QVERIFY(stored(sha(unnamed)) && stored(sha(unnamedSmall)));
            QCOMPARE(missingOf({sha(unnamed), sha(unnamedSmall)}), QJsonArray());
            QCOMPARE(QDir(m_gridd->dataDir() + QStringLiteral("/objects/tmp")).entryList(QDir::Files | QDir::Hidden), QStringList());
        }
        // A size that is not the file's, a large object whose bytes do not match: refused.
        {
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QCOMPARE(c.exchange("OGFD1 " + token.toLatin1()), QByteArray("OK"));
            const int f = openFile(QStringLiteral("large"));
            QVERIFY(c.exchange(intakeLine(sha(large), large.size() - 1), {f}).startsWith("ERR hash_mismatch 0 "));
            ::close(f);
        }
        {
            QByteArray changed = large;
            changed[3 * kMiB] = char(changed[3 * kMiB] ^ 1);
            QVERIFY(write(QStringLiteral("changed"), changed));
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QCOMPARE(c.exchange("OGFD1 " + token.toLatin1()), QByteArray("OK"));
            const int f = openFile(QStringLiteral("changed"));
            const QByteArray answer = c.exchange(intakeLine(sha(randomBytes(5 * kMiB + 123, 7101)), changed.size()), {f});
            ::close(f);
            QVERIFY2(answer.startsWith("ERR hash_mismatch 0 "), answer.constData());
            QVERIFY(!stored(sha(changed)));
        }
        // What is not a regular file open for reading: a directory, a pipe, a write-only file,
        // an O_PATH descriptor (which only names a file; gridd must never reopen it).
        const int directory = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int pipeFds[2];
        QCOMPARE(::pipe2(pipeFds, O_CLOEXEC), 0);
        const int writeOnly = openFile(QStringLiteral("small"), O_WRONLY);
        const int pathOnly = openFile(QStringLiteral("small"), O_PATH);
        for (const int f : {directory, pipeFds[0], writeOnly, pathOnly}) {
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QCOMPARE(c.exchange("OGFD1 " + token.toLatin1()), QByteArray("OK"));
            const QByteArray answer = c.exchange(intakeLine(sha(small), small.size()), {f});
            QVERIFY2(answer.startsWith("ERR invalid_request 0 "), answer.constData());
        }
        for (const int f : {directory, pipeFds[0], pipeFds[1], writeOnly, pathOnly})
            ::close(f);
        // Lines and descriptors must match one to one.
        {
            IntakeConnection c;
            QVERIFY(c.connectTo(socketPath));
            QCOMPARE(c.exchange("OGFD1 " + token.toLatin1()), QByteArray("OK"));
            const int f = openFile(QStringLiteral("small"));
            QVERIFY(c.exchange(intakeLine(sha(small), small.size()) + intakeLine(sha(large), large.size()), {f}).startsWith("ERR invalid_request 0 "));
            ::close(f);
        }
        // The token belongs to its user: bob's token does not make alice's objects his, and
        // objects bob passes are recorded as his only.
        const QString bob = GriddProcess::addUser(m_gridd->dataDir(), QStringLiteral("intake-bob"));
        auto bobClient = m_gridd->client(bob);
        const QJsonArray bobMissing = bobClient->call("POST", QStringLiteral("/objects/missing"),
                                                      QJsonObject{{QStringLiteral("hashes"), QJsonArray{sha(small)}}})
                                          .object().value(QStringLiteral("missing")).toArray();
        QCOMPARE(bobMissing, QJsonArray{sha(small)});
    }

    void uploaderUsesTheLocalIntakeAndFallsBackToHttp_data()
    {
        addLocalIntakeRows();
    }

    void uploaderUsesTheLocalIntakeAndFallsBackToHttp()
    {
        QFETCH(bool, localIntake);
        UploaderHome home;
        QVERIFY(home.isValid());
        QTemporaryDir &source = home.source;
        qint64 total = 0;
        for (int i = 0; i < 3; ++i) {
            QFile f(source.filePath(QStringLiteral("large%1.bin").arg(i)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            total += f.write(randomBytes(6 * kMiB + i, quint32(7200 + i + (localIntake ? 0 : 10))));
        }
        for (int i = 0; i < 300; ++i) {
            QFile f(source.filePath(QStringLiteral("small/%1").arg(i)));
            QVERIFY(QDir().mkpath(source.filePath(QStringLiteral("small"))) && f.open(QIODevice::WriteOnly));
            total += f.write(randomBytes(1000 + i, quint32(7300 + i + (localIntake ? 0 : 1000))));
        }
        auto api = m_gridd->client();
        og::UploadRequest request;
        request.source = source.path();
        request.name = localIntake ? QStringLiteral("passed-files") : QStringLiteral("sent-bytes");
        request.localIntake = localIntake;
        og::DatastoreUploader uploader(*api);
        const og::UploadResult r = uploader.run(request);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.localIntake, localIntake);
        QCOMPARE(r.uploadedObjects, 304); // + the manifest
        QCOMPARE(r.version.status, QStringLiteral("succeeded"));
        QCOMPARE(r.version.fileCount, 303);
        QCOMPARE(r.version.sizeBytes, total);
    }

    // --- a full disk ---------------------------------------------------------------------------

    void fullDiskFailsTheUploadAndShowsNoVersion()
    {
        SmallDiskGridd disk;
        if (const QString skip = disk.start(); !skip.isEmpty())
            QSKIP(qPrintable(skip));
        QVERIFY2(disk.error.isEmpty(), qPrintable(disk.error));
        GriddProcess &gridd = disk.gridd;
        const QString &dataDir = disk.dataDir;

        // 20 MiB into 16: two large objects (parts) and small ones (batches).
        QTemporaryDir home;
        const QString source = home.path() + QStringLiteral("/bigdata");
        QVERIFY(QDir().mkpath(source));
        for (int i = 0; i < 6; ++i) {
            QFile f(source + QStringLiteral("/part%1.bin").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(randomBytes(i < 2 ? 6 * kMiB : 2 * kMiB, quint32(70 + i)));
        }
        QProcessEnvironment env = og::test::cliEnvironment(home.path());
        env.insert(QStringLiteral("GRID_URL"), gridd.url().toString());
        env.insert(QStringLiteral("GRID_USER_ID"), QStringLiteral("local"));
        env.insert(QStringLiteral("GRID_API_KEY"), gridd.localToken());
        const og::test::CliResult cli = og::test::runGrid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"),
                                                          source, QStringLiteral("--name"), QStringLiteral("full")}, env);
        QVERIFY2(cli.code == 1, qPrintable(QStringLiteral("exit %1: %2%3").arg(cli.code).arg(cli.out, cli.err)));
        QVERIFY2(cli.err.contains(QStringLiteral("disk is full")), qPrintable(cli.err + QStringLiteral("(when the full disk hit a database write first, see "
                                                                             "fullDiskDuringADatabaseWriteIsStorageFullToo)\ngridd's log:\n")
                                                          + gridd.readLog()));
        QVERIFY2(cli.err.startsWith(QStringLiteral("error: ")), qPrintable(cli.err));

        // gridd still serves, and no version is visible as usable.
        const ApiResult list = gridd.call("GET", QStringLiteral("/datastores"));
        QVERIFY2(list.ok(), qPrintable(message(list)));
        for (const QJsonValue &v : list.object().value(QStringLiteral("datastores")).toArray()) {
            const QString status = v.toObject().value(QStringLiteral("status")).toString();
            QVERIFY2(status != u"succeeded" && status != u"optimizing", qPrintable(status));
        }
        QCOMPARE(gridd.call("GET", QStringLiteral("/datastores/full/versions/latest")).httpStatus, 404);
        // No temporary object files were left filling the disk.
        QDir tmp(gridd.visiblePath(dataDir + QStringLiteral("/objects/tmp")));
        QVERIFY(tmp.exists());
        QVERIFY2(tmp.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), qPrintable(tmp.entryList().join(u' ')));
        gridd.kill();
    }

    void fullDiskDuringADatabaseWriteIsStorageFullToo()
    {
        SmallDiskGridd disk;
        if (const QString skip = disk.start(); !skip.isEmpty())
            QSKIP(qPrintable(skip));
        QVERIFY2(disk.error.isEmpty(), qPrintable(disk.error));
        GriddProcess &gridd = disk.gridd;
        const QString &mount = disk.mount;

        // Fill gridd's disk to the last byte from outside, through /proc/<pid>/root.
        const QByteArray filler = QFile::encodeName(gridd.visiblePath(mount + QStringLiteral("/filler")));
        const int fd = ::open(filler.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        QVERIFY(fd >= 0);
        const QByteArray chunk(int(kMiB), 'x');
        for (qsizetype n = chunk.size(); n > 0; n /= 2)
            while (::write(fd, chunk.constData(), size_t(n)) == n) {
            }
        ::close(fd);

        // Requests that must write to the database: each fails as storage_full (507), or
        // succeeds where SQLite still had room; never as an internal error.
        for (int i = 0; i < 5; ++i) {
            const ApiResult r = gridd.call("POST", QStringLiteral("/datastores/full%1/versions").arg(i),
                                           QJsonObject{{QStringLiteral("root_hash"), sha(QByteArray::number(i))},
                                                       {QStringLiteral("size_bytes"), 1}, {QStringLiteral("file_count"), 1}});
            QVERIFY2(r.httpStatus == 201 || (r.httpStatus == 507 && r.errorCode == u"storage_full"),
                     qPrintable(QStringLiteral("with the disk full, creating a version answered %1 instead of 507 storage_full "
                                               "(gridd's log:\n%2)").arg(message(r), gridd.readLog())));
        }
        auto client = gridd.client();
        const QByteArray object = "small object on a full disk\n";
        const ApiResult put = sendBytes(*client, "PUT", QStringLiteral("/objects/") + sha(object), object);
        QVERIFY2(put.httpStatus == 507 && put.errorCode == u"storage_full", qPrintable(message(put)));

        // Space freed: it all works again.
        QVERIFY(QFile::remove(QFile::decodeName(filler)));
        QVERIFY(gridd.call("GET", QStringLiteral("/health")).ok());
        const ApiResult again = sendBytes(*client, "PUT", QStringLiteral("/objects/") + sha(object), object);
        QCOMPARE(again.httpStatus, 201);
        const ApiResult created = gridd.call("POST", QStringLiteral("/datastores/afterwards/versions"),
                                             QJsonObject{{QStringLiteral("root_hash"), sha("afterwards")}, {QStringLiteral("size_bytes"), 1}});
        QVERIFY2(created.httpStatus == 201, qPrintable(message(created)));
        gridd.kill();
    }
};

QTEST_GUILESS_MAIN(TestDatastoresUploads)
#include "test_datastores_uploads.moc"
