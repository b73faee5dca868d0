// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalscreen.h"

#include "core/terminal/terminalscreenvt.h"

#include <algorithm>
#include <climits>

namespace og {

static_assert(TerminalCell::kMaxChars == VTERM_MAX_CHARS_PER_CELL);
static_assert(unsigned(ShiftModifier) == VTERM_MOD_SHIFT && unsigned(AltModifier) == VTERM_MOD_ALT
              && unsigned(ControlModifier) == VTERM_MOD_CTRL);

TerminalScreen::TerminalScreen(int rows, int columns, QObject *parent, int scrollbackLines)
    : QObject(parent)
    , m_vt(std::make_unique<TerminalScreenVt>())
    , m_scrollback(std::max(0, scrollbackLines))
{
    TerminalScreenVt &t = *m_vt;
    t.owner = this;
    t.rows = std::max(1, rows);
    t.columns = std::max(1, columns);
    t.buffers[0].reset(t.rows, t.columns);
    t.buffers[1].reset(t.rows, t.columns);
    t.vt = vterm_new(t.rows, t.columns); // libvterm: (rows, cols)
    // 0.1.4 starts in a non-UTF-8 mode; remote shells speak UTF-8.
    vterm_set_utf8(t.vt, 1);
    // Without an output callback 0.1.4 buffers 64 bytes and silently drops the rest.
    vterm_output_set_callback(t.vt, &TerminalScreenVt::output, m_vt.get());
    t.state = vterm_obtain_state(t.vt);
    t.callbacks.putglyph = &TerminalScreenVt::putGlyph;
    t.callbacks.movecursor = &TerminalScreenVt::moveCursor;
    t.callbacks.scrollrect = &TerminalScreenVt::scrollRect;
    t.callbacks.moverect = &TerminalScreenVt::moveRect;
    t.callbacks.erase = &TerminalScreenVt::erase;
    t.callbacks.initpen = &TerminalScreenVt::initPen;
    t.callbacks.setpenattr = &TerminalScreenVt::setPenAttr;
    t.callbacks.settermprop = &TerminalScreenVt::setTermProp;
    t.callbacks.bell = &TerminalScreenVt::ringBell;
    t.callbacks.resize = &TerminalScreenVt::onResize;
    t.callbacks.setlineinfo = &TerminalScreenVt::setLineInfo;
    vterm_state_set_callbacks(t.state, &t.callbacks, m_vt.get());
    t.fillPalette();
    vterm_state_reset(t.state, 1);
    // 0.1.4's REP (CSI b) repeats the last glyph by its width, and before any glyph that
    // width is 0: a remote's "\e[b" as its first output would spin the GUI thread forever.
    // One space, then a hard reset (which keeps that last glyph), makes it repeat a space.
    vterm_input_write(t.vt, " ", 1);
    vterm_state_reset(t.state, 1);
    t.glyphCount = 0;
    t.phantom = false;
    m_cursor = QPoint(0, 0); // the reset moves libvterm's cursor home without telling us
    m_damage = TerminalDamage{};
    t.damageTop = INT_MAX;
    t.damageBottom = -1;
}

TerminalScreen::~TerminalScreen() = default;

void TerminalScreen::feed(const char *data, qsizetype size)
{
    if (size <= 0)
        return;
    m_vt->write(data, std::size_t(size));
    flushOutput();
    emit damaged();
}

void TerminalScreen::setFastPathEnabled(bool enabled)
{
    m_vt->fastPath = enabled;
}

qint64 TerminalScreen::fastPathCells() const
{
    return m_vt->fastCells;
}

int TerminalScreen::rows() const
{
    return m_vt->rows;
}

int TerminalScreen::columns() const
{
    return m_vt->columns;
}

void TerminalScreen::resize(int newRows, int newColumns)
{
    newRows = std::max(1, newRows);
    newColumns = std::max(1, newColumns);
    if (newRows == rows() && newColumns == columns())
        return;
    vterm_set_size(m_vt->vt, newRows, newColumns); // onResize rewraps
    VTermPos pos;
    vterm_state_get_cursorpos(m_vt->state, &pos);
    m_cursor = QPoint(pos.col, pos.row);
    m_damage.cursorMoved = true;
    flushOutput();
    emit damaged();
}

TerminalCell TerminalScreen::cell(int row, int column) const
{
    if (column < 0 || column >= columns())
        return {};
    if (row >= 0) {
        if (row >= rows())
            return {};
        return unpackTerminalCell(m_vt->active->row(row).cells[std::size_t(column)], m_vt->marks);
    }
    if (-row > historyLineCount())
        return {};
    const auto &cells = m_scrollback.line(m_scrollback.size() + row).cells;
    return std::size_t(column) < cells.size() ? unpackTerminalCell(cells[std::size_t(column)], m_vt->marks)
                                              : TerminalCell{};
}

QString TerminalScreen::lineText(int row) const
{
    QString text;
    const int cols = columns();
    for (int column = 0; column < cols; ++column) {
        const TerminalCell c = cell(row, column);
        if (c.width == 0)
            continue;
        text += c.chars[0] == 0 ? QStringLiteral(" ") : c.text();
    }
    while (text.endsWith(u' '))
        text.chop(1);
    return text;
}

int TerminalScreen::historyLineCount() const
{
    return m_altScreen ? 0 : m_scrollback.size();
}

bool TerminalScreen::isLineWrapped(int row) const
{
    if (row >= 0)
        return row < rows() && m_vt->active->row(row).wrapped;
    if (-row > historyLineCount())
        return false;
    return m_scrollback.line(m_scrollback.size() + row).wrapped;
}

bool TerminalScreen::isBracketedPaste() const
{
    // 0.1.4 keeps the mode private; start_paste writes ESC[200~ only when it is on and has no
    // other effect, so ask it with the output captured instead of sent.
    auto *self = const_cast<TerminalScreen *>(this);
    self->m_capturingOutput = true;
    m_vt->probeOutput.clear();
    vterm_keyboard_start_paste(m_vt->vt);
    self->m_capturingOutput = false;
    return !m_vt->probeOutput.isEmpty();
}

TerminalDamage TerminalScreen::takeDamage()
{
    TerminalScreenVt &t = *m_vt;
    if (t.damageTop <= t.damageBottom) {
        const QRect cells(t.damageLeft, t.damageTop, t.damageRight - t.damageLeft + 1,
                          t.damageBottom - t.damageTop + 1);
        m_damage.cells = m_damage.cells.isNull() ? cells : m_damage.cells.united(cells);
    }
    t.damageTop = t.damageLeft = INT_MAX;
    t.damageBottom = t.damageRight = -1;
    return std::exchange(m_damage, TerminalDamage{});
}

namespace {

VTermKey toVTermKey(TerminalKey key)
{
    switch (key) {
    case TerminalKey::Enter: return VTERM_KEY_ENTER;
    case TerminalKey::Tab: return VTERM_KEY_TAB;
    case TerminalKey::Backspace: return VTERM_KEY_BACKSPACE;
    case TerminalKey::Escape: return VTERM_KEY_ESCAPE;
    case TerminalKey::Up: return VTERM_KEY_UP;
    case TerminalKey::Down: return VTERM_KEY_DOWN;
    case TerminalKey::Left: return VTERM_KEY_LEFT;
    case TerminalKey::Right: return VTERM_KEY_RIGHT;
    case TerminalKey::Insert: return VTERM_KEY_INS;
    case TerminalKey::Delete: return VTERM_KEY_DEL;
    case TerminalKey::Home: return VTERM_KEY_HOME;
    case TerminalKey::End: return VTERM_KEY_END;
    case TerminalKey::PageUp: return VTERM_KEY_PAGEUP;
    case TerminalKey::PageDown: return VTERM_KEY_PAGEDOWN;
    default:
        return VTermKey(VTERM_KEY_FUNCTION(int(key) - int(TerminalKey::F1) + 1));
    }
}

} // namespace

void TerminalScreen::sendKey(TerminalKey key, unsigned modifiers)
{
    vterm_keyboard_key(m_vt->vt, toVTermKey(key), VTermModifier(modifiers));
    flushOutput();
}

void TerminalScreen::sendText(const QString &text, unsigned modifiers)
{
    for (char32_t c : text.toUcs4())
        vterm_keyboard_unichar(m_vt->vt, c, VTermModifier(modifiers));
    flushOutput();
}

void TerminalScreen::paste(const QString &text)
{
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\r"));
    normalized.replace(u'\n', u'\r');
    vterm_keyboard_start_paste(m_vt->vt);
    for (char32_t c : normalized.toUcs4())
        vterm_keyboard_unichar(m_vt->vt, c, VTERM_MOD_NONE);
    vterm_keyboard_end_paste(m_vt->vt);
    flushOutput();
}

void TerminalScreen::mouseMove(int row, int column, unsigned modifiers)
{
    // 0.1.4 would report motion even with mouse mode off; gate it here.
    if (m_mouseMode == TerminalMouseMode::None)
        return;
    vterm_mouse_move(m_vt->vt, row, column, VTermModifier(modifiers));
    flushOutput();
}

void TerminalScreen::mouseButton(int row, int column, int button, bool pressed,
                                 unsigned modifiers)
{
    if (m_mouseMode == TerminalMouseMode::None)
        return;
    vterm_mouse_move(m_vt->vt, row, column, VTermModifier(modifiers));
    vterm_mouse_button(m_vt->vt, button, pressed, VTermModifier(modifiers));
    flushOutput();
}

void TerminalScreen::focusChanged(bool focused)
{
    if (focused)
        vterm_state_focus_in(m_vt->state);
    else
        vterm_state_focus_out(m_vt->state);
    flushOutput();
}

void TerminalScreen::flushOutput()
{
    if (m_pendingOutput.isEmpty())
        return;
    emit outputReady(std::exchange(m_pendingOutput, QByteArray()));
}

} // namespace og
