// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"
#include "server/backends/experimentlaunch.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace og {

class ComputeBackend;
class Database;
class EventHub;
class MetricsCollector;
class SessionManager;
struct ExperimentRecord;

// Decides what runs when. Queued experiments start, oldest first, as soon as their shape
// (CPUs, memory, GPUs) fits in what running experiments leave free; finished ones are
// recorded and their resources released. The accounting is recomputed from the database on
// every pass, so it cannot drift and survives restarts: a restarted gridd simply finds its
// running experiments again through the backend. Lives on the main thread; wake() and
// requestStop() may be called from any thread.
class Scheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)
public:
    Scheduler(Database &database, EventHub &events, ComputeBackend &backend, ClusterResources cluster,
              QString experimentsRoot, QObject *parent = nullptr);
    ~Scheduler() override;

    void start();
    void wake();
    // All at once: stopping one at a time would let the next pass start the others.
    void requestStop(const QStringList &experimentIds);
    QString experimentDir(const QString &experimentId) const;
    // Sessions share the machine with experiments and come first in each pass.
    void setSessions(SessionManager *sessions) { m_sessions = sessions; }

    static constexpr int kPassIntervalMs = 250;

private:
    void pass();
    void finish(const ExperimentRecord &e, const ExitStatus &status);
    bool tryStart(const ExperimentRecord &e, int &freeCpus, qint64 &freeMemory, QList<int> &freeGpus);
    void publish(const ExperimentRecord &e, const QString &status);

    Database &m_database;
    EventHub &m_events;
    ComputeBackend &m_backend;
    ClusterResources m_cluster;
    QString m_root;
    QTimer m_timer;
    QSet<QString> m_stopRequested; // main thread only
    QHash<QString, qint64> m_stopSentAt;
    std::unique_ptr<MetricsCollector> m_metrics;
    SessionManager *m_sessions = nullptr;
};

} // namespace og
