// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

namespace og::metricseries {

// A metric series as parallel columns, in step order.
struct Columns
{
    std::vector<double> steps;
    std::vector<double> wallTimes;
    std::vector<double> values;
};

// What the metrics query answers with `buckets`: the series cut over its step range into that
// many buckets, each keeping its lowest and highest point (og::decimateMinMax) — and each kept
// point with its own wall time, so a chart's time axes place loaded history where it happened.
// `series` must be in step order (both stores read it so); a step stored twice is told apart
// by its value.
Columns decimate(const Columns &series, int buckets);

} // namespace og::metricseries
