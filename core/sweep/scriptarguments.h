// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace og {

// One piece of a script's command line as `grid run` sees it. We do not know the script's
// argparse setup, so the split is by shape: a token starting with '-' (and not a number such as
// -0.5) is a flag; the token after it is its value unless it is a flag itself.
struct ScriptArgument
{
    enum class Form
    {
        Positional, // `data/`, and everything after a `--` separator (the `--` included)
        Toggle,     // `--do_x` with no value after it
        Separate,   // `--flag value`, `-f value`
        Attached,   // `--flag=value`
    };

    Form form = Form::Positional;
    QString flag;  // as written, dashes included ("--learning_rate"); empty for Positional
    QString value; // as written; empty for Toggle

    bool hasValue() const { return form == Form::Separate || form == Form::Attached; }
    // The flag without its leading dashes: "learning_rate" — the name Grid recorded in an
    // experiment's parameters and showed as a table column.
    QString name() const;
    // Appends this argument to an argv, with `newValue` in place of the value (same form).
    void appendTo(QStringList &argv, const QString &newValue) const;
    void appendTo(QStringList &argv) const { appendTo(argv, value); }
};

QList<ScriptArgument> splitScriptArguments(const QStringList &argv);

// True for "-f", "--flag", "--flag=x"; false for "-", "--", "-1", "-0.5", "-1e-5", "x".
bool isFlagToken(const QString &token);

} // namespace og
