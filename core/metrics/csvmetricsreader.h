// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/metricpoint.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace og {

// Tails a PyTorch Lightning CSVLogger file (lightning_logs/version_N/metrics.csv).
//
// The header names the columns; `step` is the step and every other column (`epoch` included,
// as Lightning's TensorBoard logger also gets it) is a metric. Rows are sparse: an empty cell is
// no value. A row without a step (no `step` column, or an empty cell) takes its row index,
// counting from 0.
//
// Lightning rewrites the whole file when a new column appears (older versions on every save),
// so a header that changed or a file that shrank means "read it again from the top": the rows
// already delivered are counted and skipped, and only rows beyond them come out — a rewrite
// never duplicates points. A last line without its line end is still being written and waits
// (readRemaining() takes it too, for when the writer has exited).
//
// CSVLogger writes no time, so a point's wall time is the file's modification time when its row
// was read: close to the truth while tailing a live run; for a file read afterwards all rows
// share the last modification time.
class CsvMetricsReader final
{
    Q_DISABLE_COPY_MOVE(CsvMetricsReader)

public:
    explicit CsvMetricsReader(QString path);

    QList<MetricPoint> readAvailable();
    QList<MetricPoint> readRemaining();
    // Each problem once ("metrics.csv: column 'phase' holds 'train' in row 3, not a number;
    // such cells are skipped"); clears the list.
    QStringList takeProblems();
    // Data rows delivered so far (a rewritten file's rows up to this count are skipped).
    qint64 rowsDelivered() const { return m_rowsDelivered; }
    const QString &path() const { return m_path; }

    // Where the reader stands (header, offset, rows), to carry on after a restart exactly
    // where the points stored so far end; restoreState() on a new reader.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

private:
    QList<MetricPoint> read(bool includeUnterminated);
    void setHeader(const QByteArray &headerRecord);
    void deliverRow(const QByteArray &record, double wallTime, QList<MetricPoint> &out);

    const QString m_path;
    const QString m_fileName;
    QByteArray m_header;   // the header record's bytes, line end included
    QStringList m_columns; // metric key per column; empty for `step` and unnamed columns
    int m_stepColumn = -1;
    qint64 m_offset = 0;        // bytes consumed of the file as it is now
    qint64 m_rowIndex = 0;      // data rows consumed of the file as it is now
    qint64 m_rowsDelivered = 0; // across rewrites
    QString m_lastOpenError;
    QSet<QString> m_reportedColumns;
    QStringList m_problems;
};

} // namespace og
