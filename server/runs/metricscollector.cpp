// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runs/metricscollector.h"

#include "server/backends/experimentlaunch.h"
#include "server/events/eventhub.h"
#include "server/metrics/metricsevent.h"
#include "server/metrics/metricseriesstore.h"
#include "server/metrics/metricsources.h"
#include "server/runs/runstore.h"

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>

#include <algorithm>
#include <atomic>

#include <pthread.h>

namespace og {

Q_LOGGING_CATEGORY(lcMetrics, "opengrid.server.metrics", QtInfoMsg)

struct MetricsCollector::Experiment
{
    Experiment(const ExperimentRecord &r, const QString &dir)
        : id(r.id)
        , userId(r.userId)
        , name(r.info.name)
        , runName(r.info.runName)
        , dir(dir)
        , sources(dir)
        , series(dir)
    {
    }
    const QString id, userId, name, runName, dir;
    std::atomic<bool> final = false; // set by the scheduler's thread
    std::atomic<bool> claimed = false; // a collector thread is on it
    // The claiming thread only:
    bool opened = false;
    bool drained = false; // all stored and handed back: nothing more to do
    QString storeError; // the last one written to the log
    MetricSources sources;
    MetricSeriesWriter series;
};

MetricsCollector::MetricsCollector(EventHub &events, std::function<void()> drained)
    : m_events(events)
    , m_drained(std::move(drained))
{
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
    for (unsigned i = 0; i < threads; ++i) {
        m_threads.emplace_back([this] { run(); });
        // Named, so that top and perf tell them from the main thread.
        pthread_setname_np(m_threads.back().native_handle(), QByteArray("metrics-" + QByteArray::number(i)).constData());
    }
}

MetricsCollector::~MetricsCollector()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

void MetricsCollector::track(const ExperimentRecord &record, const QString &dir, bool final)
{
    std::lock_guard lock(m_mutex);
    std::shared_ptr<Experiment> &x = m_experiments[record.id];
    if (!x)
        x = std::make_shared<Experiment>(record, dir);
    if (final && !x->final.exchange(true)) {
        m_kicked = true;
        m_wake.notify_all();
    }
}

void MetricsCollector::follow(const ExperimentRecord &experiment, const QString &experimentDir)
{
    track(experiment, experimentDir, false);
}

bool MetricsCollector::finished(const ExperimentRecord &experiment, const QString &experimentDir)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_done.remove(experiment.id))
            return true;
    }
    track(experiment, experimentDir, true);
    return false;
}

void MetricsCollector::run()
{
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
        }
        const bool busy = takeTurn();
        std::unique_lock lock(m_mutex);
        if (!busy && !m_stopping && !m_kicked)
            m_wake.wait_for(lock, std::chrono::milliseconds(kIdleWaitMs), [this] { return m_stopping || m_kicked; });
        m_kicked = false;
    }
}

bool MetricsCollector::takeTurn()
{
    QList<std::shared_ptr<Experiment>> turn;
    {
        std::lock_guard lock(m_mutex);
        turn = m_experiments.values();
    }
    bool busy = false;
    for (const auto &x : std::as_const(turn)) {
        if (x->claimed.exchange(true, std::memory_order_acquire))
            continue; // the other thread has it
        try {
            busy |= ingest(*x);
        } catch (const std::exception &e) {
            qCWarning(lcMetrics).noquote() << "metrics of" << x->name << "could not be taken in:" << e.what();
        }
        x->claimed.store(false, std::memory_order_release);
    }
    return busy;
}

bool MetricsCollector::ingest(Experiment &x)
{
    // Read before looking at the sources: everything the process wrote is in its files by now.
    const bool final = x.final.load();
    if (x.drained)
        return false; // the other thread finished it while this one held it in its turn
    auto drained = [&] {
        x.drained = true;
        {
            std::lock_guard lock(m_mutex);
            m_experiments.remove(x.id);
            m_done.insert(x.id);
        }
        if (m_drained)
            m_drained();
        return true;
    };
    auto storeFailed = [&](const QString &error) {
        if (error != x.storeError) {
            qCWarning(lcMetrics).noquote() << "metrics of" << x.name << "cannot be stored:" << error;
            log(x, {QStringLiteral("cannot store metrics: ") + error});
        }
        x.storeError = error;
        // An ended experiment is not held up forever by a disk that refuses its metrics.
        return final ? drained() : false;
    };
    if (!x.opened) {
        if (const QString error = x.series.open(); !error.isEmpty())
            return storeFailed(error);
        x.sources.restoreState(x.series.sources());
        x.opened = true;
    }

    MetricSources::Batch batch = x.sources.read(kMaxBytesPerPiece, final);
    log(x, batch.problems);
    for (const MetricPoint &p : std::as_const(batch.points))
        x.series.append(p.key, p.step, p.wallTime, p.value);
    if (x.series.pendingPoints() > 0 || batch.more || final) {
        if (const QString error = x.series.commit(x.sources.saveState()); !error.isEmpty())
            return storeFailed(error);
        x.storeError.clear();
    }
    // Published once stored: a subscriber never sees a point that a crash could take back.
    if (!batch.points.isEmpty())
        m_events.publish({QStringLiteral("metrics"), QStringLiteral("created"), x.userId, QJsonObject(),
                          metricsEventJson(x.name, x.runName, batch.points), x.name});
    if (final && !batch.more)
        return drained();
    return !batch.points.isEmpty() || batch.more;
}

void MetricsCollector::log(const Experiment &x, const QStringList &lines)
{
    if (lines.isEmpty())
        return;
    QFile log(experimentfiles::logFile(x.dir));
    if (!log.open(QIODevice::WriteOnly | QIODevice::Append))
        return;
    const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    for (const QString &line : lines)
        log.write("[grid] [" + now + "] metrics: " + line.toUtf8() + '\n');
}

} // namespace og
