// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"

#include <algorithm>
#include <QTest>

using og::cli::CommandSpec;
using og::cli::OptionSpec;
using og::cli::ParsedCommand;

namespace {

QList<CommandSpec> commands()
{
    QList<CommandSpec> list;

    CommandSpec status;
    status.path = {QStringLiteral("status")};
    status.summary = QStringLiteral("Show runs and sessions");
    status.options = {
        {QStringLiteral("all"), QString(), QStringLiteral("Include finished runs"), QChar(u'a')}};
    list.append(status);

    CommandSpec datastore;
    datastore.path = {QStringLiteral("datastore")};
    datastore.summary = QStringLiteral("List datastores");
    datastore.usage = QStringLiteral("[NAME]");
    datastore.maxArgs = 1;
    list.append(datastore);

    CommandSpec create;
    create.path = {QStringLiteral("datastore"), QStringLiteral("create")};
    create.aliases = {QStringLiteral("datastores create"), QStringLiteral("ds new")};
    create.summary = QStringLiteral("Upload a directory as a datastore");
    create.usage = QStringLiteral("--source DIR [--name NAME]");
    create.options = {
        {QStringLiteral("source"), QStringLiteral("DIR"), QStringLiteral("Directory to upload"),
         QChar(u's')},
        {QStringLiteral("name"), QStringLiteral("NAME"), QStringLiteral("Datastore name"), QChar()},
        {QStringLiteral("force"), QString(), QStringLiteral("Replace an existing datastore"),
         QChar(u'f')}};
    list.append(create);

    CommandSpec run;
    run.path = {QStringLiteral("run")};
    run.summary = QStringLiteral("Start a hyperparameter sweep");
    run.usage = QStringLiteral("[--instance-type T] SCRIPT [ARGS]...");
    run.options = {{QStringLiteral("instance-type"), QStringLiteral("T"),
                    QStringLiteral("Instance type"), QChar()}};
    run.minArgs = 1;
    run.maxArgs = -1;
    run.passThrough = true;
    list.append(run);

    CommandSpec copy;
    copy.path = {QStringLiteral("session"), QStringLiteral("copy")};
    copy.summary = QStringLiteral("Copy files to a session");
    copy.usage = QStringLiteral("SOURCE DEST");
    copy.minArgs = 2;
    copy.maxArgs = 2;
    list.append(copy);

    return list;
}

QString pathOf(const ParsedCommand &p)
{
    return p.command ? p.command->path.join(u' ') : QStringLiteral("(none)");
}

} // namespace

class TestCommandLine final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void plainCommand();
    void globalOutputBeforeCommand();
    void globalOutputAfterCommand();
    void outputEqualsForm();
    void outputConsole();
    void badOutputValue_data();
    void badOutputValue();
    void debugAnywhere();
    void optionWithSeparateValue();
    void optionWithEqualsValue();
    void equalsValueMayContainEquals();
    void shortOptions();
    void booleanFlag();
    void missingValue();
    void flagRejectsInlineValue();
    void unknownOption_data();
    void unknownOption();
    void longestCommandPathWins();
    void shorterCommandStillMatches();
    void aliases();
    void unknownCommand();
    void noCommandMeansHelp();
    void passThroughKeepsLaterOptions();
    void passThroughOptionsBeforeScript();
    void passThroughKeepsGlobalLookingOptions();
    void doubleDashEndsOptions();
    void argumentCounts_data();
    void argumentCounts();
    void helpFlag();
    void helpAfterPassThroughIsAnArgument();
    void commandHelpListsOptions();
    void overviewHelpListsCommands();

private:
    QList<CommandSpec> m_commands;
    ParsedCommand parse(const QStringList &args) const
    {
        return og::cli::parseCommandLine(m_commands, args);
    }
};

void TestCommandLine::initTestCase()
{
    m_commands = commands();
}

void TestCommandLine::plainCommand()
{
    const ParsedCommand p = parse({QStringLiteral("status")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(pathOf(p), QStringLiteral("status"));
    QVERIFY(!p.json);
    QVERIFY(!p.debug);
    QVERIFY(!p.help);
    QVERIFY(p.positional.isEmpty());
    QVERIFY(p.values.isEmpty());
    QVERIFY(p.flags.isEmpty());
    // The pointer is into the list it was given.
    QCOMPARE(p.command, &m_commands[0]);
}

void TestCommandLine::globalOutputBeforeCommand()
{
    const ParsedCommand p =
        parse({QStringLiteral("-o"), QStringLiteral("json"), QStringLiteral("datastore"),
               QStringLiteral("create"), QStringLiteral("--source"), QStringLiteral("cifar5/")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.json);
    QCOMPARE(pathOf(p), QStringLiteral("datastore create"));
    QCOMPARE(p.value(QStringLiteral("source")), QStringLiteral("cifar5/"));
    QVERIFY(p.positional.isEmpty());
}

void TestCommandLine::globalOutputAfterCommand()
{
    for (const QStringList &args :
         {QStringList{"status", "-o", "json"}, QStringList{"status", "--output", "json"},
          QStringList{"datastore", "create", "--source", "d", "-o", "json", "--name", "n"}}) {
        const ParsedCommand p = parse(args);
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QVERIFY2(p.json, qPrintable(args.join(u' ')));
        QVERIFY(p.positional.isEmpty());
    }
}

void TestCommandLine::outputEqualsForm()
{
    const ParsedCommand p = parse({QStringLiteral("--output=json"), QStringLiteral("status")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.json);
    QCOMPARE(pathOf(p), QStringLiteral("status"));
}

void TestCommandLine::outputConsole()
{
    // The last one wins, so a script can override an alias that sets json.
    const ParsedCommand p = parse({QStringLiteral("-o"), QStringLiteral("json"),
                                   QStringLiteral("status"), QStringLiteral("--output=console")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(!p.json);
}

void TestCommandLine::badOutputValue_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("yaml") << QStringList{"status", "-o", "yaml"};
    QTest::newRow("upper-case") << QStringList{"-o", "JSON", "status"};
    QTest::newRow("equals empty") << QStringList{"--output=", "status"};
    QTest::newRow("missing at end") << QStringList{"status", "-o"};
    QTest::newRow("missing long at end") << QStringList{"status", "--output"};
}

void TestCommandLine::badOutputValue()
{
    QFETCH(QStringList, args);
    const ParsedCommand p = parse(args);
    QCOMPARE(p.error, QStringLiteral("--output must be 'console' or 'json'"));
}

void TestCommandLine::debugAnywhere()
{
    QVERIFY(parse({QStringLiteral("--debug"), QStringLiteral("status")}).debug);
    const ParsedCommand after = parse({QStringLiteral("status"), QStringLiteral("--debug")});
    QVERIFY(after.debug);
    QVERIFY(after.error.isEmpty());
    QCOMPARE(pathOf(after), QStringLiteral("status"));
    QVERIFY(!parse({QStringLiteral("status")}).debug);
}

void TestCommandLine::optionWithSeparateValue()
{
    const ParsedCommand p =
        parse({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"),
               QStringLiteral("cifar5/"), QStringLiteral("--name"), QStringLiteral("cifar5")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.value(QStringLiteral("source")), QStringLiteral("cifar5/"));
    QCOMPARE(p.value(QStringLiteral("name")), QStringLiteral("cifar5"));
    QVERIFY(p.has(QStringLiteral("name")));
    QVERIFY(!p.has(QStringLiteral("force")));
    QVERIFY(p.positional.isEmpty());
}

void TestCommandLine::optionWithEqualsValue()
{
    const ParsedCommand p = parse({QStringLiteral("datastore"), QStringLiteral("create"),
                                   QStringLiteral("--source=my dir/"), QStringLiteral("--name="),
                                   QStringLiteral("--force")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.value(QStringLiteral("source")), QStringLiteral("my dir/"));
    // An explicit empty value is a value, not a missing one.
    QVERIFY(p.values.contains(QStringLiteral("name")));
    QCOMPARE(p.value(QStringLiteral("name")), QString());
    QVERIFY(p.flags.contains(QStringLiteral("force")));
}

void TestCommandLine::equalsValueMayContainEquals()
{
    const ParsedCommand p =
        parse({QStringLiteral("datastore"), QStringLiteral("create"),
               QStringLiteral("--source=a=b"), QStringLiteral("--name"), QStringLiteral("--x")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.value(QStringLiteral("source")), QStringLiteral("a=b"));
    // A separate value is taken as it is, even when it looks like an option.
    QCOMPARE(p.value(QStringLiteral("name")), QStringLiteral("--x"));
}

void TestCommandLine::shortOptions()
{
    const ParsedCommand p =
        parse({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("-s"),
               QStringLiteral("dir"), QStringLiteral("-f")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.value(QStringLiteral("source")), QStringLiteral("dir"));
    QVERIFY(p.flags.contains(QStringLiteral("force")));
    QVERIFY(p.has(QStringLiteral("force")));

    const ParsedCommand unknown =
        parse({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("-x")});
    QVERIFY2(unknown.error.startsWith(u"no such option: -x"), qPrintable(unknown.error));
}

void TestCommandLine::booleanFlag()
{
    const ParsedCommand p = parse({QStringLiteral("status"), QStringLiteral("--all")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.flags.contains(QStringLiteral("all")));
    QVERIFY(p.has(QStringLiteral("all")));
    QVERIFY(!p.values.contains(QStringLiteral("all")));
    QVERIFY(p.positional.isEmpty());
}

void TestCommandLine::missingValue()
{
    const ParsedCommand p =
        parse({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source")});
    QCOMPARE(p.error, QStringLiteral("option --source needs a value (DIR)"));
    const ParsedCommand s =
        parse({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("-s")});
    QCOMPARE(s.error, QStringLiteral("option --source needs a value (DIR)"));
}

void TestCommandLine::flagRejectsInlineValue()
{
    // `--force=no` must not quietly mean --force.
    const ParsedCommand p =
        parse({QStringLiteral("datastore"), QStringLiteral("create"), QStringLiteral("--source"),
               QStringLiteral("d"), QStringLiteral("--force=no")});
    QVERIFY2(!p.error.isEmpty(), "--force=no was accepted as --force");
    QVERIFY2(p.error.contains(u"--force"), qPrintable(p.error));
}

void TestCommandLine::unknownOption_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("long") << QStringList{"datastore", "create", "--sorce", "d"}
                          << QStringLiteral(
                                 "no such option: --sorce (see `grid datastore create --help`)");
    QTest::newRow("long with value")
        << QStringList{"status", "--since=1h"}
        << QStringLiteral("no such option: --since=1h (see `grid status --help`)");
    QTest::newRow("another command's option")
        << QStringList{"status", "--source", "x"}
        << QStringLiteral("no such option: --source (see `grid status --help`)");
}

void TestCommandLine::unknownOption()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QCOMPARE(parse(args).error, error);
}

void TestCommandLine::longestCommandPathWins()
{
    const ParsedCommand p = parse({QStringLiteral("datastore"), QStringLiteral("create"),
                                   QStringLiteral("--source"), QStringLiteral("d")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(pathOf(p), QStringLiteral("datastore create"));
    QCOMPARE(p.command, &m_commands[2]);

    // Registration order does not matter: the longer path wins when listed after or before.
    QList<CommandSpec> reversed = m_commands;
    std::reverse(reversed.begin(), reversed.end());
    const ParsedCommand r =
        og::cli::parseCommandLine(reversed, {QStringLiteral("datastore"), QStringLiteral("create"),
                                             QStringLiteral("--source"), QStringLiteral("d")});
    QCOMPARE(pathOf(r), QStringLiteral("datastore create"));
}

void TestCommandLine::shorterCommandStillMatches()
{
    // "datastore mydata": no "datastore mydata" command, so "datastore" with one argument.
    const ParsedCommand p = parse({QStringLiteral("datastore"), QStringLiteral("mydata")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(pathOf(p), QStringLiteral("datastore"));
    QCOMPARE(p.positional, QStringList{QStringLiteral("mydata")});

    const ParsedCommand none = parse({QStringLiteral("datastore")});
    QVERIFY(none.error.isEmpty());
    QCOMPARE(pathOf(none), QStringLiteral("datastore"));
    QVERIFY(none.positional.isEmpty());
}

void TestCommandLine::aliases()
{
    for (const QStringList &words :
         {QStringList{"datastores", "create"}, QStringList{"ds", "new"}}) {
        const ParsedCommand p = parse(words + QStringList{"--source", "d"});
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(pathOf(p), QStringLiteral("datastore create"));
        QCOMPARE(p.value(QStringLiteral("source")), QStringLiteral("d"));
        QVERIFY(p.positional.isEmpty());
    }
    // Half an alias is not a command.
    const ParsedCommand half = parse({QStringLiteral("ds")});
    QVERIFY(!half.command);
    QVERIFY(!half.error.isEmpty());
}

void TestCommandLine::unknownCommand()
{
    const ParsedCommand p = parse({QStringLiteral("frobnicate"), QStringLiteral("now")});
    QVERIFY(!p.command);
    QCOMPARE(p.error,
             QStringLiteral("no such command 'frobnicate now'; run `grid --help` for the list"));
    QVERIFY(!p.help);
    // Commands are case-sensitive.
    QVERIFY(!parse({QStringLiteral("Status")}).command);
}

void TestCommandLine::noCommandMeansHelp()
{
    const ParsedCommand empty = parse({});
    QVERIFY(!empty.command);
    QVERIFY(empty.help);
    QVERIFY(empty.error.isEmpty());

    const ParsedCommand help = parse({QStringLiteral("--help")});
    QVERIFY(!help.command);
    QVERIFY(help.help);

    const ParsedCommand json = parse({QStringLiteral("-o"), QStringLiteral("json")});
    QVERIFY(json.help);
    QVERIFY(json.json);
}

void TestCommandLine::passThroughKeepsLaterOptions()
{
    const ParsedCommand p =
        parse({QStringLiteral("run"), QStringLiteral("train.py"), QStringLiteral("--lr"),
               QStringLiteral("0.1"), QStringLiteral("--instance-type"), QStringLiteral("gpu"),
               QStringLiteral("-x"), QStringLiteral("--epochs=5")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(pathOf(p), QStringLiteral("run"));
    QCOMPARE(p.positional, (QStringList{"train.py", "--lr", "0.1", "--instance-type", "gpu", "-x",
                                        "--epochs=5"}));
    // Options after the script are the script's, even ones grid's run also knows.
    QVERIFY(!p.values.contains(QStringLiteral("instance-type")));
}

void TestCommandLine::passThroughOptionsBeforeScript()
{
    const ParsedCommand p =
        parse({QStringLiteral("run"), QStringLiteral("--instance-type"), QStringLiteral("gpu"),
               QStringLiteral("train.py"), QStringLiteral("--lr"), QStringLiteral("0.1")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.value(QStringLiteral("instance-type")), QStringLiteral("gpu"));
    QCOMPARE(p.positional, (QStringList{"train.py", "--lr", "0.1"}));
}

void TestCommandLine::passThroughKeepsGlobalLookingOptions()
{
    // `grid run train.py -o model.pt --debug`: after the script everything is the script's
    // (CommandSpec::passThrough), including words that look like grid's global options.
    const ParsedCommand p =
        parse({QStringLiteral("run"), QStringLiteral("train.py"), QStringLiteral("-o"),
               QStringLiteral("model.pt"), QStringLiteral("--debug")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.positional, (QStringList{"train.py", "-o", "model.pt", "--debug"}));
    QVERIFY(!p.debug);
    QVERIFY(!p.json);
}

void TestCommandLine::doubleDashEndsOptions()
{
    const ParsedCommand p =
        parse({QStringLiteral("session"), QStringLiteral("copy"), QStringLiteral("--"),
               QStringLiteral("--weird-name"), QStringLiteral("-f")});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.positional, (QStringList{"--weird-name", "-f"}));
}

void TestCommandLine::argumentCounts_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    const QString copyUsage = QStringLiteral("usage: grid session copy SOURCE DEST");
    const QString runUsage = QStringLiteral("usage: grid run [--instance-type T] SCRIPT [ARGS]...");
    QTest::newRow("copy: none") << QStringList{"session", "copy"} << copyUsage;
    QTest::newRow("copy: one") << QStringList{"session", "copy", "a"} << copyUsage;
    QTest::newRow("copy: two") << QStringList{"session", "copy", "a", "b"} << QString();
    QTest::newRow("copy: three") << QStringList{"session", "copy", "a", "b", "c"} << copyUsage;
    QTest::newRow("copy: args after options")
        << QStringList{"session", "copy", "-o", "json", "a", "b"} << QString();
    QTest::newRow("status: extra")
        << QStringList{"status", "extra"} << QStringLiteral("usage: grid status ");
    QTest::newRow("datastore: two")
        << QStringList{"datastore", "a", "b"} << QStringLiteral("usage: grid datastore [NAME]");
    QTest::newRow("run: none") << QStringList{"run"} << runUsage;
    QTest::newRow("run: options only") << QStringList{"run", "--instance-type", "gpu"} << runUsage;
    QTest::newRow("run: many") << QStringList{"run", "a", "b", "c", "d", "e", "f"} << QString();
}

void TestCommandLine::argumentCounts()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    const ParsedCommand p = parse(args);
    QCOMPARE(p.error, error);
}

void TestCommandLine::helpFlag()
{
    for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
        const ParsedCommand p =
            parse({QStringLiteral("datastore"), QStringLiteral("create"), flag});
        QVERIFY(p.help);
        QCOMPARE(pathOf(p), QStringLiteral("datastore create"));
        // Help wins over missing arguments and is not itself an error.
        QVERIFY(p.error.isEmpty());
        const ParsedCommand copy = parse({QStringLiteral("session"), QStringLiteral("copy"), flag});
        QVERIFY(copy.help);
        QVERIFY(copy.error.isEmpty());
    }
    const ParsedCommand run = parse({QStringLiteral("run"), QStringLiteral("--help")});
    QVERIFY(run.help);
    QCOMPARE(pathOf(run), QStringLiteral("run"));
}

void TestCommandLine::helpAfterPassThroughIsAnArgument()
{
    const ParsedCommand p =
        parse({QStringLiteral("run"), QStringLiteral("train.py"), QStringLiteral("--help")});
    QVERIFY(!p.help);
    QVERIFY(p.error.isEmpty());
    QCOMPARE(p.positional, (QStringList{"train.py", "--help"}));
}

void TestCommandLine::commandHelpListsOptions()
{
    const QString help = og::cli::commandHelp(m_commands[2]);
    QVERIFY2(help.startsWith(u"Usage: grid datastore create --source DIR [--name NAME]\n"),
             qPrintable(help));
    QVERIFY(help.contains(u"Upload a directory as a datastore"));
    QVERIFY(help.contains(u"Options:"));
    const QStringList lines = help.split(u'\n');
    auto lineWith = [&](const QString &needle) {
        for (const QString &line : lines)
            if (line.startsWith(u"  -") && line.contains(needle))
                return line;
        return QString();
    };
    const QString source = lineWith(QStringLiteral("--source"));
    QVERIFY2(source.startsWith(u"  -s, --source DIR"), qPrintable(source));
    QVERIFY(source.endsWith(u"Directory to upload"));
    const QString name = lineWith(QStringLiteral("--name"));
    QVERIFY2(name.startsWith(u"  --name NAME"), qPrintable(name));
    QVERIFY(name.endsWith(u"Datastore name"));
    const QString force = lineWith(QStringLiteral("--force"));
    QVERIFY2(force.startsWith(u"  -f, --force "), qPrintable(force));
    QVERIFY(force.endsWith(u"Replace an existing datastore"));
    // Descriptions line up in one column.
    QCOMPARE(source.indexOf(u"Directory"), name.indexOf(u"Datastore"));
    QVERIFY(help.contains(u"-o, --output console|json"));
    QVERIFY(help.contains(u"--help"));
}

void TestCommandLine::overviewHelpListsCommands()
{
    const QString all = og::cli::overviewHelp(m_commands);
    for (const char *path : {"status", "datastore create", "run", "session copy"})
        QVERIFY2(all.contains(QLatin1String(path)), path);
    QVERIFY(all.contains(u"Start a hyperparameter sweep"));

    const QString group = og::cli::overviewHelp(m_commands, {QStringLiteral("datastore")});
    QVERIFY(group.contains(u"datastore create"));
    QVERIFY(group.contains(u"Upload a directory"));
    QVERIFY(!group.contains(u"session copy"));
    QVERIFY(!group.contains(u"Start a hyperparameter sweep"));
}

QTEST_APPLESS_MAIN(TestCommandLine)
#include "test_commandline.moc"
