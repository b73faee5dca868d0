// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/csvmetricsreader.h"
#include "core/metrics/jsonlinesmetricsreader.h"
#include "core/metrics/tfeventreader.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <map>
#include <memory>

namespace og {

// What one experiment's script writes metrics to: JSON lines appended to $GRID_METRICS_FILE,
// TensorBoard event files and Lightning metrics.csv files anywhere under its working directory
// (looked for again every kRescanIntervalMs). Each source is tailed from where the last read
// stopped; saveState()/restoreState() carry every reader's position across a gridd restart.
class MetricSources final
{
    Q_DISABLE_COPY_MOVE(MetricSources)

public:
    explicit MetricSources(const QString &experimentDir);

    struct Batch
    {
        QList<MetricPoint> points;
        QStringList problems; // for the experiment's log, each once
        bool more = false;    // the JSON-lines file holds more than this batch took
    };
    // New points, the JSON-lines file's up to about `maxBytes` of it. `final`: the experiment
    // has ended, so a last line without its line end is complete too.
    Batch read(qint64 maxBytes, bool final);

    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

    static constexpr int kRescanIntervalMs = 2000;

private:
    void findFiles(bool now);

    const QString m_workDir;
    JsonLinesMetricsReader m_jsonLines;
    std::map<QString, std::unique_ptr<TfEventReader>> m_eventFiles; // by path relative to m_workDir
    std::map<QString, std::unique_ptr<CsvMetricsReader>> m_csvFiles; // ditto
    QElapsedTimer m_sinceScan;
};

} // namespace og
