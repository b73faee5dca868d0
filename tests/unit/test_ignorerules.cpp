// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/ignorerules.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using og::IgnoreRules;

class TestIgnoreRules final : public QObject
{
    Q_OBJECT

private slots:
    void matches_data();
    void matches();
    void everythingUnderAnIgnoredDirectoryIsIgnored();
    void gitDirectoryIsAlwaysIgnored();
    void commentsBlankLinesAndNegationsAreSkipped();
    void danglingBackslashIsSkippedWithAWarning();
    void gridignoreWinsOverGitignore();
    void gitignoreAndDockerignoreAreCombined();
    void noFilesMeansNothingIgnored();
};

void TestIgnoreRules::matches_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<bool>("ignored");

    const QString n = QStringLiteral("\n");
    QTest::newRow("name anywhere") << QStringLiteral("data") << QStringLiteral("a/b/data") << false << true;
    QTest::newRow("name at root") << QStringLiteral("data") << QStringLiteral("data") << true << true;
    QTest::newRow("name is whole component") << QStringLiteral("data") << QStringLiteral("mydata") << false << false;
    QTest::newRow("star in name") << QStringLiteral("*.pyc") << QStringLiteral("pkg/mod.pyc") << false << true;
    QTest::newRow("star not across slash") << QStringLiteral("src/*.py") << QStringLiteral("src/a/b.py") << false << false;
    QTest::newRow("star within component") << QStringLiteral("src/*.py") << QStringLiteral("src/b.py") << false << true;
    QTest::newRow("question mark") << QStringLiteral("log?.txt") << QStringLiteral("log1.txt") << false << true;
    QTest::newRow("question mark needs one") << QStringLiteral("log?.txt") << QStringLiteral("log.txt") << false << false;
    QTest::newRow("class") << QStringLiteral("run[0-9].out") << QStringLiteral("run7.out") << false << true;
    QTest::newRow("class miss") << QStringLiteral("run[0-9].out") << QStringLiteral("runx.out") << false << false;
    QTest::newRow("negated class") << QStringLiteral("run[!0-9].out") << QStringLiteral("runx.out") << false << true;
    QTest::newRow("negated class miss") << QStringLiteral("run[!0-9].out") << QStringLiteral("run7.out") << false << false;
    QTest::newRow("unclosed bracket is literal") << QStringLiteral("a[b") << QStringLiteral("a[b") << false << true;
    QTest::newRow("leading slash anchors") << QStringLiteral("/build") << QStringLiteral("build") << true << true;
    QTest::newRow("leading slash not deeper") << QStringLiteral("/build") << QStringLiteral("src/build") << true << false;
    QTest::newRow("middle slash anchors") << QStringLiteral("docs/out") << QStringLiteral("x/docs/out") << true << false;
    QTest::newRow("trailing slash dir") << QStringLiteral("logs/") << QStringLiteral("logs") << true << true;
    QTest::newRow("trailing slash not file") << QStringLiteral("logs/") << QStringLiteral("logs") << false << false;
    QTest::newRow("trailing slash deep dir") << QStringLiteral("logs/") << QStringLiteral("a/logs") << true << true;
    QTest::newRow("leading double star") << QStringLiteral("**/cache") << QStringLiteral("a/b/cache") << true << true;
    QTest::newRow("leading double star at root") << QStringLiteral("**/cache") << QStringLiteral("cache") << true << true;
    QTest::newRow("trailing double star") << QStringLiteral("out/**") << QStringLiteral("out/a/b.txt") << false << true;
    QTest::newRow("trailing double star not dir itself") << QStringLiteral("out/**") << QStringLiteral("out") << true << false;
    QTest::newRow("middle double star zero dirs") << QStringLiteral("a/**/b") << QStringLiteral("a/b") << false << true;
    QTest::newRow("middle double star many dirs") << QStringLiteral("a/**/b") << QStringLiteral("a/x/y/b") << false << true;
    QTest::newRow("escaped star is literal") << QStringLiteral("\\*.txt") << QStringLiteral("*.txt") << false << true;
    QTest::newRow("escaped star no wildcard") << QStringLiteral("\\*.txt") << QStringLiteral("a.txt") << false << false;
    QTest::newRow("escaped hash") << QStringLiteral("\\#notes") << QStringLiteral("#notes") << false << true;
    QTest::newRow("trailing spaces trimmed") << QStringLiteral("data   ") << QStringLiteral("data") << false << true;
    QTest::newRow("escaped trailing space kept") << QStringLiteral("data\\ ") << QStringLiteral("data ") << false << true;
    QTest::newRow("crlf lines") << QStringLiteral("a.log\r") + n + QStringLiteral("b.log\r") << QStringLiteral("b.log") << false << true;
    QTest::newRow("dot is literal") << QStringLiteral("a.b") << QStringLiteral("axb") << false << false;
    QTest::newRow("regex chars literal") << QStringLiteral("(x)+") << QStringLiteral("(x)+") << false << true;
    QTest::newRow("several rules") << QStringLiteral("*.ckpt") + n + QStringLiteral("wandb/") << QStringLiteral("wandb") << true << true;
    QTest::newRow("unicode") << QStringLiteral("daten-ä*") << QStringLiteral("x/daten-äöü") << false << true;
}

void TestIgnoreRules::matches()
{
    QFETCH(QString, rules);
    QFETCH(QString, path);
    QFETCH(bool, isDir);
    QFETCH(bool, ignored);
    IgnoreRules r;
    r.addRules(rules, QStringLiteral(".gridignore"));
    QCOMPARE(r.ignored(path, isDir), ignored);
}

void TestIgnoreRules::everythingUnderAnIgnoredDirectoryIsIgnored()
{
    IgnoreRules r;
    r.addRules(QStringLiteral("venv/\n/data\n"));
    QVERIFY(r.ignored(QStringLiteral("venv/bin/python"), false));
    QVERIFY(r.ignored(QStringLiteral("a/venv/lib/x.py"), false));
    QVERIFY(r.ignored(QStringLiteral("data/train/1.png"), false));
    QVERIFY(!r.ignored(QStringLiteral("src/data/1.png"), false));
    QVERIFY(!r.ignored(QStringLiteral("train.py"), false));
    // A trailing '/' in the query says "directory".
    QVERIFY(r.ignored(QStringLiteral("venv/"), false));
}

void TestIgnoreRules::gitDirectoryIsAlwaysIgnored()
{
    const IgnoreRules none;
    QVERIFY(none.ignored(QStringLiteral(".git"), true));
    QVERIFY(none.ignored(QStringLiteral(".git/config"), false));
    QVERIFY(!none.ignored(QStringLiteral(".github/workflows/ci.yml"), false));
    QVERIFY(!none.ignored(QStringLiteral("src/.gitkeep"), false));
    QVERIFY(!none.ignored(QString(), true));
}

void TestIgnoreRules::commentsBlankLinesAndNegationsAreSkipped()
{
    IgnoreRules r;
    r.addRules(QStringLiteral("# a comment\n\n   \n*.log\n!keep.log\n/\n"), QStringLiteral(".gitignore"));
    QCOMPARE(r.ruleCount(), 1);
    QVERIFY(r.ignored(QStringLiteral("keep.log"), false)); // no negation: still ignored
    QVERIFY(!r.ignored(QStringLiteral("# a comment"), false));
    QCOMPARE(r.warnings().size(), 1);
    QVERIFY2(r.warnings().first().contains(QStringLiteral("'.gitignore' line 5")), qPrintable(r.warnings().first()));
    QVERIFY(r.warnings().first().contains(QStringLiteral("!keep.log")));
}

void TestIgnoreRules::danglingBackslashIsSkippedWithAWarning()
{
    IgnoreRules r;
    r.addRules(QStringLiteral("abc\\"));
    QCOMPARE(r.ruleCount(), 0);
    QCOMPARE(r.warnings().size(), 1);
}

namespace {
void write(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}
} // namespace

void TestIgnoreRules::gridignoreWinsOverGitignore()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral(".gitignore")), "*.csv\n");
    write(dir.filePath(QStringLiteral(".gridignore")), "*.ckpt\n");
    const IgnoreRules r = IgnoreRules::forDirectory(dir.path());
    QVERIFY(r.ignored(QStringLiteral("model.ckpt"), false));
    QVERIFY(!r.ignored(QStringLiteral("data.csv"), false));
    QCOMPARE(r.sources(), QStringList{QStringLiteral(".gridignore")});
}

void TestIgnoreRules::gitignoreAndDockerignoreAreCombined()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral(".gitignore")), "*.csv\n");
    write(dir.filePath(QStringLiteral(".dockerignore")), "outputs/\n");
    const IgnoreRules r = IgnoreRules::forDirectory(dir.path());
    QVERIFY(r.ignored(QStringLiteral("data.csv"), false));
    QVERIFY(r.ignored(QStringLiteral("outputs/x"), false));
    QVERIFY(!r.ignored(QStringLiteral("train.py"), false));
    QCOMPARE(r.sources(), (QStringList{QStringLiteral(".gitignore"), QStringLiteral(".dockerignore")}));
}

void TestIgnoreRules::noFilesMeansNothingIgnored()
{
    QTemporaryDir dir;
    const IgnoreRules r = IgnoreRules::forDirectory(dir.path());
    QCOMPARE(r.ruleCount(), 0);
    QVERIFY(!r.ignored(QStringLiteral("anything/at/all.py"), false));
}

QTEST_GUILESS_MAIN(TestIgnoreRules)
#include "test_ignorerules.moc"
