// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/terminal/terminalview.h"

#include "core/terminal/terminalscreen.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyleHints>

#include <algorithm>
#include <cmath>

namespace og {

namespace {

constexpr int kFrameIntervalMs = 1000 / TerminalView::kMaxFramesPerSecond + 1;
constexpr int kBlinkIntervalMs = 530; // xterm's
constexpr int kWheelLines = 3;

unsigned modifiersOf(Qt::KeyboardModifiers m)
{
    unsigned out = NoModifier;
    if (m & Qt::ShiftModifier)
        out |= ShiftModifier;
    if (m & Qt::AltModifier)
        out |= AltModifier;
    if (m & Qt::ControlModifier)
        out |= ControlModifier;
    return out;
}

std::optional<TerminalKey> terminalKeyOf(int key)
{
    switch (key) {
    case Qt::Key_Return:
    case Qt::Key_Enter: return TerminalKey::Enter;
    case Qt::Key_Tab:
    case Qt::Key_Backtab: return TerminalKey::Tab;
    case Qt::Key_Backspace: return TerminalKey::Backspace;
    case Qt::Key_Escape: return TerminalKey::Escape;
    case Qt::Key_Up: return TerminalKey::Up;
    case Qt::Key_Down: return TerminalKey::Down;
    case Qt::Key_Left: return TerminalKey::Left;
    case Qt::Key_Right: return TerminalKey::Right;
    case Qt::Key_Insert: return TerminalKey::Insert;
    case Qt::Key_Delete: return TerminalKey::Delete;
    case Qt::Key_Home: return TerminalKey::Home;
    case Qt::Key_End: return TerminalKey::End;
    case Qt::Key_PageUp: return TerminalKey::PageUp;
    case Qt::Key_PageDown: return TerminalKey::PageDown;
    default:
        if (key >= Qt::Key_F1 && key <= Qt::Key_F12)
            return TerminalKey(int(TerminalKey::F1) + (key - Qt::Key_F1));
        return std::nullopt;
    }
}

bool isWordCharacter(const QString &text)
{
    if (text.isEmpty())
        return false;
    const QChar c = text.at(0);
    // What a shell word or a path is made of, so a double-click takes a whole file name.
    return c.isLetterOrNumber() || QStringLiteral("_-./~:@%+=").contains(c);
}

QColor toQColor(const TerminalColor &c)
{
    return QColor(c.red, c.green, c.blue);
}

} // namespace

TerminalView::TerminalView(TerminalScreen *screen, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_screen(screen)
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent); // every pixel is painted by us
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setMouseTracking(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setFrameShape(QFrame::NoFrame);

    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setStyleHint(QFont::Monospace, QFont::PreferDefault);
    font.setKerning(false);
    m_baseFontSize = font.pointSize() > 0 ? font.pointSize() : 10;
    applyFont(font);

    m_frameTimer.setSingleShot(true);
    connect(&m_frameTimer, &QTimer::timeout, this, &TerminalView::flushFrame);
    m_sinceFrame.start();
    m_blinkTimer.setInterval(kBlinkIntervalMs);
    connect(&m_blinkTimer, &QTimer::timeout, this, [this] {
        m_blinkOn = !m_blinkOn;
        const int row = m_screen->cursor().y();
        updateRows(row, row);
        onDamaged();
    });
    connect(m_screen, &TerminalScreen::damaged, this, &TerminalView::onDamaged);
    connect(m_screen, &TerminalScreen::altScreenChanged, this, [this] {
        clearSelection();
        m_fullRepaint = true;
        onDamaged();
    });
    m_rows = m_screen->rows();
    m_columns = m_screen->columns();
    updateScrollBar();
}

// ---- Geometry and font -------------------------------------------------------------------

void TerminalView::applyFont(const QFont &font)
{
    m_font = font;
    const QFontMetricsF metrics(m_font);
    // 'M' in a monospace font is every ASCII character's advance; runs of text then land on
    // the cell grid without positioning each character.
    m_cellWidth = std::max<qreal>(1.0, metrics.horizontalAdvance(QLatin1Char('M')));
    m_cellHeight = std::max(1, int(std::ceil(metrics.height())));
    m_ascent = int(std::ceil(metrics.ascent()));
    viewport()->setFont(m_font);
    verticalScrollBar()->setSingleStep(1);
    updateGridSize();
    m_fullRepaint = true;
    viewport()->update();
}

void TerminalView::zoomIn()
{
    QFont f = m_font;
    f.setPointSize(std::min(72, f.pointSize() + 1));
    applyFont(f);
}

void TerminalView::zoomOut()
{
    QFont f = m_font;
    f.setPointSize(std::max(4, f.pointSize() - 1));
    applyFont(f);
}

void TerminalView::resetZoom()
{
    QFont f = m_font;
    f.setPointSize(m_baseFontSize);
    applyFont(f);
}

void TerminalView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateGridSize();
}

void TerminalView::updateGridSize()
{
    const QSize area = viewport()->size();
    const int columns = std::max(2, int(area.width() / m_cellWidth));
    const int rows = std::max(1, area.height() / m_cellHeight);
    if (rows == m_screen->rows() && columns == m_screen->columns()) {
        m_rows = rows;
        m_columns = columns;
        return;
    }
    m_rows = rows;
    m_columns = columns;
    clearSelection();
    m_screen->resize(rows, columns);
    updateScrollBar();
    m_fullRepaint = true;
    viewport()->update();
    emit terminalResized(rows, columns);
}

// ---- Scrollback ------------------------------------------------------------------------

void TerminalView::updateScrollBar()
{
    QScrollBar *bar = verticalScrollBar();
    const int history = m_screen->historyLineCount();
    const int offset = std::min(scrollbackOffset(), history);
    const QSignalBlocker block(bar);
    bar->setRange(0, history);
    bar->setPageStep(m_rows);
    bar->setValue(history - offset);
}

int TerminalView::scrollbackOffset() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->maximum() - bar->value();
}

void TerminalView::scrollToBottom()
{
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void TerminalView::scrollContentsBy(int, int)
{
    m_fullRepaint = true;
    viewport()->update();
}

int TerminalView::bufferRowAtTop() const
{
    return -scrollbackOffset();
}

// ---- Frames ----------------------------------------------------------------------------

void TerminalView::onDamaged()
{
    if (m_frameTimer.isActive())
        return;
    // The first change after a quiet spell paints at once (a key's echo); a stream of them
    // is cut into frames no more often than kMaxFramesPerSecond.
    const qint64 since = m_sinceFrame.elapsed();
    m_frameTimer.start(int(std::max<qint64>(0, kFrameIntervalMs - since)));
}

void TerminalView::flushFrame()
{
    m_sinceFrame.restart();
    const TerminalDamage damage = m_screen->takeDamage();
    if (damage.linesScrolledOff != 0) {
        // Keep the text under a scrolled-back view and under the selection where it was.
        const int offset = scrollbackOffset();
        if (hasSelection()) {
            m_selectionStart.ry() -= damage.linesScrolledOff;
            m_selectionEnd.ry() -= damage.linesScrolledOff;
            m_selectionAnchor.ry() -= damage.linesScrolledOff;
            if (m_selectionEnd.y() < -m_screen->historyLineCount())
                clearSelection();
        }
        QScrollBar *bar = verticalScrollBar();
        const QSignalBlocker block(bar);
        bar->setRange(0, m_screen->historyLineCount());
        bar->setPageStep(m_rows);
        bar->setValue(bar->maximum()
                      - (offset > 0 ? std::min(bar->maximum(), offset + damage.linesScrolledOff)
                                    : 0));
        m_fullRepaint = true;
    } else if (verticalScrollBar()->maximum() != m_screen->historyLineCount()) {
        updateScrollBar();
    }
    if (!damage.cells.isNull()) {
        if (hasSelection() && damage.cells.bottom() >= m_selectionStart.y()
            && damage.cells.top() <= m_selectionEnd.y() && m_selectionEnd.y() >= 0)
            clearSelection(); // the selected text changed under it
        updateRows(damage.cells.top(), damage.cells.bottom());
    }
    if (damage.cursorMoved) {
        updateRows(m_lastCursorRow, m_lastCursorRow); // where it was
        const int row = m_screen->cursor().y();
        updateRows(row, row);
        m_lastCursorRow = row;
        m_blinkOn = true;
        if (m_blinkTimer.isActive())
            m_blinkTimer.start(); // restart the phase so a moving cursor stays visible
    }
    if (hasFocus() && m_screen->isCursorBlinking() != m_blinkTimer.isActive()) {
        if (m_screen->isCursorBlinking())
            m_blinkTimer.start();
        else
            m_blinkTimer.stop();
        m_blinkOn = true;
    }
    if (m_fullRepaint) {
        viewport()->update();
    } else if (m_damageTop >= 0) {
        const int offset = scrollbackOffset();
        const int top = std::max(0, m_damageTop + offset);
        const int bottom = std::min(m_rows - 1, m_damageBottom + offset);
        if (top <= bottom)
            viewport()->update(QRect(0, top * m_cellHeight, viewport()->width(),
                                     (bottom - top + 1) * m_cellHeight));
    }
    m_damageTop = m_damageBottom = -1;
}

void TerminalView::updateRows(int firstBufferRow, int lastBufferRow)
{
    if (m_damageTop < 0 || firstBufferRow < m_damageTop)
        m_damageTop = firstBufferRow;
    if (lastBufferRow > m_damageBottom)
        m_damageBottom = lastBufferRow;
}

void TerminalView::paintEvent(QPaintEvent *event)
{
    QElapsedTimer timer;
    timer.start();
    QPainter painter(viewport());
    painter.setFont(m_font);
    const QRect dirty = event->rect();
    const int first = std::max(0, dirty.top() / m_cellHeight);
    const int last = std::min(m_rows - 1, dirty.bottom() / m_cellHeight);
    const int top = bufferRowAtTop();
    for (int viewRow = first; viewRow <= last; ++viewRow)
        paintRow(painter, viewRow, top + viewRow);
    // Below the last full row and right of the last column: the background.
    const QColor base = m_screen->isReverseVideo() ? palette().color(QPalette::Text)
                                                   : palette().color(QPalette::Base);
    const int gridBottom = m_rows * m_cellHeight;
    if (dirty.bottom() >= gridBottom)
        painter.fillRect(QRect(0, gridBottom, viewport()->width(), viewport()->height()), base);
    const int gridRight = int(m_columns * m_cellWidth);
    painter.fillRect(QRect(gridRight, dirty.top(), viewport()->width() - gridRight, dirty.height()),
                     base);
    paintCursor(painter);
    m_fullRepaint = false;
    ++m_framesPainted;
    m_slowestFrameUs = std::max(m_slowestFrameUs, timer.nsecsElapsed() / 1000);
}

QColor TerminalView::foregroundOf(const TerminalCell &cell) const
{
    const bool reverse = cell.reverse != m_screen->isReverseVideo();
    const TerminalColor &c = reverse ? cell.background : cell.foreground;
    if (!c.isDefault)
        return toQColor(c);
    return palette().color(reverse ? QPalette::Base : QPalette::Text);
}

QColor TerminalView::backgroundOf(const TerminalCell &cell) const
{
    const bool reverse = cell.reverse != m_screen->isReverseVideo();
    const TerminalColor &c = reverse ? cell.foreground : cell.background;
    if (!c.isDefault)
        return toQColor(c);
    return palette().color(reverse ? QPalette::Text : QPalette::Base);
}

void TerminalView::paintRow(QPainter &painter, int viewRow, int bufferRow)
{
    const int y = viewRow * m_cellHeight;
    const QColor highlight = palette().color(QPalette::Highlight);
    const QColor highlightText = palette().color(QPalette::HighlightedText);
    int column = 0;
    QString run;
    while (column < m_columns) {
        const TerminalCell cell = m_screen->cell(bufferRow, column);
        const int width = cell.width == 0 ? 1 : cell.width;
        const bool selected = isSelected(bufferRow, column);
        const QColor bg = selected ? highlight : backgroundOf(cell);
        QColor fg = selected ? highlightText : foregroundOf(cell);
        const qreal x = column * m_cellWidth;
        // A run: following cells with the same look and plain ASCII, drawn with one call.
        int end = column + width;
        run.clear();
        if (cell.width != 0)
            run = cell.chars[0] == 0 ? QStringLiteral(" ") : cell.text();
        const bool simple = cell.width == 1 && cell.chars[0] < 0x80 && cell.chars[1] == 0;
        while (simple && end < m_columns) {
            const TerminalCell next = m_screen->cell(bufferRow, end);
            if (next.width != 1 || next.chars[0] >= 0x80 || next.chars[1] != 0
                || next.bold != cell.bold || next.italic != cell.italic
                || next.underline != cell.underline || next.strike != cell.strike
                || next.reverse != cell.reverse || next.foreground != cell.foreground
                || next.background != cell.background || next.blink != cell.blink
                || isSelected(bufferRow, end) != selected)
                break;
            run += next.chars[0] == 0 ? QChar(u' ') : QChar(char16_t(next.chars[0]));
            ++end;
        }
        const QRectF rect(x, y, (end - column) * m_cellWidth + 0.5, m_cellHeight);
        painter.fillRect(rect, bg);
        if (cell.blink && !m_blinkOn)
            fg = bg;
        if (cell.width != 0 && !run.trimmed().isEmpty()) {
            QFont font = m_font;
            if (cell.bold || cell.italic) {
                font.setBold(cell.bold);
                font.setItalic(cell.italic);
                painter.setFont(font);
            }
            painter.setPen(fg);
            painter.drawText(QPointF(x, y + m_ascent), run);
            if (cell.bold || cell.italic)
                painter.setFont(m_font);
        }
        if (cell.underline != TerminalUnderline::None) {
            painter.setPen(fg);
            const qreal uy = y + m_ascent + 1.5;
            painter.drawLine(QPointF(x, uy), QPointF(rect.right(), uy));
            if (cell.underline == TerminalUnderline::Double)
                painter.drawLine(QPointF(x, uy + 2), QPointF(rect.right(), uy + 2));
        }
        if (cell.strike) {
            painter.setPen(fg);
            const qreal sy = y + m_cellHeight / 2.0;
            painter.drawLine(QPointF(x, sy), QPointF(rect.right(), sy));
        }
        column = end;
    }
}

void TerminalView::paintCursor(QPainter &painter)
{
    if (!m_screen->isCursorVisible())
        return;
    const QPoint cursor = m_screen->cursor();
    const int viewRow = cursor.y() + scrollbackOffset();
    if (viewRow < 0 || viewRow >= m_rows)
        return;
    if (hasFocus() && m_screen->isCursorBlinking() && !m_blinkOn)
        return;
    const TerminalCell cell = m_screen->cell(cursor.y(), cursor.x());
    const qreal x = cursor.x() * m_cellWidth;
    const qreal y = viewRow * m_cellHeight;
    const qreal w = m_cellWidth * std::max(1, int(cell.width));
    const QColor color = foregroundOf(cell);
    if (!hasFocus()) {
        // An outline says where typing would go without claiming the keyboard.
        painter.setPen(color);
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(x + 0.5, y + 0.5, w - 1, m_cellHeight - 1));
        return;
    }
    switch (m_screen->cursorShape()) {
    case TerminalCursorShape::Underline:
        painter.fillRect(QRectF(x, y + m_cellHeight - 2, w, 2), color);
        break;
    case TerminalCursorShape::Bar:
        painter.fillRect(QRectF(x, y, 2, m_cellHeight), color);
        break;
    case TerminalCursorShape::Block: {
        painter.fillRect(QRectF(x, y, w, m_cellHeight), color);
        const QString text = cell.text();
        if (!text.isEmpty() && cell.width != 0) {
            painter.setPen(backgroundOf(cell));
            painter.drawText(QPointF(x, y + m_ascent), text);
        }
        break;
    }
    }
}

// ---- Keys ------------------------------------------------------------------------------

bool TerminalView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        // Keys the shell needs (Ctrl+W, Ctrl+R, Tab, …) go to the terminal, not to the
        // window's shortcuts; our own Ctrl+Shift ones and zoom are handled in keyPressEvent.
        auto *key = static_cast<QKeyEvent *>(event);
        const auto mods = key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::ShiftModifier);
        const bool ours = mods == (Qt::ControlModifier | Qt::ShiftModifier)
                          && (key->key() == Qt::Key_C || key->key() == Qt::Key_V || key->key() == Qt::Key_Plus);
        // Other Ctrl+Shift keys stay the window's (new tab, switch tab, …).
        if (ours || mods != (Qt::ControlModifier | Qt::ShiftModifier)) {
            event->accept();
            return true;
        }
    }
    if (event->type() == QEvent::KeyPress) {
        // Tab and Backtab would otherwise move the focus to the next widget.
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) {
            keyPressEvent(key);
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

bool TerminalView::handleShortcut(QKeyEvent *event)
{
    const auto mods = event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::ShiftModifier);
    const int key = event->key();
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier)) {
        if (key == Qt::Key_C) {
            copySelection();
            return true;
        }
        if (key == Qt::Key_V) {
            pasteClipboard();
            return true;
        }
        if (key == Qt::Key_Plus) { // Ctrl+Shift+= on most layouts
            zoomIn();
            return true;
        }
    }
    if (mods == Qt::ControlModifier) {
        if (key == Qt::Key_Equal || key == Qt::Key_Plus) {
            zoomIn();
            return true;
        }
        if (key == Qt::Key_Minus) {
            zoomOut();
            return true;
        }
        if (key == Qt::Key_0) {
            resetZoom();
            return true;
        }
    }
    if (mods == Qt::ShiftModifier) {
        QScrollBar *bar = verticalScrollBar();
        switch (key) {
        case Qt::Key_PageUp: bar->setValue(bar->value() - std::max(1, m_rows - 1)); return true;
        case Qt::Key_PageDown: bar->setValue(bar->value() + std::max(1, m_rows - 1)); return true;
        case Qt::Key_Home: bar->setValue(bar->minimum()); return !m_screen->isAltScreen();
        case Qt::Key_End: bar->setValue(bar->maximum()); return !m_screen->isAltScreen();
        default: break;
        }
    }
    return false;
}

void TerminalView::keyPressEvent(QKeyEvent *event)
{
    event->accept();
    if (handleShortcut(event))
        return;
    const unsigned mods = modifiersOf(event->modifiers());
    const int key = event->key();
    if (const auto terminalKey = terminalKeyOf(key)) {
        scrollToBottom();
        // Shift+Tab is the back-tab sequence libvterm sends for Tab with Shift.
        m_screen->sendKey(*terminalKey, key == Qt::Key_Backtab ? mods | ShiftModifier : mods);
        return;
    }
    if ((mods & ControlModifier) && key >= Qt::Key_A && key <= Qt::Key_Z) {
        scrollToBottom();
        m_screen->sendText(QString(QChar(u'a' + (key - Qt::Key_A))), mods & ~ShiftModifier);
        return;
    }
    if ((mods & ControlModifier) && key >= Qt::Key_BracketLeft && key <= Qt::Key_Underscore) {
        // Ctrl+[ \ ] ^ _ : the C0 controls ESC, FS, GS, RS, US.
        scrollToBottom();
        m_screen->sendText(QString(QChar(char16_t(key - 0x40))), NoModifier);
        return;
    }
    if ((mods & ControlModifier) && (key == Qt::Key_Space || key == Qt::Key_At)) {
        scrollToBottom();
        m_screen->sendText(QString(QChar(u'\0')), NoModifier);
        return;
    }
    QString text = event->text();
    if (text.isEmpty() || (text.size() == 1 && text.at(0).unicode() < 0x20 && !(mods & ControlModifier)))
        return; // a bare modifier, or a control character with no key of ours
    scrollToBottom();
    // Alt+key: ESC prefix (libvterm adds it for the Alt modifier). Shift is already in text.
    m_screen->sendText(text, mods & AltModifier);
}

void TerminalView::inputMethodEvent(QInputMethodEvent *event)
{
    if (!event->commitString().isEmpty()) {
        scrollToBottom();
        m_screen->sendText(event->commitString());
    }
    event->accept();
}

void TerminalView::focusInEvent(QFocusEvent *event)
{
    QAbstractScrollArea::focusInEvent(event);
    m_screen->focusChanged(true);
    if (m_screen->isCursorBlinking())
        m_blinkTimer.start();
    m_blinkOn = true;
    updateRows(m_screen->cursor().y(), m_screen->cursor().y());
    onDamaged();
}

void TerminalView::focusOutEvent(QFocusEvent *event)
{
    QAbstractScrollArea::focusOutEvent(event);
    m_screen->focusChanged(false);
    m_blinkTimer.stop();
    m_blinkOn = true;
    updateRows(m_screen->cursor().y(), m_screen->cursor().y());
    onDamaged();
}

// ---- Mouse and selection -----------------------------------------------------------------

QPoint TerminalView::cellAt(QPointF pos) const
{
    const int column = std::clamp(int(pos.x() / m_cellWidth), 0, m_columns - 1);
    const int viewRow = std::clamp(int(pos.y() / m_cellHeight), 0, m_rows - 1);
    return QPoint(column, bufferRowAtTop() + viewRow);
}

bool TerminalView::forwardsMouse(const QMouseEvent *event) const
{
    // Shift keeps selection with the terminal even when the remote wants the mouse (xterm).
    return m_screen->mouseMode() != TerminalMouseMode::None
           && !(event->modifiers() & Qt::ShiftModifier) && scrollbackOffset() == 0;
}

namespace {
int remoteButton(Qt::MouseButton button)
{
    switch (button) {
    case Qt::LeftButton: return 1;
    case Qt::MiddleButton: return 2;
    case Qt::RightButton: return 3;
    default: return 0;
    }
}
} // namespace

void TerminalView::mousePressEvent(QMouseEvent *event)
{
    const QPoint cell = cellAt(event->position());
    if (forwardsMouse(event)) {
        if (const int button = remoteButton(event->button())) {
            m_mouseButtonDown = button;
            m_screen->mouseButton(cell.y(), cell.x(), button, true, modifiersOf(event->modifiers()));
        }
        return;
    }
    if (event->button() == Qt::MiddleButton) {
        const QClipboard *clipboard = QGuiApplication::clipboard();
        const QString text = clipboard->text(clipboard->supportsSelection() ? QClipboard::Selection
                                                                             : QClipboard::Clipboard);
        if (!text.isEmpty()) {
            scrollToBottom();
            m_screen->paste(text);
        }
        return;
    }
    if (event->button() != Qt::LeftButton)
        return;
    if (m_sinceDoubleClick.isValid()
        && m_sinceDoubleClick.elapsed() < QGuiApplication::styleHints()->mouseDoubleClickInterval()) {
        m_sinceDoubleClick.invalidate();
        selectLine(cell.y());
        return;
    }
    clearSelection();
    m_selectionAnchor = cell;
    m_selecting = true;
}

void TerminalView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint cell = cellAt(event->position());
    if (forwardsMouse(event)) {
        if (m_screen->mouseMode() == TerminalMouseMode::Move
            || (m_screen->mouseMode() == TerminalMouseMode::Drag && m_mouseButtonDown))
            m_screen->mouseMove(cell.y(), cell.x(), modifiersOf(event->modifiers()));
        return;
    }
    if (!m_selecting || !(event->buttons() & Qt::LeftButton))
        return;
    // The end is exclusive: past the anchor it includes the cell under the pointer.
    QPoint start = m_selectionAnchor;
    QPoint end = cell;
    if (end.y() < start.y() || (end.y() == start.y() && end.x() < start.x()))
        std::swap(start, end);
    setSelection(start, QPoint(end.x() + 1, end.y()));
    // Dragging past the edges scrolls the history.
    if (event->position().y() < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 1);
    else if (event->position().y() > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 1);
}

void TerminalView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint cell = cellAt(event->position());
    if (m_mouseButtonDown && forwardsMouse(event)) {
        m_screen->mouseButton(cell.y(), cell.x(), m_mouseButtonDown, false,
                              modifiersOf(event->modifiers()));
        m_mouseButtonDown = 0;
        return;
    }
    m_mouseButtonDown = 0;
    if (m_selecting && hasSelection()) {
        QClipboard *clipboard = QGuiApplication::clipboard();
        if (clipboard->supportsSelection())
            clipboard->setText(selectedText(), QClipboard::Selection);
    }
    m_selecting = false;
}

void TerminalView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (forwardsMouse(event) || event->button() != Qt::LeftButton) {
        mousePressEvent(event);
        return;
    }
    selectWord(cellAt(event->position()));
    m_sinceDoubleClick.start();
    m_selecting = false;
}

void TerminalView::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y() / 120;
    if (steps == 0)
        return;
    event->accept();
    const QPoint cell = cellAt(event->position());
    if (m_screen->mouseMode() != TerminalMouseMode::None && !(event->modifiers() & Qt::ShiftModifier)) {
        const int button = steps > 0 ? 4 : 5;
        for (int i = 0; i < std::abs(steps); ++i)
            m_screen->mouseButton(cell.y(), cell.x(), button, true, modifiersOf(event->modifiers()));
        return;
    }
    if (m_screen->isAltScreen()) {
        // Full-screen programs (less, man, vim) have no scrollback here; the arrow keys
        // scroll them, as xterm's alternateScroll does.
        for (int i = 0; i < std::abs(steps) * kWheelLines; ++i)
            m_screen->sendKey(steps > 0 ? TerminalKey::Up : TerminalKey::Down);
        return;
    }
    verticalScrollBar()->setValue(verticalScrollBar()->value() - steps * kWheelLines);
}

void TerminalView::setSelection(QPoint start, QPoint end)
{
    m_selectionStart = start;
    m_selectionEnd = end;
    m_fullRepaint = true;
    viewport()->update();
}

void TerminalView::clearSelection()
{
    if (!hasSelection())
        return;
    m_selectionStart = m_selectionEnd = QPoint();
    m_fullRepaint = true;
    viewport()->update();
}

bool TerminalView::isSelected(int bufferRow, int column) const
{
    if (!hasSelection() || bufferRow < m_selectionStart.y() || bufferRow > m_selectionEnd.y())
        return false;
    if (bufferRow == m_selectionStart.y() && column < m_selectionStart.x())
        return false;
    if (bufferRow == m_selectionEnd.y() && column >= m_selectionEnd.x())
        return false;
    return true;
}

void TerminalView::selectWord(QPoint cell)
{
    if (!isWordCharacter(m_screen->cell(cell.y(), cell.x()).text())) {
        setSelection(cell, QPoint(cell.x() + 1, cell.y()));
        return;
    }
    int start = cell.x();
    int end = cell.x();
    while (start > 0 && isWordCharacter(m_screen->cell(cell.y(), start - 1).text()))
        --start;
    while (end + 1 < m_columns && isWordCharacter(m_screen->cell(cell.y(), end + 1).text()))
        ++end;
    setSelection(QPoint(start, cell.y()), QPoint(end + 1, cell.y()));
}

void TerminalView::selectLine(int row)
{
    setSelection(QPoint(0, row), QPoint(m_columns, row));
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (clipboard->supportsSelection())
        clipboard->setText(selectedText(), QClipboard::Selection);
}

QString TerminalView::selectedText() const
{
    if (!hasSelection())
        return {};
    QString out;
    for (int row = m_selectionStart.y(); row <= m_selectionEnd.y(); ++row) {
        const int from = row == m_selectionStart.y() ? m_selectionStart.x() : 0;
        const int to = row == m_selectionEnd.y() ? m_selectionEnd.x() : m_columns;
        QString line;
        for (int column = from; column < to; ++column) {
            const TerminalCell cell = m_screen->cell(row, column);
            if (cell.width == 0)
                continue;
            line += cell.chars[0] == 0 ? QStringLiteral(" ") : cell.text();
        }
        const bool wrapped = m_screen->isLineWrapped(row) && to == m_columns;
        if (!wrapped) {
            while (line.endsWith(u' '))
                line.chop(1);
        }
        out += line;
        if (row != m_selectionEnd.y() && !wrapped)
            out += u'\n';
    }
    return out;
}

void TerminalView::copySelection()
{
    if (hasSelection())
        QGuiApplication::clipboard()->setText(selectedText());
}

void TerminalView::pasteClipboard()
{
    const QString text = QGuiApplication::clipboard()->text();
    if (text.isEmpty())
        return;
    scrollToBottom();
    m_screen->paste(text);
}

} // namespace og
