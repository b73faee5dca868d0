// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/metricstore.h"

#include "core/apiclient.h"
#include "core/eventsclient.h"

#include <cmath>
#include <limits>

namespace og {

MetricStore::MetricStore(ApiClient *api, EventsClient *events, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_events(events)
{
    connect(m_events, &EventsClient::eventReceived, this, &MetricStore::onEvent);
}

void MetricStore::watch(const QString &experiment)
{
    Watched &w = m_watched[experiment];
    if (w.refs++ > 0)
        return;
    w.generation = m_nextGeneration++;
    // Subscribe before loading: a point that arrives in between is in the event or the load,
    // and the merge in loadSeries() keeps it once.
    m_events->subscribe(metricsprotocol::topic(experiment));
    loadKeys(experiment);
}

void MetricStore::unwatch(const QString &experiment)
{
    auto it = m_watched.find(experiment);
    if (it == m_watched.end() || --it->refs > 0)
        return;
    m_watched.erase(it);
    m_events->unsubscribe(metricsprotocol::topic(experiment));
}

QStringList MetricStore::keys(const QString &experiment) const
{
    return m_watched.value(experiment).keys;
}

const MetricSeries *MetricStore::series(const QString &experiment, const QString &key) const
{
    const auto w = m_watched.constFind(experiment);
    if (w == m_watched.cend())
        return nullptr;
    const auto s = w->byKey.constFind(key);
    return s == w->byKey.cend() ? nullptr : &*s;
}

std::optional<double> MetricStore::latest(const QString &experiment, const QString &key) const
{
    const MetricSeries *s = series(experiment, key);
    if (!s || s->value.empty())
        return std::nullopt;
    return s->value.back();
}

void MetricStore::reloadAll()
{
    for (auto it = m_watched.begin(); it != m_watched.end(); ++it) {
        it->generation = m_nextGeneration++;
        loadKeys(it.key());
    }
}

void MetricStore::loadKeys(const QString &experiment)
{
    const quint64 generation = m_watched.value(experiment).generation;
    ApiReply *reply = m_api->get(metricsprotocol::keysPath(experiment));
    connect(reply, &ApiReply::finished, this, [this, experiment, generation](const ApiResult &r) {
        auto it = m_watched.find(experiment);
        if (it == m_watched.end() || it->generation != generation)
            return;
        if (!r.ok()) {
            Q_EMIT loadFailed(experiment, r.message);
            return;
        }
        for (const QString &key : metricsprotocol::parseKeys(r.object())) {
            addKey(*it, experiment, key);
            loadSeries(experiment, key, generation);
        }
    });
}

void MetricStore::addKey(Watched &w, const QString &experiment, const QString &key)
{
    if (w.keys.contains(key))
        return;
    w.keys.append(key);
    MetricSeries fresh;
    fresh.revision = m_nextRevision++;
    w.byKey.insert(key, std::move(fresh));
    Q_EMIT keysChanged(experiment);
}

void MetricStore::loadSeries(const QString &experiment, const QString &key, quint64 generation)
{
    ApiReply *reply = m_api->get(metricsprotocol::seriesPath(experiment), metricsprotocol::seriesQuery(key, m_buckets));
    connect(reply, &ApiReply::finished, this, [this, experiment, key, generation](const ApiResult &r) {
        auto it = m_watched.find(experiment);
        if (it == m_watched.end() || it->generation != generation)
            return;
        if (!r.ok()) {
            Q_EMIT loadFailed(experiment, r.message);
            return;
        }
        applyLoaded(experiment, key, metricsprotocol::parseSeries(r.object()));
    });
}

void MetricStore::applyLoaded(const QString &experiment, const QString &key, const metricsprotocol::SeriesAnswer &answer)
{
    auto it = m_watched.find(experiment);
    if (it == m_watched.end())
        return;
    addKey(*it, experiment, key);
    MetricSeries &current = it->byKey[key];
    MetricSeries merged;
    merged.loaded = true;
    merged.revision = m_nextRevision++; // views project it anew (unique: a series may reuse an address)
    merged.decimated = answer.decimated;
    merged.totalPoints = answer.totalPoints;
    merged.step.reserve(answer.points.size());
    merged.value.reserve(answer.points.size());
    merged.wallTime.reserve(answer.points.size());
    for (const MetricSample &p : answer.points)
        merged.append(p);
    // Points that arrived live while the query ran and lie beyond what it returned.
    const double lastLoaded = answer.points.empty() ? -std::numeric_limits<double>::infinity() : answer.points.back().step;
    merged.loadedUpToStep = lastLoaded;
    for (size_t i = 0; i < current.size(); ++i)
        if (current.step[i] > lastLoaded) {
            merged.append({current.step[i], current.value[i], current.wallTime[i]});
            ++merged.totalPoints;
        }
    current = std::move(merged);
    Q_EMIT seriesChanged(experiment, key);
}

bool MetricSeries::holdsLoaded(const MetricSample &s) const
{
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    // From the end back to the step: a live duplicate is of the answer's last points.
    for (size_t i = size(); i-- > 0 && step[i] >= s.step;)
        if (step[i] == s.step && same(value[i], s.value) && same(wallTime[i], s.wallTime))
            return true;
    return false;
}

void MetricStore::onEvent(const QJsonObject &event)
{
    if (event.value(QStringLiteral("topic")).toString() != u"metrics")
        return;
    addPoints(metricsprotocol::parseEvent(event.value(QStringLiteral("object")).toObject()));
}

void MetricStore::addPoints(const metricsprotocol::EventPoints &points)
{
    auto it = m_watched.find(points.experiment);
    if (it == m_watched.end())
        return;
    for (auto k = points.byKey.cbegin(); k != points.byKey.cend(); ++k) {
        addKey(*it, points.experiment, k.key());
        MetricSeries &s = it->byKey[k.key()];
        qint64 added = 0;
        for (const MetricSample &p : k.value()) {
            // The load's answer may have held it already: the query and the event travel apart,
            // so an event can arrive after an answer computed from the points it carries.
            if (p.step <= s.loadedUpToStep && s.holdsLoaded(p))
                continue;
            s.append(p);
            ++added;
        }
        if (added == 0)
            continue;
        s.totalPoints += added;
        Q_EMIT seriesChanged(points.experiment, k.key());
    }
}

} // namespace og
