// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/terminal/terminalcell.h"
#include "core/terminal/terminalscrollback.h"

#include <QByteArray>
#include <QObject>
#include <QPoint>
#include <QRect>
#include <QString>

#include <memory>

namespace og {

enum class TerminalKey {
    Enter, Tab, Backspace, Escape,
    Up, Down, Left, Right,
    Insert, Delete, Home, End, PageUp, PageDown,
    F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12
};

enum TerminalModifier : unsigned { NoModifier = 0, ShiftModifier = 1, AltModifier = 2, ControlModifier = 4 };

// What changed since the view last painted: the rectangle of screen cells to repaint and how
// many lines went into the scrollback (a view pinned to a scrolled-back position shifts by
// that much).
struct TerminalDamage
{
    QRect cells; // x = column, y = screen row; null when no cell changed
    int linesScrolledOff = 0;
    bool cursorMoved = false;
};

struct TerminalScreenVt; // libvterm stays out of this header

// The screen model of one terminal: bytes from the remote go in (feed), cells, cursor, title
// and modes come out, and the bytes a key, a paste or a mouse event must send back to the
// remote leave through outputReady. No widgets here: the desktop view paints what this model
// holds and repaints only the damage. Touch it from one thread.
class TerminalScreen final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalScreen)

public:
    static constexpr int kDefaultScrollbackLines = 10000;

    TerminalScreen(int rows, int columns, QObject *parent = nullptr,
                   int scrollbackLines = kDefaultScrollbackLines);
    ~TerminalScreen() override;

    // Bytes as they came from the remote; UTF-8 sequences and escape sequences may be split
    // anywhere between calls.
    void feed(const char *data, qsizetype size);
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }

    // Runs of printable ASCII are written into the cells directly when libvterm's modes allow
    // (the default). Off: every byte goes through libvterm's per-glyph path — the reference
    // the tests compare the fast path with, and the benchmark's "before".
    void setFastPathEnabled(bool enabled);
    // Cells the fast path wrote so far: the tests check it was taken, the benchmark reports it.
    qint64 fastPathCells() const;

    int rows() const;
    int columns() const;
    // Resizes the screen. On the primary screen the scrollback and the screen's lines are
    // rewrapped together to the new width (soft-wrapped lines rejoin, the cursor stays on
    // its text); a taller screen takes lines back from the scrollback, a shorter one pushes
    // the top lines into it. The alternate screen is cut or padded (its program redraws).
    // The caller tells the remote (window-change) afterwards.
    void resize(int rows, int columns);

    // Rows 0..rows()-1 are the screen; rows -1..-historyLineCount() the scrollback, -1 the
    // newest. Outside both: a blank cell.
    TerminalCell cell(int row, int column) const;
    // The text of a row without trailing blanks; wide characters count once.
    QString lineText(int row) const;
    // Lines of scrollback to show above the screen: none while the alternate screen is up
    // (full-screen programs own the whole window then).
    int historyLineCount() const;
    // The row's text goes on in the next row (the terminal wrapped it at the last column);
    // screen rows and scrollback rows alike. Selections join such rows without a newline.
    bool isLineWrapped(int row) const;

    QPoint cursor() const { return m_cursor; } // x = column, y = row
    bool isCursorVisible() const { return m_cursorVisible; }
    bool isCursorBlinking() const { return m_cursorBlink; }
    TerminalCursorShape cursorShape() const { return m_cursorShape; }
    QString title() const { return m_title; }
    bool isAltScreen() const { return m_altScreen; }
    bool isReverseVideo() const { return m_reverseVideo; }
    TerminalMouseMode mouseMode() const { return m_mouseMode; }
    // The remote asked for bracketed paste (ESC[?2004h); paste() wraps text in that case.
    bool isBracketedPaste() const;

    TerminalDamage takeDamage();

    // Input from the user; each results in outputReady with the bytes to send.
    void sendKey(TerminalKey key, unsigned modifiers = NoModifier);
    void sendText(const QString &text, unsigned modifiers = NoModifier);
    // Newlines become carriage returns (what Enter sends); wrapped in ESC[200~ … ESC[201~
    // when the remote asked for bracketed paste.
    void paste(const QString &text);
    // Mouse events in cell coordinates; button 1 left, 2 middle, 3 right, 4/5 wheel. Ignored
    // unless the remote asked for mouse reporting (mouseMode() != None).
    void mouseMove(int row, int column, unsigned modifiers = NoModifier);
    void mouseButton(int row, int column, int button, bool pressed,
                     unsigned modifiers = NoModifier);
    void focusChanged(bool focused);

signals:
    // Bytes to send to the remote: key presses, pastes and the terminal's own answers to
    // queries (cursor position reports, device attributes).
    void outputReady(const QByteArray &bytes);
    // Something changed; call takeDamage() (the view coalesces these into frames).
    void damaged();
    void titleChanged(const QString &title);
    void altScreenChanged(bool alternate);
    void mouseModeChanged(og::TerminalMouseMode mode);
    void bell();

private:
    friend struct TerminalScreenVt;
    void flushOutput();

    std::unique_ptr<TerminalScreenVt> m_vt;
    TerminalScrollback m_scrollback;
    QByteArray m_pendingOutput;
    TerminalDamage m_damage;
    QPoint m_cursor;
    bool m_cursorVisible = true;
    bool m_cursorBlink = false;
    TerminalCursorShape m_cursorShape = TerminalCursorShape::Block;
    QString m_title;
    bool m_altScreen = false;
    bool m_reverseVideo = false;
    TerminalMouseMode m_mouseMode = TerminalMouseMode::None;
    bool m_capturingOutput = false;
};

} // namespace og
