// SPDX-License-Identifier: GPL-3.0-or-later
// grid: the OpenGrid command-line interface, with Grid's commands and flags.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/output.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

namespace og::cli {

QList<CommandSpec> allCommands()
{
    QList<CommandSpec> all;
    for (const auto &group : {loginCommands(), userCommands(), versionCommands(), statusCommands(),
                              instanceTypeCommands(), datastoreCommands(), runCommands(), runObserveCommands(),
                              artifactCommands(), sshKeyCommands(), sessionCommands()})
        all += group;
    return all;
}

} // namespace og::cli

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("grid"));
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();

    const QList<og::cli::CommandSpec> commands = og::cli::allCommands();
    const og::cli::ParsedCommand parsed = og::cli::parseCommandLine(commands, args);
    const og::cli::Output out(parsed.json);
    if (!parsed.debug)
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\nqt.*=false"));
    if (!parsed.error.isEmpty())
        return out.fail(parsed.error, 2);
    if (parsed.help || !parsed.command) {
        std::fputs(qPrintable(parsed.command ? og::cli::commandHelp(*parsed.command)
                                             : og::cli::overviewHelp(commands)), stdout);
        return 0;
    }
    og::cli::CommandContext context(parsed, out);
    return parsed.command->run(context);
}
