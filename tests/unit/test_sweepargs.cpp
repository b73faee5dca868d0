// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/scriptarguments.h"

#include <QTest>

using og::ScriptArgument;
using Form = og::ScriptArgument::Form;

namespace {
QString describe(const QList<ScriptArgument> &args)
{
    QStringList parts;
    for (const ScriptArgument &a : args) {
        switch (a.form) {
        case Form::Positional:
            parts << QStringLiteral("P(%1)").arg(a.value);
            break;
        case Form::Toggle:
            parts << QStringLiteral("T(%1)").arg(a.flag);
            break;
        case Form::Separate:
            parts << QStringLiteral("S(%1 %2)").arg(a.flag, a.value);
            break;
        case Form::Attached:
            parts << QStringLiteral("A(%1=%2)").arg(a.flag, a.value);
            break;
        }
    }
    return parts.join(u' ');
}
} // namespace

class TestSweepArgs final : public QObject
{
    Q_OBJECT

private slots:
    void split_data();
    void split();
    void flagTokens_data();
    void flagTokens();
    void nameDropsDashes();
    void appendKeepsTheForm();
};

void TestSweepArgs::split_data()
{
    QTest::addColumn<QStringList>("argv");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QStringList{} << QString();
    QTest::newRow("flag value") << QStringList{"--lr", "0.1"} << QStringLiteral("S(--lr 0.1)");
    QTest::newRow("flag=value") << QStringList{"--lr=0.1"} << QStringLiteral("A(--lr=0.1)");
    QTest::newRow("flag= empty") << QStringList{"--tag="} << QStringLiteral("A(--tag=)");
    QTest::newRow("value holding =")
        << QStringList{"--expr=a=b"} << QStringLiteral("A(--expr=a=b)");
    QTest::newRow("short flag") << QStringList{"-f", "3"} << QStringLiteral("S(-f 3)");
    QTest::newRow("toggle at end")
        << QStringList{"--lr", "1", "--do_x"} << QStringLiteral("S(--lr 1) T(--do_x)");
    QTest::newRow("toggle before flag")
        << QStringList{"--do_x", "--lr", "1"} << QStringLiteral("T(--do_x) S(--lr 1)");
    QTest::newRow("two toggles") << QStringList{"--a", "--b"} << QStringLiteral("T(--a) T(--b)");
    QTest::newRow("negative number is a value")
        << QStringList{"--shift", "-1", "--lr", "-1e-5", "--x", "-.5"}
        << QStringLiteral("S(--shift -1) S(--lr -1e-5) S(--x -.5)");
    QTest::newRow("dash is a value") << QStringList{"--in", "-"} << QStringLiteral("S(--in -)");
    QTest::newRow("positionals") << QStringList{"data/", "--lr", "1", "extra"}
                                 << QStringLiteral("P(data/) S(--lr 1) P(extra)");
    QTest::newRow("separator ends flags") << QStringList{"--a", "1", "--", "--b", "[1, 2]"}
                                          << QStringLiteral("S(--a 1) P(--) P(--b) P([1, 2])");
    QTest::newRow("toggle before separator")
        << QStringList{"--a", "--", "x"} << QStringLiteral("T(--a) P(--) P(x)");
    QTest::newRow("sweep value with spaces")
        << QStringList{"--backbone", "['a', 'b']"} << QStringLiteral("S(--backbone ['a', 'b'])");
    QTest::newRow("dotted flag") << QStringList{"--trainer.gpus", "4"}
                                 << QStringLiteral("S(--trainer.gpus 4)");
}

void TestSweepArgs::split()
{
    QFETCH(QStringList, argv);
    QFETCH(QString, expected);
    QCOMPARE(describe(og::splitScriptArguments(argv)), expected);
}

void TestSweepArgs::flagTokens_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("isFlag");
    QTest::newRow("--flag") << QStringLiteral("--flag") << true;
    QTest::newRow("-f") << QStringLiteral("-f") << true;
    QTest::newRow("--flag=1") << QStringLiteral("--flag=1") << true;
    QTest::newRow("-") << QStringLiteral("-") << false;
    QTest::newRow("--") << QStringLiteral("--") << false;
    QTest::newRow("-1") << QStringLiteral("-1") << false;
    QTest::newRow("-0.5") << QStringLiteral("-0.5") << false;
    QTest::newRow("-1e-5") << QStringLiteral("-1e-5") << false;
    QTest::newRow("-1_000") << QStringLiteral("-1_000") << false;
    QTest::newRow("x") << QStringLiteral("x") << false;
    QTest::newRow("[1]") << QStringLiteral("[1]") << false;
}

void TestSweepArgs::flagTokens()
{
    QFETCH(QString, token);
    QFETCH(bool, isFlag);
    QCOMPARE(og::isFlagToken(token), isFlag);
}

void TestSweepArgs::nameDropsDashes()
{
    QCOMPARE((ScriptArgument{Form::Separate, "--learning_rate", "1"}).name(),
             QStringLiteral("learning_rate"));
    QCOMPARE((ScriptArgument{Form::Separate, "-f", "1"}).name(), QStringLiteral("f"));
    QCOMPARE((ScriptArgument{Form::Separate, "--trainer.gpus", "1"}).name(),
             QStringLiteral("trainer.gpus"));
}

void TestSweepArgs::appendKeepsTheForm()
{
    QStringList argv;
    ScriptArgument{Form::Positional, {}, "p"}.appendTo(argv, "q");
    ScriptArgument{Form::Toggle, "--t", {}}.appendTo(argv);
    ScriptArgument{Form::Separate, "--s", "old"}.appendTo(argv, "new");
    ScriptArgument{Form::Attached, "--a", "old"}.appendTo(argv, "new value");
    ScriptArgument{Form::Attached, "--b", "kept"}.appendTo(argv);
    QCOMPARE(argv, (QStringList{"q", "--t", "--s", "new", "--a=new value", "--b=kept"}));
}

QTEST_APPLESS_MAIN(TestSweepArgs)
#include "test_sweepargs.moc"
