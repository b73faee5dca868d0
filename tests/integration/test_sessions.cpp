// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions end to end: a real gridd, real bubblewrap sandboxes, OpenSSH's sshd inside the
// session and OpenSSH's ssh/scp on this side, through `grid session proxy --fdpass` (the API's
// direct opengrid-ssh upgrade; the WebSocket tunnel in theWebSocketTunnelStillCarriesSsh) —
// with the spec's commands (ssh-keys add with the private key's path, session create with a
// datastore, session ssh, pause, resume) and the faults around them.
#include "core/datastore/uploader.h"
#include "core/eventsclient.h"
#include "tests/support/griddprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using og::ApiResult;
using og::test::CliResult;
using og::test::GriddProcess;

// The whole HTTP/1.0 response to GET PATH on 127.0.0.1:PORT ("" when nothing answers): the
// forwarded-port check needs no curl, which GPU hosts (scripts/gpu-check.sh) may lack.
static QByteArray httpGet(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray response;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(200);
        response += socket.readAll();
    }
    return response + socket.readAll();
}

class TestSessions final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_home;
    std::unique_ptr<GriddProcess> m_gridd;
    QString m_userId;
    QString m_key; // the spec's private key path; its .pub beside it

    QProcessEnvironment environment(const QString &token = {}) const
    {
        QProcessEnvironment env = og::test::cliEnvironment(m_home.path());
        env.insert(QStringLiteral("GRID_URL"), m_gridd->url().toString());
        env.insert(QStringLiteral("GRID_USER_ID"), m_userId);
        env.insert(QStringLiteral("GRID_API_KEY"), token.isEmpty() ? m_gridd->localToken() : token);
        // ssh reads the config of the passwd home, not $HOME: name ours.
        env.insert(QStringLiteral("GRID_SSH_CONFIG"), m_home.filePath(QStringLiteral(".ssh/config")));
        return env;
    }

    CliResult grid(const QStringList &args, const QString &token = {}) const
    {
        return og::test::runGrid(args, environment(token));
    }

    // `grid session ssh NAME -- CMD`: the key registered with `grid ssh-keys add` is offered by
    // the managed config itself (no -i), and never a prompt.
    CliResult sshRun(const QString &session, const QString &command) const
    {
        return grid({QStringLiteral("session"), QStringLiteral("ssh"), session, QStringLiteral("--"), QStringLiteral("-o"),
                     QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), command});
    }

    QString statusOf(const QString &name) const
    {
        return m_gridd->call("GET", QStringLiteral("/sessions/") + name).object().value(QStringLiteral("session")).toObject()
            .value(QStringLiteral("status")).toString();
    }

    bool waitForStatus(const QString &name, const QString &status, int timeoutMs = 30000) const
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (statusOf(name) == status)
                return true;
            QTest::qWait(100);
        }
        return false;
    }

    // The sessions' own logs (agent, sshd) and their supervisors', for failure messages.
    QString sessionLogs() const
    {
        QString out;
        QDirIterator it(m_gridd->dataDir() + QStringLiteral("/sessions"), {QStringLiteral("output.log"), QStringLiteral("supervisor.log")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                out += f.fileName() + QStringLiteral(":\n") + QString::fromUtf8(f.readAll().right(4000)) + u'\n';
        }
        return out;
    }

    // The SSH cell of NAME's row in `grid session` (the column before URL), or why there is none.
    QString listedConnections(const QString &name) const
    {
        const CliResult r = grid({QStringLiteral("session")});
        if (r.code != 0)
            return QStringLiteral("exit %1: %2").arg(r.code).arg(r.err);
        const QStringList lines = r.out.split(u'\n');
        int column = -1;
        for (const QString &line : lines) {
            const QStringList cells = line.split(QRegularExpression(QStringLiteral("[│┃]")));
            const auto at = [&cells](int i) { return i < cells.size() ? cells.at(i).trimmed() : QString(); };
            if (column < 0) {
                for (int i = 0; i < cells.size(); ++i)
                    if (cells.at(i).trimmed() == u"SSH")
                        column = i;
            } else if (at(1) == name) {
                return at(column);
            }
        }
        return QStringLiteral("no SSH column or no row for %1 in:\n%2").arg(name, r.out);
    }

    static quint16 freePort()
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost);
        return server.serverPort();
    }

    static int run(const QString &program, const QStringList &args, QString *out = nullptr)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        p.waitForFinished(60000);
        if (out)
            *out = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        if (!QFileInfo::exists(QStringLiteral("/usr/sbin/sshd")) || QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("OpenSSH's server and client are not installed (scripts/install-deps.sh installs them)");
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        QFile credentials(m_gridd->dataDir() + QStringLiteral("/local-credentials.json"));
        QVERIFY(credentials.open(QIODevice::ReadOnly));
        m_userId = QJsonDocument::fromJson(credentials.readAll()).object().value(QStringLiteral("UserID")).toString();
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        m_key = m_home.filePath(QStringLiteral(".ssh/grid_ssh_creds"));
        // The spec's step 3, verbatim but for the path.
        QCOMPARE(run(QStringLiteral("ssh-keygen"), {QStringLiteral("-b"), QStringLiteral("2048"), QStringLiteral("-t"), QStringLiteral("rsa"),
                                                    QStringLiteral("-f"), m_key, QStringLiteral("-q"), QStringLiteral("-N"), QString()}), 0);

        // A datastore to mount.
        QTemporaryDir data;
        QDir(data.path()).mkpath(QStringLiteral("train/cat"));
        QFile image(data.filePath(QStringLiteral("train/cat/1.png")));
        QVERIFY(image.open(QIODevice::WriteOnly));
        image.write("not really a png");
        image.close();
        auto api = m_gridd->client();
        og::DatastoreUploader uploader(*api);
        og::UploadRequest request;
        request.source = data.path();
        request.name = QStringLiteral("cifar5");
        QVERIFY(uploader.run(request).ok());
    }

    void sshKeysAreCheckedAndListedWithFingerprints()
    {
        // The private key's path, as the spec passes it: its .pub is what gets registered.
        CliResult r = grid({QStringLiteral("ssh-keys"), QStringLiteral("add"), QStringLiteral("key_1"), m_key});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Added key key_1 with id: ")), qPrintable(r.out));
        QString fingerprint;
        QCOMPARE(run(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-f"), m_key + QStringLiteral(".pub")}, &fingerprint), 0);
        fingerprint = fingerprint.section(u' ', 1, 1); // "2048 SHA256:… comment (RSA)"
        r = grid({QStringLiteral("ssh-keys"), QStringLiteral("list")});
        QVERIFY(r.out.contains(fingerprint));

        // The same name again, the same key under another name.
        r = grid({QStringLiteral("ssh-keys"), QStringLiteral("add"), QStringLiteral("key_1"), m_key});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("already exists")), qPrintable(r.err));
        r = grid({QStringLiteral("ssh-keys"), QStringLiteral("add"), QStringLiteral("again"), m_key + QStringLiteral(".pub")});
        QVERIFY2(r.err.contains(QStringLiteral("already registered as 'key_1'")), qPrintable(r.err));

        // Weak and malformed keys, checked by gridd too (not only the CLI).
        const QString weak = m_home.filePath(QStringLiteral("weak"));
        QCOMPARE(run(QStringLiteral("ssh-keygen"), {QStringLiteral("-b"), QStringLiteral("1024"), QStringLiteral("-t"), QStringLiteral("rsa"),
                                                    QStringLiteral("-f"), weak, QStringLiteral("-q"), QStringLiteral("-N"), QString()}), 0);
        QFile weakPub(weak + QStringLiteral(".pub"));
        QVERIFY(weakPub.open(QIODevice::ReadOnly));
        ApiResult api = m_gridd->call("POST", QStringLiteral("/ssh-keys"),
                                      QJsonObject{{QStringLiteral("name"), QStringLiteral("weak")},
                                                  {QStringLiteral("public_key"), QString::fromLatin1(weakPub.readAll())}});
        QCOMPARE(api.httpStatus, 422);
        QVERIFY2(api.message.contains(QStringLiteral("1024 bits, too weak")), qPrintable(api.message));
        api = m_gridd->call("POST", QStringLiteral("/ssh-keys"), QJsonObject{{QStringLiteral("name"), QStringLiteral("junk")},
                                                                            {QStringLiteral("public_key"), QStringLiteral("ssh-ed25519 AAAA!!")}});
        QCOMPARE(api.httpStatus, 422);
        r = grid({QStringLiteral("ssh-keys"), QStringLiteral("add"), QStringLiteral("x"), m_home.filePath(QStringLiteral("missing"))});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QStringLiteral("cannot read")));
    }

    void badCreationsAreRefused()
    {
        CliResult r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("x"),
                            QStringLiteral("--datastore_name"), QStringLiteral("cifar5"), QStringLiteral("--datastore_version"), QStringLiteral("7")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cifar5:7")), qPrintable(r.err));
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("x"),
                  QStringLiteral("--instance_type"), QStringLiteral("p3.16xlarge")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("this cluster has")), qPrintable(r.err));
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("Bad_Name")});
        QCOMPARE(r.code, 1);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/sessions")).object().value(QStringLiteral("sessions")).toArray().size(), 0);
    }

    void createFromAConfigFile()
    {
        // Grid's session YAML; the flags given beside it win.
        const QString path = m_home.filePath(QStringLiteral("session.yml"));
        QFile yaml(path);
        QVERIFY(yaml.open(QIODevice::WriteOnly));
        yaml.write("compute:\n  provider:\n    cluster: local\n  train:\n    instance_type: cpu-2\n    disk_size: 150\n"
                   "    use_spot: false\n    datastore_name: cifar5\n    datastore_version: 1\n    datastore_mount_dir: /data/from-file\n");
        yaml.close();
        CliResult r = grid({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("session"), QStringLiteral("create"),
                            QStringLiteral("--config"), path, QStringLiteral("--name"), QStringLiteral("from-config"),
                            QStringLiteral("--instance_type"), QStringLiteral("cpu-1")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject s = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(s.value(QStringLiteral("instance_type")).toString(), QStringLiteral("cpu-1"));
        QCOMPARE(s.value(QStringLiteral("disk_size")).toInt(), 150);
        QCOMPARE(s.value(QStringLiteral("datastore")).toString(), QStringLiteral("cifar5"));
        QCOMPARE(s.value(QStringLiteral("datastore_mount_dir")).toString(), QStringLiteral("/data/from-file"));
        QCOMPARE(grid({QStringLiteral("session"), QStringLiteral("delete"), QStringLiteral("from-config"), QStringLiteral("--yes")}).code, 0);

        // A key sessions do not have, and a bad value: errors naming the file and the key.
        QVERIFY(yaml.open(QIODevice::WriteOnly | QIODevice::Truncate));
        yaml.write("compute:\n  train:\n    instance_type: cpu-1\n    gpus: 1\n");
        yaml.close();
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--config"), path});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(path + QStringLiteral(": unknown key 'compute.train.gpus'")), qPrintable(r.err));
        QVERIFY(yaml.open(QIODevice::WriteOnly | QIODevice::Truncate));
        yaml.write("compute:\n  train:\n    disk_size: lots\n");
        yaml.close();
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--config"), path});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("compute.train.disk_size must be a whole number")), qPrintable(r.err));
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--config"), path + QStringLiteral(".missing")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("cannot read the config")), qPrintable(r.err));
        QTRY_COMPARE_WITH_TIMEOUT(m_gridd->call("GET", QStringLiteral("/sessions")).object().value(QStringLiteral("sessions")).toArray().size(), 0, 30000);
    }

    void createdSessionIsReachableOverSsh()
    {
        CliResult r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--instance_type"), QStringLiteral("cpu-1"),
                            QStringLiteral("--name"), QStringLiteral("resnet-debugging"), QStringLiteral("--datastore_name"),
                            QStringLiteral("cifar5"), QStringLiteral("--datastore_version"), QStringLiteral("1")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("Interactive session created")));
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("resnet-debugging")});
        QVERIFY2(r.err.contains(QStringLiteral("A Session with the name resnet-debugging already exists")), qPrintable(r.err));
        QVERIFY2(waitForStatus(QStringLiteral("resnet-debugging"), QStringLiteral("running")), qPrintable(sessionLogs()));
        r = grid({QStringLiteral("status")});
        QVERIFY(r.out.contains(QStringLiteral("resnet-debugging")));

        r = sshRun(QStringLiteral("resnet-debugging"),
                   QStringLiteral("echo hi from $(hostname); ls ~/datastore/train/cat /datastores/cifar5/train/cat; "
                                  "touch ~/datastore/new 2>/dev/null && echo writable || echo read-only; "
                                  "echo session=$GRID_SESSION_NAME cuda=[$CUDA_VISIBLE_DEVICES]; echo from=$SSH_CONNECTION"));
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out + sessionLogs()));
        // sshd got ssh's own TCP connection (no relay: over the agent's Unix socket it says UNKNOWN).
        QVERIFY2(r.out.contains(QStringLiteral("from=127.0.0.1 ")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("hi from resnet-debugging")), qPrintable(r.out));
        QCOMPARE(r.out.count(QStringLiteral("1.png")), 2);
        QVERIFY(r.out.contains(QStringLiteral("read-only")));
        QVERIFY(r.out.contains(QStringLiteral("session=resnet-debugging cuda=[]")));

        // The managed block and the pinned host key.
        QFile config(m_home.filePath(QStringLiteral(".ssh/config")));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(config.readAll());
        QVERIFY(text.contains(QStringLiteral("### grid.ai managed BEGIN do not edit manually###\nHost resnet-debugging\n")));
        QVERIFY(text.contains(QStringLiteral("session proxy --fdpass %n\n    ProxyUseFdpass yes\n")));
        QVERIFY(text.contains(QStringLiteral("StrictHostKeyChecking yes")));
        QVERIFY(text.contains(QStringLiteral("IdentityFile ") + m_key + u'\n'));
        const QString hostKey = m_gridd->call("GET", QStringLiteral("/sessions/resnet-debugging")).object().value(QStringLiteral("session"))
                                    .toObject().value(QStringLiteral("host_key")).toString();
        QFile known(m_home.filePath(QStringLiteral(".grid/known_hosts")));
        QVERIFY(known.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(known.readAll()), QStringLiteral("resnet-debugging ") + hostKey + u'\n');
    }

    void vsCodeStepsWithoutVsCode()
    {
        if (!QStandardPaths::findExecutable(QStringLiteral("code")).isEmpty())
            QSKIP("VS Code is installed here; this checks the steps printed without it");
        // Both spellings: NAME --vscode, and the spec's `grid session ssh vscode` (one session runs).
        for (const QStringList &args : {QStringList{QStringLiteral("resnet-debugging"), QStringLiteral("--vscode")},
                                        QStringList{QStringLiteral("vscode")}}) {
            const CliResult r = grid(QStringList{QStringLiteral("session"), QStringLiteral("ssh")} + args);
            QVERIFY2(r.code == 0, qPrintable(r.err));
            QVERIFY2(r.out.contains(QStringLiteral("\"Remote - SSH\" extension")), qPrintable(r.out));
            QVERIFY(r.out.contains(QStringLiteral("pick \"resnet-debugging\"")));
        }
    }

    void filesTravelWithScp()
    {
        const QString local = m_home.filePath(QStringLiteral("notes.txt"));
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("copied with scp\n");
        f.close();
        QString out;
        const QString config = m_home.filePath(QStringLiteral(".ssh/config"));
        QProcess scp;
        scp.setProcessEnvironment(environment());
        scp.setProcessChannelMode(QProcess::MergedChannels);
        scp.start(QStringLiteral("scp"), {QStringLiteral("-F"), config, QStringLiteral("-i"), m_key, QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                          local, QStringLiteral("resnet-debugging:notes.txt")});
        QVERIFY(scp.waitForFinished(60000));
        QVERIFY2(scp.exitCode() == 0, scp.readAll().constData());
        const CliResult r = sshRun(QStringLiteral("resnet-debugging"), QStringLiteral("cat ~/notes.txt"));
        QVERIFY2(r.out.contains(QStringLiteral("copied with scp")), qPrintable(r.out + r.err));
    }

    void backgroundProcessesOutliveTheConnection()
    {
        CliResult r = sshRun(QStringLiteral("resnet-debugging"),
                             QStringLiteral("nohup sh -c 'while true; do date >> ~/ticks; sleep 0.2; done' >/dev/null 2>&1 & echo started"));
        QVERIFY2(r.out.contains(QStringLiteral("started")), qPrintable(r.err));
        QTest::qWait(1000);
        r = sshRun(QStringLiteral("resnet-debugging"), QStringLiteral("a=$(wc -l < ~/ticks); sleep 1; b=$(wc -l < ~/ticks); [ $b -gt $a ] && echo growing"));
        QVERIFY2(r.out.contains(QStringLiteral("growing")), qPrintable(r.out + r.err));
    }

    void theWebSocketTunnelStillCarriesSsh()
    {
        // The same ssh, forced through gridd's WebSocket: with --fdpass (a child of the proxy
        // pumps a socket pair), and the ProxyCommand of configs written before --fdpass (the
        // proxy pumps ssh's pipes). sshd then sits on the agent's Unix socket: no peer address.
        const QString program = GriddProcess::gridProgram();
        const QList<QStringList> ways{
            {QStringLiteral("ProxyCommand=%1 session proxy --fdpass --websocket %n").arg(program), QStringLiteral("ProxyUseFdpass=yes")},
            {QStringLiteral("ProxyCommand=%1 session proxy %n").arg(program), QStringLiteral("ProxyUseFdpass=no")}};
        for (const QStringList &way : ways) {
            QProcess ssh;
            ssh.setProcessEnvironment(environment());
            ssh.start(QStringLiteral("ssh"), {QStringLiteral("-F"), m_home.filePath(QStringLiteral(".ssh/config")), QStringLiteral("-o"),
                                              QStringLiteral("BatchMode=yes"), QStringLiteral("-o"), way.at(0), QStringLiteral("-o"), way.at(1),
                                              QStringLiteral("resnet-debugging"), QStringLiteral("echo from=$SSH_CONNECTION; head -c 3000000 /dev/zero | wc -c")});
            QVERIFY(ssh.waitForFinished(60000));
            const QByteArray out = ssh.readAllStandardOutput();
            QVERIFY2(ssh.exitCode() == 0, qPrintable(way.join(u' ') + ssh.readAllStandardError() + sessionLogs()));
            QVERIFY2(out.contains("from=UNKNOWN ") && out.contains("\n3000000\n"), out.constData());
        }
        // --fdpass where ssh does not pass a socket: a clear error, nothing sent.
        const CliResult r = grid({QStringLiteral("session"), QStringLiteral("proxy"), QStringLiteral("--fdpass"), QStringLiteral("resnet-debugging")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("ProxyUseFdpass yes")), qPrintable(r.err));
    }

    void sftpAndPortForwardsWork()
    {
        const QString config = m_home.filePath(QStringLiteral(".ssh/config"));
        // sftp: fetch what scp put there.
        const QString batch = m_home.filePath(QStringLiteral("sftp-batch"));
        QFile b(batch);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(QStringLiteral("get notes.txt %1\n").arg(m_home.filePath(QStringLiteral("fetched.txt"))).toUtf8());
        b.close();
        QProcess sftp;
        sftp.setProcessEnvironment(environment());
        sftp.setProcessChannelMode(QProcess::MergedChannels);
        sftp.start(QStringLiteral("sftp"), {QStringLiteral("-F"), config, QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                            QStringLiteral("-b"), batch, QStringLiteral("resnet-debugging")});
        QVERIFY2(sftp.waitForStarted(10000), qPrintable(QStringLiteral("sftp did not start (%1): install openssh-client").arg(sftp.errorString())));
        QVERIFY(sftp.waitForFinished(60000));
        QVERIFY2(sftp.exitCode() == 0, sftp.readAll().constData());
        QFile fetched(m_home.filePath(QStringLiteral("fetched.txt")));
        QVERIFY(fetched.open(QIODevice::ReadOnly));
        QCOMPARE(fetched.readAll(), QByteArray("copied with scp\n"));

        // ssh -L to a server started in the session (its stdin away from the channel too, or
        // sshd keeps the connection open for it and the command never returns; `cd ~;`, not
        // `cd ~ &&`, or the whole list runs in a background subshell that keeps the channel).
        const quint16 remote = freePort(), local = freePort();
        CliResult r = sshRun(QStringLiteral("resnet-debugging"),
                             QStringLiteral("cd ~; nohup python3 -m http.server %1 --bind 127.0.0.1 </dev/null >/dev/null 2>&1 & echo serving").arg(remote));
        QVERIFY2(r.out.contains(QStringLiteral("serving")), qPrintable(r.err));
        QProcess forward;
        forward.setProcessEnvironment(environment());
        forward.start(QStringLiteral("ssh"), {QStringLiteral("-F"), config, QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                              QStringLiteral("-o"), QStringLiteral("ExitOnForwardFailure=yes"), QStringLiteral("-N"),
                                              QStringLiteral("-L"), QStringLiteral("127.0.0.1:%1:127.0.0.1:%2").arg(local).arg(remote),
                                              QStringLiteral("resnet-debugging")});
        QByteArray page;
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired() && !page.contains("copied with scp")) {
            page = httpGet(local, "/notes.txt");
            if (!page.contains("copied with scp"))
                QTest::qWait(200);
        }
        forward.kill();
        forward.waitForFinished(5000);
        QVERIFY2(page.contains("copied with scp"), page.constData());
    }

    void aDroppedConnectionEndsOnlyItsSshd()
    {
        const QString count = QStringLiteral("pgrep -c -f 'sshd: .*@notty'");
        QProcess held;
        held.setProcessEnvironment(environment());
        held.start(GriddProcess::gridProgram(), {QStringLiteral("session"), QStringLiteral("ssh"), QStringLiteral("resnet-debugging"),
                                                 QStringLiteral("--"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                 QStringLiteral("sleep 120")});
        QTRY_VERIFY_WITH_TIMEOUT(sshRun(QStringLiteral("resnet-debugging"), count).out.trimmed() == u"2", 20000);
        held.kill(); // the client vanishes: ssh, and with it its end of the TCP connection
        held.waitForFinished(5000);
        QTRY_VERIFY_WITH_TIMEOUT(sshRun(QStringLiteral("resnet-debugging"), count).out.trimmed() == u"1", 20000);
        QCOMPARE(statusOf(QStringLiteral("resnet-debugging")), QStringLiteral("running"));
    }

    void sshConnectionsAreCountedAndAnnounced()
    {
        auto api = m_gridd->client();
        og::EventsClient events(api.get());
        QSignalSpy subscribed(&events, &og::EventsClient::subscribed);
        QSignalSpy received(&events, &og::EventsClient::eventReceived);
        events.subscribe(QStringLiteral("sessions"));
        events.start();
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, 10000);
        const auto connections = [this] {
            return m_gridd->call("GET", QStringLiteral("/sessions/resnet-debugging")).object().value(QStringLiteral("session")).toObject()
                .value(QStringLiteral("ssh_connections")).toInt(-1);
        };
        const auto announced = [&received](int count) {
            for (const QList<QVariant> &args : received) {
                const QJsonObject e = args.at(0).toJsonObject();
                const QJsonObject s = e.value(QStringLiteral("object")).toObject();
                if (e.value(QStringLiteral("action")).toString() == u"updated" && s.value(QStringLiteral("name")).toString() == u"resnet-debugging"
                    && s.value(QStringLiteral("ssh_connections")).toInt(-1) == count)
                    return true;
            }
            return false;
        };
        // Direct connections (no byte through gridd) are counted until their sshd ends.
        QTRY_COMPARE_WITH_TIMEOUT(connections(), 0, 10000);
        received.clear();
        QProcess held;
        held.setProcessEnvironment(environment());
        held.start(GriddProcess::gridProgram(), {QStringLiteral("session"), QStringLiteral("ssh"), QStringLiteral("resnet-debugging"),
                                                 QStringLiteral("--"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                 QStringLiteral("sleep 120")});
        QTRY_COMPARE_WITH_TIMEOUT(connections(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(announced(1), 5000);
        QCOMPARE(listedConnections(QStringLiteral("resnet-debugging")), QStringLiteral("1"));
        received.clear();
        held.kill();
        held.waitForFinished(5000);
        QTRY_COMPARE_WITH_TIMEOUT(connections(), 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(announced(0), 5000);
        QCOMPARE(listedConnections(QStringLiteral("resnet-debugging")), QStringLiteral("0"));
    }

    void killedGriddFindsItsSessionsAgain()
    {
        m_gridd->kill();
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        QCOMPARE(statusOf(QStringLiteral("resnet-debugging")), QStringLiteral("running"));
        QTest::qWait(1000); // a few scheduling passes: still running, not recorded as ended
        QCOMPARE(statusOf(QStringLiteral("resnet-debugging")), QStringLiteral("running"));
        const CliResult r = sshRun(QStringLiteral("resnet-debugging"),
                                   QStringLiteral("a=$(wc -l < ~/ticks); sleep 1; b=$(wc -l < ~/ticks); [ $b -gt $a ] && echo still-ticking"));
        QVERIFY2(r.out.contains(QStringLiteral("still-ticking")), qPrintable(r.out + r.err));
    }

    void anotherUserCannotReachTheSession()
    {
        const QString bob = GriddProcess::addUser(m_gridd->dataDir(), QStringLiteral("bob"));
        QVERIFY(!bob.isEmpty());
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/sessions/resnet-debugging"), {}, bob).httpStatus, 404);
        QCOMPARE(m_gridd->call("POST", QStringLiteral("/sessions/resnet-debugging/pause"), QJsonObject{}, bob).httpStatus, 404);
        // The tunnel itself: refused before any byte reaches the session.
        QProcessEnvironment env = environment(bob);
        env.insert(QStringLiteral("GRID_USER_ID"), QStringLiteral("bob"));
        QProcess proxy;
        proxy.setProcessEnvironment(env);
        proxy.start(GriddProcess::gridProgram(), {QStringLiteral("session"), QStringLiteral("proxy"), QStringLiteral("resnet-debugging")});
        QVERIFY(proxy.waitForFinished(30000));
        QCOMPARE(proxy.exitCode(), 1);
        QVERIFY2(proxy.readAllStandardError().contains("does not exist"), "bob's proxy must be told the session does not exist");
        QCOMPARE(proxy.readAllStandardOutput(), QByteArray());
        // The direct upgrade too: a plain 404, and no sshd's banner.
        const QByteArray answer = og::test::rawExchange(
            m_gridd->url(), "GET /api/v1/sessions/resnet-debugging/ssh HTTP/1.1\r\nHost: x\r\nUpgrade: opengrid-ssh\r\n"
                            "Connection: Upgrade\r\nAuthorization: Bearer " + bob.toLatin1() + "\r\n\r\n", 3000);
        QCOMPARE(og::test::statusOf(answer), 404);
        QVERIFY2(answer.contains("does not exist") && !answer.contains("SSH-2.0"), answer.constData());
    }

    void aBadTunnelHandshakeIsAPlainError()
    {
        // gridd answers the SSH tunnel's handshake itself: one without a key is a 400 that
        // says what is missing, and then a binary message of garbage closes only that tunnel.
        const QByteArray head = "GET /api/v1/sessions/resnet-debugging/ssh HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nAuthorization: Bearer " + m_gridd->localToken().toLatin1() + "\r\n";
        QByteArray answer = og::test::rawExchange(m_gridd->url(), head + "\r\n");
        QCOMPARE(og::test::statusOf(answer), 400);
        QVERIFY2(answer.contains("Sec-WebSocket-Key"), answer.constData());
        answer = og::test::rawExchange(m_gridd->url(), head + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                              "Sec-WebSocket-Version: 13\r\n\r\n\x82\x05nomask", 3000);
        QCOMPARE(og::test::statusOf(answer), 101);
        QVERIFY(answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY2(answer.contains("\x88"), "an unmasked client frame is answered with a close"); // opcode 8, FIN

        // The direct upgrade: after the 101 the socket is the session's sshd's (its banner
        // follows); bytes sent before the 101 would reach no one, so that is a 400 instead.
        const QByteArray direct = "GET /api/v1/sessions/resnet-debugging/ssh HTTP/1.1\r\nHost: x\r\nUpgrade: opengrid-ssh\r\n"
                                  "Connection: Upgrade\r\nAuthorization: Bearer " + m_gridd->localToken().toLatin1() + "\r\n\r\n";
        answer = og::test::rawExchange(m_gridd->url(), direct, 3000);
        QCOMPARE(og::test::statusOf(answer), 101);
        QVERIFY2(answer.contains("Upgrade: opengrid-ssh\r\n") && answer.contains("\r\n\r\nSSH-2.0-OpenSSH"), answer.constData());
        answer = og::test::rawExchange(m_gridd->url(), direct + "SSH-2.0-too-early\r\n", 3000);
        QCOMPARE(og::test::statusOf(answer), 400);
        QVERIFY2(answer.contains("wait for its 101"), answer.constData());
        QCOMPARE(statusOf(QStringLiteral("resnet-debugging")), QStringLiteral("running"));
        QCOMPARE(sshRun(QStringLiteral("resnet-debugging"), QStringLiteral("echo still here")).out.trimmed(), QStringLiteral("still here"));
    }

    void changedHostKeyIsAHardStop()
    {
        QFile known(m_home.filePath(QStringLiteral(".grid/known_hosts")));
        QVERIFY(known.open(QIODevice::ReadOnly));
        const QByteArray good = known.readAll();
        known.close();
        // What an impostor's key would look like to ssh: sync writes the platform's key again,
        // so call ssh directly with a tampered copy.
        const QString tampered = m_home.filePath(QStringLiteral("tampered_known_hosts"));
        QFile t(tampered);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write("resnet-debugging ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        t.close();
        QProcess ssh;
        ssh.setProcessEnvironment(environment());
        ssh.setProcessChannelMode(QProcess::MergedChannels);
        ssh.start(QStringLiteral("ssh"), {QStringLiteral("-F"), m_home.filePath(QStringLiteral(".ssh/config")), QStringLiteral("-i"), m_key,
                                          QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
                                          QStringLiteral("UserKnownHostsFile=") + tampered, QStringLiteral("resnet-debugging"), QStringLiteral("true")});
        QVERIFY(ssh.waitForFinished(60000));
        QCOMPARE(ssh.exitCode(), 255);
        QVERIFY(ssh.readAll().contains("Host key verification failed"));
        Q_UNUSED(good);
    }

    void pauseStopsEverythingAndKeepsTheHome()
    {
        // Changing the instance type needs a paused session.
        CliResult r = grid({QStringLiteral("session"), QStringLiteral("change-instance-type"), QStringLiteral("resnet-debugging"), QStringLiteral("cpu-2")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("pause it first")), qPrintable(r.err));

        r = grid({QStringLiteral("session"), QStringLiteral("resume"), QStringLiteral("resnet-debugging")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("already running")), qPrintable(r.err));

        QVERIFY(sshRun(QStringLiteral("resnet-debugging"), QStringLiteral("echo kept > ~/kept.txt; mkdir -p ~/.local/lib && echo pkg > ~/.local/lib/installed")).code == 0);
        // The session's own /var is kept too, and what the session leaves in it is never followed
        // by gridd when it sets /var up again on resume: links to a host directory in place of
        // /var/tmp and /var/log/lastlog, and a directory in place of the /var/run link.
        const QString victim = m_dir.filePath(QStringLiteral("victim"));
        QVERIFY(QDir().mkpath(victim));
        QVERIFY(QFile::setPermissions(victim, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        r = sshRun(QStringLiteral("resnet-debugging"),
                   QStringLiteral("echo mine > /var/tmp/kept && test -f /var/log/lastlog && test /var/run -ef /run && echo var-ok; "
                                  "mkdir -p /var/lib/app && echo state > /var/lib/app/db"));
        QVERIFY2(r.out.contains(QStringLiteral("var-ok")), qPrintable(r.out + r.err));
        // An open connection (ssh's own socket, held by the session's sshd) ends with the pause.
        QProcess held;
        held.setProcessEnvironment(environment());
        held.start(GriddProcess::gridProgram(), {QStringLiteral("session"), QStringLiteral("ssh"), QStringLiteral("resnet-debugging"),
                                                 QStringLiteral("--"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                                 QStringLiteral("echo up; sleep 120")});
        QByteArray heldOut;
        QDeadlineTimer connected(20000);
        while (!heldOut.contains("up") && held.state() != QProcess::NotRunning && !connected.hasExpired()) {
            held.waitForReadyRead(200);
            heldOut += held.readAllStandardOutput();
        }
        heldOut += held.readAllStandardOutput();
        QVERIFY2(heldOut.contains("up"), qPrintable(QString::fromUtf8(heldOut + held.readAllStandardError()) + sessionLogs()));
        r = sshRun(QStringLiteral("resnet-debugging"),
                   QStringLiteral("rm -rf /var/tmp /var/log/lastlog /var/run && ln -s %1 /var/tmp && ln -s %1/planted /var/log/lastlog "
                                  "&& mkdir /var/run && echo planted").arg(victim));
        QVERIFY2(r.out.contains(QStringLiteral("planted")), qPrintable(r.out + r.err));
        r = grid({QStringLiteral("session"), QStringLiteral("pause"), QStringLiteral("resnet-debugging")});
        QVERIFY2(r.out.contains(QStringLiteral("Interactive session resnet-debugging has been paused successfully.")), qPrintable(r.err));
        QVERIFY(waitForStatus(QStringLiteral("resnet-debugging"), QStringLiteral("paused")));
        if (held.state() != QProcess::NotRunning && !held.waitForFinished(20000)) {
            QProcess ss;
            ss.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("ss -tnp; ps -ef | grep -v grep | grep -E 'ssh|grid'")});
            ss.waitForFinished(5000);
            QFAIL(qPrintable(QStringLiteral("the paused session's ssh connection must end\n") + QString::fromUtf8(ss.readAll()) + sessionLogs()));
        }
        r = sshRun(QStringLiteral("resnet-debugging"), QStringLiteral("true"));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("grid session resume resnet-debugging")), qPrintable(r.err));

        r = grid({QStringLiteral("session"), QStringLiteral("change-instance-type"), QStringLiteral("resnet-debugging"), QStringLiteral("cpu-2")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = grid({QStringLiteral("session"), QStringLiteral("resume"), QStringLiteral("resnet-debugging")});
        QVERIFY(r.out.contains(QStringLiteral("successfully began resuming")));
        QVERIFY(waitForStatus(QStringLiteral("resnet-debugging"), QStringLiteral("running")));
        r = sshRun(QStringLiteral("resnet-debugging"),
                   QStringLiteral("cat ~/kept.txt ~/.local/lib/installed; a=$(wc -l < ~/ticks); sleep 1; b=$(wc -l < ~/ticks); "
                                  "[ $a = $b ] && echo stopped; echo type=$GRID_INSTANCE_TYPE"));
        QVERIFY2(r.out.contains(QStringLiteral("kept\npkg\nstopped\ntype=cpu-2")), qPrintable(r.out + r.err));
        // /var came back as it should be; the host directory the links pointed at is untouched.
        r = sshRun(QStringLiteral("resnet-debugging"),
                   QStringLiteral("cat /var/lib/app/db; stat -c %a /var/tmp; test -f /var/log/lastlog && test ! -L /var/log/lastlog "
                                  "&& echo lastlog-file; readlink /var/run"));
        QVERIFY2(r.out.contains(QStringLiteral("state\n1777\nlastlog-file\n/run")), qPrintable(r.out + r.err));
        QCOMPARE(QFileInfo(victim).permissions() & (QFileDevice::WriteOther | QFileDevice::ReadOther), QFileDevice::Permissions());
        QVERIFY(!QFile::exists(victim + QStringLiteral("/planted")));
    }

    void gpuSessionShowsItsGpuInNvidiaSmi()
    {
        const QJsonArray gpus = m_gridd->call("GET", QStringLiteral("/instance-types")).object().value(QStringLiteral("cluster"))
                                    .toObject().value(QStringLiteral("gpus")).toArray();
        if (gpus.isEmpty())
            QSKIP("this machine has no NVIDIA GPU (scripts/gpu-check.sh runs this on one)");
        // gpu-1 takes the GPU's share of the machine's CPUs and memory: on a one-GPU machine,
        // all of them. Pausing frees what the other session holds.
        CliResult r = grid({QStringLiteral("session"), QStringLiteral("pause"), QStringLiteral("resnet-debugging")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(waitForStatus(QStringLiteral("resnet-debugging"), QStringLiteral("paused")));
        r = grid({QStringLiteral("session"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("gpu-box"),
                            QStringLiteral("--instance_type"), QStringLiteral("gpu-1")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(waitForStatus(QStringLiteral("gpu-box"), QStringLiteral("running")), qPrintable(sessionLogs()));
        r = sshRun(QStringLiteral("gpu-box"), QStringLiteral("nvidia-smi -L; echo cuda=$CUDA_VISIBLE_DEVICES"));
        qInfo().noquote() << r.out << r.err;
        QVERIFY2(r.code == 0, qPrintable(r.err + sessionLogs()));
        QCOMPARE(r.out.count(QStringLiteral("GPU 0:")), 1);
        QCOMPARE(r.out.count(QStringLiteral("GPU 1:")), 0);
        const QString uuid = r.out.section(QStringLiteral("cuda="), 1).trimmed();
        QVERIFY2(uuid.startsWith(QStringLiteral("GPU-")) && r.out.contains(QStringLiteral("(UUID: ") + uuid + u')'), qPrintable(r.out));
        r = grid({QStringLiteral("session"), QStringLiteral("delete"), QStringLiteral("gpu-box"), QStringLiteral("--yes")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QTRY_COMPARE_WITH_TIMEOUT(m_gridd->call("GET", QStringLiteral("/sessions/gpu-box")).httpStatus, 404, 30000);
    }

    void deleteRemovesTheSessionAndItsFiles()
    {
        const QString sessionsDir = m_gridd->dataDir() + QStringLiteral("/sessions");
        QCOMPARE(QDir(sessionsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);
        CliResult r = grid({QStringLiteral("session"), QStringLiteral("delete"), QStringLiteral("resnet-debugging")});
        QCOMPARE(r.code, 2); // no terminal to ask on
        r = grid({QStringLiteral("session"), QStringLiteral("delete"), QStringLiteral("resnet-debugging"), QStringLiteral("--yes")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QTRY_COMPARE_WITH_TIMEOUT(m_gridd->call("GET", QStringLiteral("/sessions/resnet-debugging")).httpStatus, 404, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(QDir(sessionsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 0, 10000);
        // The datastore it mounted can go now.
        QCOMPARE(m_gridd->call("DELETE", QStringLiteral("/datastores/cifar5/versions/1")).httpStatus, 200);
    }
};

QTEST_GUILESS_MAIN(TestSessions)
#include "test_sessions.moc"
