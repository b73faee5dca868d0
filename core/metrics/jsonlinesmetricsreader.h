// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/metricpoint.h"

#include <QByteArrayView>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace og {

// Tails the JSON-lines file a script appends metrics to ($GRID_METRICS_FILE). One JSON object
// per line, in either form:
//
//   {"step": 3, "train_loss": 0.5, "valid_acc": 0.8}                 several metrics at a step
//   {"key": "loss", "value": 0.5, "step": 3, "time": 1700000000.5}   one metric
//
// A line with a string "key" is the second form (its other members are ignored); otherwise
// every member except "step" and "time" is a metric. Values are numbers, including Python's
// NaN, Infinity and -Infinity (json.dumps writes them); null is no value. A member with another
// kind of value (string, true/false, array, object) is skipped and reported once per name.
// "step" is an integer (3 or 3.0); without one a metric's step is one past its previous step
// (0 for its first), so {"loss": 0.5} lines count 0, 1, 2…. "time" is seconds since the
// epoch; without it the wall time is the file's modification time when the line was read.
//
// A last line without its '\n' is still being written and waits (readRemaining() takes it
// too, for when the writer has exited). A read may be bounded (`maxBytes`): it stops at the first
// line end past that many bytes and hasMore() says whether the file holds more, so a huge
// backlog is taken in pieces of bounded memory. A line over 1 MiB is reported and skipped
// without being held. A line that is not such an object is reported with its
// line number and skipped (the first 100; then one note that later ones go unreported). A
// file that shrank was truncated and is read again from the top, so its points may come again.
//
// Parsing is by hand, with Clinger's exact fast path for decimals: on the 2-core dev machine a
// line like {"step": 1, "train_loss": 0.84442185152504812, "valid_acc": 0.7579544029403025,
// "lr": 0.001} costs ~0.35 µs, points included (5–8 M points/s); QJsonDocument::fromJson alone
// took 0.7–1.4 µs for it (bench/metrics/decimate_bench.cpp measures the reader).
class JsonLinesMetricsReader final
{
    Q_DISABLE_COPY_MOVE(JsonLinesMetricsReader)

public:
    explicit JsonLinesMetricsReader(QString path);

    // maxBytes < 0: everything there is.
    QList<MetricPoint> readAvailable(qint64 maxBytes = -1);
    // The unterminated last line too, once a read reaches the end of the file.
    QList<MetricPoint> readRemaining(qint64 maxBytes = -1);
    // The last read stopped at its maxBytes with more of the file left.
    bool hasMore() const { return m_hasMore; }
    // Each problem once ("metrics.jsonl: line 7: expected '\"' at column 12; skipped");
    // clears the list.
    QStringList takeProblems();
    // Bytes consumed: the start of the first line not read yet.
    qint64 offset() const { return m_offset; }
    // Lines consumed.
    qint64 lineCount() const { return m_lines; }
    const QString &path() const { return m_path; }

    // Where the reader stands (offset, line count, each metric's last step), to carry on after
    // a restart exactly where the points stored so far end; restoreState() on a new reader.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

    static constexpr int kMaxReportedLines = 100;

private:
    struct Key
    {
        QString name;
        QByteArray utf8;
        qint64 lastStep = -1;
    };

    QList<MetricPoint> read(bool includeUnterminated, qint64 maxBytes);
    void parseLine(QByteArrayView line, double fileTime, QList<MetricPoint> &out);
    Key &key(QByteArrayView utf8);
    void badLine(const QString &why);
    void badMember(QByteArrayView name, QByteArrayView value);

    const QString m_path;
    const QString m_fileName;
    qint64 m_offset = 0;
    qint64 m_lines = 0;
    qint64 m_badLines = 0;
    bool m_hasMore = false;
    bool m_skippingLine = false; // inside a line longer than any metrics line, up to its end
    qint64 m_parsedBytes = 0, m_parsedPoints = 0; // to size a read's result up front
    QString m_lastOpenError;
    QHash<QByteArray, qsizetype> m_keyIndex; // UTF-8 name → m_keys
    std::vector<Key> m_keys;
    std::array<qsizetype, 64> m_keyCache; // see key()
    QSet<QByteArray> m_reportedMembers;
    QStringList m_problems;
};

} // namespace og
