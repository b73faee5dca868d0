// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace og {

// What `grid run --localdir` leaves out of the code it uploads: the rules of the directory's
// `.gridignore`, or when there is none, of its `.gitignore` and `.dockerignore` together (as
// Grid did). The syntax is gitignore's without negation, which Grid never had:
//   - `#` starts a comment line, blank lines are skipped, trailing spaces are trimmed unless
//     escaped with `\`, and `\` makes the next character literal;
//   - `*` matches anything but `/`, `?` one character but `/`, `[a-z]`/`[!a-z]` a class;
//   - `**/x` matches x at any depth, `x/**` everything inside x, `a/**/b` zero or more
//     directories between a and b;
//   - a leading `/`, or a `/` inside the pattern, anchors it to the root; otherwise it matches
//     a name at any depth;
//   - a trailing `/` matches directories only.
// Only the root's files are read: nested .gitignore files are not consulted.
// Everything under an ignored directory is ignored, and `.git/` always is.
class IgnoreRules final
{
public:
    IgnoreRules() = default;

    // Parses rule text; `source` names it in warnings ("'.gridignore' line 3: …").
    void addRules(const QString &text, const QString &source = QString());
    // Reads `<root>/.gridignore`, else `<root>/.gitignore` and `<root>/.dockerignore`.
    static IgnoreRules forDirectory(const QString &root);

    // `relativePath` is '/'-separated and relative to the root ("src/model.py").
    bool ignored(const QString &relativePath, bool isDir) const;

    // Lines that were skipped (negations, unusable patterns), for the user to see.
    const QStringList &warnings() const { return m_warnings; }
    // The files the rules came from, for messages ("excluded by .gridignore").
    const QStringList &sources() const { return m_sources; }
    int ruleCount() const { return int(m_rules.size()); }

private:
    struct Rule
    {
        QRegularExpression regex;
        bool directoryOnly = false;
    };

    bool matchesItself(const QString &path, bool isDir) const;

    QList<Rule> m_rules;
    QStringList m_warnings;
    QStringList m_sources;
};

} // namespace og
