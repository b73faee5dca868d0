// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/sweeprandom.h"

#include <algorithm>
#include <cmath>

namespace og {

quint64 SweepRandom::below(quint64 n)
{
    Q_ASSERT(n > 0);
    // Reject the 2^64 mod n lowest outputs so every residue is equally likely.
    const quint64 threshold = (0 - n) % n;
    for (;;) {
        const quint64 r = m_engine();
        if (r >= threshold)
            return r % n;
    }
}

double SweepRandom::uniform(double low, double high)
{
    const double x = low + (high - low) * unit();
    // Rounding can land exactly on `high`; keep the interval half-open as promised.
    if (low < high && x >= high)
        return std::nextafter(high, low);
    if (low > high && x <= high)
        return std::nextafter(high, low);
    return x;
}

double SweepRandom::logUniform(double low, double high)
{
    const double x = std::exp(std::log(low) + (std::log(high) - std::log(low)) * unit());
    const double lo = std::min(low, high);
    const double hi = std::max(low, high);
    if (low == high)
        return low;
    const double clamped = std::clamp(x, lo, hi);
    // Half-open towards `high`, like uniform().
    if (clamped == high)
        return std::nextafter(high, low);
    return clamped;
}

double SweepRandom::normal(double mean, double stddev)
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return mean + stddev * m_spare;
    }
    double x = 0;
    double y = 0;
    double s = 0;
    do {
        x = 2 * unit() - 1;
        y = 2 * unit() - 1;
        s = x * x + y * y;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    m_spare = y * f;
    m_hasSpare = true;
    return mean + stddev * x * f;
}

} // namespace og
