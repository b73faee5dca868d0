// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/table.h"

#include <algorithm>
#include <QtGlobal>
#include <utility>

#if defined(Q_OS_UNIX)
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace og::cli {

namespace {

// rich's HEAVY_HEAD box, the one Grid's tables use.
struct BorderRow
{
    char16_t left;
    char16_t fill;
    char16_t cross;
    char16_t right;
};
constexpr BorderRow kTop{u'┏', u'━', u'┳', u'┓'};
constexpr BorderRow kHeadSeparator{u'┡', u'━', u'╇', u'┩'};
constexpr BorderRow kBottom{u'└', u'─', u'┴', u'┘'};
constexpr char16_t kHeadVertical = u'┃';
constexpr char16_t kBodyVertical = u'│';
constexpr char16_t kEllipsis = u'…';

// Columns are never shrunk below this, so that a cramped terminal still shows a recognisable
// prefix of every value instead of "…" alone.
constexpr int kMinColumnWidth = 6;
constexpr int kDefaultTerminalWidth = 120;
// Anything beyond this in $COLUMNS is a typo or garbage, not a terminal.
constexpr int kMaxSaneColumns = 10000;

int codePointWidth(char32_t ucs4)
{
    switch (QChar::category(ucs4)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_Enclosing:
    case QChar::Other_Format:
        return 0;
    default:
        return 1;
    }
}

// Calls f(position, length, width) for every code point; a lone surrogate counts as one
// code point, which is what terminals show for it (a replacement glyph).
template <typename F> void forEachCodePoint(QStringView text, F &&f)
{
    for (qsizetype i = 0; i < text.size();) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            f(i, 2, codePointWidth(QChar::surrogateToUcs4(c, text[i + 1])));
            i += 2;
        } else {
            f(i, 1, codePointWidth(c.unicode()));
            ++i;
        }
    }
}

QString sanitized(QString text)
{
    // CRLF is one line break, so it becomes one space, not two.
    text.replace(QStringLiteral("\r\n"), QStringLiteral(" "));
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = u' ';
    }
    return text;
}

// `text` cut to at most `width` cells, ending in "…" when something had to go. Combining
// marks right after the last kept character stay with it, so no accent is orphaned.
QString elided(const QString &text, int width)
{
    if (displayWidth(text) <= width)
        return text;
    if (width <= 0)
        return QString();
    const int budget = width - 1; // one cell for the ellipsis
    int used = 0;
    qsizetype end = 0;
    bool full = false;
    forEachCodePoint(text, [&](qsizetype pos, qsizetype len, int w) {
        if (full || used + w > budget) {
            full = true;
            return;
        }
        used += w;
        end = pos + len;
    });
    return text.left(end) + QChar(kEllipsis);
}

QString border(const BorderRow &row, const QList<int> &widths)
{
    QString line(1, QChar(row.left));
    for (qsizetype i = 0; i < widths.size(); ++i) {
        if (i > 0)
            line += QChar(row.cross);
        line += QString(widths[i] + 2, QChar(row.fill));
    }
    line += QChar(row.right);
    line += u'\n';
    return line;
}

QString contentLine(char16_t vertical, const QStringList &cells, const QList<int> &widths,
                    const QList<Align> &alignments)
{
    QString line(1, QChar(vertical));
    for (qsizetype i = 0; i < widths.size(); ++i) {
        const QString text = elided(i < cells.size() ? cells[i] : QString(), widths[i]);
        const QString padding(std::max(0, widths[i] - displayWidth(text)), u' ');
        line += u' ';
        if (alignments[i] == Align::Right)
            line += padding + text;
        else
            line += text + padding;
        line += u' ';
        line += QChar(vertical);
    }
    line += u'\n';
    return line;
}

} // namespace

int displayWidth(QStringView text)
{
    int width = 0;
    forEachCodePoint(text, [&](qsizetype, qsizetype, int w) { width += w; });
    return width;
}

Table::Table(QStringList headers)
    : m_headers(std::move(headers))
    , m_alignments(m_headers.size(), Align::Left)
{
    for (QString &header : m_headers)
        header = sanitized(std::move(header));
}

void Table::setAlignment(int column, Align align)
{
    if (column >= 0 && column < m_alignments.size())
        m_alignments[column] = align;
}

void Table::addRow(QStringList cells)
{
    cells.resize(m_headers.size());
    for (QString &cell : cells)
        cell = sanitized(std::move(cell));
    m_rows.append(std::move(cells));
}

void Table::setEmptyMessage(QString message)
{
    m_emptyMessage = sanitized(std::move(message));
}

QString Table::render(int maxWidth) const
{
    const qsizetype columns = m_headers.size();
    if (columns == 0)
        return QString();

    QList<QStringList> rows = m_rows;
    if (rows.isEmpty() && !m_emptyMessage.isEmpty()) {
        QStringList row(columns);
        row[0] = m_emptyMessage;
        rows.append(row);
    }

    QList<int> widths(columns, 0);
    QList<int> minimums(columns, 0);
    for (qsizetype i = 0; i < columns; ++i) {
        const int headerWidth = displayWidth(m_headers[i]);
        widths[i] = headerWidth;
        for (const QStringList &row : rows)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
        minimums[i] = std::min(widths[i], std::max(headerWidth, kMinColumnWidth));
    }
    // "None Active." is the whole message of an empty table: never cut it.
    if (m_rows.isEmpty() && !m_emptyMessage.isEmpty())
        minimums[0] = widths[0];

    // Each column costs its content plus " " on both sides plus one vertical bar; the
    // leftmost bar is the +1.
    const qint64 frame = 3 * qint64(columns) + 1;
    qint64 excess = frame - maxWidth;
    for (int w : widths)
        excess += w;

    // Take from the widest column first: it is usually a free-form value (a command, a URL)
    // whose tail matters least. Among equals the rightmost gives first, so the leading name
    // column keeps the odd cell. Cutting straight down to the next-widest column keeps the
    // loop short even for a megabyte-long cell.
    while (excess > 0) {
        qsizetype widest = -1;
        for (qsizetype i = 0; i < columns; ++i) {
            if (widths[i] > minimums[i] && (widest < 0 || widths[i] >= widths[widest]))
                widest = i;
        }
        if (widest < 0)
            break; // everything is at its minimum: draw it wider than asked
        int next = minimums[widest];
        for (qsizetype i = 0; i < columns; ++i) {
            if (i != widest && widths[i] > minimums[i])
                next = std::max(next, std::min(widths[i], widths[widest]));
        }
        const qint64 step = std::clamp<qint64>(widths[widest] - next, 1, excess);
        widths[widest] -= int(step);
        excess -= step;
    }

    QString out = border(kTop, widths);
    out += contentLine(kHeadVertical, m_headers, widths, m_alignments);
    out += border(kHeadSeparator, widths);
    for (const QStringList &row : std::as_const(rows))
        out += contentLine(kBodyVertical, row, widths, m_alignments);
    out += border(kBottom, widths);
    return out;
}

int terminalWidth()
{
#if defined(Q_OS_UNIX)
    if (::isatty(STDOUT_FILENO)) {
        struct winsize size = {};
        // Some pseudo-terminals (serial consoles, a few CI runners) answer 0 columns.
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
            return size.ws_col;
    }
#endif
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    if (ok && columns > 0 && columns <= kMaxSaneColumns)
        return columns;
    return kDefaultTerminalWidth;
}

} // namespace og::cli
