// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"

namespace og::cli {

namespace {
const OptionSpec *findOption(const CommandSpec &c, const QString &name)
{
    for (const OptionSpec &o : c.options)
        if (o.name == name)
            return &o;
    return nullptr;
}

const OptionSpec *findShort(const CommandSpec &c, QChar s)
{
    for (const OptionSpec &o : c.options)
        if (!o.shortName.isNull() && o.shortName == s)
            return &o;
    return nullptr;
}

// Longest command path that prefixes `words` (so "datastore create" beats "datastore").
const CommandSpec *matchCommand(const QList<CommandSpec> &commands, const QStringList &words, int *used)
{
    const CommandSpec *best = nullptr;
    *used = 0;
    for (const CommandSpec &c : commands) {
        QList<QStringList> paths{c.path};
        for (const QString &alias : c.aliases)
            paths.append(alias.split(u' '));
        for (const QStringList &p : paths) {
            if (p.size() > words.size() || p.size() <= *used)
                continue;
            if (words.mid(0, p.size()) == p) {
                best = &c;
                *used = int(p.size());
            }
        }
    }
    return best;
}


// Takes a global option (--debug, -o/--output) at args[*i]; false when args[*i] is not one.
bool takeGlobalOption(const QStringList &args, qsizetype *i, ParsedCommand *parsed)
{
    const QString &a = args[*i];
    if (a == u"--debug") {
        parsed->debug = true;
        return true;
    }
    if (a != u"-o" && a != u"--output" && !a.startsWith(u"--output="))
        return false;
    QString v;
    if (a.startsWith(u"--output="))
        v = a.mid(9);
    else if (*i + 1 < args.size())
        v = args[++*i];
    if (v != u"json" && v != u"console")
        parsed->error = QStringLiteral("--output must be 'console' or 'json'");
    parsed->json = v == u"json";
    return true;
}
} // namespace

ParsedCommand parseCommandLine(const QList<CommandSpec> &commands, const QStringList &args)
{
    ParsedCommand parsed;
    // Pass 1: global options before the command, then the command words.
    QStringList words;
    QStringList rest;
    bool commandWordsDone = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (words.isEmpty() && takeGlobalOption(args, &i, &parsed)) {
            if (!parsed.error.isEmpty())
                return parsed;
            continue;
        }
        if (!commandWordsDone && !a.startsWith(u'-')) {
            words.append(a);
            continue;
        }
        commandWordsDone = true;
        rest.append(a);
    }
    int used = 0;
    parsed.command = matchCommand(commands, words, &used);
    if (!parsed.command) {
        if (words.isEmpty()) {
            parsed.help = true;
            return parsed;
        }
        parsed.error = QStringLiteral("no such command '%1'; run `grid --help` for the list").arg(words.join(u' '));
        return parsed;
    }
    // Extra words are positional arguments; put them back before the options.
    rest = words.mid(used) + rest;
    const CommandSpec &c = *parsed.command;
    bool passing = false;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QString &a = rest[i];
        if (passing) {
            parsed.positional.append(a);
            continue;
        }
        if (a == u"--help" || a == u"-h") {
            parsed.help = true;
            return parsed;
        }
        if (a == u"--") {
            passing = true;
            continue;
        }
        // Global options are accepted after the command too, up to a pass-through point.
        if (takeGlobalOption(rest, &i, &parsed)) {
            if (!parsed.error.isEmpty())
                return parsed;
            continue;
        }
        if (a.startsWith(u"--") || (a.size() == 2 && a[0] == u'-' && a[1].isLetter())) {
            QString name = a.startsWith(u"--") ? a.mid(2) : QString();
            QString inlineValue;
            bool hasInline = false;
            if (const qsizetype eq = name.indexOf(u'='); eq >= 0) {
                inlineValue = name.mid(eq + 1);
                name = name.left(eq);
                hasInline = true;
            }
            const OptionSpec *o = name.isEmpty() ? findShort(c, a[1]) : findOption(c, name);
            if (!o) {
                parsed.error = QStringLiteral("no such option: %1 (see `grid %2 --help`)").arg(a, c.path.join(u' '));
                return parsed;
            }
            if (o->valueName.isEmpty()) {
                if (hasInline) {
                    parsed.error = QStringLiteral("option --%1 is a flag and takes no value").arg(o->name);
                    return parsed;
                }
                parsed.flags.insert(o->name);
                continue;
            }
            if (!hasInline) {
                if (i + 1 >= rest.size()) {
                    parsed.error = QStringLiteral("option --%1 needs a value (%2)").arg(o->name, o->valueName);
                    return parsed;
                }
                inlineValue = rest[++i];
            }
            parsed.values.insert(o->name, inlineValue);
            continue;
        }
        parsed.positional.append(a);
        if (c.passThrough)
            passing = true;
    }
    if (parsed.positional.size() < c.minArgs
        || (c.maxArgs >= 0 && parsed.positional.size() > c.maxArgs)) {
        parsed.error = QStringLiteral("usage: grid %1 %2").arg(c.path.join(u' '), c.usage);
        return parsed;
    }
    return parsed;
}

QString commandHelp(const CommandSpec &c)
{
    QString text = QStringLiteral("Usage: grid %1 %2\n\n  %3\n").arg(c.path.join(u' '), c.usage, c.summary);
    text += QStringLiteral("\nOptions:\n");
    for (const OptionSpec &o : c.options) {
        QString left = o.shortName.isNull() ? QStringLiteral("  --%1").arg(o.name)
                                            : QStringLiteral("  -%1, --%2").arg(o.shortName).arg(o.name);
        if (!o.valueName.isEmpty())
            left += u' ' + o.valueName;
        text += left.leftJustified(32) + u' ' + o.help + u'\n';
    }
    text += QStringLiteral("  -o, --output console|json").leftJustified(32) + QStringLiteral(" Output format (default console)\n");
    text += QStringLiteral("  --help").leftJustified(32) + QStringLiteral(" Show this message and exit.\n");
    return text;
}

QString overviewHelp(const QList<CommandSpec> &commands, const QStringList &prefix)
{
    QString text = QStringLiteral(
        "Usage: grid [OPTIONS] COMMAND [ARGS]...\n\n"
        "  OpenGrid: datastores, sessions and hyperparameter sweeps on your own machines.\n\n"
        "Options:\n"
        "  -o, --output console|json       Output format (default console)\n"
        "  --debug                         Print debugging information\n"
        "  --help                          Show this message and exit.\n\n"
        "Commands:\n");
    for (const CommandSpec &c : commands) {
        if (c.path.mid(0, prefix.size()) != prefix)
            continue;
        text += (QStringLiteral("  ") + c.path.join(u' ')).leftJustified(32) + u' ' + c.summary + u'\n';
    }
    return text;
}

} // namespace og::cli
