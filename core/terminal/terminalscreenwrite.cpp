// SPDX-License-Identifier: GPL-3.0-or-later
// Bytes from the remote into libvterm, and the fast path beside it: runs of printable ASCII
// written into the cells directly while TerminalModeTracker says nothing else applies.
#include "core/terminal/terminalscreenvt.h"

#include <algorithm>
#include <cstring>

namespace og {

void TerminalScreenVt::write(const char *data, std::size_t size)
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
std::size_t TerminalScreenVt::incompleteUtf8Tail(const char *data, std::size_t size)
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

void TerminalScreenVt::writeWhole(const char *data, std::size_t size)
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
void TerminalScreenVt::writeAsciiRun(const char *p, std::size_t n)
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
std::size_t TerminalScreenVt::cursorForward(char *out, int n)
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
void TerminalScreenVt::putAscii(int row, int column, const char *text, int count)
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

} // namespace og
