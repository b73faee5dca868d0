// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/terminal/terminalpackedcell.h"

#include <QPoint>

#include <vector>

namespace og {

// One line of terminal text, as the screen and the scrollback keep it.
struct TerminalLine
{
    std::vector<PackedTerminalCell> cells;
    // The text ran past the last column into the next line (a soft wrap, recorded when the
    // terminal wrapped it): resize rejoins such lines before cutting them at the new width.
    bool wrapped = false;
};

// Rejoins soft-wrapped lines and cuts them again at `columns`, never splitting a wide
// character; trailing blank cells of each line are dropped. `cursor` (x = column, y = index
// in `lines`), when given, moves with the text it was on.
std::vector<TerminalLine> reflowLines(std::vector<TerminalLine> lines, int columns,
                                      QPoint *cursor = nullptr);

// The lines that scrolled off the top of the primary screen, oldest first, in a ring: once
// full, a new line reuses the storage of the oldest, so a flood of output allocates nothing.
class TerminalScrollback final
{
public:
    using Line = TerminalLine;

    explicit TerminalScrollback(int maxLines) : m_maxLines(maxLines) {}

    int size() const { return m_count; }
    int maxLines() const { return m_maxLines; }
    const Line &line(int index) const
    {
        return m_ring[std::size_t((m_start + index) % int(m_ring.size()))];
    }

    // `cells` holds `columns` cells of the screen width the line had; trailing blanks are
    // not stored.
    void push(const PackedTerminalCell *cells, int columns, bool wrapped);
    // Removes the newest line; false when there is none.
    bool pop(Line *line);
    void clear();
    // All lines, oldest first, leaving the scrollback empty (for a reflow).
    std::vector<Line> takeAll();
    // Replaces the content; the newest lines are kept when there are more than maxLines.
    void assign(std::vector<Line> lines);
    void markNewestWrapped() { if (m_count > 0) slot(m_count - 1).wrapped = true; }

    // Rejoins soft-wrapped lines and cuts them again at `columns` (see reflowLines).
    void reflow(int columns);

private:
    Line &slot(int index) { return m_ring[std::size_t((m_start + index) % int(m_ring.size()))]; }

    std::vector<Line> m_ring;
    int m_start = 0; // index in m_ring of the oldest line
    int m_count = 0;
    int m_maxLines;
};

} // namespace og
