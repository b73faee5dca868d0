// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace og::cli {

// Lives at namespace level so command code inside og::cli can write Align::Right; Table
// re-exports it so Table::Align::Right works as well.
enum class Align
{
    Left,
    Right,
};

// The box table Grid prints with `rich`: heavy borders around the header, light ones around
// the body, one space of padding on each side of every cell.
//
//   ┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━┓
//   ┃ Run                  ┃ Status ┃    Duration ┃
//   ┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━┩
//   │ lurking-seahorse-950 │ queued │ 0d-00:02:12 │
//   └──────────────────────┴────────┴─────────────┘
//
// The headers fix the number of columns: short rows are padded with empty cells, extra cells
// are dropped. Control characters (newlines, tabs, ESC) in any text become spaces, because a
// line break inside a cell would tear the box apart.
class Table final
{
public:
    using Align = og::cli::Align;

    explicit Table(QStringList headers);

    // Header cells follow their column's alignment, as Grid's right-aligned number columns do.
    // Out-of-range columns are ignored.
    void setAlignment(int column, Align align);
    void addRow(QStringList cells);
    // Shown as the only row, in the first column, when no rows were added ("None Active.").
    void setEmptyMessage(QString message);

    int columnCount() const { return int(m_headers.size()); }
    int rowCount() const { return int(m_rows.size()); }

    // Every line, the trailing newline excluded, is at most maxWidth terminal cells wide unless
    // even the per-column minimums (the header's width, at least 6 cells, never more than the
    // column needs) do not fit; then the table is drawn at those minimums, wider than asked,
    // rather than becoming unreadable. Shrunk cells end in "…".
    QString render(int maxWidth) const;

private:
    QStringList m_headers;
    QList<Align> m_alignments;
    QList<QStringList> m_rows;
    QString m_emptyMessage;
};

// Terminal cells `text` occupies: one per code point, none for combining marks and format
// characters (ZWJ, ZWSP). East Asian wide characters are counted as one cell; Grid's names
// are ASCII and a full wcwidth table is not worth carrying for the rare exception.
int displayWidth(QStringView text);

// Columns of the terminal on stdout; $COLUMNS when stdout is not a terminal (pipes, CI), and
// 120 when neither says anything usable.
int terminalWidth();

} // namespace og::cli
