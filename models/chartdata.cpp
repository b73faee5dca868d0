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

void smooth(std::vector<double> &y, double weight)
{
    if (weight <= 0)
        return;
    weight = std::min(weight, 0.999);
    double last = 0;
    int count = 0;
    for (double &v : y) {
        if (!std::isfinite(v))
            continue;
        last = last * weight + (1 - weight) * v;
        ++count;
        v = last / (1 - std::pow(weight, count));
    }
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

} // namespace og::chartdata
