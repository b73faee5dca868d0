// SPDX-License-Identifier: GPL-3.0-or-later
// The real `grid` binary on a fresh home: no setup, the local platform starts on first use
// (once, even when two commands race), tables and JSON output, one-line errors.
#include "core/localplatform.h"
#include "tests/support/griddprocess.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

using og::test::CliResult;
using og::test::GriddProcess;
using og::test::onlyOwnerCanRead;

class TestCli final : public QObject
{
    Q_OBJECT

    QProcessEnvironment environment() const { return og::test::cliEnvironment(m_home.path()); }
    CliResult grid(const QStringList &args, const QProcessEnvironment &env) { return og::test::runGrid(args, env); }
    CliResult grid(const QStringList &args) { return grid(args, environment()); }

    QString dataDir() const { return m_home.path() + QStringLiteral("/platform"); }

    qint64 endpointPid() const
    {
        QFile f(og::localplatform::endpointFile(dataDir()));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("pid")).toInteger();
    }

private Q_SLOTS:
    void cleanupTestCase()
    {
        // Stop the gridd the CLI started, and wait, so the temporary home can be removed.
        if (const qint64 pid = endpointPid(); pid > 0) {
            ::kill(pid_t(pid), SIGTERM);
            QTRY_VERIFY_WITH_TIMEOUT(!og::localplatform::processAlive(pid), 15000);
        }
    }

    void firstStatusOnAFreshMachineJustWorks()
    {
        // Two commands race to start the local platform; exactly one gridd comes up.
        QProcess a, b;
        for (QProcess *p : {&a, &b}) {
            p->setProcessEnvironment(environment());
            p->start(GriddProcess::gridProgram(), {QStringLiteral("status")});
        }
        QVERIFY(a.waitForFinished(60000) && b.waitForFinished(60000));
        for (QProcess *p : {&a, &b}) {
            QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
            QCOMPARE(QString::fromUtf8(p->readAllStandardOutput()).count(QStringLiteral("None Active.")), 2);
        }
        const qint64 pid = endpointPid();
        QVERIFY(og::localplatform::processAlive(pid));
        // A later command reuses it.
        const CliResult again = grid({QStringLiteral("status")});
        QCOMPARE(again.code, 0);
        QCOMPARE(endpointPid(), pid);
        QVERIFY(again.out.contains(QStringLiteral("┃ Run")));
        QVERIFY(again.out.contains(QStringLiteral("┃ Session")));
    }

    void jsonOutput()
    {
        for (const QStringList &args : {QStringList{QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("status")},
                                        QStringList{QStringLiteral("status"), QStringLiteral("--output"), QStringLiteral("json")}}) {
            const CliResult r = grid(args);
            QCOMPARE(r.code, 0);
            QJsonParseError e;
            const QJsonObject obj = QJsonDocument::fromJson(r.out.toUtf8(), &e).object();
            QCOMPARE(e.error, QJsonParseError::NoError);
            QVERIFY(obj.value(QStringLiteral("runs")).isArray());
            QVERIFY(obj.value(QStringLiteral("sessions")).isArray());
        }
        const CliResult user = grid({QStringLiteral("user"), QStringLiteral("-o"), QStringLiteral("json")});
        QCOMPARE(user.code, 0);
        QVERIFY(QJsonDocument::fromJson(user.out.toUtf8()).object().value(QStringLiteral("user")).isObject());
    }

    void userAndInstanceTypes()
    {
        CliResult r = grid({QStringLiteral("user")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("Cluster context: local")));
        r = grid({QStringLiteral("instance-types")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("cpu-1")));
        QVERIFY(r.out.contains(QStringLiteral("This cluster has")));
        for (const QString &line : r.out.split(u'\n'))
            QVERIFY2(line.size() <= 100, qPrintable(line));
        r = grid({QStringLiteral("instance-types"), QStringLiteral("--all")});
        QVERIFY(r.out.contains(QStringLiteral("p3.16xlarge")));
    }

    void helpAndVersionNeedNoPlatform()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("GRID_URL"), QStringLiteral("http://127.0.0.1:1"));
        CliResult r = grid({QStringLiteral("--help")}, env);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("instance-types")));
        for (const char *cmd : {"login", "user", "version", "status", "instance-types"}) {
            r = grid({QString::fromLatin1(cmd), QStringLiteral("--help")}, env);
            QCOMPARE(r.code, 0);
            QVERIFY2(r.out.startsWith(QStringLiteral("Usage: grid ") + QString::fromLatin1(cmd)), qPrintable(r.out));
        }
        r = grid({QStringLiteral("version")}, env);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QStringLiteral("OpenGrid CLI (v")));
    }

    void errorsAreOneLineAndNonZero_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")} << 2;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("status"), QStringLiteral("--fast")} << 2;
        QTest::newRow("bad output") << QStringList{QStringLiteral("-o"), QStringLiteral("xml"), QStringLiteral("status")} << 2;
        QTest::newRow("missing value") << QStringList{QStringLiteral("login"), QStringLiteral("--url")} << 2;
        QTest::newRow("bad url") << QStringList{QStringLiteral("login"), QStringLiteral("--url"), QStringLiteral("ftp://x"),
                                                QStringLiteral("--username"), QStringLiteral("a"), QStringLiteral("--key"), QStringLiteral("b")} << 2;
        QTest::newRow("extra argument") << QStringList{QStringLiteral("version"), QStringLiteral("extra")} << 2;
    }

    void errorsAreOneLineAndNonZero()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        const CliResult r = grid(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.startsWith(QStringLiteral("error: ")), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY(r.out.isEmpty());
    }

    void unreachablePlatformIsAClearError()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("GRID_URL"), QStringLiteral("http://127.0.0.1:1"));
        env.insert(QStringLiteral("GRID_USER_ID"), QStringLiteral("someone"));
        env.insert(QStringLiteral("GRID_API_KEY"), QStringLiteral("grid_aaaaaaaaaaaa_") + QString(64, u'0'));
        const CliResult r = grid({QStringLiteral("status")}, env);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot reach")), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
    }

    void loginToTheLocalPlatformWritesPrivateCredentials()
    {
        const CliResult r = grid({QStringLiteral("login")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString creds = m_home.path() + QStringLiteral("/.grid/credentials.json");
        QVERIFY(onlyOwnerCanRead(creds));
        QVERIFY(onlyOwnerCanRead(og::localplatform::credentialsFile(dataDir())));
        QVERIFY(grid({QStringLiteral("user")}).out.contains(QStringLiteral("Username:")));
    }

private:
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
