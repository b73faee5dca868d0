// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalscreen.h"

#include "core/terminal/terminalmodetracker.h"

#include <vterm.h>

#include <algorithm>
#include <array>
#include <climits>
#include <numeric>

namespace og {

static_assert(TerminalCell::kMaxChars == VTERM_MAX_CHARS_PER_CELL);
static_assert(unsigned(ShiftModifier) == VTERM_MOD_SHIFT && unsigned(AltModifier) == VTERM_MOD_ALT
              && unsigned(ControlModifier) == VTERM_MOD_CTRL);

// libvterm's parser and state layer, and our own screen buffer fed by the state's callbacks.
// libvterm 0.1.4's screen layer is not used: it moves the whole cell buffer for every line
// scrolled (about 12 MB/s for `cat`), where a ring of row indices scrolls by moving a few
// integers, and it records no soft wraps, which the reflow on resize needs. The callbacks
// struct must outlive the VTerm: vterm_state_set_callbacks keeps only its address.
struct TerminalScreenVt
{
    // One screen's rows; `order[r]` is the storage index of screen row r, so scrolling
    // rotates indices and never moves cells. `extent[i]`: the cells of storage row i from
    // there on are all default blanks, so clearing a row or pushing it into the scrollback
    // touches only what was written (a short line on a wide screen costs its length).
    struct Buffer
    {
        std::vector<TerminalLine> lines;
        std::vector<int> order;
        std::vector<int> extent;

        void reset(int rows, int columns)
        {
            lines.assign(std::size_t(rows), TerminalLine{});
            for (TerminalLine &line : lines)
                line.cells.assign(std::size_t(columns), PackedTerminalCell{});
            order.resize(std::size_t(rows));
            std::iota(order.begin(), order.end(), 0);
            extent.assign(std::size_t(rows), 0);
        }
        TerminalLine &row(int r) { return lines[std::size_t(order[std::size_t(r)])]; }
        const TerminalLine &row(int r) const { return lines[std::size_t(order[std::size_t(r)])]; }
        int &extentOf(int r) { return extent[std::size_t(order[std::size_t(r)])]; }
    };

    TerminalScreen *owner = nullptr;
    VTerm *vt = nullptr;
    VTermState *state = nullptr;
    VTermStateCallbacks callbacks{};
    QByteArray probeOutput; // bytes captured while asking libvterm about a mode
    // The 256 indexed colours as RGB, converted once: per glyph would cost a fifth of a flood.
    std::array<std::uint32_t, 256> palette{}; // packed (PackedTerminalCell::packColor)
    int rows = 0;
    int columns = 0;
    Buffer buffers[2]; // primary, alternate
    Buffer *active = &buffers[0];
    PackedTerminalCell pen; // the attributes and colours the next glyph gets
    TerminalCombiningMarks marks; // of the screens' and the scrollback's cells
    // Damaged cells since the last takeDamage, inclusive bounds; top > bottom: none.
    int damageTop = INT_MAX, damageBottom = -1, damageLeft = INT_MAX, damageRight = -1;
    // A glyph landed in the last column: if the next one lands at column 0 of the next row,
    // the terminal wrapped the line (a soft wrap) rather than the remote sending CR LF.
    bool phantom = false;
    int phantomRow = 0; // -1: the newest scrollback line
    // Where libvterm leaves the cursor while the wrap is pending: on the glyph, which for a
    // wide one ending in the last column is the column before it.
    int phantomColumn = 0;
    // The fast path for runs of printable ASCII (writeWhole): what libvterm keeps private,
    // followed from the bytes, and a count of glyphs to check that a byte became one.
    TerminalModeTracker modes;
    QByteArray utf8Carry; // the start of a UTF-8 sequence the last read cut off
    bool fastPath = true;
    unsigned glyphCount = 0;
    int lastGlyphWidth = 1; // what 0.1.4's REP repeats by (see writeWhole)
    qint64 fastCells = 0;

    ~TerminalScreenVt()
    {
        if (vt)
            vterm_free(vt);
    }

    static TerminalScreenVt *self(void *user) { return static_cast<TerminalScreenVt *>(user); }
    bool onPrimary() const { return active == &buffers[0]; }

    void fillPalette()
    {
        for (int i = 0; i < 256; ++i) {
            VTermColor c;
            vterm_color_indexed(&c, std::uint8_t(i));
            vterm_state_convert_color_to_rgb(state, &c);
            palette[std::size_t(i)] = PackedTerminalCell::packColor(
                TerminalColor{c.rgb.red, c.rgb.green, c.rgb.blue, false});
        }
    }

    std::uint32_t toColor(const VTermColor &color, bool isDefault) const
    {
        if (isDefault)
            return 0; // the view's theme colour
        if (VTERM_COLOR_IS_INDEXED(&color))
            return palette[color.indexed.idx];
        return PackedTerminalCell::packColor(
            TerminalColor{color.rgb.red, color.rgb.green, color.rgb.blue, false});
    }

    // What erased cells become: blank, on the pen's background (xterm's "BCE").
    PackedTerminalCell blank() const
    {
        PackedTerminalCell cell;
        cell.background = pen.background;
        return cell;
    }

    void damage(int top, int left, int bottom, int right)
    {
        damageTop = std::min(damageTop, top);
        damageBottom = std::max(damageBottom, bottom);
        damageLeft = std::min(damageLeft, left);
        damageRight = std::max(damageRight, right);
    }
    void damageAll() { damage(0, 0, rows - 1, columns - 1); }

    void blankRow(int r)
    {
        TerminalLine &line = active->row(r);
        int &extent = active->extentOf(r);
        const PackedTerminalCell cell = blank();
        if (cell == PackedTerminalCell{}) {
            std::fill_n(line.cells.begin(), extent, cell);
            extent = 0;
        } else {
            std::fill(line.cells.begin(), line.cells.end(), cell);
            extent = columns;
        }
        line.wrapped = false;
    }

    // ---- State callbacks ----------------------------------------------------------------

    static int putGlyph(VTermGlyphInfo *info, VTermPos pos, void *user)
    {
        TerminalScreenVt &t = *self(user);
        ++t.glyphCount;
        t.lastGlyphWidth = info->width;
        if (pos.row < 0 || pos.row >= t.rows || pos.col < 0 || pos.col >= t.columns)
            return 1;
        if (t.phantom) {
            t.phantom = false;
            if (pos.col == 0 && pos.row == t.phantomRow + 1) {
                if (t.phantomRow >= 0)
                    t.active->row(t.phantomRow).wrapped = true;
                else
                    t.owner->m_scrollback.markNewestWrapped();
            }
        }
        TerminalLine &line = t.active->row(pos.row);
        PackedTerminalCell *cells = line.cells.data();
        const int width = std::clamp(info->width, 1, 2);
        // Writing over half of a wide character leaves the other half blank. (A right half
        // can be an orphan — a character deletion moved its left half away — and then the
        // cell before it is not part of it.)
        if (cells[pos.col].width == 0 && pos.col > 0 && cells[pos.col - 1].width == 2)
            cells[pos.col - 1] = t.blank();
        if (cells[pos.col].width == 2 && width == 1 && pos.col + 1 < t.columns)
            cells[pos.col + 1] = t.blank();
        PackedTerminalCell &cell = cells[pos.col];
        cell = t.pen;
        cell.base = info->chars[0];
        if (cell.base != 0 && info->chars[1] != 0) {
            TerminalCombiningMarks::Marks marks{};
            for (int i = 1; i < VTERM_MAX_CHARS_PER_CELL && info->chars[i] != 0; ++i)
                marks[std::size_t(i - 1)] = char32_t(info->chars[i]);
            cell.marks = t.marks.intern(marks);
        }
        cell.width = std::uint8_t(width);
        int &extent = t.active->extentOf(pos.row);
        extent = std::max(extent, std::min(t.columns, pos.col + width + 1));
        if (width == 2 && pos.col + 1 < t.columns) {
            PackedTerminalCell &right = cells[pos.col + 1];
            right = t.pen;
            right.width = 0;
        }
        t.damage(pos.row, pos.col, pos.row, std::min(t.columns - 1, pos.col + width - 1));
        if (pos.col + width >= t.columns) {
            t.phantom = true;
            t.phantomRow = pos.row;
            t.phantomColumn = pos.col;
        }
        return 1;
    }

    static int moveCursor(VTermPos pos, VTermPos, int visible, void *user)
    {
        TerminalScreenVt &t = *self(user);
        TerminalScreen *s = t.owner;
        // The cursor staying on the glyph in the last column is the pending wrap; anywhere
        // else (CR, LF, a cursor move) means the next glyph does not continue the line.
        if (t.phantom && !(pos.row == t.phantomRow && pos.col == t.phantomColumn))
            t.phantom = false;
        s->m_cursor = QPoint(pos.col, pos.row);
        s->m_cursorVisible = visible;
        s->m_damage.cursorMoved = true;
        return 1;
    }

    static int scrollRect(VTermRect rect, int downward, int rightward, void *user)
    {
        TerminalScreenVt &t = *self(user);
        // Sideways or partial-width scrolls (insert/delete characters, DECSLRM) are rare:
        // libvterm does them through moveRect and erase.
        if (rightward != 0 || rect.start_col != 0 || rect.end_col != t.columns)
            return 0;
        const int top = std::max(0, rect.start_row);
        const int bottom = std::min(t.rows, rect.end_row);
        const int height = bottom - top;
        if (height <= 0 || downward == 0)
            return 1;
        const int n = std::min(std::abs(downward), height);
        auto &order = t.active->order;
        if (downward > 0) {
            // Lines leaving the top of a region that starts at the screen's top go into the
            // scrollback (what xterm does; a region further down discards them).
            if (top == 0 && t.onPrimary()) {
                for (int i = 0; i < n; ++i) {
                    const TerminalLine &line = t.active->row(i);
                    t.owner->m_scrollback.push(line.cells.data(),
                                               line.wrapped ? t.columns : t.active->extentOf(i),
                                               line.wrapped);
                }
                t.owner->m_damage.linesScrolledOff += n;
            }
            std::rotate(order.begin() + top, order.begin() + top + n, order.begin() + bottom);
            for (int r = bottom - n; r < bottom; ++r)
                t.blankRow(r);
            if (t.phantom && t.phantomRow >= top && t.phantomRow < bottom) {
                t.phantomRow -= n;
                if (t.phantomRow < top && !(top == 0 && t.onPrimary() && t.phantomRow == -1))
                    t.phantom = false;
            }
        } else {
            std::rotate(order.begin() + top, order.begin() + bottom - n, order.begin() + bottom);
            for (int r = top; r < top + n; ++r)
                t.blankRow(r);
            t.phantom = false;
        }
        t.damage(top, 0, bottom - 1, t.columns - 1);
        return 1;
    }

    static int moveRect(VTermRect dest, VTermRect src, void *user)
    {
        TerminalScreenVt &t = *self(user);
        const int height = src.end_row - src.start_row;
        const int width = src.end_col - src.start_col;
        std::vector<PackedTerminalCell> copy(std::size_t(std::max(0, height * width)));
        for (int r = 0; r < height; ++r) {
            const TerminalLine &line = t.active->row(src.start_row + r);
            std::copy_n(line.cells.begin() + src.start_col, width,
                        copy.begin() + std::ptrdiff_t(r) * width);
        }
        for (int r = 0; r < height; ++r) {
            TerminalLine &line = t.active->row(dest.start_row + r);
            std::copy_n(copy.begin() + std::ptrdiff_t(r) * width, width,
                        line.cells.begin() + dest.start_col);
            int &extent = t.active->extentOf(dest.start_row + r);
            extent = std::max(extent, dest.end_col);
        }
        t.damage(dest.start_row, dest.start_col, dest.end_row - 1, dest.end_col - 1);
        return 1;
    }

    static int erase(VTermRect rect, int, void *user)
    {
        TerminalScreenVt &t = *self(user);
        const PackedTerminalCell cell = t.blank();
        const int top = std::max(0, rect.start_row), bottom = std::min(t.rows, rect.end_row);
        const int left = std::max(0, rect.start_col), right = std::min(t.columns, rect.end_col);
        if (top >= bottom || left >= right)
            return 1;
        const bool plain = cell == PackedTerminalCell{};
        for (int r = top; r < bottom; ++r) {
            TerminalLine &line = t.active->row(r);
            int &extent = t.active->extentOf(r);
            if (right == t.columns)
                line.wrapped = false; // its end is gone: nothing runs on into the next row
            if (plain && left >= extent)
                continue; // already blank
            const int end = plain ? std::min(right, extent) : right;
            std::fill(line.cells.begin() + left, line.cells.begin() + end, cell);
            if (plain && right >= extent)
                extent = left;
            else if (!plain)
                extent = std::max(extent, right);
        }
        t.damage(top, left, bottom - 1, right - 1);
        return 1;
    }

    static int initPen(void *user)
    {
        self(user)->pen = PackedTerminalCell{};
        return 1;
    }

    static int setPenAttr(VTermAttr attr, VTermValue *val, void *user)
    {
        TerminalScreenVt &t = *self(user);
        switch (attr) {
        case VTERM_ATTR_BOLD: t.pen.setAttr(PackedTerminalCell::Bold, val->boolean); break;
        case VTERM_ATTR_UNDERLINE: t.pen.setUnderline(TerminalUnderline(std::clamp(val->number, 0, 3))); break;
        case VTERM_ATTR_ITALIC: t.pen.setAttr(PackedTerminalCell::Italic, val->boolean); break;
        case VTERM_ATTR_BLINK: t.pen.setAttr(PackedTerminalCell::Blink, val->boolean); break;
        case VTERM_ATTR_REVERSE: t.pen.setAttr(PackedTerminalCell::Reverse, val->boolean); break;
        case VTERM_ATTR_STRIKE: t.pen.setAttr(PackedTerminalCell::Strike, val->boolean); break;
        case VTERM_ATTR_FOREGROUND:
            t.pen.foreground = t.toColor(val->color, VTERM_COLOR_IS_DEFAULT_FG(&val->color));
            break;
        case VTERM_ATTR_BACKGROUND:
            t.pen.background = t.toColor(val->color, VTERM_COLOR_IS_DEFAULT_BG(&val->color));
            break;
        default:
            return 0; // fonts (SGR 10-19): one font here
        }
        return 1;
    }

    static int setTermProp(VTermProp prop, VTermValue *val, void *user)
    {
        TerminalScreenVt &t = *self(user);
        TerminalScreen *s = t.owner;
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
        case VTERM_PROP_ALTSCREEN: {
            const bool alternate = val->boolean;
            if (alternate == !t.onPrimary())
                break;
            t.active = &t.buffers[alternate ? 1 : 0];
            if (alternate)
                t.buffers[1].reset(t.rows, t.columns); // a full-screen program starts clean
            t.phantom = false;
            t.damageAll();
            s->m_altScreen = alternate;
            emit s->altScreenChanged(alternate);
            break;
        }
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
            t.damageAll();
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
        emit self(user)->owner->bell();
        return 1;
    }

    static int setLineInfo(int, const VTermLineInfo *, const VTermLineInfo *, void *)
    {
        return 1; // double-width/height lines (DECDWL) are drawn single
    }

    static int onResize(int newRows, int newColumns, VTermPos *delta, void *user)
    {
        TerminalScreenVt &t = *self(user);
        VTermPos cursor;
        vterm_state_get_cursorpos(t.state, &cursor); // still the old position
        const QPoint moved = t.resizePrimary(newRows, newColumns,
                                             t.onPrimary() ? QPoint(cursor.col, cursor.row) : QPoint(-1, -1));
        t.resizeAlternate(newRows, newColumns);
        t.rows = newRows;
        t.columns = newColumns;
        t.phantom = false;
        if (t.onPrimary()) {
            delta->row = moved.y() - cursor.row;
            delta->col = moved.x() - cursor.col;
        }
        t.damageAll();
        return 1;
    }

    // Rewraps history and screen together; returns where the cursor (x = column, y = row)
    // went, or (-1, -1) when none was given.
    QPoint resizePrimary(int newRows, int newColumns, QPoint cursor)
    {
        Buffer &b = buffers[0];
        TerminalScrollback &history = owner->m_scrollback;
        const int historySize = history.size();
        // The screen's lines down to the cursor or the last one with text, whichever is lower:
        // blank rows below both are not content.
        int lastUsed = cursor.y();
        for (int r = rows - 1; r > lastUsed; --r) {
            const TerminalLine &line = b.row(r);
            if (line.wrapped || std::any_of(line.cells.begin(), line.cells.end(),
                                            [](const PackedTerminalCell &c) { return !c.isEmpty(); })) {
                lastUsed = r;
                break;
            }
        }
        std::vector<TerminalLine> lines = history.takeAll();
        for (int r = 0; r <= lastUsed; ++r)
            lines.push_back(std::move(b.row(r)));
        QPoint at = cursor.y() >= 0 ? QPoint(cursor.x(), historySize + cursor.y()) : QPoint(-1, -1);
        if (newColumns != columns)
            lines = reflowLines(std::move(lines), newColumns, at.y() >= 0 ? &at : nullptr);
        // The last newRows lines are the screen, but never without the cursor's line.
        int screenStart = std::max(0, int(lines.size()) - newRows);
        if (at.y() >= 0)
            screenStart = std::min(screenStart, at.y());
        b.reset(newRows, newColumns);
        for (int r = 0; r < newRows && screenStart + r < int(lines.size()); ++r) {
            TerminalLine &source = lines[std::size_t(screenStart + r)];
            TerminalLine &line = b.row(r);
            const std::size_t n = std::min(source.cells.size(), std::size_t(newColumns));
            std::copy_n(source.cells.begin(), n, line.cells.begin());
            line.wrapped = source.wrapped;
            b.extentOf(r) = newColumns;
        }
        lines.resize(std::size_t(screenStart));
        history.assign(std::move(lines));
        owner->m_damage.linesScrolledOff += history.size() - historySize;
        if (at.y() < 0)
            return QPoint(-1, -1);
        return QPoint(std::min(at.x(), newColumns - 1), at.y() - screenStart);
    }

    void resizeAlternate(int newRows, int newColumns)
    {
        Buffer &b = buffers[1];
        Buffer resized;
        resized.reset(newRows, newColumns);
        for (int r = 0; r < std::min(rows, newRows) && !b.lines.empty(); ++r) {
            const TerminalLine &line = b.row(r);
            std::copy_n(line.cells.begin(), std::min(columns, newColumns), resized.row(r).cells.begin());
            resized.extentOf(r) = newColumns;
        }
        b = std::move(resized);
    }

    // ---- Input: libvterm, with a fast path for printable ASCII ------------------------

    // libvterm decodes, checks and calls back per glyph, half the cost of a `cat` flood. A run
    // of printable ASCII written in plain conditions (TerminalModeTracker::isPlain) needs none
    // of that: its cells are the pen plus the byte. Shorter runs are not worth the detour.
    static constexpr int kMinFastCells = 6;
    static constexpr std::size_t kMinRun = kMinFastCells + 2;

    void write(const char *data, std::size_t size)
    {
        // A UTF-8 sequence cut by the end of a read waits for the rest: libvterm 0.1.4 would
        // keep its first bytes in the decoder of the text they ended and give the rest, which
        // starts the next call, to another (é split after ASCII became U+FFFD).
        QByteArray joined;
        if (!utf8Carry.isEmpty()) {
            joined = utf8Carry + QByteArray::fromRawData(data, qsizetype(size));
            utf8Carry.clear();
            data = joined.constData();
            size = std::size_t(joined.size());
        }
        const std::size_t tail = incompleteUtf8Tail(data, size);
        utf8Carry = QByteArray(data + size - tail, qsizetype(tail));
        writeWhole(data, size - tail);
    }

    // How many bytes at the end of data[0..size) are the start of a UTF-8 sequence that needs
    // more bytes than are there (0 when none).
    static std::size_t incompleteUtf8Tail(const char *data, std::size_t size)
    {
        const auto *bytes = reinterpret_cast<const unsigned char *>(data);
        for (std::size_t back = 1; back <= 3 && back <= size; ++back) {
            const unsigned char c = bytes[size - back];
            if ((c & 0xc0) == 0x80)
                continue; // a continuation byte: look further back for the lead
            const std::size_t length = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 && c < 0xf0 ? 3
                                       : c >= 0xc0 && c < 0xe0 ? 2 : 0;
            return length > back ? back : 0;
        }
        return 0;
    }

    void writeWhole(const char *data, std::size_t size)
    {
        const auto *bytes = reinterpret_cast<const unsigned char *>(data);
        modes.startRead();
        std::size_t pending = 0; // bytes before this went to libvterm already
        std::size_t i = 0;
        while (i < size) {
            if (!(modes.isGround() && TerminalModeTracker::isPrintableAscii(bytes[i]))) {
                if (modes.wouldRepeat(bytes[i])) {
                    // 0.1.4's REP advances by the last glyph's width: after a zero-width one
                    // (a combining mark with nothing to join) it never ends. Let libvterm see
                    // everything before it, then cancel the sequence (CAN) in that case.
                    if (i > pending)
                        vterm_input_write(vt, data + pending, i - pending);
                    const bool spins = lastGlyphWidth == 0 || modes.isAlignedSinceText();
                    vterm_input_write(vt, spins ? "\x18" : data + i, 1);
                    modes.consume(bytes[i++]);
                    pending = i;
                    continue;
                }
                modes.consume(bytes[i++]);
                continue;
            }
            std::size_t end = i + 1;
            while (end < size && TerminalModeTracker::isPrintableAscii(bytes[end]))
                ++end;
            // Non-ASCII right after the run may be a combining mark for its last character:
            // that character goes to libvterm with it, in one call, as it would have.
            const std::size_t runEnd = end < size && bytes[end] >= 0x80 ? end - 1 : end;
            if (!fastPath || runEnd - i < kMinRun || !modes.isPlain() || !modes.isGlDecoding()
                || modes.isInsideUtf8Sequence()) {
                for (; i < end; ++i)
                    modes.consume(bytes[i]);
                continue;
            }
            if (i > pending)
                vterm_input_write(vt, data + pending, i - pending);
            writeAsciiRun(data + i, runEnd - i);
            pending = i = runEnd;
        }
        if (size > pending)
            vterm_input_write(vt, data + pending, size - pending);
    }

    // A run of printable ASCII, the parser in the ground state. Each stretch of the run that
    // stays inside one row is written into the cells here, except its first and its last byte:
    // those go through libvterm, which settles what this cannot see (a pending wrap, a single
    // shift, where a combining mark that follows would join), shows where the text lands and
    // keeps its own cursor right; a cursor-forward over the cells written here closes the gap.
    // The last column goes through libvterm too (the pending wrap is its business).
    void writeAsciiRun(const char *p, std::size_t n)
    {
        while (n > 0) {
            const unsigned glyphsBefore = glyphCount;
            vterm_input_write(vt, p, 1);
            modes.consume(static_cast<unsigned char>(*p));
            ++p;
            --n;
            if (n <= std::size_t(kMinFastCells))
                break;
            if (glyphCount != glyphsBefore + 1 || !modes.isPlain())
                break; // not plain text after all: libvterm takes the rest
            if (phantom)
                continue; // the byte filled the last column; the next one wraps
            VTermPos pos;
            vterm_state_get_cursorpos(state, &pos);
            if (pos.row < 0 || pos.row >= rows || pos.col < 0 || pos.col >= columns)
                break;
            if (vterm_state_get_lineinfo(state, pos.row)->doublewidth)
                break; // a double-width line is half as wide
            const int cells = std::min(int(std::min<std::size_t>(n - 1, INT_MAX)),
                                       columns - 1 - pos.col);
            if (cells < kMinFastCells)
                continue;
            putAscii(pos.row, pos.col, p, cells);
            char forward[16];
            const std::size_t length = cursorForward(forward, cells);
            vterm_input_write(vt, forward, length);
            VTermPos after;
            vterm_state_get_cursorpos(state, &after);
            if (after.row != pos.row || after.col != pos.col + cells) {
                // Cannot happen while the tracker is right; if it was wrong, stop guessing.
                qWarning("terminal: fast path out of step with libvterm; disabled");
                fastPath = false;
            }
            p += cells;
            n -= std::size_t(cells);
        }
        if (n > 0)
            vterm_input_write(vt, p, n);
        for (std::size_t i = 0; i < n; ++i)
            modes.consume(static_cast<unsigned char>(p[i]));
    }

    // "ESC [ n C" into out (16 bytes are enough for any int); its length. By hand: snprintf
    // was a few per cent of a flood, once per row.
    static std::size_t cursorForward(char *out, int n)
    {
        char digits[12];
        std::size_t count = 0;
        do {
            digits[count++] = char('0' + n % 10);
            n /= 10;
        } while (n > 0);
        std::size_t length = 0;
        out[length++] = '\x1b';
        out[length++] = '[';
        while (count > 0)
            out[length++] = digits[--count];
        out[length++] = 'C';
        return length;
    }

    // What putGlyph does for `count` single-width glyphs in a row, in one pass. Within the
    // stretch each cell is overwritten, so only its two ends can cut a wide character.
    void putAscii(int row, int column, const char *text, int count)
    {
        PackedTerminalCell *cells = active->row(row).cells.data();
        const int end = column + count;
        if (cells[column].width == 0 && column > 0 && cells[column - 1].width == 2)
            cells[column - 1] = blank();
        if (cells[end - 1].width == 2 && end < columns)
            cells[end] = blank();
        PackedTerminalCell cell = pen;
        cell.width = 1;
        for (int c = column; c < end; ++c) {
            cell.base = char32_t(static_cast<unsigned char>(text[c - column]));
            cells[c] = cell;
        }
        int &extent = active->extentOf(row);
        extent = std::max(extent, std::min(columns, end + 1));
        damage(row, column, row, end - 1);
        fastCells += count;
    }

    static void output(const char *bytes, size_t len, void *user)
    {
        TerminalScreen *s = self(user)->owner;
        if (s->m_capturingOutput)
            s->m_vt->probeOutput.append(bytes, qsizetype(len));
        else
            s->m_pendingOutput.append(bytes, qsizetype(len));
    }
};

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
