// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace og {

class EventHub;
struct ExperimentRecord;

// Takes in the metrics of running experiments on threads of its own (two where the machine has
// two cores: one experiment is never on two at once, so its points stay in order), so the
// scheduler never waits for them: new points of each source (MetricSources) go into the experiment's series
// storage (MetricSeriesWriter, committed together with where each source stands) and then out
// on the "metrics" topic. Each experiment is served in bounded pieces (kMaxBytesPerPiece of
// JSON lines, in turns with the others), so a writer far ahead never holds more than one piece
// in memory and never starves the rest. A source's problems (a corrupt record) are written
// once to the experiment's log.
//
// The scheduler calls follow() for every running experiment on each pass, and finished() once
// its process has ended, until finished() says everything is stored: only then is the
// experiment recorded as ended, so an ended experiment's metrics are complete.
class MetricsCollector final
{
public:
    // `drained` is called (on the collector's thread) when an ended experiment's last points
    // are stored: the scheduler can record it now.
    MetricsCollector(EventHub &events, std::function<void()> drained);
    ~MetricsCollector();

    void follow(const ExperimentRecord &experiment, const QString &experimentDir);
    // The experiment's process has ended: read everything. True once all is stored (and the
    // experiment is forgotten); until then false, call again on the next pass.
    bool finished(const ExperimentRecord &experiment, const QString &experimentDir);

    static constexpr qint64 kMaxBytesPerPiece = 4 << 20;
    static constexpr int kIdleWaitMs = 250; // how often sources are looked at when all is quiet

private:
    struct Experiment;
    void track(const ExperimentRecord &record, const QString &dir, bool final);
    void run();
    // Runs one piece for each experiment no other thread is on; true when there was work.
    bool takeTurn();
    bool ingest(Experiment &x); // one piece; true when there was something to do
    void log(const Experiment &x, const QStringList &lines);

    EventHub &m_events;
    std::function<void()> m_drained;
    std::mutex m_mutex; // guards the members below
    std::condition_variable m_wake;
    QHash<QString, std::shared_ptr<Experiment>> m_experiments; // by id
    QSet<QString> m_done;                                        // drained, not yet reported by finished()
    bool m_kicked = false;
    bool m_stopping = false;
    std::vector<std::thread> m_threads; // last: started when the rest is ready
};

} // namespace og
