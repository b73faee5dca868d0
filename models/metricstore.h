// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/metricsprotocol.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <limits>
#include <optional>
#include <vector>

namespace og {

class ApiClient;
class EventsClient;

// The points of one metric of one experiment, owned here; chart views read them in place.
struct MetricSeries
{
    std::vector<double> step;
    std::vector<double> value;
    std::vector<double> wallTime; // NaN for points of a decimated load
    bool decimated = false;       // the loaded part is a min/max reduction of totalPoints
    qint64 totalPoints = 0;       // what the platform holds, as far as we know
    bool loaded = false;
    quint64 revision = 0;         // unique per series; changes when its points are replaced, not appended to
    // The last step the load returned. Its answer and the event stream overlap: an event may
    // bring, after the answer, points the answer held already (see MetricStore::addPoints).
    double loadedUpToStep = -std::numeric_limits<double>::infinity();

    size_t size() const { return step.size(); }
    void append(const MetricSample &s)
    {
        step.push_back(s.step);
        value.push_back(s.value);
        wallTime.push_back(s.wallTime);
    }
    // Whether the loaded points (in step order) hold `s` already: same step, value and wall time.
    bool holdsLoaded(const MetricSample &s) const;
};

// Metrics of the experiments someone is looking at: each watched experiment's series are
// loaded once through the decimated query, then extended from the `metrics` event topic. Views
// (charts, the latest-value columns) watch and unwatch; the last unwatch drops the data.
class MetricStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricStore)
public:
    MetricStore(ApiClient *api, EventsClient *events, QObject *parent = nullptr);

    // Buckets asked for on load: about twice the widest chart in pixels keeps every extreme.
    void setInitialBuckets(int buckets) { m_buckets = buckets; }
    void watch(const QString &experiment);
    void unwatch(const QString &experiment);
    bool isWatched(const QString &experiment) const { return m_watched.contains(experiment); }

    QStringList keys(const QString &experiment) const;
    const MetricSeries *series(const QString &experiment, const QString &key) const;
    std::optional<double> latest(const QString &experiment, const QString &key) const;

    // Reloads what is watched: after a reconnect, when events may have been missed.
    void reloadAll();

    // What a load answer and the event stream deliver, applied to watched experiments; public
    // so a benchmark can feed recorded data through the same path.
    void applyLoaded(const QString &experiment, const QString &key, const metricsprotocol::SeriesAnswer &answer);
    void addPoints(const metricsprotocol::EventPoints &points);

Q_SIGNALS:
    void keysChanged(const QString &experiment);
    void seriesChanged(const QString &experiment, const QString &key);
    void loadFailed(const QString &experiment, const QString &message);

private:
    struct Watched
    {
        int refs = 0;
        quint64 generation = 0; // answers for an older generation are stale
        QStringList keys;
        QHash<QString, MetricSeries> byKey;
    };

    void loadKeys(const QString &experiment);
    void loadSeries(const QString &experiment, const QString &key, quint64 generation);
    void onEvent(const QJsonObject &event);
    void addKey(Watched &w, const QString &experiment, const QString &key);

    ApiClient *m_api;
    EventsClient *m_events;
    QHash<QString, Watched> m_watched;
    quint64 m_nextGeneration = 1;
    quint64 m_nextRevision = 1;
    int m_buckets = 2000;
};

} // namespace og
