// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <array>
#include <cstdint>

namespace og {

// A colour already resolved to RGB (the 16-colour palette and the 256-colour cube are
// converted when the cell is read). `isDefault` tells the view to use its own theme colour
// instead, so a terminal follows the desktop's light or dark palette.
struct TerminalColor
{
    std::uint8_t red = 0;
    std::uint8_t green = 0;
    std::uint8_t blue = 0;
    bool isDefault = true;

    friend bool operator==(const TerminalColor &, const TerminalColor &) = default;
};

enum class TerminalUnderline : std::uint8_t { None, Single, Double, Curly };

// One character cell, as TerminalScreen::cell() gives it. The screen and the scrollback store
// cells packed (PackedTerminalCell, 16 bytes) and unpack them on reading.
struct TerminalCell
{
    // libvterm's VTERM_MAX_CHARS_PER_CELL: a base character plus combining marks; unused
    // entries are 0. All zero = an empty cell.
    static constexpr int kMaxChars = 6;
    std::array<char32_t, kMaxChars> chars{};
    // 1 normally, 2 for the left half of a wide (CJK, emoji) character, 0 for the cell under
    // its right half, which the view skips.
    std::uint8_t width = 1;
    bool bold = false;
    bool italic = false;
    bool blink = false;
    bool reverse = false;
    bool strike = false;
    TerminalUnderline underline = TerminalUnderline::None;
    TerminalColor foreground;
    TerminalColor background;

    bool isBlank() const { return chars[0] == 0 || chars[0] == U' '; }
    QString text() const
    {
        QString out;
        for (char32_t c : chars) {
            if (c == 0)
                break;
            out.append(QString::fromUcs4(&c, 1));
        }
        return out;
    }
    friend bool operator==(const TerminalCell &, const TerminalCell &) = default;
};

enum class TerminalCursorShape : std::uint8_t { Block, Underline, Bar };

enum class TerminalMouseMode : std::uint8_t {
    None,  // the remote asked for no mouse events: the view keeps selection for itself
    Click, // button presses and releases
    Drag,  // also motion while a button is held
    Move   // all motion
};

} // namespace og
