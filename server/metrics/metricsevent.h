// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/metricpoint.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace og {

// The object of a `metrics` event as compact JSON, column-wise per key:
//
//   {"name": experiment, "run": run, "series": [
//       {"key": "loss", "time": 1764161165.123, "steps": [0, 1, 2], "values": [0.9, 0.7, 0.6]}, …]}
//
// One entry per run of points of one key that share a wall time (a JSON-lines or CSV batch
// shares the file's time, so usually one entry per key); entries of a key come in the order
// its points were stored. Non-finite values (NaN, ±Infinity) are null: JSON has no such numbers.
// Written by hand: a point costs two numbers here, against four plus an array in a
// QJsonDocument, at several times the speed.
QByteArray metricsEventJson(const QString &experiment, const QString &run, const QList<MetricPoint> &points);

} // namespace og
