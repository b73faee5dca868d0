// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

#include <memory>

namespace og {

class Database;
class EventHub;
struct ExperimentRecord;

// Gathers an experiment's metrics from what its script already writes: JSON lines appended
// to $GRID_METRICS_FILE, TensorBoard event files and Lightning metrics.csv files anywhere
// under its working directory. Each source is tailed from where the last pass stopped; new
// points are stored (idempotent per experiment, key and step) and published on the
// "metrics" topic. A source's problems (a corrupt record) are written once to the
// experiment's log, never repeated.
class MetricsCollector final
{
public:
    MetricsCollector(Database &database, EventHub &events);
    ~MetricsCollector();

    // `final`: the experiment ended; read everything and forget its readers.
    void collect(const ExperimentRecord &experiment, const QString &experimentDir, bool final);

    static constexpr int kRescanIntervalMs = 2000; // how often new event/CSV files are looked for

private:
    struct Sources;
    Database &m_database;
    EventHub &m_events;
    QHash<QString, std::shared_ptr<Sources>> m_sources; // by experiment id
};

} // namespace og
