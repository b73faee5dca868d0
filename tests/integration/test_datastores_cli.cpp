// SPDX-License-Identifier: GPL-3.0-or-later
// `grid datastore …` as a user runs it: the real `grid` binary on a fresh home, with the local
// platform it starts on first use. Step 2 of the CLI workflow verbatim (including the hourly
// cron line: no change → no new version, a change → version 2), then bad input and faults:
// symbolic links out of the tree, special files, unreadable files, archives, a second upload
// racing the first, kill -9 mid-upload and `grid datastore resume`.
#include "core/apiclient.h"
#include "core/localplatform.h"
#include "core/unixsocket.h"
#include "tests/support/datastorefixtures.h"
#include "tests/support/griddprocess.h"

#include <archive.h>
#include <archive_entry.h>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

using og::test::CliResult;
using og::test::GriddProcess;
using og::test::TarGzBuilder;

namespace {

constexpr qint64 kKiB = 1024;
constexpr qint64 kMiB = 1024 * kKiB;

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out(size, Qt::Uninitialized);
    const qsizetype words = size / 4;
    gen.fillRange(reinterpret_cast<quint32 *>(out.data()), words);
    for (qsizetype i = words * 4; i < size; ++i)
        out[i] = char(gen.generate());
    return out;
}

QString sha(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.flush();
}

// The cells of a table's header (┃ … ┃) and rows (│ … │), in order.
QList<QStringList> tableRows(const QString &out)
{
    QList<QStringList> rows;
    for (const QString &line : out.split(u'\n')) {
        if (!line.startsWith(u'│') && !line.startsWith(u'┃'))
            continue;
        QStringList cells;
        for (const QString &c : line.split(QRegularExpression(QStringLiteral("[│┃]")), Qt::SkipEmptyParts))
            cells.append(c.trimmed());
        rows.append(cells);
    }
    return rows;
}


} // namespace

class TestDatastoresCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home; // the user's home: sources live here, cron runs here

    QString dataDir() const { return m_home.path() + QStringLiteral("/.local/share/opengrid"); }

    // What a login shell has: HOME and PATH (with `grid` on it); no test-only variables, so the
    // local platform is found where it would be for a user (~/.local/share/opengrid).
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = og::test::cliEnvironment(m_home.path());
        env.remove(QStringLiteral("OPENGRID_DATA_DIR"));
        env.insert(QStringLiteral("PATH"), QStringLiteral(OPENGRID_BIN_DIR ":") + env.value(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin")));
        return env;
    }

    QProcess *startGrid(const QStringList &args, QProcess *p, const QList<QPair<QString, QString>> &extraEnv = {}) const
    {
        QProcessEnvironment env = environment();
        for (const auto &[key, value] : extraEnv)
            env.insert(key, value);
        p->setProcessEnvironment(env);
        p->setWorkingDirectory(m_home.path());
        p->setStandardInputFile(QProcess::nullDevice());
        p->start(GriddProcess::gridProgram(), args);
        return p;
    }

    static CliResult finish(QProcess &p, int timeoutMs = 60000)
    {
        p.waitForFinished(timeoutMs);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    // `grid ARGS` in the home directory, as typed at a prompt there.
    CliResult grid(const QStringList &args) const
    {
        QProcess p;
        startGrid(args, &p);
        return finish(p);
    }

    // A command line run the way cron runs it: /bin/sh -c LINE in the home directory, with
    // cron's minimal environment and no terminal.
    CliResult cron(const QString &line) const
    {
        QProcess p;
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("LOGNAME"), QStringLiteral("root"));
        env.insert(QStringLiteral("SHELL"), QStringLiteral("/bin/sh"));
        env.insert(QStringLiteral("PATH"), QStringLiteral(OPENGRID_BIN_DIR ":/usr/bin:/bin"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_home.path());
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), line});
        return finish(p);
    }

    static QString describe(const CliResult &r)
    {
        return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out, r.err);
    }

    // Every version, as `grid -o json datastore list` prints them.
    QList<QJsonObject> versions(const QString &name) const
    {
        const CliResult r = grid({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("datastore"), QStringLiteral("list")});
        QList<QJsonObject> out;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("datastores")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                out.append(v.toObject());
        return out;
    }

    // The entries of `grid -o json datastore files SPEC [PATH]`, by name.
    QHash<QString, QJsonObject> files(const QString &spec, const QString &path = {}) const
    {
        QStringList args{QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("datastore"), QStringLiteral("files"), spec};
        if (!path.isEmpty())
            args << path;
        const CliResult r = grid(args);
        QHash<QString, QJsonObject> out;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("entries")).toArray())
            out.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());
        return out;
    }

    std::unique_ptr<og::ApiClient> api() const
    {
        auto c = std::make_unique<og::ApiClient>();
        QFile ep(og::localplatform::endpointFile(dataDir()));
        QFile cred(og::localplatform::credentialsFile(dataDir()));
        if (!ep.open(QIODevice::ReadOnly) || !cred.open(QIODevice::ReadOnly))
            return c;
        c->setBaseUrl(QUrl(QJsonDocument::fromJson(ep.readAll()).object().value(QStringLiteral("url")).toString()));
        c->setToken(QJsonDocument::fromJson(cred.readAll()).object().value(QStringLiteral("APIKey")).toString());
        c->setMaxAttempts(1);
        c->setTimeout(std::chrono::seconds(10));
        return c;
    }

    qint64 platformPid() const
    {
        QFile f(og::localplatform::endpointFile(dataDir()));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("pid")).toInteger();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void cleanupTestCase()
    {
        // Stop the gridd `grid` started, and wait, so the temporary home can be removed.
        if (const qint64 pid = platformPid(); pid > 0) {
            ::kill(pid_t(pid), SIGTERM);
            QTRY_VERIFY_WITH_TIMEOUT(!og::localplatform::processAlive(pid), 15000);
        }
    }

    void specStep2CreateAndList()
    {
        // A small CIFAR-like dataset: 300 KiB in 4 files.
        const QString cifar = m_home.filePath(QStringLiteral("cifar5"));
        QVERIFY(writeFile(cifar + QStringLiteral("/train/data_batch_1"), randomBytes(100 * kKiB, 1)));
        QVERIFY(writeFile(cifar + QStringLiteral("/train/data_batch_2"), randomBytes(100 * kKiB, 2)));
        QVERIFY(writeFile(cifar + QStringLiteral("/test/test_batch"), randomBytes(99 * kKiB, 3)));
        QVERIFY(writeFile(cifar + QStringLiteral("/batches.meta.txt"), randomBytes(kKiB, 4)));

        // "Now create the datastore which will upload your dataset and optimize it"
        CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("cifar5/"),
                            QStringLiteral("--name"), QStringLiteral("cifar5")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore cifar5 version 1 succeeded: 4 files, 300 KiB")), qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));

        // "make sure it was created"
        r = grid({QStringLiteral("datastore"), QStringLiteral("list")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QList<QStringList> rows = tableRows(r.out);
        QCOMPARE(rows.size(), 2); // header and one version
        QCOMPARE(rows[0], (QStringList{QStringLiteral("Name"), QStringLiteral("Version"), QStringLiteral("Size"), QStringLiteral("Files"),
                                       QStringLiteral("Created At"), QStringLiteral("Status")}));
        QCOMPARE(rows[1].value(0), QStringLiteral("cifar5"));
        QCOMPARE(rows[1].value(1), QStringLiteral("1"));
        QCOMPARE(rows[1].value(2), QStringLiteral("300 KiB"));
        QCOMPARE(rows[1].value(3), QStringLiteral("4"));
        QCOMPARE(rows[1].value(5), QStringLiteral("succeeded"));
    }

    void specStep2CronLine()
    {
        // echo "0 * * * * grid datastores create --source cifar5/ --name cifar5" >> mycron
        const QString cronCommand = QStringLiteral("grid datastores create --source cifar5/ --name cifar5");

        // The hour passes with no change: no new version.
        CliResult r = cron(cronCommand);
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore cifar5 is unchanged: version 1 already holds these 4 files. No new version was created.")),
                 qPrintable(describe(r)));
        QCOMPARE(versions(QStringLiteral("cifar5")).size(), 1);

        // A file changes: the next run makes version 2.
        QVERIFY(writeFile(m_home.filePath(QStringLiteral("cifar5/batches.meta.txt")), randomBytes(2 * kKiB, 5)));
        r = cron(cronCommand);
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore cifar5 version 2 succeeded: 4 files, 301 KiB")), qPrintable(describe(r)));
        // Only the changed file and the manifest were sent.
        QVERIFY2(r.out.contains(QStringLiteral("in 2 new objects")), qPrintable(describe(r)));

        // And again with no change.
        r = cron(cronCommand);
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("is unchanged: version 2")), qPrintable(describe(r)));

        // Both versions list with their sizes and file counts.
        r = grid({QStringLiteral("datastore"), QStringLiteral("list")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        const QList<QStringList> rows = tableRows(r.out);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[1].mid(0, 4), (QStringList{QStringLiteral("cifar5"), QStringLiteral("1"), QStringLiteral("300 KiB"), QStringLiteral("4")}));
        QCOMPARE(rows[2].mid(0, 4), (QStringList{QStringLiteral("cifar5"), QStringLiteral("2"), QStringLiteral("301 KiB"), QStringLiteral("4")}));
        QCOMPARE(rows[1].value(5), QStringLiteral("succeeded"));
        QCOMPARE(rows[2].value(5), QStringLiteral("succeeded"));
        const QList<QJsonObject> json = versions(QStringLiteral("cifar5"));
        QCOMPARE(json.size(), 2);
        QCOMPARE(json[0].value(QStringLiteral("size_bytes")).toInteger(), 300 * kKiB);
        QCOMPARE(json[1].value(QStringLiteral("size_bytes")).toInteger(), 301 * kKiB);
        QCOMPARE(json[0].value(QStringLiteral("file_count")).toInt(), 4);
        QCOMPARE(json[1].value(QStringLiteral("file_count")).toInt(), 4);
        QCOMPARE(json[1].value(QStringLiteral("source")).toString(), QStringLiteral("cifar5/"));
    }

    void filesOfAVersion()
    {
        CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("files"), QStringLiteral("cifar5")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.startsWith(QStringLiteral("cifar5 version 2: /")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("train/")));
        QVERIFY(r.out.contains(QStringLiteral("test/")));
        QVERIFY(r.out.contains(QStringLiteral("2 KiB")));

        auto root1 = files(QStringLiteral("cifar5:1"));
        QCOMPARE(root1.size(), 3);
        QCOMPARE(root1.value(QStringLiteral("batches.meta.txt")).value(QStringLiteral("size_bytes")).toInteger(), kKiB);
        QCOMPARE(root1.value(QStringLiteral("train")).value(QStringLiteral("type")).toString(), QStringLiteral("dir"));
        auto train = files(QStringLiteral("cifar5:1"), QStringLiteral("train"));
        QCOMPARE(train.size(), 2);
        QCOMPARE(train.value(QStringLiteral("data_batch_2")).value(QStringLiteral("sha256")).toString(), sha(randomBytes(100 * kKiB, 2)));
        QCOMPARE(files(QStringLiteral("cifar5:2")).value(QStringLiteral("batches.meta.txt")).value(QStringLiteral("size_bytes")).toInteger(), 2 * kKiB);

        r = grid({QStringLiteral("datastore"), QStringLiteral("files"), QStringLiteral("cifar5:1"), QStringLiteral("nothing/here")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("error: ")), qPrintable(r.err));
    }

    void deleteAVersionThenList()
    {
        CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("delete"), QStringLiteral("--name"), QStringLiteral("cifar5"),
                            QStringLiteral("--version"), QStringLiteral("1")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QCOMPARE(r.out.trimmed(), QStringLiteral("Done!"));
        r = grid({QStringLiteral("datastore"), QStringLiteral("list")});
        const QList<QStringList> rows = tableRows(r.out);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[1].mid(0, 4), (QStringList{QStringLiteral("cifar5"), QStringLiteral("2"), QStringLiteral("301 KiB"), QStringLiteral("4")}));
        r = grid({QStringLiteral("datastore"), QStringLiteral("files"), QStringLiteral("cifar5:1")});
        QCOMPARE(r.code, 1);
        // Deleting it twice is a clear error.
        r = grid({QStringLiteral("datastore"), QStringLiteral("delete"), QStringLiteral("--name"), QStringLiteral("cifar5"),
                  QStringLiteral("--version"), QStringLiteral("1")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("error: ")) && r.err.count(u'\n') == 1, qPrintable(r.err));
        // The cron job still finds the tree unchanged (version 2 holds it).
        r = cron(QStringLiteral("grid datastores create --source cifar5/ --name cifar5"));
        QVERIFY2(r.code == 0 && r.out.contains(QStringLiteral("is unchanged: version 2")), qPrintable(describe(r)));
    }

    void symlinkOutsideTheTreeIsRefused()
    {
        QVERIFY(writeFile(m_home.filePath(QStringLiteral("outside.txt")), "not part of the dataset\n"));
        QVERIFY(writeFile(m_home.filePath(QStringLiteral("leaky/data/a.txt")), "a\n"));
        QVERIFY(QFile::link(QStringLiteral("../../outside.txt"), m_home.filePath(QStringLiteral("leaky/data/escape"))));
        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("leaky")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("'data/escape'")) && r.err.contains(QStringLiteral("points outside")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("nothing was uploaded")), qPrintable(r.err));
        QVERIFY(versions(QStringLiteral("leaky")).isEmpty());
        // An absolute link out is refused just the same.
        QVERIFY(QFile::remove(m_home.filePath(QStringLiteral("leaky/data/escape"))));
        QVERIFY(QFile::link(QStringLiteral("/etc/hostname"), m_home.filePath(QStringLiteral("leaky/abs"))));
        const CliResult abs = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("leaky")});
        QCOMPARE(abs.code, 1);
        QVERIFY2(abs.err.contains(QStringLiteral("'abs'")) && abs.err.contains(QStringLiteral("points outside")), qPrintable(abs.err));
        QVERIFY(versions(QStringLiteral("leaky")).isEmpty());
    }

    void symlinkInsideTheTreeIsKept()
    {
        QVERIFY(writeFile(m_home.filePath(QStringLiteral("linked/data/v1.txt")), "one\n"));
        QVERIFY(QFile::link(QStringLiteral("data/v1.txt"), m_home.filePath(QStringLiteral("linked/latest"))));
        QVERIFY(QFile::link(QStringLiteral("../data"), m_home.filePath(QStringLiteral("linked/data/self"))));
        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("linked")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore linked version 1 succeeded: 1 files")), qPrintable(r.out));
        const auto root = files(QStringLiteral("linked"));
        QCOMPARE(root.value(QStringLiteral("latest")).value(QStringLiteral("type")).toString(), QStringLiteral("symlink"));
        QCOMPARE(root.value(QStringLiteral("latest")).value(QStringLiteral("target")).toString(), QStringLiteral("data/v1.txt"));
        QCOMPARE(files(QStringLiteral("linked"), QStringLiteral("data")).value(QStringLiteral("self")).value(QStringLiteral("target")).toString(),
                 QStringLiteral("../data"));
        const CliResult shown = grid({QStringLiteral("datastore"), QStringLiteral("files"), QStringLiteral("linked")});
        QVERIFY2(shown.out.contains(QStringLiteral("latest -> data/v1.txt")), qPrintable(shown.out));
    }

    void fifoSocketAndDeviceAreSkippedWithAWarning()
    {
        const QString dir = m_home.filePath(QStringLiteral("special"));
        QVERIFY(writeFile(dir + QStringLiteral("/pipes/keep.txt"), "kept\n"));
        QCOMPARE(::mkfifo(QFile::encodeName(dir + QStringLiteral("/pipes/fifo")).constData(), 0644), 0);
        const int fd = og::bindUnixSocket(QFile::encodeName(dir + QStringLiteral("/pipes/sock")).constData(), SOCK_STREAM);
        QVERIFY(fd >= 0);
        ::close(fd);
        // A device node needs CAP_MKNOD; without it the FIFO and the socket still count.
        const bool device = ::mknod(QFile::encodeName(dir + QStringLiteral("/pipes/null")).constData(), S_IFCHR | 0644, makedev(1, 3)) == 0;
        if (!device)
            qInfo("cannot create a device node here (%s); checking the FIFO and the socket only", std::strerror(errno));

        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("special")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(QStringLiteral("warning: skipping 'pipes/fifo': a FIFO")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("warning: skipping 'pipes/sock': a socket")), qPrintable(r.err));
        if (device)
            QVERIFY2(r.err.contains(QStringLiteral("warning: skipping 'pipes/null': a character device")), qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore special version 1 succeeded: 1 files")), qPrintable(r.out));
        const auto pipes = files(QStringLiteral("special"), QStringLiteral("pipes"));
        QCOMPARE(pipes.keys(), QStringList{QStringLiteral("keep.txt")});
    }

    void unreadableFileIsAClearErrorAndNothingIsCommitted()
    {
        // Root reads files whatever their mode, so as root the upload runs as `nobody`.
        QStringList prefix;
        if (::geteuid() == 0) {
            if (!QFile::exists(QStringLiteral("/usr/bin/setpriv")))
                QSKIP("running as root, where chmod 000 does not stop reading, and setpriv is not there to drop to nobody");
            prefix = {QStringLiteral("/usr/bin/setpriv"), QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                      QStringLiteral("--clear-groups"), QStringLiteral("--")};
        }
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString source = home.filePath(QStringLiteral("private"));
        QVERIFY(writeFile(source + QStringLiteral("/ok.txt"), "readable\n"));
        QVERIFY(writeFile(source + QStringLiteral("/sub/secret.bin"), "nobody may read this\n"));
        if (!prefix.isEmpty()) {
            for (const QString &p : {home.path(), source, source + QStringLiteral("/sub"), source + QStringLiteral("/ok.txt"),
                                     source + QStringLiteral("/sub/secret.bin")})
                QCOMPARE(::chown(QFile::encodeName(p).constData(), 65534, 65534), 0);
            // `nobody` must reach the grid binary.
            QProcess probe;
            probe.start(prefix.front(), prefix.mid(1) + QStringList{GriddProcess::gridProgram(), QStringLiteral("version")});
            if (!probe.waitForFinished(10000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
                QSKIP("running as root, where chmod 000 does not stop reading, and nobody cannot run grid from the build tree");
        }
        QCOMPARE(::chmod(QFile::encodeName(source + QStringLiteral("/sub/secret.bin")).constData(), 0), 0);

        auto client = api();
        QProcessEnvironment env = og::test::cliEnvironment(home.path());
        env.insert(QStringLiteral("GRID_URL"), client->baseUrl().toString());
        env.insert(QStringLiteral("GRID_USER_ID"), QStringLiteral("local"));
        env.insert(QStringLiteral("GRID_API_KEY"), client->authorizationHeader().mid(7));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(home.path());
        const QStringList args{QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), source,
                               QStringLiteral("--name"), QStringLiteral("unreadable")};
        if (prefix.isEmpty())
            p.start(GriddProcess::gridProgram(), args);
        else
            p.start(prefix.front(), prefix.mid(1) + QStringList{GriddProcess::gridProgram()} + args);
        const CliResult r = finish(p);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("error: cannot read 'sub/secret.bin'")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("Permission denied")) && r.err.contains(QStringLiteral("nothing was uploaded")), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY(versions(QStringLiteral("unreadable")).isEmpty());
        QCOMPARE(client->call("GET", QStringLiteral("/datastores/unreadable")).httpStatus, 404);
    }

    void extractALocalArchive()
    {
        const QString path = m_home.filePath(QStringLiteral("images.tar.gz"));
        TarGzBuilder b(path);
        b.dir("imgs").file("imgs/a.png", randomBytes(3000, 10)).file("imgs/b.png", randomBytes(4000, 11))
            .file("labels.csv", "a,cat\nb,dog\n").symlink("first", "imgs/a.png");
        QVERIFY(b.close());
        CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("images.tar.gz"),
                            QStringLiteral("--extract")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore images version 1 succeeded: 3 files")), qPrintable(r.out));
        const auto root = files(QStringLiteral("images"));
        QCOMPARE(root.size(), 3);
        QCOMPARE(root.value(QStringLiteral("imgs")).value(QStringLiteral("type")).toString(), QStringLiteral("dir"));
        QCOMPARE(root.value(QStringLiteral("first")).value(QStringLiteral("target")).toString(), QStringLiteral("imgs/a.png"));
        QCOMPARE(root.value(QStringLiteral("labels.csv")).value(QStringLiteral("sha256")).toString(), sha("a,cat\nb,dog\n"));
        QCOMPARE(files(QStringLiteral("images"), QStringLiteral("imgs")).value(QStringLiteral("b.png")).value(QStringLiteral("sha256")).toString(),
                 sha(randomBytes(4000, 11)));
        // Extracting twice gives the same tree: unchanged.
        r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("images.tar.gz"),
                  QStringLiteral("--extract")});
        QVERIFY2(r.code == 0 && r.out.contains(QStringLiteral("unchanged")), qPrintable(describe(r)));
    }

    void anArchiveEscapingItsRootIsRefusedOnExtract()
    {
        const QString path = m_home.filePath(QStringLiteral("evil.tar.gz"));
        TarGzBuilder b(path);
        b.file("fine.txt", "fine\n").file("../evil.txt", "outside\n");
        QVERIFY(b.close());
        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("evil.tar.gz"),
                                  QStringLiteral("--extract")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("'../evil.txt'")) && r.err.contains(QStringLiteral("escapes")), qPrintable(r.err));
        QVERIFY(!QFile::exists(m_home.filePath(QStringLiteral("evil.txt"))));
        QVERIFY(versions(QStringLiteral("evil")).isEmpty());
    }

    void anArchiveWithoutExtractIsOneFile()
    {
        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("images.tar.gz"),
                                  QStringLiteral("--name"), QStringLiteral("packed")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QFile archive(m_home.filePath(QStringLiteral("images.tar.gz")));
        QVERIFY(archive.open(QIODevice::ReadOnly));
        const QByteArray bytes = archive.readAll();
        const auto root = files(QStringLiteral("packed"));
        QCOMPARE(root.keys(), QStringList{QStringLiteral("images.tar.gz")});
        QCOMPARE(root.value(QStringLiteral("images.tar.gz")).value(QStringLiteral("size_bytes")).toInteger(), bytes.size());
        QCOMPARE(root.value(QStringLiteral("images.tar.gz")).value(QStringLiteral("sha256")).toString(), sha(bytes));
        QCOMPARE(versions(QStringLiteral("packed")).value(0).value(QStringLiteral("file_count")).toInt(), 1);
    }

    void aSecondUploadOfTheSameNameIsRefused()
    {
        const QString source = m_home.filePath(QStringLiteral("racing"));
        for (int i = 0; i < 2; ++i)
            QVERIFY(writeFile(source + QStringLiteral("/chunk%1.bin").arg(i), randomBytes(24 * kMiB, quint32(20 + i))));
        const QString lockFile = m_home.filePath(QStringLiteral(".grid/datastores/racing.lock"));
        QProcess first;
        startGrid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("racing")}, &first);
        QVERIFY(first.waitForStarted());
        // Freeze the first upload while it holds the lock, so the race is certain.
        QElapsedTimer timer;
        timer.start();
        while (QFileInfo(lockFile).size() == 0 && first.state() == QProcess::Running && timer.elapsed() < 20000)
            QThread::usleep(500);
        QCOMPARE(::kill(pid_t(first.processId()), SIGSTOP), 0);
        auto resume = qScopeGuard([&] { ::kill(pid_t(first.processId()), SIGCONT); });
        QVERIFY2(first.state() == QProcess::Running && QFileInfo::exists(lockFile),
                 "the first upload finished before it could be paused; make the source larger");

        const CliResult second = grid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("racing")});
        QCOMPARE(second.code, 1);
        QVERIFY2(second.err.contains(QStringLiteral("another upload of datastore 'racing' is running (pid %1)").arg(first.processId())),
                 qPrintable(second.err));

        resume.dismiss();
        ::kill(pid_t(first.processId()), SIGCONT);
        const CliResult r = finish(first);
        QVERIFY2(r.code == 0 && r.out.contains(QStringLiteral("Datastore racing version 1 succeeded: 2 files")), qPrintable(describe(r)));
        const QList<QJsonObject> v = versions(QStringLiteral("racing"));
        QCOMPARE(v.size(), 1);
        QVERIFY(!QFile::exists(lockFile)); // released when the upload ends
    }

    void killMidUploadThenResume()
    {
        // ~200 MiB: three large files that travel in 32 MiB parts and 400 small ones in batches
        // (over HTTP: the local intake, which the resume uses, stores whole objects only).
        const QString source = m_home.filePath(QStringLiteral("big"));
        QStringList largeHashes;
        qint64 total = 0;
        for (int i = 0; i < 3; ++i) {
            const QByteArray bytes = randomBytes(64 * kMiB, quint32(100 + i));
            largeHashes.append(sha(bytes));
            QVERIFY(writeFile(source + QStringLiteral("/large%1.bin").arg(i), bytes));
            total += bytes.size();
        }
        for (int i = 0; i < 400; ++i) {
            const QByteArray bytes = randomBytes(16 * kKiB + i, quint32(1000 + i));
            QVERIFY(writeFile(source + QStringLiteral("/small/%1.bin").arg(i, 3, 10, QLatin1Char('0')), bytes));
            total += bytes.size();
        }

        QProcess upload;
        startGrid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("big")}, &upload,
                  {{QStringLiteral("GRID_LOCAL_INTAKE"), QStringLiteral("0")}});
        QVERIFY(upload.waitForStarted());
        // Kill it once gridd holds part, not all, of a large object.
        auto client = api();
        qint64 received = 0;
        QElapsedTimer timer;
        timer.start();
        while (received == 0 && upload.state() == QProcess::Running && timer.elapsed() < 30000) {
            for (const QString &h : std::as_const(largeHashes)) {
                const og::ApiResult r = client->call("GET", QStringLiteral("/objects/%1/parts").arg(h));
                const qint64 n = r.object().value(QStringLiteral("received")).toInteger();
                if (n > 0 && n < 64 * kMiB) {
                    received = n;
                    break;
                }
            }
            if (received == 0)
                QThread::msleep(2);
        }
        QVERIFY2(received > 0, qPrintable(QStringLiteral("never saw a partly received object; the upload %1")
                                              .arg(upload.state() == QProcess::Running ? QStringLiteral("kept running") : QStringLiteral("finished first"))));
        upload.kill(); // SIGKILL
        QVERIFY(upload.waitForFinished(10000));
        QCOMPARE(upload.exitStatus(), QProcess::CrashExit);

        // The version is left uploading, not visible as a usable one.
        og::ApiResult v = client->call("GET", QStringLiteral("/datastores/big/versions/1"));
        QCOMPARE(v.object().value(QStringLiteral("version")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("uploading"));
        QCOMPARE(client->call("GET", QStringLiteral("/datastores/big/versions/latest")).httpStatus, 404);

        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("resume")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Resuming the upload of big from ")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore big version 1 succeeded: 403 files")) && r.out.contains(QStringLiteral(", resumed)")),
                 qPrintable(describe(r)));
        const QList<QJsonObject> list = versions(QStringLiteral("big"));
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(list[0].value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(list[0].value(QStringLiteral("file_count")).toInt(), 403);
        QCOMPARE(list[0].value(QStringLiteral("size_bytes")).toInteger(), total);
        const auto root = files(QStringLiteral("big"));
        QCOMPARE(root.value(QStringLiteral("large1.bin")).value(QStringLiteral("sha256")).toString(), largeHashes[1]);
        QCOMPARE(files(QStringLiteral("big"), QStringLiteral("small")).size(), 400);
        // Nothing is left to resume.
        const CliResult again = grid({QStringLiteral("datastore"), QStringLiteral("resume")});
        QVERIFY2(again.code == 0 && again.out.contains(QStringLiteral("No interrupted datastore uploads.")), qPrintable(describe(again)));
    }

    void killMidLocalUploadThenResume()
    {
        // The same through the local intake (gridd reads the files the CLI passes it): killed
        // once gridd stored some objects but not all, the resume sends only the rest.
        const QString source = m_home.filePath(QStringLiteral("passed"));
        QStringList hashes;
        qint64 total = 0;
        for (int i = 0; i < 6; ++i) {
            const QByteArray bytes = randomBytes(24 * kMiB + i, quint32(300 + i));
            hashes.append(sha(bytes));
            QVERIFY(writeFile(source + QStringLiteral("/large%1.bin").arg(i), bytes));
            total += bytes.size();
        }
        for (int i = 0; i < 600; ++i) {
            const QByteArray bytes = randomBytes(4 * kKiB + i, quint32(3000 + i));
            hashes.append(sha(bytes));
            QVERIFY(writeFile(source + QStringLiteral("/small/%1.bin").arg(i, 3, 10, QLatin1Char('0')), bytes));
            total += bytes.size();
        }
        QProcess upload;
        startGrid({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("passed")}, &upload);
        QVERIFY(upload.waitForStarted());
        auto client = api();
        qsizetype missing = hashes.size();
        QElapsedTimer timer;
        timer.start();
        while ((missing == hashes.size() || missing == 0) && upload.state() == QProcess::Running && timer.elapsed() < 30000) {
            const og::ApiResult r = client->call("POST", QStringLiteral("/objects/missing"),
                                                 QJsonObject{{QStringLiteral("hashes"), QJsonArray::fromStringList(hashes)}});
            missing = r.object().value(QStringLiteral("missing")).toArray().size();
        }
        QVERIFY2(missing > 0 && missing < hashes.size(),
                 qPrintable(QStringLiteral("never saw part of the objects stored (%1 of %2 missing)").arg(missing).arg(hashes.size())));
        upload.kill();
        QVERIFY(upload.waitForFinished(10000));
        QCOMPARE(upload.exitStatus(), QProcess::CrashExit);
        QCOMPARE(client->call("GET", QStringLiteral("/datastores/passed/versions/latest")).httpStatus, 404);
        // Only whole, checked objects are in the store: nothing half-written under a name.
        for (const QString &h : std::as_const(hashes)) {
            const QString path = dataDir() + QStringLiteral("/objects/") + h.left(2) + u'/' + h.mid(2);
            if (QFileInfo::exists(path))
            {
                QFile f(path);
                QVERIFY(f.open(QIODevice::ReadOnly));
                QCOMPARE(sha(f.readAll()), h);
            }
        }

        // gridd hashes and stores the files while the CLI scans, before the version is opened:
        // the upload is listed for resume from the moment the first files are passed.
        const CliResult r = grid({QStringLiteral("datastore"), QStringLiteral("resume")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(QStringLiteral("Resuming the upload of passed from ")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("Datastore passed version 1 succeeded: 606 files")), qPrintable(describe(r)));
        // What gridd stored before the kill is not stored again.
        const QRegularExpressionMatch sent = QRegularExpression(QStringLiteral("in (\\d+) new objects")).match(r.out);
        QVERIFY2(sent.hasMatch() && sent.captured(1).toInt() < 607, qPrintable(r.out));
        const QList<QJsonObject> list = versions(QStringLiteral("passed"));
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(list[0].value(QStringLiteral("size_bytes")).toInteger(), total);
        QCOMPARE(files(QStringLiteral("passed")).value(QStringLiteral("large3.bin")).value(QStringLiteral("sha256")).toString(), hashes[3]);
    }
};

QTEST_GUILESS_MAIN(TestDatastoresCli)
#include "test_datastores_cli.moc"
