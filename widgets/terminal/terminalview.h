// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/terminal/terminalcell.h"

#include <QAbstractScrollArea>
#include <QElapsedTimer>
#include <QFont>
#include <QPoint>
#include <QTimer>

namespace og {

class TerminalScreen;

// Paints a TerminalScreen and turns keys, mouse, wheel and clipboard into what the screen
// sends to the remote. Holds no terminal state of its own besides the view's: the scrollback
// position, the selection, the font and the blink phase. Repaints only damaged rows, at most
// kMaxFramesPerSecond times a second however fast output arrives.
class TerminalView final : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalView)

public:
    static constexpr int kMaxFramesPerSecond = 30;

    explicit TerminalView(TerminalScreen *screen, QWidget *parent = nullptr);

    TerminalScreen *screen() const { return m_screen; }
    // Lines scrolled back from the live screen; 0 when following output.
    int scrollbackOffset() const;
    void scrollToBottom();

    // The selected text, soft-wrapped lines joined; empty without a selection.
    QString selectedText() const;
    bool hasSelection() const { return m_selectionStart != m_selectionEnd; }
    // Selects screen rows (negative: scrollback) from (row, column) to before (row, column).
    void setSelection(QPoint start, QPoint end);
    void clearSelection();
    void copySelection();
    void pasteClipboard();

    // Point size deltas of the font zoom (Ctrl+= / Ctrl+- / Ctrl+0).
    void zoomIn();
    void zoomOut();
    void resetZoom();
    QSizeF cellSize() const { return {m_cellWidth, qreal(m_cellHeight)}; }
    // The number of frames painted and the slowest one, for the bench and the tests.
    int framesPainted() const { return m_framesPainted; }
    qint64 slowestFrameUs() const { return m_slowestFrameUs; }

signals:
    // The grid changed size: the owner tells the remote (window-change).
    void terminalResized(int rows, int columns);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void inputMethodEvent(QInputMethodEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void onDamaged();
    void flushFrame();
    void applyFont(const QFont &font);
    void updateGridSize();
    void updateScrollBar();
    bool handleShortcut(QKeyEvent *event);
    bool forwardsMouse(const QMouseEvent *event) const;
    QPoint cellAt(QPointF pos) const;        // (column, buffer row) under a point
    int bufferRowAtTop() const;              // buffer row painted in the first line
    void selectWord(QPoint cell);
    void selectLine(int row);
    void updateRows(int firstBufferRow, int lastBufferRow);
    void paintRow(QPainter &painter, int viewRow, int bufferRow);
    void paintCursor(QPainter &painter);
    bool isSelected(int bufferRow, int column) const;
    QColor foregroundOf(const TerminalCell &cell) const;
    QColor backgroundOf(const TerminalCell &cell) const;

    TerminalScreen *m_screen;
    QFont m_font;
    int m_baseFontSize = 10;
    qreal m_cellWidth = 8;
    int m_cellHeight = 16;
    int m_ascent = 12;
    int m_rows = 24;
    int m_columns = 80;

    QTimer m_frameTimer;      // fires the next frame no sooner than 1/kMaxFramesPerSecond
    QElapsedTimer m_sinceFrame;
    int m_damageTop = -1;     // screen rows to repaint next frame, -1 none
    int m_damageBottom = -1;
    bool m_fullRepaint = false;
    int m_framesPainted = 0;
    qint64 m_slowestFrameUs = 0;

    QTimer m_blinkTimer;
    bool m_blinkOn = true;
    int m_lastCursorRow = 0; // the row the cursor was painted on, repainted when it moves

    // Selection in (column, buffer row) with the end exclusive; rows shift as lines scroll
    // into the scrollback so the selection stays on its text.
    QPoint m_selectionStart;
    QPoint m_selectionEnd;
    QPoint m_selectionAnchor;
    bool m_selecting = false;
    QElapsedTimer m_sinceDoubleClick; // a third click soon after selects the line
    int m_mouseButtonDown = 0;        // the remote's button number while reporting
};

} // namespace og
