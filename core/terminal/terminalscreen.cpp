// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalscreen.h"

#include <vterm.h>

#include <algorithm>
#include <array>

namespace og {

static_assert(TerminalCell::kMaxChars == VTERM_MAX_CHARS_PER_CELL);
static_assert(unsigned(ShiftModifier) == VTERM_MOD_SHIFT && unsigned(AltModifier) == VTERM_MOD_ALT
              && unsigned(ControlModifier) == VTERM_MOD_CTRL);

// libvterm's objects and the C callbacks that forward into TerminalScreen. The callbacks
// struct must outlive the VTerm: vterm_screen_set_callbacks keeps only its address.
struct TerminalScreenVt
{
    VTerm *vt = nullptr;
    VTermScreen *screen = nullptr;
    VTermState *state = nullptr;
    VTermScreenCallbacks callbacks{};
    QByteArray probeOutput; // bytes captured while asking libvterm about a mode
    std::vector<TerminalCell> pushBuffer;
    // The 256 indexed colours as RGB: converting through libvterm per cell was a fifth of the
    // time when output floods the scrollback. Our palette never changes after construction.
    std::array<TerminalColor, 256> palette{};

    void fillPalette()
    {
        for (int i = 0; i < 256; ++i) {
            VTermColor c;
            vterm_color_indexed(&c, std::uint8_t(i));
            vterm_screen_convert_color_to_rgb(screen, &c);
            palette[std::size_t(i)] = TerminalColor{c.rgb.red, c.rgb.green, c.rgb.blue, false};
        }
    }

    ~TerminalScreenVt()
    {
        if (vt)
            vterm_free(vt);
    }

    static TerminalScreen *self(void *user) { return static_cast<TerminalScreen *>(user); }

    TerminalColor toColor(const VTermColor &color, bool isDefault) const
    {
        if (isDefault)
            return TerminalColor{}; // the view's theme colour; its RGB is never used
        if (VTERM_COLOR_IS_INDEXED(&color))
            return palette[color.indexed.idx];
        return TerminalColor{color.rgb.red, color.rgb.green, color.rgb.blue, false};
    }

    TerminalCell toCell(const VTermScreenCell &in) const
    {
        TerminalCell out;
        // The cell under the right half of a wide character holds (uint32_t)-1 in 0.1.4.
        if (in.chars[0] == 0xFFFFFFFFu) {
            out.width = 0;
        } else {
            for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && in.chars[i] != 0; ++i)
                out.chars[std::size_t(i)] = in.chars[i];
            out.width = std::uint8_t(std::max(1, int(in.width)));
        }
        out.bold = in.attrs.bold;
        out.italic = in.attrs.italic;
        out.blink = in.attrs.blink;
        out.reverse = in.attrs.reverse;
        out.strike = in.attrs.strike;
        out.underline = TerminalUnderline(in.attrs.underline);
        out.foreground = toColor(in.fg, VTERM_COLOR_IS_DEFAULT_FG(&in.fg));
        out.background = toColor(in.bg, VTERM_COLOR_IS_DEFAULT_BG(&in.bg));
        return out;
    }

    static VTermColor fromColor(const TerminalColor &color, VTermColorType defaultFlag)
    {
        VTermColor out;
        vterm_color_rgb(&out, color.red, color.green, color.blue);
        if (color.isDefault)
            out.type |= defaultFlag;
        return out;
    }

    static VTermScreenCell fromCell(const TerminalCell &in)
    {
        VTermScreenCell out{};
        if (in.width == 0) {
            out.chars[0] = 0xFFFFFFFFu;
            out.width = 1;
        } else {
            for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL; ++i)
                out.chars[i] = in.chars[std::size_t(i)];
            out.width = char(in.width);
        }
        out.attrs.bold = in.bold;
        out.attrs.italic = in.italic;
        out.attrs.blink = in.blink;
        out.attrs.reverse = in.reverse;
        out.attrs.strike = in.strike;
        out.attrs.underline = unsigned(in.underline);
        out.fg = fromColor(in.foreground, VTERM_COLOR_DEFAULT_FG);
        out.bg = fromColor(in.background, VTERM_COLOR_DEFAULT_BG);
        return out;
    }

    static void output(const char *bytes, size_t len, void *user)
    {
        TerminalScreen *s = self(user);
        if (s->m_capturingOutput)
            s->m_vt->probeOutput.append(bytes, qsizetype(len));
        else
            s->m_pendingOutput.append(bytes, qsizetype(len));
    }

    static int damage(VTermRect rect, void *user)
    {
        TerminalScreen *s = self(user);
        const QRect r(rect.start_col, rect.start_row, rect.end_col - rect.start_col,
                      rect.end_row - rect.start_row);
        s->m_damage.cells = s->m_damage.cells.isNull() ? r : s->m_damage.cells.united(r);
        return 1;
    }

    static int moveCursor(VTermPos pos, VTermPos, int visible, void *user)
    {
        TerminalScreen *s = self(user);
        s->m_cursor = QPoint(pos.col, pos.row);
        s->m_cursorVisible = visible;
        s->m_damage.cursorMoved = true;
        return 1;
    }

    static int setTermProp(VTermProp prop, VTermValue *val, void *user)
    {
        TerminalScreen *s = self(user);
        switch (prop) {
        case VTERM_PROP_CURSORVISIBLE:
            s->m_cursorVisible = val->boolean;
            s->m_damage.cursorMoved = true;
            break;
        case VTERM_PROP_CURSORBLINK:
            s->m_cursorBlink = val->boolean;
            break;
        case VTERM_PROP_CURSORSHAPE:
            s->m_cursorShape = val->number == VTERM_PROP_CURSORSHAPE_UNDERLINE
                                   ? TerminalCursorShape::Underline
                               : val->number == VTERM_PROP_CURSORSHAPE_BAR_LEFT
                                   ? TerminalCursorShape::Bar
                                   : TerminalCursorShape::Block;
            s->m_damage.cursorMoved = true;
            break;
        case VTERM_PROP_ALTSCREEN:
            if (s->m_altScreen != bool(val->boolean)) {
                s->m_altScreen = val->boolean;
                emit s->altScreenChanged(s->m_altScreen);
            }
            break;
        case VTERM_PROP_TITLE: {
            const QString title = QString::fromUtf8(val->string);
            if (title != s->m_title) {
                s->m_title = title;
                emit s->titleChanged(title);
            }
            break;
        }
        case VTERM_PROP_REVERSE:
            s->m_reverseVideo = val->boolean;
            s->m_damage.cells = QRect(0, 0, s->columns(), s->rows());
            break;
        case VTERM_PROP_MOUSE: {
            const auto mode = TerminalMouseMode(std::clamp(val->number, 0, 3));
            if (mode != s->m_mouseMode) {
                s->m_mouseMode = mode;
                emit s->mouseModeChanged(mode);
            }
            break;
        }
        default:
            return 0;
        }
        return 1;
    }

    static int ringBell(void *user)
    {
        emit self(user)->bell();
        return 1;
    }

    static int pushLine(int cols, const VTermScreenCell *cells, void *user)
    {
        TerminalScreen *s = self(user);
        // Convert only up to the last cell with something in it; the rest are trimmed anyway.
        int used = cols;
        while (used > 0 && cells[used - 1].chars[0] == 0 && !cells[used - 1].attrs.reverse
               && VTERM_COLOR_IS_DEFAULT_BG(&cells[used - 1].bg))
            --used;
        auto &buffer = s->m_vt->pushBuffer;
        buffer.resize(std::size_t(cols));
        for (int i = 0; i < used; ++i)
            buffer[std::size_t(i)] = s->m_vt->toCell(cells[i]);
        std::fill(buffer.begin() + used, buffer.end(), TerminalCell{});
        s->m_scrollback.push(buffer.data(), cols);
        ++s->m_damage.linesScrolledOff;
        return 1;
    }

    static int popLine(int cols, VTermScreenCell *cells, void *user)
    {
        TerminalScreen *s = self(user);
        TerminalScrollback::Line line;
        if (!s->m_scrollback.pop(&line))
            return 0;
        const TerminalCell blank;
        for (int i = 0; i < cols; ++i)
            cells[i] = fromCell(std::size_t(i) < line.cells.size() ? line.cells[std::size_t(i)]
                                                                 : blank);
        --s->m_damage.linesScrolledOff;
        return 1;
    }
};

TerminalScreen::TerminalScreen(int rows, int columns, QObject *parent, int scrollbackLines)
    : QObject(parent)
    , m_vt(std::make_unique<TerminalScreenVt>())
    , m_scrollback(std::max(0, scrollbackLines))
{
    m_vt->vt = vterm_new(std::max(1, rows), std::max(1, columns)); // libvterm: (rows, cols)
    // 0.1.4 starts in a non-UTF-8 mode; remote shells speak UTF-8.
    vterm_set_utf8(m_vt->vt, 1);
    // Without an output callback 0.1.4 buffers 64 bytes and silently drops the rest.
    vterm_output_set_callback(m_vt->vt, &TerminalScreenVt::output, this);
    m_vt->screen = vterm_obtain_screen(m_vt->vt);
    m_vt->state = vterm_obtain_state(m_vt->vt);
    m_vt->callbacks.damage = &TerminalScreenVt::damage;
    m_vt->callbacks.movecursor = &TerminalScreenVt::moveCursor;
    m_vt->callbacks.settermprop = &TerminalScreenVt::setTermProp;
    m_vt->callbacks.bell = &TerminalScreenVt::ringBell;
    m_vt->callbacks.sb_pushline = &TerminalScreenVt::pushLine;
    m_vt->callbacks.sb_popline = &TerminalScreenVt::popLine;
    vterm_screen_set_callbacks(m_vt->screen, &m_vt->callbacks, this);
    // Scrolls are merged into one damaged rectangle per flush instead of a callback per line.
    vterm_screen_set_damage_merge(m_vt->screen, VTERM_DAMAGE_SCROLL);
    // Without this 0.1.4 ignores ESC[?1049h and full-screen programs draw over the shell.
    vterm_screen_enable_altscreen(m_vt->screen, 1);
    vterm_screen_reset(m_vt->screen, 1);
    vterm_screen_flush_damage(m_vt->screen);
    m_vt->fillPalette();
}

TerminalScreen::~TerminalScreen() = default;

void TerminalScreen::feed(const char *data, qsizetype size)
{
    if (size <= 0)
        return;
    vterm_input_write(m_vt->vt, data, std::size_t(size));
    vterm_screen_flush_damage(m_vt->screen);
    flushOutput();
    emit damaged();
}

int TerminalScreen::rows() const
{
    int rows = 0, cols = 0;
    vterm_get_size(m_vt->vt, &rows, &cols);
    return rows;
}

int TerminalScreen::columns() const
{
    int rows = 0, cols = 0;
    vterm_get_size(m_vt->vt, &rows, &cols);
    return cols;
}

void TerminalScreen::resize(int newRows, int newColumns)
{
    newRows = std::max(1, newRows);
    newColumns = std::max(1, newColumns);
    if (newRows == rows() && newColumns == columns())
        return;
    const bool widthChanges = newColumns != columns();
    // Rewrap before libvterm asks for lines back (sb_popline, when the screen grows taller)
    // so they arrive at the new width, and again after for the lines it pushed while shrinking.
    if (widthChanges)
        m_scrollback.reflow(newColumns);
    vterm_set_size(m_vt->vt, newRows, newColumns);
    if (widthChanges)
        m_scrollback.reflow(newColumns);
    vterm_screen_flush_damage(m_vt->screen);
    VTermPos pos;
    vterm_state_get_cursorpos(m_vt->state, &pos);
    m_cursor = QPoint(pos.col, pos.row);
    m_damage.cells = QRect(0, 0, newColumns, newRows);
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
        VTermScreenCell in;
        if (!vterm_screen_get_cell(m_vt->screen, VTermPos{row, column}, &in))
            return {};
        return m_vt->toCell(in);
    }
    if (-row > historyLineCount())
        return {};
    const auto &cells = m_scrollback.line(m_scrollback.size() + row).cells;
    return std::size_t(column) < cells.size() ? cells[std::size_t(column)] : TerminalCell{};
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

bool TerminalScreen::isLineWrapped(int historyRow) const
{
    if (historyRow >= 0 || -historyRow > historyLineCount())
        return false;
    return m_scrollback.line(m_scrollback.size() + historyRow).wrapped;
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
