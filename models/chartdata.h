// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/decimate.h"
#include "models/metricstore.h"

namespace og::chartdata {

// What the x axis of a metric chart counts.
enum class XAxis
{
    Step,
    RelativeTime, // seconds since the experiment's first point
    WallTime,     // milliseconds since the epoch (a QDateTimeAxis)
};

// The points of a series as x/y for `axis`. Time axes need wall times, so points without one
// (those of a decimated load) are left out there.
Series project(const MetricSeries &series, XAxis axis);

// Exponential moving average with TensorBoard's debiasing (the first points are not pulled
// towards zero); weight 0 leaves the values as they are, 0.99 smooths hard. NaN and ±inf
// values pass through and do not poison what follows.
void smooth(std::vector<double> &y, double weight);

// Drops points a logarithmic y axis cannot show (value <= 0).
void keepPositive(Series &s);

struct Range
{
    double min = 0;
    double max = 0;
    bool valid = false;
    void include(double v);
    void include(const Range &other);
};
Range xRange(const Series &s);
Range yRange(const Series &s); // of the finite values

// Everything a chart draws for one series: projected, smoothed, cut to log-able values if
// asked, and reduced per pixel column to min and max over [xMin, xMax] (so every spike stays).
Series prepare(const MetricSeries &series, XAxis axis, double smoothing, bool logY, double xMin, double xMax,
               int pixelColumns);

} // namespace og::chartdata
