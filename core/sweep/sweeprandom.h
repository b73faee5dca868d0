// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <random>

namespace og {

// Sampling on top of std::mt19937_64, whose output the C++ standard fixes. The standard's
// distributions are not fixed (libstdc++ and libc++ give different numbers), so the transforms
// are written out here: the same seed gives the same sweep with any compiler or platform.
// Numbers are not numpy's; only the distributions are.
class SweepRandom final
{
public:
    explicit SweepRandom(quint64 seed)
        : m_engine(seed)
    {
    }

    quint64 next() { return m_engine(); }
    // [0, 1) with 53 random bits (numpy's random_standard_uniform does the same).
    double unit() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    // Unbiased integer in [0, n); n > 0.
    quint64 below(quint64 n);
    // [low, high) for low < high; (high, low] for low > high, as numpy.
    double uniform(double low, double high);
    // exp(uniform(log low, log high)), kept within the bounds; low, high > 0.
    double logUniform(double low, double high);
    // Marsaglia's polar method; both values of a pair are used.
    double normal(double mean, double stddev);

private:
    std::mt19937_64 m_engine;
    double m_spare = 0;
    bool m_hasSpare = false;
};

} // namespace og
