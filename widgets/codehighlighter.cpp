// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/codehighlighter.h"

#include <QFileInfo>
#include <QTextDocument>

namespace og {

namespace {
// Which format covers a character: stored per block for formatNameAt().
class SpanNames final : public QTextBlockUserData
{
public:
    QList<std::tuple<int, int, QString>> spans;
};
} // namespace

CodeHighlighter::CodeHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setDarkBackground(false);
}

CodeHighlighter::Language CodeHighlighter::languageForFileName(const QString &fileName)
{
    const QFileInfo info(fileName);
    const QString suffix = info.suffix().toLower();
    if (suffix == u"yaml" || suffix == u"yml")
        return Language::Yaml;
    if (suffix == u"json" || suffix == u"jsonl" || suffix == u"ndjson" || suffix == u"ipynb")
        return Language::Json;
    if (suffix == u"csv" || suffix == u"tsv")
        return Language::Csv;
    if (suffix == u"py" || suffix == u"pyi")
        return Language::Python;
    if (suffix == u"sh" || suffix == u"bash")
        return Language::Shell;
    if (suffix == u"log" || suffix == u"out" || suffix == u"err")
        return Language::Log;
    return Language::Plain;
}

void CodeHighlighter::setLanguage(Language language)
{
    m_language = language;
    buildRules();
    rehighlight();
}

void CodeHighlighter::setDarkBackground(bool dark)
{
    m_dark = dark;
    const auto fmt = [](QColor color, bool bold = false, bool italic = false) {
        QTextCharFormat f;
        f.setForeground(color);
        if (bold)
            f.setFontWeight(QFont::Bold);
        f.setFontItalic(italic);
        return f;
    };
    m_formats = {
        {QStringLiteral("keyword"), fmt(dark ? QColor(0xff7b72) : QColor(0xcf222e), true)},
        {QStringLiteral("string"), fmt(dark ? QColor(0xa5d6ff) : QColor(0x0a3069))},
        {QStringLiteral("number"), fmt(dark ? QColor(0x79c0ff) : QColor(0x0550ae))},
        {QStringLiteral("comment"), fmt(dark ? QColor(0x8b949e) : QColor(0x6e7781), false, true)},
        {QStringLiteral("key"), fmt(dark ? QColor(0x7ee787) : QColor(0x116329), true)},
        {QStringLiteral("error"), fmt(dark ? QColor(0xff7b72) : QColor(0xcf222e), true)},
        {QStringLiteral("warning"), fmt(dark ? QColor(0xd29922) : QColor(0x9a6700), true)},
        {QStringLiteral("timestamp"), fmt(dark ? QColor(0x8b949e) : QColor(0x6e7781))},
    };
    const QList<QColor> columns = dark ? QList<QColor>{0xe6edf3, 0x79c0ff, 0x7ee787, 0xffa657, 0xd2a8ff, 0xff7b72}
                                       : QList<QColor>{0x1f2328, 0x0550ae, 0x116329, 0x953800, 0x8250df, 0xcf222e};
    for (int i = 0; i < columns.size(); ++i)
        m_formats.insert(QStringLiteral("column%1").arg(i), fmt(columns[i]));
    rehighlight();
}

void CodeHighlighter::buildRules()
{
    const auto rule = [this](const char *pattern, const char *format, int group = 0) {
        m_rules.append({QRegularExpression(QString::fromLatin1(pattern)), QString::fromLatin1(format), group});
    };
    m_rules.clear();
    switch (m_language) {
    case Language::Yaml:
        rule(R"(^\s*(?:-\s+)?([^#:\s][^#:]*?)\s*:(?=\s|$))", "key", 1);
        rule(R"(\b(?:true|false|yes|no|null|True|False|None|~)\b)", "keyword");
        rule(R"((?<![\w.-])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)", "number");
        rule(R"("(?:[^"\\]|\\.)*"|'[^']*')", "string");
        rule(R"((?:^|\s)#.*$)", "comment");
        break;
    case Language::Json:
        rule(R"(-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)", "number");
        rule(R"(\b(?:true|false|null)\b)", "keyword");
        rule(R"("(?:[^"\\]|\\.)*")", "string");
        rule(R"(("(?:[^"\\]|\\.)*")\s*:)", "key", 1);
        break;
    case Language::Python:
        rule(R"(\b(?:and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield|True|False|None)\b)", "keyword");
        rule(R"(\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)", "number");
        rule(R"([rbfu]?"(?:[^"\\]|\\.)*"|[rbfu]?'(?:[^'\\]|\\.)*')", "string");
        rule(R"(#.*$)", "comment");
        break;
    case Language::Shell:
        rule(R"(\b(?:if|then|else|elif|fi|for|while|do|done|case|esac|function|in|export|local|return|exit|set)\b)", "keyword");
        rule(R"(\$\{?\w+\}?)", "key");
        rule(R"("(?:[^"\\]|\\.)*"|'[^']*')", "string");
        rule(R"((?:^|\s)#.*$)", "comment");
        break;
    case Language::Log:
        rule(R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?Z?)", "timestamp");
        rule(R"(\b(?:WARN(?:ING)?|warning)\b)", "warning");
        rule(R"(\b(?:ERROR|FATAL|CRITICAL|Traceback|error|failed)\b|\[stderr\])", "error");
        break;
    case Language::Csv:
    case Language::Plain:
        break;
    }
}

void CodeHighlighter::apply(const QString &, int start, int length, const QString &format)
{
    setFormat(start, length, m_formats.value(format));
    auto *names = static_cast<SpanNames *>(currentBlockUserData());
    if (!names) {
        names = new SpanNames;
        setCurrentBlockUserData(names);
    }
    names->spans.append({start, length, format});
}

void CodeHighlighter::highlightBlock(const QString &text)
{
    if (auto *names = static_cast<SpanNames *>(currentBlockUserData()))
        names->spans.clear();
    if (m_language == Language::Csv) {
        // Each column its own colour, so a misaligned row stands out.
        int column = 0, start = 0;
        bool quoted = false;
        for (int i = 0; i <= text.size(); ++i) {
            if (i < text.size() && text[i] == u'"')
                quoted = !quoted;
            if (i == text.size() || (!quoted && (text[i] == u',' || text[i] == u'\t'))) {
                apply(text, start, i - start, QStringLiteral("column%1").arg(column % 6));
                ++column;
                start = i + 1;
            }
        }
        return;
    }
    for (const Rule &r : std::as_const(m_rules)) {
        auto it = r.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            apply(text, int(m.capturedStart(r.group)), int(m.capturedLength(r.group)), r.format);
        }
    }
    if (m_language != Language::Python)
        return;
    // Triple-quoted strings span lines: block state 1 = inside one.
    static const QRegularExpression triple(QStringLiteral(R"(""")"));
    int start = previousBlockState() == 1 ? 0 : int(text.indexOf(triple));
    setCurrentBlockState(0);
    while (start >= 0) {
        const auto end = triple.match(text, start + (previousBlockState() == 1 && start == 0 ? 0 : 3));
        if (!end.hasMatch()) {
            setCurrentBlockState(1);
            apply(text, start, int(text.size()) - start, QStringLiteral("string"));
            return;
        }
        const int stop = int(end.capturedEnd());
        apply(text, start, stop - start, QStringLiteral("string"));
        start = int(text.indexOf(triple, stop));
    }
}

QString CodeHighlighter::formatNameAt(const QTextBlock &block, int position) const
{
    const auto *names = static_cast<const SpanNames *>(block.userData());
    if (!names)
        return {};
    QString found;
    for (const auto &[start, length, name] : names->spans)
        if (position >= start && position < start + length)
            found = name; // later rules win, as with setFormat()
    return found;
}

} // namespace og
