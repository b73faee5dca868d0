// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/terminal/terminalcell.h"

#include <deque>
#include <vector>

namespace og {

// The lines that scrolled off the top of the primary screen, oldest first. libvterm 0.1.4
// keeps no history of its own: it hands each line over (sb_pushline) and asks for it back
// when the screen grows taller (sb_popline).
class TerminalScrollback final
{
public:
    struct Line
    {
        std::vector<TerminalCell> cells; // trailing blank cells trimmed
        // The line ran into the last column and its text goes on in the next line (a soft
        // wrap). 0.1.4 does not record wrapping, so a line filled to the last column counts
        // as wrapped; resize() rejoins such lines before cutting them at the new width.
        bool wrapped = false;
    };

    explicit TerminalScrollback(int maxLines) : m_maxLines(maxLines) {}

    int size() const { return static_cast<int>(m_lines.size()); }
    int maxLines() const { return m_maxLines; }
    const Line &line(int index) const { return m_lines[static_cast<std::size_t>(index)]; }

    // `cells` holds `columns` cells of the screen width the line had.
    void push(const TerminalCell *cells, int columns);
    // Removes the newest line; false when there is none.
    bool pop(Line *line);
    void clear() { m_lines.clear(); }

    // Rejoins soft-wrapped lines and cuts them again at `columns`, never splitting a wide
    // character. The newest lines are kept when the result exceeds maxLines.
    void reflow(int columns);

private:
    void trimToLimit();

    std::deque<Line> m_lines;
    int m_maxLines;
};

} // namespace og
