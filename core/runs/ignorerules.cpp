// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/ignorerules.h"

#include <QFile>
#include <QFileInfo>

#include <optional>

namespace og {

namespace {
QString literal(QChar c)
{
    return QRegularExpression::escape(QString(c));
}

// `[...]` starting at pattern[*i] (the '['); on success *i is left on the closing ']'. Nothing
// when the class never closes: git then takes the '[' literally, and so do we.
std::optional<QString> characterClass(const QString &pattern, qsizetype *i)
{
    qsizetype j = *i + 1;
    QString body;
    bool negated = false;
    if (j < pattern.size() && (pattern[j] == u'!' || pattern[j] == u'^')) {
        negated = true;
        ++j;
    }
    bool first = true;
    for (; j < pattern.size(); ++j) {
        const QChar c = pattern[j];
        if (c == u']' && !first) {
            *i = j;
            // Like git's wildmatch in path mode, a class never matches the separator.
            return QStringLiteral("[") + (negated ? QStringLiteral("^/") : QString()) + body + u']';
        }
        first = false;
        if (c == u'\\' && j + 1 < pattern.size()) {
            body += literal(pattern[++j]);
        } else if (c == u'-' && !body.isEmpty() && j + 1 < pattern.size() && pattern[j + 1] != u']') {
            body += u'-'; // a range between the neighbours
        } else {
            body += literal(c);
        }
    }
    return std::nullopt;
}

// The regular expression for one pattern body (anchoring and the trailing '/' already taken
// off); empty when the pattern cannot be used (a dangling '\').
QString translate(const QString &p)
{
    if (p == u"**")
        return QStringLiteral(".*");
    QString out;
    qsizetype i = 0;
    if (p.startsWith(QStringLiteral("**/"))) {
        out += QStringLiteral("(?:.*/)?");
        i = 3;
    }
    for (; i < p.size(); ++i) {
        const QChar c = p[i];
        if (c == u'/' && p.mid(i, 4) == u"/**/") {
            out += QStringLiteral("/(?:.*/)?");
            i += 3;
        } else if (c == u'/' && i + 3 == p.size() && p.mid(i) == u"/**") {
            out += QStringLiteral("/.*");
            i += 2;
        } else if (c == u'*') {
            while (i + 1 < p.size() && p[i + 1] == u'*')
                ++i; // other runs of '*' are an ordinary '*'
            out += QStringLiteral("[^/]*");
        } else if (c == u'?') {
            out += QStringLiteral("[^/]");
        } else if (c == u'[') {
            if (const auto cls = characterClass(p, &i))
                out += *cls;
            else
                out += literal(c);
        } else if (c == u'\\') {
            if (i + 1 >= p.size())
                return {};
            out += literal(p[++i]);
        } else {
            out += literal(c);
        }
    }
    return out;
}

// Trailing spaces go unless the last one is escaped ("name\ ").
QString trimTrailingSpaces(QString line)
{
    while (line.endsWith(u' ') && !line.endsWith(QStringLiteral("\\ ")))
        line.chop(1);
    return line;
}
} // namespace

void IgnoreRules::addRules(const QString &text, const QString &source)
{
    if (!source.isEmpty())
        m_sources.append(source);
    const QString where = source.isEmpty() ? QStringLiteral("ignore rules") : u'\'' + source + u'\'';
    const QStringList lines = text.split(u'\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString line = lines[n];
        if (line.endsWith(u'\r'))
            line.chop(1);
        line = trimTrailingSpaces(line);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u'!')) {
            m_warnings.append(QStringLiteral("%1 line %2: '%3' is skipped: negated patterns ('!') are not supported")
                                  .arg(where).arg(n + 1).arg(line));
            continue;
        }
        Rule rule;
        if (line.endsWith(u'/') && !line.endsWith(QStringLiteral("\\/"))) {
            rule.directoryOnly = true;
            while (line.endsWith(u'/'))
                line.chop(1);
        }
        const bool anchored = line.contains(u'/');
        while (line.startsWith(u'/'))
            line.remove(0, 1);
        if (line.isEmpty())
            continue; // "/" alone names the root itself, which cannot be left out
        const QString body = translate(line);
        if (body.isEmpty()) {
            m_warnings.append(QStringLiteral("%1 line %2: '%3' is skipped: it ends in a lone '\\'").arg(where).arg(n + 1).arg(lines[n]));
            continue;
        }
        rule.regex = QRegularExpression(QStringLiteral("\\A") + (anchored ? QString() : QStringLiteral("(?:.*/)?")) + body
                                            + QStringLiteral("\\z"),
                                        QRegularExpression::DotMatchesEverythingOption);
        if (!rule.regex.isValid()) {
            m_warnings.append(QStringLiteral("%1 line %2: '%3' is skipped: it is not a usable pattern").arg(where).arg(n + 1).arg(lines[n]));
            continue;
        }
        rule.regex.optimize();
        m_rules.append(rule);
    }
}

IgnoreRules IgnoreRules::forDirectory(const QString &root)
{
    IgnoreRules rules;
    const auto read = [&](const QString &name) {
        QFile f(root + u'/' + name);
        if (!QFileInfo(f).isFile() || !f.open(QIODevice::ReadOnly))
            return false;
        rules.addRules(QString::fromUtf8(f.readAll()), name);
        return true;
    };
    if (!read(QStringLiteral(".gridignore"))) {
        read(QStringLiteral(".gitignore"));
        read(QStringLiteral(".dockerignore"));
    }
    return rules;
}

bool IgnoreRules::matchesItself(const QString &path, bool isDir) const
{
    for (const Rule &r : m_rules) {
        if (r.directoryOnly && !isDir)
            continue;
        if (r.regex.match(path).hasMatch())
            return true;
    }
    return false;
}

bool IgnoreRules::ignored(const QString &relativePath, bool isDir) const
{
    QString path = relativePath;
    while (path.startsWith(QStringLiteral("./")))
        path.remove(0, 2);
    while (path.endsWith(u'/')) {
        path.chop(1);
        isDir = true;
    }
    if (path.isEmpty() || path == u".")
        return false;
    // The repository's own database is never code, whatever the rules say.
    if (path == u".git" || path.startsWith(QStringLiteral(".git/")))
        return true;
    // A file inside an ignored directory is ignored even if no rule names it.
    for (qsizetype slash = path.indexOf(u'/'); slash >= 0; slash = path.indexOf(u'/', slash + 1))
        if (matchesItself(path.left(slash), true))
            return true;
    return matchesItself(path, isDir);
}

} // namespace og
