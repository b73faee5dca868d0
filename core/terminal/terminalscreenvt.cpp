// SPDX-License-Identifier: GPL-3.0-or-later
// libvterm's state callbacks writing our screen buffer: glyphs, cursor, scrolls, erases, pen,
// modes, and the rewrap on resize.
#include "core/terminal/terminalscreenvt.h"

#include <algorithm>
#include <cstring>

namespace og {

TerminalScreenVt::~TerminalScreenVt()
{
    if (vt)
        vterm_free(vt);
}

void TerminalScreenVt::fillPalette()
{
    for (int i = 0; i < 256; ++i) {
        VTermColor c;
        vterm_color_indexed(&c, std::uint8_t(i));
        vterm_state_convert_color_to_rgb(state, &c);
        palette[std::size_t(i)] = PackedTerminalCell::packColor(
            TerminalColor{c.rgb.red, c.rgb.green, c.rgb.blue, false});
    }
}

void TerminalScreenVt::blankRow(int r)
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

int TerminalScreenVt::putGlyph(VTermGlyphInfo *info, VTermPos pos, void *user)
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

int TerminalScreenVt::moveCursor(VTermPos pos, VTermPos, int visible, void *user)
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

int TerminalScreenVt::scrollRect(VTermRect rect, int downward, int rightward, void *user)
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

int TerminalScreenVt::moveRect(VTermRect dest, VTermRect src, void *user)
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

int TerminalScreenVt::erase(VTermRect rect, int, void *user)
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

int TerminalScreenVt::initPen(void *user)
{
    self(user)->pen = PackedTerminalCell{};
    return 1;
}

int TerminalScreenVt::setPenAttr(VTermAttr attr, VTermValue *val, void *user)
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

int TerminalScreenVt::setTermProp(VTermProp prop, VTermValue *val, void *user)
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

int TerminalScreenVt::ringBell(void *user)
{
    emit self(user)->owner->bell();
    return 1;
}

int TerminalScreenVt::setLineInfo(int, const VTermLineInfo *, const VTermLineInfo *, void *)
{
    return 1; // double-width/height lines (DECDWL) are drawn single
}

int TerminalScreenVt::onResize(int newRows, int newColumns, VTermPos *delta, void *user)
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
QPoint TerminalScreenVt::resizePrimary(int newRows, int newColumns, QPoint cursor)
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

void TerminalScreenVt::resizeAlternate(int newRows, int newColumns)
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

void TerminalScreenVt::output(const char *bytes, size_t len, void *user)
{
    TerminalScreen *s = self(user)->owner;
    if (s->m_capturingOutput)
        s->m_vt->probeOutput.append(bytes, qsizetype(len));
    else
        s->m_pendingOutput.append(bytes, qsizetype(len));
}

} // namespace og
