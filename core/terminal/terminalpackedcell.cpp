// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalpackedcell.h"

#include <limits>

namespace og {

std::size_t TerminalCombiningMarks::Hash::operator()(const Marks &marks) const
{
    std::size_t h = 0;
    for (char32_t c : marks)
        h = h * 1000003u ^ std::size_t(c);
    return h;
}

std::uint16_t TerminalCombiningMarks::intern(const Marks &marks)
{
    if (auto it = m_index.find(marks); it != m_index.end())
        return it->second;
    if (m_marks.size() >= std::numeric_limits<std::uint16_t>::max())
        return 0;
    m_marks.push_back(marks);
    const auto index = std::uint16_t(m_marks.size());
    m_index.emplace(marks, index);
    return index;
}

TerminalCell unpackTerminalCell(const PackedTerminalCell &cell, const TerminalCombiningMarks &marks)
{
    TerminalCell out;
    out.chars[0] = cell.base;
    if (cell.marks != 0) {
        const TerminalCombiningMarks::Marks &extra = marks.at(cell.marks);
        for (int i = 0; i < TerminalCombiningMarks::kMaxMarks; ++i)
            out.chars[std::size_t(i + 1)] = extra[std::size_t(i)];
    }
    out.width = cell.width;
    out.bold = cell.attrs & PackedTerminalCell::Bold;
    out.italic = cell.attrs & PackedTerminalCell::Italic;
    out.blink = cell.attrs & PackedTerminalCell::Blink;
    out.reverse = cell.attrs & PackedTerminalCell::Reverse;
    out.strike = cell.attrs & PackedTerminalCell::Strike;
    out.underline = TerminalUnderline((cell.attrs & PackedTerminalCell::UnderlineMask)
                                      >> PackedTerminalCell::UnderlineShift);
    out.foreground = PackedTerminalCell::unpackColor(cell.foreground);
    out.background = PackedTerminalCell::unpackColor(cell.background);
    return out;
}

} // namespace og
