// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runs/metricscollector.h"

#include "core/metrics/csvmetricsreader.h"
#include "core/metrics/jsonlinesmetricsreader.h"
#include "core/metrics/tfeventreader.h"
#include "server/backends/experimentlaunch.h"
#include "server/events/eventhub.h"
#include "server/runs/runstore.h"
#include "server/store/database.h"

#include <QDateTime>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <map>

namespace og {

struct MetricsCollector::Sources
{
    std::unique_ptr<JsonLinesMetricsReader> jsonLines;
    std::map<QString, std::unique_ptr<TfEventReader>> eventFiles;
    std::map<QString, std::unique_ptr<CsvMetricsReader>> csvFiles;
    QElapsedTimer sinceScan;
};

MetricsCollector::MetricsCollector(Database &database, EventHub &events)
    : m_database(database)
    , m_events(events)
{
}

MetricsCollector::~MetricsCollector() = default;

void MetricsCollector::collect(const ExperimentRecord &experiment, const QString &dir, bool final)
{
    std::shared_ptr<Sources> &sources = m_sources[experiment.id];
    if (!sources) {
        sources = std::make_shared<Sources>();
        sources->jsonLines = std::make_unique<JsonLinesMetricsReader>(experimentfiles::metricsFile(dir));
    }
    const QString work = experimentfiles::workDir(dir);
    if (final || !sources->sinceScan.isValid() || sources->sinceScan.elapsed() > kRescanIntervalMs) {
        sources->sinceScan.start();
        QDirIterator it(work, {QStringLiteral("events.out.tfevents.*"), QStringLiteral("metrics.csv")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.endsWith(QStringLiteral("metrics.csv"))) {
                if (!sources->csvFiles.count(path))
                    sources->csvFiles.emplace(path, std::make_unique<CsvMetricsReader>(path));
            } else if (!sources->eventFiles.count(path)) {
                sources->eventFiles.emplace(path, std::make_unique<TfEventReader>(path));
            }
        }
    }

    // When the experiment has ended, a last line without its newline is complete too.
    QList<MetricPoint> points = final ? sources->jsonLines->readRemaining() : sources->jsonLines->readAvailable();
    QStringList problems = sources->jsonLines->takeProblems();
    for (auto &[path, reader] : sources->eventFiles) {
        points += reader->readAvailable();
        problems += reader->takeProblems();
    }
    for (auto &[path, reader] : sources->csvFiles) {
        points += final ? reader->readRemaining() : reader->readAvailable();
        problems += reader->takeProblems();
    }
    if (!problems.isEmpty()) {
        QFile log(experimentfiles::logFile(dir));
        if (log.open(QIODevice::WriteOnly | QIODevice::Append)) {
            const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
            for (const QString &p : std::as_const(problems))
                log.write("[grid] [" + now + "] metrics: " + p.toUtf8() + '\n');
        }
    }
    // Stored, then published, in bounded pieces: one event per piece keeps a subscriber's
    // frames small and shows progress while a large backlog is taken in.
    constexpr qsizetype kPiece = 20000;
    for (qsizetype start = 0; start < points.size(); start += kPiece) {
        const qsizetype end = qMin(points.size(), start + kPiece);
        QList<std::tuple<QString, qint64, double, double>> rows;
        rows.reserve(end - start);
        QJsonArray published;
        for (qsizetype i = start; i < end; ++i) {
            const MetricPoint &p = points[i];
            rows.append({p.key, p.step, p.wallTime, p.value});
            published.append(QJsonArray{p.key, p.step, p.wallTime, p.value});
        }
        RunStore(m_database.connection()).addMetrics(experiment.id, rows);
        m_events.publish({QStringLiteral("metrics"), QStringLiteral("created"), experiment.userId,
                          QJsonObject{{QStringLiteral("name"), experiment.info.name},
                                      {QStringLiteral("run"), experiment.info.runName},
                                      {QStringLiteral("points"), published}}});
    }
    if (final)
        m_sources.remove(experiment.id);
}

} // namespace og
