// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/metricsprotocol.h"

#include <QJsonArray>

#include <limits>

namespace og::metricsprotocol {

QString keysPath(const QString &experiment)
{
    return QStringLiteral("/experiments/%1/metrics").arg(experiment);
}

QString seriesPath(const QString &experiment)
{
    return keysPath(experiment);
}

QUrlQuery seriesQuery(const QString &key, int buckets)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("key"), key);
    if (buckets > 0)
        q.addQueryItem(QStringLiteral("buckets"), QString::number(buckets));
    return q;
}

QString topic(const QString &experiment)
{
    return QStringLiteral("metrics:") + experiment;
}

QStringList parseKeys(const QJsonObject &answer)
{
    QStringList keys;
    for (const QJsonValue &k : answer.value(QStringLiteral("keys")).toArray())
        keys.append(k.toString());
    return keys;
}

SeriesAnswer parseSeries(const QJsonObject &answer)
{
    // [[step, value, wall_time], …], decimated or not; an older gridd's decimated answers are
    // [[step, value], …] (no wall time: the time axes leave those points out).
    SeriesAnswer s;
    const QJsonArray points = answer.value(QStringLiteral("points")).toArray();
    s.points.reserve(size_t(points.size()));
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    for (const QJsonValue &p : points) {
        const QJsonArray a = p.toArray();
        if (a.size() < 2)
            continue;
        s.points.push_back({a.at(0).toDouble(), a.at(1).toDouble(), a.size() > 2 ? a.at(2).toDouble() : nan});
    }
    s.totalPoints = answer.value(QStringLiteral("total_points")).toInteger(qint64(s.points.size()));
    s.decimated = s.totalPoints > qint64(s.points.size());
    return s;
}

EventPoints parseEvent(const QJsonObject &object)
{
    EventPoints e;
    e.experiment = object.value(QStringLiteral("name")).toString();
    e.run = object.value(QStringLiteral("run")).toString();
    // Column-wise: {"series": [{"key", "time", "steps": [...], "values": [...]}, …]}, a
    // non-finite value as null.
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    for (const QJsonValue &v : object.value(QStringLiteral("series")).toArray()) {
        const QJsonObject run = v.toObject();
        const QJsonArray steps = run.value(QStringLiteral("steps")).toArray();
        const QJsonArray values = run.value(QStringLiteral("values")).toArray();
        const double time = run.value(QStringLiteral("time")).toDouble(nan);
        std::vector<MetricSample> &out = e.byKey[run.value(QStringLiteral("key")).toString()];
        for (qsizetype i = 0; i < qMin(steps.size(), values.size()); ++i)
            out.push_back({steps.at(i).toDouble(), values.at(i).isDouble() ? values.at(i).toDouble() : nan, time});
    }
    // The earlier row-wise form: {"points": [[key, step, wall_time, value], …]}.
    for (const QJsonValue &p : object.value(QStringLiteral("points")).toArray()) {
        const QJsonArray a = p.toArray();
        if (a.size() < 4)
            continue;
        e.byKey[a.at(0).toString()].push_back({a.at(1).toDouble(), a.at(3).toDouble(), a.at(2).toDouble()});
    }
    return e;
}

} // namespace og::metricsprotocol
