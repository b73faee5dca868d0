// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace og::cli {

class CommandContext;

struct OptionSpec
{
    QString name;      // long name without dashes: "username"
    QString valueName; // empty for a boolean flag
    QString help;
    QChar shortName;   // optional: 'o'
};

struct CommandSpec
{
    QStringList path;     // {"datastore", "create"}
    QStringList aliases;  // whole alternative paths joined by spaces: "datastores create"
    QString summary;
    QString usage;        // after "grid <path> ": "[--username U --key K] [--url URL]"
    QList<OptionSpec> options;
    int minArgs = 0;
    int maxArgs = 0;      // -1: unlimited
    // After the first positional argument everything is passed through untouched
    // (`grid run script.py --lr 0.1`).
    bool passThrough = false;
    std::function<int(CommandContext &)> run;
};

struct ParsedCommand
{
    const CommandSpec *command = nullptr;
    QHash<QString, QString> values; // options that take a value
    QSet<QString> flags;            // boolean options present
    QStringList positional;
    bool help = false;              // --help: print the command's help
    bool json = false;              // -o json / --output json
    bool debug = false;
    QString error;                  // a usage error, one line

    QString value(const QString &name) const { return values.value(name); }
    bool has(const QString &name) const { return values.contains(name) || flags.contains(name); }
};

// Grid's command line: `grid [--debug] [-o console|json] COMMAND [SUBCOMMAND] [OPTIONS] ARGS`.
// Global options are accepted before or after the command; `--flag value` and `--flag=value`.
ParsedCommand parseCommandLine(const QList<CommandSpec> &commands, const QStringList &args);
QString commandHelp(const CommandSpec &command);
// With a prefix ({"datastore"}) lists only that group's subcommands.
QString overviewHelp(const QList<CommandSpec> &commands, const QStringList &prefix = {});

} // namespace og::cli
