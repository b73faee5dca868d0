// SPDX-License-Identifier: GPL-3.0-or-later
// Metric pipeline figures: min/max decimation of a 10,000,000-point series to 2,000 buckets
// (target ≤ 50 ms on the 2-core reference machine; median of 5 runs), and the JSON-lines
// reader's parse rate (target ≥ 2 million points/s), both forms, from a file in the page cache.
//
//     decimate_bench [POINTS] [BUCKETS]
//
// A measurement, not a test: it exits 0 whenever it ran, target met or not, and non-zero only
// when a result is wrong (a spike lost, points missing).
#include "core/metrics/decimate.h"
#include "core/metrics/jsonlinesmetricsreader.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

namespace {
constexpr int kRuns = 5;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int benchDecimate(std::size_t n, int buckets)
{
    // A training-loss curve: decay, noise, and rare spikes that must survive.
    std::vector<double> x(n), y(n);
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0.0, 0.01);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = double(i);
        y[i] = 2.0 / (1.0 + double(i) * 1e-6) + noise(rng);
    }
    std::vector<std::size_t> spikes;
    std::uniform_int_distribution<std::size_t> where(0, n - 1);
    for (int s = 0; s < 50; ++s) {
        const std::size_t i = where(rng);
        y[i] = (s % 2 ? 100.0 : -100.0) - s; // distinct, so each can be looked for
        spikes.push_back(i);
    }

    og::Series out = og::decimateMinMax(x.data(), y.data(), n, 0, double(n - 1), buckets); // warm
    std::vector<double> ms;
    for (int r = 0; r < kRuns; ++r) {
        QElapsedTimer t;
        t.start();
        out = og::decimateMinMax(x.data(), y.data(), n, 0, double(n - 1), buckets);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    for (const std::size_t i : spikes) {
        if (std::find(out.y.begin(), out.y.end(), y[i]) == out.y.end()) {
            std::fprintf(stderr, "FAIL: the spike at x=%zu was lost\n", i);
            return 1;
        }
    }
    if (out.x.size() > 2 * std::size_t(buckets) || !std::is_sorted(out.x.begin(), out.x.end())) {
        std::fprintf(stderr, "FAIL: %zu points out, or not in x order\n", out.x.size());
        return 1;
    }
    std::printf("decimate: %zu points -> %d buckets (%zu points out), %u hardware threads: "
                "median %.1f ms, min %.1f ms of %d runs (target <= 50 ms)\n",
                n, buckets, out.x.size(), std::thread::hardware_concurrency(), median(ms),
                *std::min_element(ms.begin(), ms.end()), kRuns);
    return 0;
}

int benchJsonLines(const QString &path, const char *form, const QByteArray &bytes,
                   qsizetype expectedPoints)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return 2;
    }
    f.close();
    std::vector<double> rates;
    for (int r = 0; r < kRuns + 1; ++r) { // the first run warms the page cache
        og::JsonLinesMetricsReader reader(path);
        QElapsedTimer t;
        t.start();
        const QList<og::MetricPoint> points = reader.readAvailable();
        const double s = double(t.nsecsElapsed()) / 1e9;
        if (points.size() != expectedPoints || !reader.takeProblems().isEmpty()) {
            std::fprintf(stderr, "FAIL: %lld points, expected %lld\n", qint64(points.size()),
                         qint64(expectedPoints));
            return 1;
        }
        if (r > 0)
            rates.push_back(double(points.size()) / s);
    }
    std::printf("jsonl %-9s: %lld points, %.1f MB: median %.2f M points/s, best %.2f M points/s "
                "(target >= 2 M/s)\n",
                form, qint64(expectedPoints), double(bytes.size()) / 1e6, median(rates) / 1e6,
                *std::max_element(rates.begin(), rates.end()) / 1e6);
    return 0;
}
} // namespace

int main(int argc, char **argv)
{
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    const int buckets = argc > 2 ? std::atoi(argv[2]) : 2000;
    if (n < 2 || buckets < 1) {
        std::fprintf(stderr, "usage: decimate_bench [POINTS >= 2] [BUCKETS >= 1]\n");
        return 2;
    }
    if (const int rc = benchDecimate(n, buckets))
        return rc;

    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot make a temporary directory\n");
        return 2;
    }
    // What a training script writes: Python's json.dumps of floats (17 significant digits).
    constexpr int kLines = 500'000;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    QByteArray flat, keyed;
    for (int i = 0; i < kLines; ++i) {
        const QByteArray step = QByteArray::number(i);
        flat += "{\"step\": " + step + ", \"train_loss\": " + QByteArray::number(u(rng), 'g', 17) +
                ", \"valid_acc\": " + QByteArray::number(u(rng), 'g', 17) + ", \"lr\": 0.001}\n";
        keyed += "{\"key\": \"train_loss\", \"value\": " + QByteArray::number(u(rng), 'g', 17) +
                 ", \"step\": " + step + ", \"time\": 1700000000." + QByteArray::number(i % 1000) +
                 "}\n";
    }
    if (const int rc = benchJsonLines(dir.filePath("flat.jsonl"), "flat", flat, 3 * kLines))
        return rc;
    return benchJsonLines(dir.filePath("keyed.jsonl"), "key/value", keyed, kLines);
}
