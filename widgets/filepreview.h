// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
#ifdef OPENGRID_HAVE_KSYNTAXHIGHLIGHTING
namespace KSyntaxHighlighting {
class SyntaxHighlighter;
}
#endif

namespace og {

class CodeHighlighter;
struct ApiResult;

// The preview pane of file browsers: text with syntax highlighting (YAML, JSON, CSV, Python,
// shell, logs), images as a thumbnail, anything else as a sentence saying what it is.
class FilePreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilePreview)
public:
    explicit FilePreview(QWidget *parent = nullptr);

    // Shows `bytes` of `fileName`; `truncated` when only the start of the file was fetched.
    void showFile(const QString &fileName, const QByteArray &bytes, bool truncated = false);
    // Shows the answer of a file endpoint (artifacts, datastore versions) for the start of a
    // file of `fileSize` bytes: its bytes, marked as cut when the file is longer, or its error.
    void showFetched(const QString &fileName, const ApiResult &answer, qint64 fileSize);
    void showMessage(const QString &text);

    bool isShowingText() const;
    bool isShowingImage() const;
    QString text() const;
    CodeHighlighter *highlighter() const { return m_highlighter; }

    static constexpr qint64 kMaxPreviewBytes = 1 << 20; // more is not read for a preview
    static bool looksLikeText(const QByteArray &bytes);

protected:
    void changeEvent(QEvent *event) override;

private:
    QStackedWidget *m_stack;
    QPlainTextEdit *m_text;
    QLabel *m_image;
    QLabel *m_message;
    CodeHighlighter *m_highlighter;
#ifdef OPENGRID_HAVE_KSYNTAXHIGHLIGHTING
    KSyntaxHighlighting::SyntaxHighlighter *m_kHighlighter = nullptr;
    bool useKSyntaxHighlighting(const QString &fileName);
#endif
};

} // namespace og
