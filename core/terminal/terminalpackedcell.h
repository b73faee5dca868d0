// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/terminal/terminalcell.h"

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace og {

// How the screen and the scrollback store a cell: 16 bytes instead of TerminalCell's 40, so
// writing a glyph, clearing a row and pushing a line into the scrollback move 2.5x fewer
// bytes (a `cat` flood is mostly those). Combining marks, rare, live in a table beside the
// cells (TerminalCombiningMarks); the cell keeps their index. All zero but width 1 = an empty
// cell, so `== PackedTerminalCell{}` tests for one.
struct PackedTerminalCell
{
    enum Attr : std::uint8_t {
        Bold = 1, Italic = 2, Blink = 4, Reverse = 8, Strike = 16,
        UnderlineShift = 5, UnderlineMask = 3 << UnderlineShift
    };
    // Bit 24 set: an RGB colour in the low 24 bits; 0: the view's theme colour.
    static constexpr std::uint32_t kColorSet = 1u << 24;

    char32_t base = 0;
    std::uint32_t foreground = 0;
    std::uint32_t background = 0;
    std::uint16_t marks = 0; // 0: none; else an index + 1 into TerminalCombiningMarks
    std::uint8_t width = 1;  // as TerminalCell::width
    std::uint8_t attrs = 0;  // Attr bits

    static std::uint32_t packColor(const TerminalColor &color)
    {
        return color.isDefault ? 0
                               : kColorSet | std::uint32_t(color.red) << 16
                                     | std::uint32_t(color.green) << 8 | color.blue;
    }
    static TerminalColor unpackColor(std::uint32_t color)
    {
        if (!(color & kColorSet))
            return TerminalColor{};
        return TerminalColor{std::uint8_t(color >> 16), std::uint8_t(color >> 8),
                             std::uint8_t(color), false};
    }
    void setAttr(Attr attr, bool on) { attrs = on ? (attrs | attr) : (attrs & ~attr); }
    void setUnderline(TerminalUnderline underline)
    {
        attrs = std::uint8_t((attrs & ~UnderlineMask) | (int(underline) << UnderlineShift));
    }
    // Blank and on the default background: what trailing cells of a stored line may drop.
    bool isEmpty() const
    {
        return (base == 0 || base == U' ') && background == 0 && !(attrs & Reverse)
               && width == 1;
    }

    friend bool operator==(const PackedTerminalCell &, const PackedTerminalCell &) = default;
};
static_assert(sizeof(PackedTerminalCell) == 16);

// The combining marks of the screen's and the scrollback's cells, each distinct sequence
// once. Bounded: past 65535 sequences a new one is dropped (the cell shows its base
// character), which only a stream made of distinct mark sequences reaches.
class TerminalCombiningMarks final
{
public:
    static constexpr int kMaxMarks = TerminalCell::kMaxChars - 1;
    using Marks = std::array<char32_t, kMaxMarks>; // unused entries are 0

    // The index + 1 to keep in PackedTerminalCell::marks; 0 when the table is full.
    std::uint16_t intern(const Marks &marks);
    const Marks &at(std::uint16_t index) const { return m_marks[std::size_t(index - 1)]; }

private:
    struct Hash
    {
        std::size_t operator()(const Marks &marks) const;
    };
    std::vector<Marks> m_marks;
    std::unordered_map<Marks, std::uint16_t, Hash> m_index;
};

// The cell as the view and the tests read it.
TerminalCell unpackTerminalCell(const PackedTerminalCell &cell, const TerminalCombiningMarks &marks);

} // namespace og
