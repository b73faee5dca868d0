// SPDX-License-Identifier: GPL-3.0-or-later
// Private to TerminalScreen (core/terminal/terminalscreen*.cpp and terminalscreenvt.cpp): libvterm's
// objects and the screen buffer its state layer writes into. Not for other includes.
#pragma once

#include "core/terminal/terminalmodetracker.h"
#include "core/terminal/terminalscreen.h"

#include <vterm.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <numeric>
#include <vector>

namespace og {

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
    ~TerminalScreenVt();

    static TerminalScreenVt *self(void *user) { return static_cast<TerminalScreenVt *>(user); }
    bool onPrimary() const { return active == &buffers[0]; }

    void fillPalette();

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

    void blankRow(int r);

    // ---- State callbacks ----------------------------------------------------------------

    static int putGlyph(VTermGlyphInfo *info, VTermPos pos, void *user);
    static int moveCursor(VTermPos pos, VTermPos, int visible, void *user);
    static int scrollRect(VTermRect rect, int downward, int rightward, void *user);
    static int moveRect(VTermRect dest, VTermRect src, void *user);
    static int erase(VTermRect rect, int, void *user);
    static int initPen(void *user);
    static int setPenAttr(VTermAttr attr, VTermValue *val, void *user);
    static int setTermProp(VTermProp prop, VTermValue *val, void *user);
    static int ringBell(void *user);
    static int setLineInfo(int, const VTermLineInfo *, const VTermLineInfo *, void *);
    static int onResize(int newRows, int newColumns, VTermPos *delta, void *user);
    QPoint resizePrimary(int newRows, int newColumns, QPoint cursor);
    void resizeAlternate(int newRows, int newColumns);

    // ---- Input: libvterm, with a fast path for printable ASCII ------------------------

    // libvterm decodes, checks and calls back per glyph, half the cost of a `cat` flood. A run
    // of printable ASCII written in plain conditions (TerminalModeTracker::isPlain) needs none
    // of that: its cells are the pen plus the byte. Shorter runs are not worth the detour.
    static constexpr int kMinFastCells = 6;
    static constexpr std::size_t kMinRun = kMinFastCells + 2;

    void write(const char *data, std::size_t size);
    static std::size_t incompleteUtf8Tail(const char *data, std::size_t size);
    void writeWhole(const char *data, std::size_t size);
    void writeAsciiRun(const char *p, std::size_t n);
    static std::size_t cursorForward(char *out, int n);
    void putAscii(int row, int column, const char *text, int count);

    // libvterm's answers (keys, reports) go out through TerminalScreen::outputReady.
    static void output(const char *bytes, size_t len, void *user);
};

} // namespace og
