// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metrics/seriesdecimation.h"

#include "core/metrics/decimate.h"

#include <algorithm>

namespace og::metricseries {

Columns decimate(const Columns &series, int buckets)
{
    Columns out;
    const std::vector<double> &steps = series.steps;
    if (steps.empty() || buckets <= 0)
        return out;
    const Series kept = decimateMinMax(steps.data(), series.values.data(), steps.size(), steps.front(), steps.back(), buckets);
    out.steps = kept.x;
    out.values = kept.y;
    out.wallTimes.reserve(kept.x.size());
    // Each kept point is one of the series': found again by its step (a binary search, the
    // series being in step order), then among equal steps by its value.
    for (size_t i = 0; i < kept.x.size(); ++i) {
        auto at = std::lower_bound(steps.begin(), steps.end(), kept.x[i]);
        auto index = size_t(at - steps.begin());
        for (size_t j = index; j < steps.size() && steps[j] == kept.x[i]; ++j)
            if (series.values[j] == kept.y[i]) {
                index = j;
                break;
            }
        out.wallTimes.push_back(index < steps.size() ? series.wallTimes[index] : 0);
    }
    return out;
}

} // namespace og::metricseries
