// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalscrollback.h"

#include <algorithm>

namespace og {

namespace {

int usedCells(const PackedTerminalCell *cells, int columns)
{
    int used = columns;
    while (used > 0 && cells[used - 1].isEmpty())
        --used;
    return used;
}

} // namespace

std::vector<TerminalLine> reflowLines(std::vector<TerminalLine> lines, int columns, QPoint *cursor)
{
    if (columns <= 0)
        return lines;
    std::vector<TerminalLine> result;
    result.reserve(lines.size());
    std::vector<PackedTerminalCell> logical;
    int cursorOffset = -1; // the cursor's cell index in the logical line being gathered
    auto emitLogical = [&] {
        const std::size_t used = std::size_t(usedCells(logical.data(), int(logical.size())));
        // The cursor may sit past the text (after a prompt's space): keep room for it.
        const std::size_t length =
            cursorOffset >= 0 ? std::max(used, std::size_t(cursorOffset) + 1) : used;
        std::size_t start = 0;
        do {
            std::size_t end = std::min(length, start + std::size_t(columns));
            // Keep a wide character and the cell under its right half on one line.
            if (end < logical.size() && end > start + 1 && logical[end].width == 0)
                --end;
            TerminalLine piece;
            const std::size_t textEnd = std::min(end, used);
            if (textEnd > start)
                piece.cells.assign(logical.begin() + std::ptrdiff_t(start),
                                   logical.begin() + std::ptrdiff_t(textEnd));
            piece.wrapped = end < length;
            if (cursorOffset >= 0 && std::size_t(cursorOffset) >= start
                && std::size_t(cursorOffset) < end)
                *cursor = QPoint(int(std::size_t(cursorOffset) - start), int(result.size()));
            result.push_back(std::move(piece));
            start = end;
        } while (start < length);
        logical.clear();
        cursorOffset = -1;
    };
    const int cursorLine = cursor ? cursor->y() : -1;
    for (int i = 0; i < int(lines.size()); ++i) {
        TerminalLine &line = lines[std::size_t(i)];
        if (i == cursorLine)
            cursorOffset = int(logical.size()) + cursor->x();
        logical.insert(logical.end(), line.cells.begin(), line.cells.end());
        if (!line.wrapped)
            emitLogical();
    }
    if (!lines.empty() && lines.back().wrapped) {
        emitLogical();
        result.back().wrapped = true; // its text goes on after the caller's last line
    }
    return result;
}

void TerminalScrollback::push(const PackedTerminalCell *cells, int columns, bool wrapped)
{
    if (m_maxLines <= 0)
        return;
    Line *line;
    if (m_count < m_maxLines) {
        if (int(m_ring.size()) < m_maxLines && m_start == 0 && m_count == int(m_ring.size())) {
            m_ring.emplace_back();
        }
        line = &slot(m_count);
        ++m_count;
    } else {
        line = &slot(0); // the oldest goes; its storage takes the new line
        m_start = (m_start + 1) % int(m_ring.size());
    }
    // Wrapped lines keep their full width (their trailing blanks are part of the text).
    const int used = wrapped ? columns : usedCells(cells, columns);
    line->cells.assign(cells, cells + used);
    line->wrapped = wrapped;
}

bool TerminalScrollback::pop(Line *line)
{
    if (m_count == 0)
        return false;
    *line = std::move(slot(m_count - 1));
    slot(m_count - 1) = Line{};
    --m_count;
    return true;
}

void TerminalScrollback::clear()
{
    m_ring.clear();
    m_start = 0;
    m_count = 0;
}

std::vector<TerminalScrollback::Line> TerminalScrollback::takeAll()
{
    std::vector<Line> out;
    out.reserve(std::size_t(m_count));
    for (int i = 0; i < m_count; ++i)
        out.push_back(std::move(slot(i)));
    clear();
    return out;
}

void TerminalScrollback::assign(std::vector<Line> lines)
{
    clear();
    if (m_maxLines <= 0)
        return;
    const std::size_t keep = std::min(lines.size(), std::size_t(m_maxLines));
    m_ring.assign(std::make_move_iterator(lines.end() - std::ptrdiff_t(keep)),
                  std::make_move_iterator(lines.end()));
    m_count = int(keep);
}

void TerminalScrollback::reflow(int columns)
{
    if (columns <= 0 || m_count == 0)
        return;
    assign(reflowLines(takeAll(), columns));
}

} // namespace og
