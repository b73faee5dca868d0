// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/csvmetricsreader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <charconv>
#include <cmath>

namespace og {

namespace {
constexpr qint64 kHeaderChunk = 64 * 1024;
constexpr int kAttempts = 3;

// Length of the first complete record in `bytes`, line end included, or -1 when none ends
// there. A quoted field may hold line ends (RFC 4180, what Python's csv module writes).
qsizetype recordLength(QByteArrayView bytes)
{
    bool quoted = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c == '"')
            quoted = !quoted;
        else if (c == '\n' && !quoted)
            return i + 1;
    }
    return -1;
}

QByteArrayView chopLineEnd(QByteArrayView record)
{
    if (record.endsWith('\n'))
        record.chop(1);
    if (record.endsWith('\r'))
        record.chop(1);
    return record;
}

// Fields of a record without its line end; "" inside quotes is one quote.
QList<QByteArray> splitFields(QByteArrayView record)
{
    QList<QByteArray> fields;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const char c = record[i];
        if (quoted) {
            if (c != '"')
                field.append(c);
            else if (i + 1 < record.size() && record[i + 1] == '"')
                field.append('"'), ++i;
            else
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.append(std::exchange(field, {}));
        } else {
            field.append(c);
        }
    }
    fields.append(field);
    return fields;
}

std::optional<double> parseNumber(QByteArrayView text)
{
    text = text.trimmed();
    if (text.startsWith('+'))
        text = text.sliced(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// The header record (line end included) from the start of `file`; null while incomplete.
QByteArray readHeader(QFile &file)
{
    if (!file.seek(0))
        return {};
    QByteArray head;
    for (;;) {
        const QByteArray more = file.read(kHeaderChunk);
        if (more.isEmpty())
            return {};
        head += more;
        if (const qsizetype n = recordLength(head); n > 0)
            return head.left(n);
    }
}
} // namespace

CsvMetricsReader::CsvMetricsReader(QString path)
    : m_path(std::move(path))
    , m_fileName(QFileInfo(m_path).fileName())
{
}

QStringList CsvMetricsReader::takeProblems()
{
    return std::exchange(m_problems, {});
}

QJsonObject CsvMetricsReader::saveState() const
{
    return {{QStringLiteral("header"), QString::fromLatin1(m_header.toBase64())},
            {QStringLiteral("offset"), m_offset},
            {QStringLiteral("row_index"), m_rowIndex},
            {QStringLiteral("rows_delivered"), m_rowsDelivered}};
}

void CsvMetricsReader::restoreState(const QJsonObject &state)
{
    setHeader(QByteArray::fromBase64(state.value(QStringLiteral("header")).toString().toLatin1()));
    m_offset = qint64(state.value(QStringLiteral("offset")).toDouble());
    m_rowIndex = qint64(state.value(QStringLiteral("row_index")).toDouble());
    m_rowsDelivered = qint64(state.value(QStringLiteral("rows_delivered")).toDouble());
}

QList<MetricPoint> CsvMetricsReader::readAvailable()
{
    return read(false);
}

QList<MetricPoint> CsvMetricsReader::readRemaining()
{
    return read(true);
}

QList<MetricPoint> CsvMetricsReader::read(bool includeUnterminated)
{
    QList<MetricPoint> points;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        const QString error = file.exists() ? file.errorString() : QString();
        if (!error.isEmpty() && error != m_lastOpenError)
            m_problems.append(m_fileName + QStringLiteral(": cannot be read: ") + error);
        m_lastOpenError = error;
        return points;
    }
    m_lastOpenError.clear();
    const double wallTime =
        double(file.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch()) / 1000.0;

    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const QByteArray header = readHeader(file);
        if (header.isNull())
            return points; // empty, or the header is still being written
        // A rewrite (new column, or an older Lightning saving) changes the header or shrinks the
        // file; either way read from the top and let the row count skip what was delivered.
        const bool fromTop = header != m_header || file.size() < m_offset;
        const qint64 offset = fromTop ? header.size() : m_offset;
        if (!file.seek(offset))
            return points;
        const QByteArray rest = file.readAll();
        // Rewritten while we read? Then `rest` may mix two versions: try again.
        if (!file.seek(0) || file.read(header.size()) != header)
            continue;

        if (fromTop) {
            setHeader(header);
            m_offset = offset;
            m_rowIndex = 0;
        }
        QByteArrayView unread(rest);
        for (;;) {
            qsizetype length = recordLength(unread);
            if (length < 0 && includeUnterminated && !unread.trimmed().isEmpty())
                length = unread.size();
            if (length <= 0)
                break;
            const QByteArrayView record = chopLineEnd(unread.first(length));
            unread = unread.sliced(length);
            m_offset += length;
            if (record.trimmed().isEmpty())
                continue; // a blank line is no row
            ++m_rowIndex;
            if (m_rowIndex > m_rowsDelivered) {
                deliverRow(record.toByteArray(), wallTime, points);
                m_rowsDelivered = m_rowIndex;
            }
        }
        return points;
    }
    return points;
}

void CsvMetricsReader::setHeader(const QByteArray &headerRecord)
{
    m_header = headerRecord;
    m_columns.clear();
    m_stepColumn = -1;
    QByteArrayView line = chopLineEnd(headerRecord);
    if (line.startsWith("\xEF\xBB\xBF"))
        line = line.sliced(3); // a UTF-8 byte order mark
    const QList<QByteArray> names = splitFields(line);
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString name = QString::fromUtf8(names[i].trimmed());
        if (name == QLatin1String("step") && m_stepColumn < 0) {
            m_stepColumn = int(i);
            m_columns.append(QString());
        } else {
            m_columns.append(name);
        }
    }
}

void CsvMetricsReader::deliverRow(const QByteArray &record, double wallTime,
                                  QList<MetricPoint> &out)
{
    const QList<QByteArray> fields = splitFields(record);
    auto reportOnce = [this](const QString &column, const QByteArray &cell) {
        if (m_reportedColumns.contains(column))
            return;
        m_reportedColumns.insert(column);
        m_problems.append(QStringLiteral("%1: column '%2' holds '%3' in row %4, not a number; "
                                         "such cells are skipped")
                              .arg(m_fileName, column, QString::fromUtf8(cell.left(40)))
                              .arg(m_rowIndex));
    };

    qint64 step = m_rowIndex - 1;
    if (m_stepColumn >= 0 && m_stepColumn < fields.size() &&
        !fields[m_stepColumn].trimmed().isEmpty()) {
        const auto number = parseNumber(fields[m_stepColumn]);
        // Lightning writes integers; "12.0" is accepted, anything else falls back to the row.
        if (number && std::isfinite(*number) && *number == std::trunc(*number) &&
            std::abs(*number) < 9.0e15)
            step = qint64(*number);
        else
            reportOnce(QStringLiteral("step"), fields[m_stepColumn]);
    }
    const qsizetype columns = std::min(fields.size(), m_columns.size());
    for (qsizetype i = 0; i < columns; ++i) {
        const QString &key = m_columns[i];
        if (key.isEmpty() || fields[i].trimmed().isEmpty())
            continue;
        if (const auto value = parseNumber(fields[i]))
            out.append(MetricPoint{key, step, wallTime, *value});
        else
            reportOnce(key, fields[i]);
    }
}

} // namespace og
