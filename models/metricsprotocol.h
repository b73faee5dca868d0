// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

#include <vector>

namespace og {

// One metric point as the app keeps it. wallTime is NaN where the platform sent none (a
// decimated answer of a gridd before wall times were added to it).
struct MetricSample
{
    double step = 0;
    double value = 0;
    double wallTime = 0;
};

// The wire format of metrics, in one place: the REST query and the `metrics` event topic.
// gridd's metric storage is being reworked; a change of format is an edit of this file only.
namespace metricsprotocol {

QString keysPath(const QString &experiment);   // GET: {"keys": [...]}
QString seriesPath(const QString &experiment); // GET with seriesQuery()
QUrlQuery seriesQuery(const QString &key, int buckets);
QString topic(const QString &experiment);      // the event topic of one experiment's points

QStringList parseKeys(const QJsonObject &answer);

struct SeriesAnswer
{
    std::vector<MetricSample> points; // in step order
    qint64 totalPoints = 0;           // before decimation
    bool decimated = false;
};
SeriesAnswer parseSeries(const QJsonObject &answer);

// A `metrics` event's object: the experiment it belongs to and its new points per key.
struct EventPoints
{
    QString experiment;
    QString run;
    QHash<QString, std::vector<MetricSample>> byKey;
};
EventPoints parseEvent(const QJsonObject &object);

} // namespace metricsprotocol
} // namespace og
