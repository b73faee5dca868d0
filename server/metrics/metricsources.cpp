// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metrics/metricsources.h"

#include "server/backends/experimentlaunch.h"

#include <QDirIterator>

namespace og {

MetricSources::MetricSources(const QString &experimentDir)
    : m_workDir(experimentfiles::workDir(experimentDir))
    , m_jsonLines(experimentfiles::metricsFile(experimentDir))
{
}

void MetricSources::findFiles(bool now)
{
    if (!now && m_sinceScan.isValid() && m_sinceScan.elapsed() < kRescanIntervalMs)
        return;
    m_sinceScan.start();
    QDirIterator it(m_workDir, {QStringLiteral("events.out.tfevents.*"), QStringLiteral("metrics.csv")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = path.mid(m_workDir.size() + 1);
        if (path.endsWith(QStringLiteral("metrics.csv"))) {
            if (!m_csvFiles.count(relative))
                m_csvFiles.emplace(relative, std::make_unique<CsvMetricsReader>(path));
        } else if (!m_eventFiles.count(relative)) {
            m_eventFiles.emplace(relative, std::make_unique<TfEventReader>(path));
        }
    }
}

MetricSources::Batch MetricSources::read(qint64 maxBytes, bool final)
{
    findFiles(final);
    Batch batch;
    batch.points = final ? m_jsonLines.readRemaining(maxBytes) : m_jsonLines.readAvailable(maxBytes);
    batch.more = m_jsonLines.hasMore();
    batch.problems = m_jsonLines.takeProblems();
    for (auto &[path, reader] : m_eventFiles) {
        batch.points += reader->readAvailable();
        batch.problems += reader->takeProblems();
    }
    for (auto &[path, reader] : m_csvFiles) {
        batch.points += final ? reader->readRemaining() : reader->readAvailable();
        batch.problems += reader->takeProblems();
    }
    return batch;
}

QJsonObject MetricSources::saveState() const
{
    QJsonObject events, csv;
    for (const auto &[path, reader] : m_eventFiles)
        events.insert(path, reader->saveState());
    for (const auto &[path, reader] : m_csvFiles)
        csv.insert(path, reader->saveState());
    return {{QStringLiteral("json_lines"), m_jsonLines.saveState()},
            {QStringLiteral("tensorboard"), events},
            {QStringLiteral("csv"), csv}};
}

void MetricSources::restoreState(const QJsonObject &state)
{
    m_jsonLines.restoreState(state.value(QStringLiteral("json_lines")).toObject());
    const QJsonObject events = state.value(QStringLiteral("tensorboard")).toObject();
    for (auto it = events.begin(); it != events.end(); ++it) {
        auto reader = std::make_unique<TfEventReader>(m_workDir + u'/' + it.key());
        reader->restoreState(it.value().toObject());
        m_eventFiles[it.key()] = std::move(reader);
    }
    const QJsonObject csv = state.value(QStringLiteral("csv")).toObject();
    for (auto it = csv.begin(); it != csv.end(); ++it) {
        auto reader = std::make_unique<CsvMetricsReader>(m_workDir + u'/' + it.key());
        reader->restoreState(it.value().toObject());
        m_csvFiles[it.key()] = std::move(reader);
    }
}

} // namespace og
