// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalscrollback.h"

#include <algorithm>

namespace og {

namespace {

bool isEmptyCell(const TerminalCell &cell)
{
    return cell.isBlank() && cell.background.isDefault && !cell.reverse;
}

} // namespace

void TerminalScrollback::push(const TerminalCell *cells, int columns)
{
    Line line;
    int used = columns;
    while (used > 0 && isEmptyCell(cells[used - 1]))
        --used;
    line.cells.assign(cells, cells + used);
    // A wide character in the last two columns also fills the line.
    line.wrapped = columns > 0
                   && (used == columns || (used == columns - 1 && cells[used - 1].width == 2));
    m_lines.push_back(std::move(line));
    trimToLimit();
}

bool TerminalScrollback::pop(Line *line)
{
    if (m_lines.empty())
        return false;
    *line = std::move(m_lines.back());
    m_lines.pop_back();
    return true;
}

void TerminalScrollback::reflow(int columns)
{
    if (columns <= 0 || m_lines.empty())
        return;
    std::deque<Line> result;
    std::vector<TerminalCell> logical;
    auto emitLogical = [&] {
        std::size_t start = 0;
        do {
            std::size_t end = std::min(logical.size(), start + static_cast<std::size_t>(columns));
            // Keep a wide character and the cell under its right half on one line.
            if (end < logical.size() && end > start + 1 && logical[end].width == 0)
                --end;
            Line piece;
            piece.cells.assign(logical.begin() + static_cast<std::ptrdiff_t>(start),
                               logical.begin() + static_cast<std::ptrdiff_t>(end));
            piece.wrapped = end < logical.size();
            result.push_back(std::move(piece));
            start = end;
        } while (start < logical.size());
        logical.clear();
    };
    for (Line &line : m_lines) {
        logical.insert(logical.end(), line.cells.begin(), line.cells.end());
        if (!line.wrapped)
            emitLogical();
    }
    if (m_lines.back().wrapped) {
        emitLogical();
        result.back().wrapped = true; // its text goes on in the screen's first row
    }
    m_lines = std::move(result);
    trimToLimit();
}

void TerminalScrollback::trimToLimit()
{
    while (static_cast<int>(m_lines.size()) > m_maxLines)
        m_lines.pop_front();
}

} // namespace og
