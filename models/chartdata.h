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
// towards zero), one value at a time so a growing line goes on where it stopped; weight 0
// leaves the values as they are, 0.99 smooths hard. NaN and ±inf values pass through and do
// not poison what follows.
class Ema
{
public:
    explicit Ema(double weight = 0);
    double next(double v);

private:
    double m_weight;
    double m_last = 0;
    double m_power = 1; // weight^count, for the debiasing
};
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

// One chart line's points as drawn (projected, smoothed, cut for log scale), kept up to date as
// its series grows: each new point is projected and smoothed once, not once per frame, and the
// x and y ranges grow with it. A series that was replaced (a reload) is projected anew.
class ProjectedLine
{
public:
    void setOptions(XAxis axis, double smoothing, bool logY);
    // Takes what `series` holds beyond what was seen. Returns the index in points() where the
    // new points begin: 0 after a new projection (everything is new), size() when none came.
    size_t update(const MetricSeries &series);
    void clear();

    const Series &points() const { return m_points; }
    size_t size() const { return m_points.x.size(); }
    const Range &xRange() const { return m_x; }
    const Range &yRange() const { return m_y; }
    bool sortedByX() const { return m_sorted; }

private:
    void take(double x, double y);

    XAxis m_axis = XAxis::Step;
    double m_smoothing = 0;
    bool m_logY = false;
    const MetricSeries *m_source = nullptr;
    quint64 m_revision = 0;
    size_t m_consumed = 0; // points of the series seen
    double m_firstWall = 0; // the relative time axis's zero
    bool m_haveFirstWall = false;
    Ema m_ema;
    Series m_points;
    Range m_x, m_y;
    bool m_sorted = true;
};

} // namespace og::chartdata
