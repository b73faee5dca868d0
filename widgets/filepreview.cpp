// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/filepreview.h"

#include "core/apiclient.h"
#include "widgets/codehighlighter.h"

#include <QEvent>
#include <QFontDatabase>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

#ifdef OPENGRID_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace og {

FilePreview::FilePreview(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_image(new QLabel(this))
    , m_message(new QLabel(this))
    , m_highlighter(new CodeHighlighter(m_text->document()))
{
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_image->setAlignment(Qt::AlignCenter);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stack->addWidget(m_message);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_image);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    m_highlighter->setDarkBackground(palette().color(QPalette::Base).lightness() < 128);
    showMessage(tr("Select a file to preview it."));
}

bool FilePreview::looksLikeText(const QByteArray &bytes)
{
    // No NUL bytes and valid UTF-8 in the first 8 KiB: what `file` and git call text.
    const QByteArray head = bytes.left(8192);
    if (head.contains('\0'))
        return false;
    // One replacement character is allowed: a multi-byte character cut at the 8 KiB edge.
    return QString::fromUtf8(head).count(QChar::ReplacementCharacter) <= 1;
}

void FilePreview::showFetched(const QString &fileName, const ApiResult &answer, qint64 fileSize)
{
    if (!answer.ok()) {
        showMessage(answer.message);
        return;
    }
    const QByteArray bytes = answer.raw.left(kMaxPreviewBytes);
    showFile(fileName, bytes, fileSize > bytes.size());
}

void FilePreview::showFile(const QString &fileName, const QByteArray &bytes, bool truncated)
{
    QImage image;
    if (image.loadFromData(bytes)) {
        const QSize box = m_stack->size().boundedTo(QSize(640, 640)).expandedTo(QSize(64, 64));
        m_image->setPixmap(QPixmap::fromImage(image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        m_image->setToolTip(tr("%1 × %2 pixels").arg(image.width()).arg(image.height()));
        m_stack->setCurrentWidget(m_image);
        return;
    }
    if (!looksLikeText(bytes)) {
        showMessage(tr("%1 is a binary file; there is nothing to preview.").arg(fileName));
        return;
    }
#ifdef OPENGRID_HAVE_KSYNTAXHIGHLIGHTING
    if (!useKSyntaxHighlighting(fileName))
#endif
        m_highlighter->setLanguage(CodeHighlighter::languageForFileName(fileName));
    QString text = QString::fromUtf8(bytes);
    if (truncated)
        text += u'\n' + tr("… (only the first %1 are shown)").arg(QLocale().formattedDataSize(bytes.size()));
    m_text->setPlainText(text);
    m_stack->setCurrentWidget(m_text);
}

#ifdef OPENGRID_HAVE_KSYNTAXHIGHLIGHTING
bool FilePreview::useKSyntaxHighlighting(const QString &fileName)
{
    static KSyntaxHighlighting::Repository repository; // one per app: loading it is not cheap
    const KSyntaxHighlighting::Definition definition = repository.definitionForFileName(fileName);
    if (!definition.isValid()) {
        delete m_kHighlighter;
        m_kHighlighter = nullptr;
        m_highlighter->setDocument(m_text->document());
        return false;
    }
    m_highlighter->setDocument(nullptr); // one highlighter per document
    if (!m_kHighlighter)
        m_kHighlighter = new KSyntaxHighlighting::SyntaxHighlighter(m_text->document());
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    m_kHighlighter->setTheme(repository.defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                          : KSyntaxHighlighting::Repository::LightTheme));
    m_kHighlighter->setDefinition(definition);
    return true;
}
#endif

void FilePreview::showMessage(const QString &text)
{
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
}

bool FilePreview::isShowingText() const
{
    return m_stack->currentWidget() == m_text;
}

bool FilePreview::isShowingImage() const
{
    return m_stack->currentWidget() == m_image;
}

QString FilePreview::text() const
{
    return isShowingText() ? m_text->toPlainText() : m_message->text();
}

void FilePreview::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setDarkBackground(palette().color(QPalette::Base).lightness() < 128);
    QWidget::changeEvent(event);
}

} // namespace og
