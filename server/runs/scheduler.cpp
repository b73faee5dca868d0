// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runs/scheduler.h"

#include "server/backends/computebackend.h"
#include "server/events/eventhub.h"
#include "server/runs/metricscollector.h"
#include "server/runs/runstore.h"
#include "server/sessions/sessionmanager.h"
#include "server/store/database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>

namespace og {

Q_LOGGING_CATEGORY(lcScheduler, "opengrid.server.scheduler", QtInfoMsg)

namespace {
InstanceShape shapeOf(const ExperimentRecord &e)
{
    return InstanceShape::fromJson(e.runSpec.value(QStringLiteral("shape")).toObject());
}

QStringList interpreterFor(const QString &script, const QJsonObject &spec)
{
    const QString python = spec.value(QStringLiteral("python")).toString(QStringLiteral("/usr/bin/python3"));
    if (script.endsWith(QStringLiteral(".py")))
        return {python};
    if (script.endsWith(QStringLiteral(".sh")))
        return {QStringLiteral("/bin/bash")};
    return {};
}
} // namespace

Scheduler::Scheduler(Database &database, EventHub &events, ComputeBackend &backend, ClusterResources cluster,
                     QString experimentsRoot, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_events(events)
    , m_backend(backend)
    , m_cluster(std::move(cluster))
    , m_root(std::move(experimentsRoot))
    , m_metrics(std::make_unique<MetricsCollector>(events, [this] { wake(); }))
{
    m_timer.setInterval(kPassIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::pass);
}

Scheduler::~Scheduler() = default;

void Scheduler::start()
{
    m_timer.start();
    wake();
}

void Scheduler::wake()
{
    QMetaObject::invokeMethod(this, &Scheduler::pass, Qt::QueuedConnection);
}

void Scheduler::requestStop(const QStringList &experimentIds)
{
    QMetaObject::invokeMethod(this, [this, experimentIds] {
        for (const QString &id : experimentIds)
            m_stopRequested.insert(id);
        pass();
    }, Qt::QueuedConnection);
}

QString Scheduler::experimentDir(const QString &experimentId) const
{
    return m_root + u'/' + experimentId;
}

void Scheduler::publish(const ExperimentRecord &e, const QString &status)
{
    Experiment info = e.info;
    info.status = status;
    m_events.publish({QStringLiteral("experiments"), QStringLiteral("updated"), e.userId, info.toJson()});
    RunStore store(m_database.connection());
    store.refreshRunStatus(e.runId);
    if (const auto summary = store.summary(e.runId))
        m_events.publish({QStringLiteral("runs"), QStringLiteral("updated"), e.userId, summary->toJson()});
}

void Scheduler::finish(const ExperimentRecord &e, const ExitStatus &status)
{
    const QString state = status.stopped ? QStringLiteral("cancelled")
                          : status.succeeded() ? QStringLiteral("succeeded")
                                               : QStringLiteral("failed");
    const QString reason = status.succeeded() ? QString(QStringLiteral("")) : status.describe();
    RunStore(m_database.connection()).markFinished(e.id, state, status.exitCode, reason);
    m_stopRequested.remove(e.id);
    m_stopSentAt.remove(e.id);
    qCInfo(lcScheduler).noquote() << "experiment" << e.info.name << state << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
    publish(e, state);
}

bool Scheduler::tryStart(const ExperimentRecord &e, int &freeCpus, qint64 &freeMemory, QList<int> &freeGpus)
{
    const InstanceShape need = shapeOf(e);
    if (need.cpus > freeCpus || need.memoryBytes > freeMemory || need.gpus > freeGpus.size())
        return false;
    QList<GpuDevice> gpus;
    QList<int> indexes;
    for (int i = 0; i < need.gpus; ++i) {
        const int index = freeGpus.takeFirst();
        indexes.append(index);
        for (const GpuDevice &g : std::as_const(m_cluster.gpus))
            if (g.index == index)
                gpus.append(g);
    }
    freeCpus -= need.cpus;
    freeMemory -= need.memoryBytes;

    const QJsonObject &spec = e.runSpec;
    const QString script = spec.value(QStringLiteral("script")).toString();
    ExperimentLaunch launch;
    launch.experimentId = e.id;
    launch.experimentName = e.info.name;
    launch.runName = e.info.runName;
    launch.userId = e.userId;
    launch.experimentDir = experimentDir(e.id);
    launch.codeDir = spec.value(QStringLiteral("code_dir")).toString();
    launch.command = interpreterFor(script, spec) + QStringList{script} + e.info.args;
    launch.datastorePath = spec.value(QStringLiteral("datastore_path")).toString();
    launch.mountDir = spec.value(QStringLiteral("datastore_mount_dir")).toString();
    launch.gpus = gpus;
    launch.shape = need;
    const QJsonObject env = spec.value(QStringLiteral("environment")).toObject();
    for (auto it = env.begin(); it != env.end(); ++it)
        launch.environment.insert(it.key(), it.value().toString());
    launch.environment.insert(QStringLiteral("GRID_EXPERIMENT_NAME"), e.info.name);
    launch.environment.insert(QStringLiteral("GRID_EXPERIMENT_ID"), e.id);
    launch.environment.insert(QStringLiteral("GRID_RUN_NAME"), e.info.runName);
    launch.environment.insert(QStringLiteral("GRID_USER_ID"), e.userId);
    launch.environment.insert(QStringLiteral("GRID_CLUSTER_ID"), QStringLiteral("local"));
    launch.environment.insert(QStringLiteral("GRID_INSTANCE_TYPE"), spec.value(QStringLiteral("instance_type")).toString());

    RunStore store(m_database.connection());
    if (const QString error = m_backend.launch(launch); !error.isEmpty()) {
        store.markFinished(e.id, QStringLiteral("failed"), -1, error);
        publish(e, QStringLiteral("failed"));
        return true;
    }
    store.markRunning(e.id, indexes);
    publish(e, QStringLiteral("running"));
    return true;
}

void Scheduler::pass()
{
    try {
        RunStore store(m_database.connection());
        int freeCpus = m_cluster.cpus;
        qint64 freeMemory = m_cluster.memoryBytes;
        QList<int> freeGpus;
        for (const GpuDevice &g : std::as_const(m_cluster.gpus))
            freeGpus.append(g.index);
        if (m_sessions)
            m_sessions->pass(freeCpus, freeMemory, freeGpus);

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const ExperimentRecord &e : store.experimentsInStatus({QStringLiteral("running")})) {
            const QString dir = experimentDir(e.id);
            const auto ended = m_backend.poll(dir);
            // Recorded as ended only once its metrics are all stored; its resources stay
            // counted meanwhile.
            if (ended && m_metrics->finished(e, dir)) {
                finish(e, *ended);
                continue;
            }
            if (!ended)
                m_metrics->follow(e, dir);
            if (!ended && m_stopRequested.contains(e.id) && now - m_stopSentAt.value(e.id, 0) > 5000) {
                m_backend.stop(dir); // repeated every few seconds until the supervisor has it
                m_stopSentAt.insert(e.id, now);
            }
            const InstanceShape used = shapeOf(e);
            freeCpus -= used.cpus;
            freeMemory -= used.memoryBytes;
            for (int g : e.gpus)
                freeGpus.removeAll(g);
        }
        for (const ExperimentRecord &e : store.experimentsInStatus({QStringLiteral("queued")})) {
            if (m_stopRequested.remove(e.id)) {
                store.markFinished(e.id, QStringLiteral("cancelled"), -1, QStringLiteral("stopped before it started"));
                publish(e, QStringLiteral("cancelled"));
                continue;
            }
            // Strict order: a large experiment at the head is not overtaken forever by
            // small ones behind it.
            if (!tryStart(e, freeCpus, freeMemory, freeGpus))
                break;
        }
    } catch (const std::exception &e) {
        qCWarning(lcScheduler) << "scheduling pass failed:" << e.what();
    }
}

} // namespace og
