// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/scriptarguments.h"

#include <QRegularExpression>

namespace og {

bool isFlagToken(const QString &token)
{
    if (token.size() < 2 || token.front() != u'-' || token == QLatin1String("--"))
        return false;
    // Negative numbers are values (argparse agrees for the plain forms; we also accept
    // exponents so `--lr -1e-5` works).
    static const QRegularExpression negativeNumber(
        QStringLiteral("^-(?:\\d[\\d_]*\\.?[\\d_]*|\\.\\d[\\d_]*)(?:[eE][+-]?\\d+)?$"));
    return !negativeNumber.match(token).hasMatch();
}

QString ScriptArgument::name() const
{
    qsizetype dashes = 0;
    while (dashes < flag.size() && flag.at(dashes) == u'-')
        ++dashes;
    return flag.mid(dashes);
}

void ScriptArgument::appendTo(QStringList &argv, const QString &newValue) const
{
    switch (form) {
    case Form::Positional:
        argv << newValue;
        break;
    case Form::Toggle:
        argv << flag;
        break;
    case Form::Separate:
        argv << flag << newValue;
        break;
    case Form::Attached:
        argv << flag + u'=' + newValue;
        break;
    }
}

QList<ScriptArgument> splitScriptArguments(const QStringList &argv)
{
    QList<ScriptArgument> out;
    out.reserve(argv.size());
    for (qsizetype i = 0; i < argv.size(); ++i) {
        const QString &token = argv.at(i);
        if (token == QLatin1String("--")) {
            for (; i < argv.size(); ++i)
                out.append({ScriptArgument::Form::Positional, {}, argv.at(i)});
            break;
        }
        if (!isFlagToken(token)) {
            out.append({ScriptArgument::Form::Positional, {}, token});
            continue;
        }
        const qsizetype eq = token.indexOf(u'=');
        if (eq > 0) {
            out.append({ScriptArgument::Form::Attached, token.left(eq), token.mid(eq + 1)});
        } else if (i + 1 < argv.size() && argv.at(i + 1) != QLatin1String("--") &&
                   !isFlagToken(argv.at(i + 1))) {
            out.append({ScriptArgument::Form::Separate, token, argv.at(i + 1)});
            ++i;
        } else {
            out.append({ScriptArgument::Form::Toggle, token, {}});
        }
    }
    return out;
}

} // namespace og
