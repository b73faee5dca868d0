// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/chartdata.h"

#include <algorithm>
#include <cmath>

namespace og::chartdata {

Series project(const MetricSeries &m, XAxis axis)
{
    Series s;
    const size_t n = m.size();
    s.x.reserve(n);
    s.y.reserve(n);
    if (axis == XAxis::Step) {
        s.x = m.step;
        s.y = m.value;
        return s;
    }
    double first = std::nan("");
    for (size_t i = 0; i < n; ++i) {
        const double w = m.wallTime[i];
        if (std::isnan(w))
            continue;
        if (std::isnan(first))
            first = w;
        s.x.push_back(axis == XAxis::RelativeTime ? w - first : w * 1000.0);
        s.y.push_back(m.value[i]);
    }
    return s;
}

Ema::Ema(double weight)
    : m_weight(std::clamp(weight, 0.0, 0.999))
{
}

double Ema::next(double v)
{
    if (m_weight <= 0 || !std::isfinite(v))
        return v;
    m_last = m_last * m_weight + (1 - m_weight) * v;
    m_power *= m_weight;
    return m_last / (1 - m_power);
}

void smooth(std::vector<double> &y, double weight)
{
    if (weight <= 0)
        return;
    Ema ema(weight);
    for (double &v : y)
        v = ema.next(v);
}

void keepPositive(Series &s)
{
    size_t out = 0;
    for (size_t i = 0; i < s.x.size(); ++i)
        if (s.y[i] > 0) {
            s.x[out] = s.x[i];
            s.y[out] = s.y[i];
            ++out;
        }
    s.x.resize(out);
    s.y.resize(out);
}

void Range::include(double v)
{
    if (!std::isfinite(v))
        return;
    if (!valid) {
        min = max = v;
        valid = true;
        return;
    }
    min = std::min(min, v);
    max = std::max(max, v);
}

void Range::include(const Range &other)
{
    if (other.valid) {
        include(other.min);
        include(other.max);
    }
}

Range xRange(const Series &s)
{
    Range r;
    for (double v : s.x)
        r.include(v);
    return r;
}

Range yRange(const Series &s)
{
    Range r;
    for (double v : s.y)
        r.include(v);
    return r;
}

Series prepare(const MetricSeries &series, XAxis axis, double smoothing, bool logY, double xMin, double xMax,
               int pixelColumns)
{
    Series s = project(series, axis);
    smooth(s.y, smoothing);
    if (logY)
        keepPositive(s);
    if (s.x.empty() || pixelColumns <= 0)
        return {};
    // A bucket's width beyond each edge, so lines run to the plot's border when zoomed in.
    const double margin = xMax > xMin ? (xMax - xMin) / pixelColumns : 0;
    return decimateMinMax(s.x.data(), s.y.data(), s.x.size(), xMin - margin, xMax + margin, pixelColumns + 2);
}

void ProjectedLine::setOptions(XAxis axis, double smoothing, bool logY)
{
    if (axis == m_axis && smoothing == m_smoothing && logY == m_logY)
        return;
    m_axis = axis;
    m_smoothing = smoothing;
    m_logY = logY;
    clear();
}

void ProjectedLine::clear()
{
    m_source = nullptr;
    m_consumed = 0;
    m_haveFirstWall = false;
    m_ema = Ema(m_smoothing);
    m_points = {};
    m_x = {};
    m_y = {};
    m_sorted = true;
}

void ProjectedLine::take(double x, double y)
{
    const double smoothed = m_ema.next(y);
    // A log axis cannot show 0 or below; the EMA still sees the value, as without log scale.
    if (m_logY && !(smoothed > 0))
        return;
    if (!m_points.x.empty() && x < m_points.x.back())
        m_sorted = false;
    m_points.x.push_back(x);
    m_points.y.push_back(smoothed);
    m_x.include(x);
    m_y.include(smoothed);
}

size_t ProjectedLine::update(const MetricSeries &series)
{
    // A different series object, a reload (new revision) or a shorter series: start over.
    if (m_source != &series || m_revision != series.revision || series.size() < m_consumed) {
        clear();
        m_source = &series;
        m_revision = series.revision;
    }
    const size_t before = size();
    const size_t n = series.size();
    if (m_consumed == 0) {
        // A whole series at once, with room for the live points that follow: growing from an
        // exact fit copies every line's points in the first frame of streaming (~2 ms for 64).
        m_points.x.reserve(n + n / 4 + 64);
        m_points.y.reserve(n + n / 4 + 64);
    }
    for (size_t i = m_consumed; i < n; ++i) {
        if (m_axis == XAxis::Step) {
            take(series.step[i], series.value[i]);
            continue;
        }
        // Time axes need a wall time: points without one are left out there.
        const double w = series.wallTime[i];
        if (std::isnan(w))
            continue;
        if (!m_haveFirstWall) {
            m_firstWall = w;
            m_haveFirstWall = true;
        }
        take(m_axis == XAxis::RelativeTime ? w - m_firstWall : w * 1000.0, series.value[i]);
    }
    m_consumed = n;
    return before;
}

} // namespace og::chartdata
