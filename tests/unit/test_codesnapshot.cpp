// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/codesnapshot.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using og::CodeSnapshot;

class TestCodeSnapshot final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void committedCodeAtHead();
    void scriptInASubdirectory();
    void uncommittedAndUntrackedFilesWarn();
    void scriptNotCommitted();
    void repositoryWithoutCommits();
    void projectFromOrigin();
    void projectFromRemoteUrl_data();
    void projectFromRemoteUrl();
    void committedSymlinksTravel();
    void outsideGitBehavesLikeLocaldir();
    void localdirHonoursGridignore();
    void localdirInRepositoryUsesWorkingTree();
    void localdirScriptOutsideCurrentDirectory();
    void localdirScriptIgnored();
    void localdirLinkOutsideIsAnError();
    void missingScript();
    void snapshotOutlivesItsFirstCopy();
    void uncommittedWarningListsAtMostSome();

private:
    QString m_home;
    QString m_startDir;
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {
bool git(const QString &dir, const QStringList &args, QByteArray *out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << "git" << args << "failed:" << p.readAllStandardError();
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput().trimmed();
    return true;
}

bool commitAll(const QString &dir, const QString &message = QStringLiteral("code"))
{
    return git(dir, {QStringLiteral("add"), QStringLiteral("-A")})
           && git(dir, {QStringLiteral("-c"), QStringLiteral("user.email=a@b"), QStringLiteral("-c"), QStringLiteral("user.name=t"),
                        QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message});
}

void write(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList paths(const CodeSnapshot &s)
{
    QStringList out;
    for (const og::ManifestEntry &e : s.manifest.entries())
        out.append(e.path);
    return out;
}

QString canonical(const QString &path)
{
    return QFileInfo(path).canonicalFilePath();
}
} // namespace

void TestCodeSnapshot::initTestCase()
{
    // The user's git configuration (signing, hooks, templates) must not leak into the repos
    // these tests make.
    m_home = QDir::tempPath() + QStringLiteral("/og-test-codesnapshot-home-") + QString::number(QCoreApplication::applicationPid());
    QDir().mkpath(m_home);
    qputenv("HOME", m_home.toUtf8());
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
    qunsetenv("GIT_DIR");
    qunsetenv("GIT_WORK_TREE");
    m_startDir = QDir::currentPath();
    QVERIFY2(QProcess::execute(QStringLiteral("git"), {QStringLiteral("--version")}) == 0, "git is needed for these tests");
}

void TestCodeSnapshot::cleanupTestCase()
{
    QDir(m_home).removeRecursively();
}

void TestCodeSnapshot::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestCodeSnapshot::cleanup()
{
    QDir::setCurrent(m_startDir);
    m_dir.reset();
}

void TestCodeSnapshot::committedCodeAtHead()
{
    const QString repo = m_dir->filePath(QStringLiteral("repo"));
    QVERIFY(QDir().mkpath(repo));
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/train.py"), "print('hi')\n");
    write(repo + QStringLiteral("/lib/util.py"), "X = 1\n");
    QVERIFY(commitAll(repo));
    QByteArray head;
    QVERIFY(git(repo, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")}, &head));

    const CodeSnapshot s = og::takeCodeSnapshot(repo + QStringLiteral("/train.py"), false);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QVERIFY(s.fromGit());
    QCOMPARE(s.gitCommit, QString::fromLatin1(head));
    QCOMPARE(s.root, canonical(repo));
    QCOMPARE(s.script, QStringLiteral("train.py"));
    QVERIFY2(s.warnings.isEmpty(), qPrintable(s.warnings.join(u'\n')));
    QVERIFY(s.uncommittedFiles.isEmpty());
    QCOMPARE(paths(s), (QStringList{QStringLiteral("lib"), QStringLiteral("lib/util.py"), QStringLiteral("train.py")}));
    QCOMPARE(read(s.sourceFiles.value(QStringLiteral("train.py"))), QByteArray("print('hi')\n"));
    QVERIFY(s.project.isEmpty());
}

void TestCodeSnapshot::scriptInASubdirectory()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/project/train.py"), "print(1)\n");
    QVERIFY(commitAll(repo));
    // A relative path from inside the subdirectory, as a user in cifar5/project types it.
    QVERIFY(QDir::setCurrent(repo + QStringLiteral("/project")));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("train.py"), false);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QCOMPARE(s.script, QStringLiteral("project/train.py"));
}

void TestCodeSnapshot::uncommittedAndUntrackedFilesWarn()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/train.py"), "v1\n");
    write(repo + QStringLiteral("/.gitignore"), "*.log\n");
    QVERIFY(commitAll(repo));
    write(repo + QStringLiteral("/train.py"), "v2\n");
    write(repo + QStringLiteral("/new.py"), "new\n");
    write(repo + QStringLiteral("/run.log"), "ignored by git\n");

    const CodeSnapshot s = og::takeCodeSnapshot(repo + QStringLiteral("/train.py"), false);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QCOMPARE(s.uncommittedFiles, (QStringList{QStringLiteral("train.py"), QStringLiteral("new.py")}));
    QCOMPARE(s.warnings.size(), 1);
    QVERIFY(s.warnings.first().startsWith(QStringLiteral("The following files are uncommitted. Changes made to these files "
                                                         "will not be available to Grid when running an Experiment:")));
    QVERIFY(s.warnings.first().contains(QStringLiteral("\n  new.py")));
    // What runs is what was committed.
    QCOMPARE(read(s.sourceFiles.value(QStringLiteral("train.py"))), QByteArray("v1\n"));
    QVERIFY(!paths(s).contains(QStringLiteral("new.py")));
}

void TestCodeSnapshot::scriptNotCommitted()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/other.py"), "x\n");
    QVERIFY(commitAll(repo));
    write(repo + QStringLiteral("/train.py"), "new\n");
    QVERIFY(git(repo, {QStringLiteral("add"), QStringLiteral("train.py")})); // staged is not committed
    const CodeSnapshot s = og::takeCodeSnapshot(repo + QStringLiteral("/train.py"), false);
    QVERIFY(!s.ok());
    QCOMPARE(s.error, QStringLiteral("train.py is not committed; commit it, or use --localdir"));
}

void TestCodeSnapshot::repositoryWithoutCommits()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/train.py"), "x\n");
    const CodeSnapshot s = og::takeCodeSnapshot(repo + QStringLiteral("/train.py"), false);
    QVERIFY(!s.ok());
    QVERIFY2(s.error.contains(QStringLiteral("no commits yet")), qPrintable(s.error));
}

void TestCodeSnapshot::projectFromOrigin()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    QVERIFY(git(repo, {QStringLiteral("remote"), QStringLiteral("add"), QStringLiteral("origin"), QStringLiteral("git@github.com:me/classifier.git")}));
    write(repo + QStringLiteral("/train.py"), "x\n");
    QVERIFY(commitAll(repo));
    const CodeSnapshot s = og::takeCodeSnapshot(repo + QStringLiteral("/train.py"), false);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QCOMPARE(s.project, QStringLiteral("me/classifier"));
}

void TestCodeSnapshot::projectFromRemoteUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("project");
    QTest::newRow("scp-like") << QStringLiteral("git@github.com:owner/repo.git") << QStringLiteral("owner/repo");
    QTest::newRow("https") << QStringLiteral("https://github.com/owner/repo") << QStringLiteral("owner/repo");
    QTest::newRow("https .git slash") << QStringLiteral("https://github.com/owner/repo.git/") << QStringLiteral("owner/repo");
    QTest::newRow("ssh") << QStringLiteral("ssh://git@gitlab.example.com:2222/group/sub/repo.git") << QStringLiteral("sub/repo");
    QTest::newRow("local path") << QStringLiteral("/srv/git/repo.git") << QString();
    QTest::newRow("host only") << QStringLiteral("https://example.com/") << QString();
}

void TestCodeSnapshot::projectFromRemoteUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, project);
    QCOMPARE(og::projectFromRemoteUrl(url), project);
}

void TestCodeSnapshot::committedSymlinksTravel()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/configs/base.yaml"), "a: 1\n");
    write(repo + QStringLiteral("/train.sh"), "echo hi\n");
    QVERIFY(QFile::link(QStringLiteral("configs/base.yaml"), repo + QStringLiteral("/default.yaml")));
    QVERIFY(commitAll(repo));
    const CodeSnapshot s = og::takeCodeSnapshot(repo + QStringLiteral("/train.sh"), false);
    QVERIFY2(s.ok(), qPrintable(s.error));
    bool found = false;
    for (const og::ManifestEntry &e : s.manifest.entries())
        if (e.path == u"default.yaml") {
            QCOMPARE(e.type, og::ManifestEntry::Type::Symlink);
            QCOMPARE(e.target, QStringLiteral("configs/base.yaml"));
            found = true;
        }
    QVERIFY(found);
}

void TestCodeSnapshot::outsideGitBehavesLikeLocaldir()
{
    const QString dir = m_dir->path();
    write(dir + QStringLiteral("/train.py"), "x\n");
    write(dir + QStringLiteral("/.gitignore"), "out/\n");
    write(dir + QStringLiteral("/out/result.txt"), "r\n");
    QVERIFY(QDir::setCurrent(dir));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("train.py"), false);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QVERIFY(!s.fromGit());
    QCOMPARE(s.root, canonical(dir));
    QCOMPARE(s.warnings.size(), 1);
    QVERIFY2(s.warnings.first().contains(QStringLiteral("not in a git repository")), qPrintable(s.warnings.first()));
    QCOMPARE(paths(s), (QStringList{QStringLiteral(".gitignore"), QStringLiteral("train.py")}));
}

void TestCodeSnapshot::localdirHonoursGridignore()
{
    const QString dir = m_dir->path();
    write(dir + QStringLiteral("/train.py"), "x\n");
    write(dir + QStringLiteral("/model/net.py"), "n\n");
    write(dir + QStringLiteral("/model/weights.ckpt"), "w\n");
    write(dir + QStringLiteral("/data/big.bin"), "b\n");
    write(dir + QStringLiteral("/.gitignore"), "*.py\n"); // not read: .gridignore wins
    write(dir + QStringLiteral("/.gridignore"), "# outputs and data\ndata/\nvenv/\n*.ckpt\n/notes.txt\n");
    write(dir + QStringLiteral("/notes.txt"), "top\n");
    write(dir + QStringLiteral("/model/notes.txt"), "kept: the rule is anchored\n");
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/venv/bin")));
    // A virtualenv's interpreter link points outside the tree; ignored, it must not matter.
    QVERIFY(QFile::link(QStringLiteral("/usr/bin/python3"), dir + QStringLiteral("/venv/bin/python")));
    QVERIFY(QDir::setCurrent(dir));

    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("train.py"), true);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QVERIFY(!s.fromGit());
    QCOMPARE(s.script, QStringLiteral("train.py"));
    QVERIFY2(s.warnings.isEmpty(), qPrintable(s.warnings.join(u'\n')));
    QCOMPARE(paths(s), (QStringList{QStringLiteral(".gitignore"), QStringLiteral(".gridignore"), QStringLiteral("model"),
                                    QStringLiteral("model/net.py"), QStringLiteral("model/notes.txt"), QStringLiteral("train.py")}));
    QCOMPARE(read(s.sourceFiles.value(QStringLiteral("model/net.py"))), QByteArray("n\n"));
}

void TestCodeSnapshot::localdirInRepositoryUsesWorkingTree()
{
    const QString repo = m_dir->path();
    QVERIFY(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}));
    write(repo + QStringLiteral("/train.py"), "v1\n");
    QVERIFY(commitAll(repo));
    write(repo + QStringLiteral("/train.py"), "v2\n");
    write(repo + QStringLiteral("/draft.py"), "d\n");
    QVERIFY(QDir::setCurrent(repo));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("draft.py"), true);
    QVERIFY2(s.ok(), qPrintable(s.error));
    QVERIFY(!s.fromGit());
    QVERIFY(s.uncommittedFiles.isEmpty()); // nothing to warn about: this is what runs
    QCOMPARE(read(s.sourceFiles.value(QStringLiteral("train.py"))), QByteArray("v2\n"));
    for (const QString &p : paths(s))
        QVERIFY2(!p.startsWith(QStringLiteral(".git")), qPrintable(p));
}

void TestCodeSnapshot::localdirScriptOutsideCurrentDirectory()
{
    const QString dir = m_dir->path();
    write(dir + QStringLiteral("/train.py"), "x\n");
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/sub")));
    QVERIFY(QDir::setCurrent(dir + QStringLiteral("/sub")));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("../train.py"), true);
    QVERIFY(!s.ok());
    QVERIFY2(s.error.contains(QStringLiteral("outside the current directory")), qPrintable(s.error));
}

void TestCodeSnapshot::localdirScriptIgnored()
{
    const QString dir = m_dir->path();
    write(dir + QStringLiteral("/scripts/train.py"), "x\n");
    write(dir + QStringLiteral("/.gridignore"), "scripts/\n");
    QVERIFY(QDir::setCurrent(dir));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("scripts/train.py"), true);
    QVERIFY(!s.ok());
    QVERIFY2(s.error.contains(QStringLiteral("excluded by .gridignore")), qPrintable(s.error));
}

void TestCodeSnapshot::localdirLinkOutsideIsAnError()
{
    const QString dir = m_dir->path();
    write(dir + QStringLiteral("/train.py"), "x\n");
    QVERIFY(QFile::link(QStringLiteral("/etc/hostname"), dir + QStringLiteral("/host")));
    QVERIFY(QDir::setCurrent(dir));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("train.py"), true);
    QVERIFY(!s.ok());
    QVERIFY2(s.error.contains(QStringLiteral("host")), qPrintable(s.error));
}

void TestCodeSnapshot::missingScript()
{
    QVERIFY(QDir::setCurrent(m_dir->path()));
    const CodeSnapshot s = og::takeCodeSnapshot(QStringLiteral("nope.py"), true);
    QCOMPARE(s.error, QStringLiteral("the script 'nope.py' does not exist"));
}

void TestCodeSnapshot::snapshotOutlivesItsFirstCopy()
{
    const QString dir = m_dir->path();
    write(dir + QStringLiteral("/train.py"), "x\n");
    QVERIFY(QDir::setCurrent(dir));
    CodeSnapshot kept;
    {
        const CodeSnapshot first = og::takeCodeSnapshot(QStringLiteral("train.py"), true);
        QVERIFY2(first.ok(), qPrintable(first.error));
        kept = first;
    }
    QVERIFY(QFileInfo::exists(kept.sourceFiles.value(QStringLiteral("train.py"))));
    const QString temp = kept.temp->path();
    kept = CodeSnapshot();
    QVERIFY(!QFileInfo::exists(temp)); // and nothing is left behind after the last copy
}

void TestCodeSnapshot::uncommittedWarningListsAtMostSome()
{
    QStringList files;
    for (int i = 0; i < 25; ++i)
        files.append(QStringLiteral("f%1.py").arg(i));
    const QString w = og::uncommittedWarning(files, 20);
    QVERIFY(w.contains(QStringLiteral("\n  f19.py")));
    QVERIFY(!w.contains(QStringLiteral("f20.py")));
    QVERIFY(w.endsWith(QStringLiteral("… and 5 more")));
}

QTEST_GUILESS_MAIN(TestCodeSnapshot)
#include "test_codesnapshot.moc"
