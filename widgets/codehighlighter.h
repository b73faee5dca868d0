// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace og {

// The small built-in highlighter of the preview pane and the run YAML tab, for systems without
// KSyntaxHighlighting for Qt 6 (Debian 12): YAML, JSON, CSV, Python, shell and log files.
// Rules are regular expressions per line, plus Python's triple-quoted strings across lines.
class CodeHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeHighlighter)
public:
    enum class Language { Plain, Yaml, Json, Csv, Python, Shell, Log };

    explicit CodeHighlighter(QTextDocument *document);

    static Language languageForFileName(const QString &fileName);
    void setLanguage(Language language);
    Language language() const { return m_language; }
    // Colours for a light or a dark background.
    void setDarkBackground(bool dark);

    // What a rule gives one span: "keyword", "string", "number", "comment", "key", "error",
    // "warning", "timestamp", "column0".."column5"; for tests and themes.
    QString formatNameAt(const QTextBlock &block, int position) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QString format;
        int group = 0;
    };
    void buildRules();
    void apply(const QString &text, int start, int length, const QString &format);

    Language m_language = Language::Plain;
    bool m_dark = false;
    QList<Rule> m_rules;
    QHash<QString, QTextCharFormat> m_formats;
};

} // namespace og
