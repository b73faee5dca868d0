// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <vector>

namespace og {

// Points of a chart series as parallel arrays (what QXYSeries::replace() takes apart anyway).
struct Series
{
    std::vector<double> x;
    std::vector<double> y;
};

// Reduces a series to at most two points per bucket, for drawing: [xMin, xMax] is cut into
// `buckets` equal-width buckets (one per pixel column), and each bucket keeps its lowest and its
// highest point — the first of them where several tie — in x order (one point where they are
// the same). A line through the result covers every pixel the full series would, so no spike
// is ever lost, while the work for the chart stays ≤ 2 × buckets points.
//
// x need not be sorted; the output is in bucket order, so it is sorted when x is. Points with
// x outside [xMin, xMax] and points with a NaN x or y are left out (±inf y is kept). Pass the
// visible range widened by a bucket on each side when lines should run to the plot's edges.
// Nothing comes back when n or buckets is 0 or xMin > xMax; xMin == xMax is one bucket.
// Large inputs are split over up to 4 threads (the result is the same as with one).
Series decimateMinMax(const double *x, const double *y, std::size_t n, double xMin, double xMax,
                      int buckets);

} // namespace og
