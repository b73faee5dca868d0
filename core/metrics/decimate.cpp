// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/decimate.h"

#include <algorithm>
#include <limits>
#include <thread>

namespace og {

namespace {
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
// Below this a thread costs more than it saves (~50 µs to start one vs ~1 ns a point).
constexpr std::size_t kPointsPerThread = 1'000'000;
constexpr unsigned kMaxThreads = 4;

struct Bucket
{
    double lo = 0;
    double hi = 0;
    std::size_t iLo = kNone;
    std::size_t iHi = kNone;
};

// Folds `run` (points of one bucket seen in a row) into the bucket. Everything stored came
// from smaller indices, so on a tie the stored point stays: the first of equal extremes.
void flush(const Bucket &run, Bucket &b)
{
    if (b.iLo == kNone) {
        b = run;
        return;
    }
    if (run.lo < b.lo) {
        b.lo = run.lo;
        b.iLo = run.iLo;
    }
    if (run.hi > b.hi) {
        b.hi = run.hi;
        b.iHi = run.iHi;
    }
}

void scan(const double *x, const double *y, std::size_t begin, std::size_t end, double xMin,
          double xMax, double scale, std::size_t last, Bucket *buckets)
{
    const auto lastAsDouble = double(last);
    // The extremes of the current run of points in one bucket stay in registers; the bucket
    // array is touched once per run (once per bucket when x is sorted, as steps and times are).
    std::size_t current = kNone;
    Bucket run;
    for (std::size_t i = begin; i < end; ++i) {
        const double xi = x[i];
        const double yi = y[i];
        // Also false for a NaN x; `yi != yi` is a NaN y, which no comparison could place.
        if (!(xi >= xMin && xi <= xMax) || yi != yi) [[unlikely]]
            continue;
        // Compared as a double first: converting NaN or a value past the range (a range so
        // narrow that `scale` overflowed) to an integer is undefined.
        const double position = (xi - xMin) * scale;
        const std::size_t index = position < lastAsDouble ? std::size_t(position) : last;
        if (index != current) [[unlikely]] {
            if (current != kNone)
                flush(run, buckets[current]);
            current = index;
            run = {yi, yi, i, i};
            continue;
        }
        // Strict comparisons: the first of equal extremes stays.
        if (yi < run.lo) {
            run.lo = yi;
            run.iLo = i;
        }
        if (yi > run.hi) {
            run.hi = yi;
            run.iHi = i;
        }
    }
    if (current != kNone)
        flush(run, buckets[current]);
}
} // namespace

Series decimateMinMax(const double *x, const double *y, std::size_t n, double xMin, double xMax,
                      int buckets)
{
    Series out;
    if (n == 0 || buckets <= 0 || !(xMin <= xMax))
        return out;
    const std::size_t count = xMin == xMax ? 1 : std::size_t(buckets);
    const double scale = xMin == xMax ? 0.0 : double(count) / (xMax - xMin);
    const std::size_t last = count - 1;

    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const auto parts =
        unsigned(std::clamp<std::size_t>(n / kPointsPerThread, 1, std::min(hardware, kMaxThreads)));
    std::vector<Bucket> result(count);
    if (parts == 1) {
        scan(x, y, 0, n, xMin, xMax, scale, last, result.data());
    } else {
        // Each part fills its own buckets; merging in index order keeps "first of equals".
        std::vector<std::vector<Bucket>> partial(parts - 1, std::vector<Bucket>(count));
        std::vector<std::jthread> threads;
        const std::size_t step = n / parts;
        for (unsigned p = 1; p < parts; ++p) {
            const std::size_t begin = p * step;
            const std::size_t end = p + 1 == parts ? n : begin + step;
            threads.emplace_back(scan, x, y, begin, end, xMin, xMax, scale, last,
                                 partial[p - 1].data());
        }
        scan(x, y, 0, step, xMin, xMax, scale, last, result.data());
        threads.clear(); // joins
        for (const auto &part : partial)
            for (std::size_t i = 0; i < count; ++i)
                if (part[i].iLo != kNone)
                    flush(part[i], result[i]);
    }

    out.x.reserve(2 * count);
    out.y.reserve(2 * count);
    for (const Bucket &b : result) {
        if (b.iLo == kNone)
            continue;
        std::size_t first = b.iLo;
        std::size_t second = b.iHi;
        if (x[second] < x[first] || (x[second] == x[first] && second < first))
            std::swap(first, second);
        out.x.push_back(x[first]);
        out.y.push_back(y[first]);
        if (second != first) {
            out.x.push_back(x[second]);
            out.y.push_back(y[second]);
        }
    }
    return out;
}

} // namespace og
