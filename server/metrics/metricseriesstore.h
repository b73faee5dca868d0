// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace og {

// An experiment's metric series, append-only, in its directory:
//
//   series/<n>.points   one file per metric key: 24-byte records (step as int64, wall time and
//                       value as doubles; this machine's byte order) in the order they came
//   series/state.json   the last commit: the keys (the n-th names <n>.points) with how many
//                       records of each are committed, and where each source stands
//
// Fixed-size records make appending a copy and reading a series one sequential read — what
// millions of points a second need, where a row per point in SQL managed ~300,000. A commit
// appends the new records, fdatasyncs the files, then replaces state.json atomically. Records
// past a key's committed count (a commit cut short by kill -9, a torn last record) are not part
// of the series: readers never look past the count and the writer cuts them off when it opens
// the store. The sources' positions are committed together with the points, so a restarted
// gridd reads each source on from exactly where the stored points end: nothing is lost and
// nothing stored twice.
//
// One writer per experiment (gridd's metrics ingestion thread); readers on any thread.
class MetricSeriesWriter final
{
    Q_DISABLE_COPY_MOVE(MetricSeriesWriter)

public:
    explicit MetricSeriesWriter(QString experimentDir);

    // Loads the last commit and cuts off whatever followed it. Empty, or the reason it failed.
    QString open();
    // The `sources` of the last commit (empty for a new store).
    const QJsonObject &sources() const { return m_sources; }

    void append(const QString &key, qint64 step, double wallTime, double value);
    qint64 pendingPoints() const { return m_pendingPoints; }
    // Makes every appended point durable together with `sources`. Empty, or the reason.
    QString commit(const QJsonObject &sources);

private:
    struct KeyFile
    {
        QString name;
        qint64 committed = 0; // records
        QByteArray pending;   // records appended since the last commit
    };
    KeyFile &keyFile(const QString &key);
    QString writeState(const QJsonObject &sources) const;

    const QString m_dir; // the series directory
    std::vector<KeyFile> m_keys;
    QHash<QString, qsizetype> m_index;
    qsizetype m_lastKey = -1; // points come in runs of the same few keys
    QJsonObject m_sources;
    qint64 m_pendingPoints = 0;
};

namespace metricseries {

constexpr qsizetype kRecordSize = 24;

// Whether the experiment's metrics are in series storage (gridd before it kept them in SQL).
bool exists(const QString &experimentDir);
// The keys, sorted.
QStringList keys(const QString &experimentDir);
// One key's committed series in step order, one point per step: where a step was stored more
// than once (a source read again after it was rewritten) the later point wins, as a script that
// logs a step again means. False (with `error`) when the files cannot be read.
bool read(const QString &experimentDir, const QString &key, std::vector<double> *steps,
          std::vector<double> *wallTimes, std::vector<double> *values, QString *error);
// Committed records of a key as stored, duplicates included (what tests check); -1: no such key.
qint64 storedRecords(const QString &experimentDir, const QString &key);

} // namespace metricseries

} // namespace og
