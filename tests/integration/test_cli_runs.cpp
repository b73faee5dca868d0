// SPDX-License-Identifier: GPL-3.0-or-later
// The run commands through the real `grid` binary on a fresh home: run (with --dry_run and a
// sweep syntax error), status RUN, logs -f, history, artifacts, delete.
#include "core/localplatform.h"
#include "tests/support/griddprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using og::test::CliResult;

class TestCliRuns final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

    CliResult grid(const QStringList &args)
    {
        QProcessEnvironment env = og::test::cliEnvironment(m_home.path());
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_home.filePath(QStringLiteral("project")));
        p.start(og::test::GriddProcess::gridProgram(), args);
        p.waitForFinished(120000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral("project")));
        QFile script(m_home.filePath(QStringLiteral("project/train.py")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("import sys\n"
                     "print('training with', ' '.join(sys.argv[1:]))\n"
                     "open('result.txt', 'w').write('done')\n");
    }

    void cleanupTestCase()
    {
        QFile f(og::localplatform::endpointFile(m_home.filePath(QStringLiteral("platform"))));
        if (f.open(QIODevice::ReadOnly)) {
            const qint64 pid = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("pid")).toInteger();
            ::kill(pid_t(pid), SIGTERM);
            QTRY_VERIFY_WITH_TIMEOUT(!og::localplatform::processAlive(pid), 15000);
        }
    }

    void dryRunSubmitsNothing()
    {
        const CliResult r = grid({QStringLiteral("run"), QStringLiteral("--localdir"), QStringLiteral("--dry_run"),
                                  QStringLiteral("--name"), QStringLiteral("preview"), QStringLiteral("train.py"),
                                  QStringLiteral("--lr"), QStringLiteral("[0.1, 0.01]")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("preview-exp1")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("0.01")));
        QVERIFY(grid({QStringLiteral("status"), QStringLiteral("preview")}).code != 0); // nothing was submitted
    }

    void sweepSyntaxErrorIsOneLine()
    {
        const CliResult r = grid({QStringLiteral("run"), QStringLiteral("--localdir"), QStringLiteral("train.py"),
                                  QStringLiteral("--lr"), QStringLiteral("uniform(1, 2)")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.startsWith(QStringLiteral("error: ")) && r.err.contains(QStringLiteral("--lr")), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
    }

    void runObserveCollectDelete()
    {
        CliResult r = grid({QStringLiteral("run"), QStringLiteral("--localdir"), QStringLiteral("--name"), QStringLiteral("sweep"),
                            QStringLiteral("--instance_type"), QStringLiteral("cpu-1"), QStringLiteral("train.py"),
                            QStringLiteral("--lr"), QStringLiteral("[0.1, 0.01]")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("Run submitted!")));

        r = grid({QStringLiteral("logs"), QStringLiteral("sweep-exp1"), QStringLiteral("-f")}); // returns when it ended
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("training with --lr 0.01")), qPrintable(r.out));
        QTRY_VERIFY_WITH_TIMEOUT(grid({QStringLiteral("history")}).out.contains(QStringLiteral("sweep")), 30000);

        r = grid({QStringLiteral("status"), QStringLiteral("sweep")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("sweep-exp0")) && r.out.contains(QStringLiteral("succeeded")));
        QVERIFY(r.out.contains(QStringLiteral(" lr ")));

        const QString downloads = m_home.filePath(QStringLiteral("downloads"));
        r = grid({QStringLiteral("artifacts"), QStringLiteral("sweep"), QStringLiteral("--download_dir"), downloads});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile artifact(downloads + QStringLiteral("/sweep/sweep-exp0/result.txt"));
        QVERIFY(artifact.open(QIODevice::ReadOnly));
        QCOMPARE(artifact.readAll(), QByteArray("done"));
        QVERIFY(!QFile::exists(downloads + QStringLiteral("/sweep/sweep-exp0/train.py"))); // code is not an artifact

        r = grid({QStringLiteral("delete"), QStringLiteral("run"), QStringLiteral("sweep"), QStringLiteral("--yes")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(grid({QStringLiteral("status"), QStringLiteral("sweep")}).code != 0);
    }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "test_cli_runs.moc"
