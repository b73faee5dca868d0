// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/decimate.h"
#include "server/metrics/seriesdecimation.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using og::Series;

namespace {
// The rule written the slow, obvious way: per bucket, the first lowest and first highest point.
Series reference(const std::vector<double> &x, const std::vector<double> &y, double xMin,
                 double xMax, int buckets)
{
    Series out;
    if (x.empty() || buckets <= 0 || !(xMin <= xMax))
        return out;
    const std::size_t count = xMin == xMax ? 1 : std::size_t(buckets);
    const double scale = xMin == xMax ? 0.0 : double(count) / (xMax - xMin);
    std::vector<std::vector<std::size_t>> members(count);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i]) || std::isnan(y[i]) || x[i] < xMin || x[i] > xMax)
            continue;
        members[std::min(std::size_t((x[i] - xMin) * scale), count - 1)].push_back(i);
    }
    for (const auto &m : members) {
        if (m.empty())
            continue;
        std::size_t lo = m[0], hi = m[0];
        for (const std::size_t i : m) {
            if (y[i] < y[lo])
                lo = i;
            if (y[i] > y[hi])
                hi = i;
        }
        std::vector<std::size_t> pick = {lo};
        if (hi != lo)
            pick.push_back(hi);
        std::sort(pick.begin(), pick.end(), [&x](std::size_t a, std::size_t b) {
            return x[a] < x[b] || (x[a] == x[b] && a < b);
        });
        for (const std::size_t i : pick) {
            out.x.push_back(x[i]);
            out.y.push_back(y[i]);
        }
    }
    return out;
}

Series decimate(const std::vector<double> &x, const std::vector<double> &y, double xMin,
                double xMax, int buckets)
{
    return og::decimateMinMax(x.data(), y.data(), x.size(), xMin, xMax, buckets);
}

bool same(const Series &a, const Series &b)
{
    auto eq = [](const std::vector<double> &u, const std::vector<double> &v) {
        return std::equal(u.begin(), u.end(), v.begin(), v.end(), [](double p, double q) {
            return p == q || (std::isnan(p) && std::isnan(q));
        });
    };
    return eq(a.x, b.x) && eq(a.y, b.y);
}
} // namespace

class TestMetricDecimate final : public QObject
{
    Q_OBJECT

private slots:
    void edgeCases();
    void keepsFirstMinAndMaxInXOrder();
    void spikesAreNeverLost();
    void matchesReference_data();
    void matchesReference();
    void nanAndOutOfRangeLeftOut();
    void queryAnswerKeepsEachPointsWallTime();
};

void TestMetricDecimate::edgeCases()
{
    const std::vector<double> x = {0, 1, 2}, y = {5, 6, 7};
    QVERIFY(decimate({}, {}, 0, 1, 10).x.empty());
    QVERIFY(decimate(x, y, 0, 2, 0).x.empty());
    QVERIFY(decimate(x, y, 0, 2, -3).x.empty());
    QVERIFY(decimate(x, y, 2, 0, 10).x.empty());
    QVERIFY(decimate(x, y, std::nan(""), 2, 10).x.empty());
    // One point.
    Series one = og::decimateMinMax(x.data(), y.data(), 1, 0, 10, 4);
    QCOMPARE(one.x, std::vector<double>({0}));
    QCOMPARE(one.y, std::vector<double>({5}));
    // xMin == xMax: one bucket holding the points at that x.
    const std::vector<double> sameX = {3, 3, 4, 3}, sameY = {1, 9, 100, -1};
    Series pinned = decimate(sameX, sameY, 3, 3, 100);
    QCOMPARE(pinned.x, std::vector<double>({3, 3}));
    QCOMPARE(pinned.y, std::vector<double>({9, -1}));
    // A range so narrow that buckets/(xMax - xMin) overflows still works.
    const std::vector<double> tinyX = {0, 1e-320}, tinyY = {1, 2};
    Series tiny = decimate(tinyX, tinyY, 0, 1e-320, 10);
    QCOMPARE(tiny.y, std::vector<double>({1, 2}));
    // x == xMax belongs to the last bucket; fewer points than buckets pass through unchanged.
    Series all = decimate(x, y, 0, 2, 1000);
    QCOMPARE(all.x, x);
    QCOMPARE(all.y, y);
}

void TestMetricDecimate::keepsFirstMinAndMaxInXOrder()
{
    // Two buckets of width 5: [0,5) and [5,10].
    const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const std::vector<double> y = {3, 7, 1, 7, 1, 2, 2, 2, 9, 0, 9};
    const Series s = decimate(x, y, 0, 10, 2);
    // Bucket 1: min 1 first at x=2, max 7 first at x=1 -> (1,7), (2,1).
    // Bucket 2: min 0 at x=9, max 9 first at x=8 -> (8,9), (9,0).
    QCOMPARE(s.x, std::vector<double>({1, 2, 8, 9}));
    QCOMPARE(s.y, std::vector<double>({7, 1, 9, 0}));
    // A flat bucket gives one point (the first).
    const std::vector<double> fx = {0, 1, 2}, fy = {4, 4, 4};
    const Series flat = decimate(fx, fy, 0, 2, 1);
    QCOMPARE(flat.x, std::vector<double>({0}));
    QCOMPARE(flat.y, std::vector<double>({4}));
}

void TestMetricDecimate::spikesAreNeverLost()
{
    constexpr std::size_t n = 2'000'000; // past one thread's share, so the merge is covered
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = double(i);
        y[i] = 1.0 / (1.0 + double(i) * 1e-5);
    }
    const std::vector<std::size_t> spikes = {0,         17,        999'999, 1'000'000,
                                             1'000'001, 1'234'567, n - 1};
    for (std::size_t k = 0; k < spikes.size(); ++k)
        y[spikes[k]] = k % 2 ? 1e6 + double(k) : -1e6 - double(k);
    const int buckets = 800;
    const Series s = decimate(x, y, 0, double(n - 1), buckets);
    QVERIFY(s.x.size() <= 2 * std::size_t(buckets));
    QVERIFY(std::is_sorted(s.x.begin(), s.x.end()));
    for (const std::size_t i : spikes) {
        const auto at = std::find(s.x.begin(), s.x.end(), x[i]);
        QVERIFY2(at != s.x.end(), qPrintable(QStringLiteral("spike at %1 lost").arg(i)));
        QCOMPARE(s.y[std::size_t(at - s.x.begin())], y[i]);
    }
}

void TestMetricDecimate::matchesReference_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<bool>("sorted");
    QTest::addColumn<bool>("coarse"); // few distinct y values: many ties
    QTest::newRow("small sorted") << 1000 << 37 << true << false;
    QTest::newRow("small unsorted") << 1000 << 37 << false << false;
    QTest::newRow("ties sorted") << 5000 << 50 << true << true;
    QTest::newRow("ties unsorted") << 5000 << 50 << false << true;
    QTest::newRow("threads sorted ties") << 3'500'000 << 2000 << true << true;
    QTest::newRow("threads unsorted ties") << 3'500'000 << 333 << false << true;
    QTest::newRow("more buckets than points") << 100 << 1000 << false << false;
}

void TestMetricDecimate::matchesReference()
{
    QFETCH(int, n);
    QFETCH(int, buckets);
    QFETCH(bool, sorted);
    QFETCH(bool, coarse);
    std::mt19937_64 rng(1234);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::uniform_int_distribution<int> small(0, 3);
    const auto count = static_cast<std::size_t>(n);
    std::vector<double> x(count), y(count);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = sorted ? double(i) * 0.5 : std::floor((u(rng) + 1.0) * double(n) * 0.25);
        y[i] = coarse ? double(small(rng)) : u(rng);
    }
    const double xMin = 10, xMax = double(n) * 0.5 - 10; // some points outside on both sides
    const Series got = decimate(x, y, xMin, xMax, buckets);
    const Series want = reference(x, y, xMin, xMax, buckets);
    QVERIFY(!want.x.empty());
    QCOMPARE(got.x.size(), want.x.size());
    QVERIFY(same(got, want));
}

void TestMetricDecimate::nanAndOutOfRangeLeftOut()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> x = {-1, 0, 1, nan, 2, 3, 4, 5};
    const std::vector<double> y = {-50, nan, 2, -99, inf, 1, 3, 99};
    const Series s = decimate(x, y, 0, 4, 2);
    // [0,2): points x=1 (x=0 has a NaN y); [2,4]: x=2 (inf), 3, 4 -> min at 3, max at 2.
    QCOMPARE(s.x, std::vector<double>({1, 2, 3}));
    QCOMPARE(s.y, std::vector<double>({2, inf, 1}));
    QVERIFY(same(s, reference(x, y, 0, 4, 2)));
}

QTEST_APPLESS_MAIN(TestMetricDecimate)
#include "test_metricdecimate.moc"

// gridd's decimated metrics answer: the same points as decimateMinMax, each with the wall time
// it was stored with — also where a step was stored twice (the older SQL store keeps both).
void TestMetricDecimate::queryAnswerKeepsEachPointsWallTime()
{
    og::metricseries::Columns series;
    for (int i = 0; i < 100'000; ++i) {
        series.steps.push_back(i);
        series.values.push_back(i == 31'337 ? 1e9 : std::sin(i / 50.0));
        series.wallTimes.push_back(1.7e9 + i * 0.25);
    }
    const og::metricseries::Columns d = og::metricseries::decimate(series, 500);
    const Series plain = decimate(series.steps, series.values, 0, 99'999, 500);
    QCOMPARE(d.steps, plain.x);
    QCOMPARE(d.values, plain.y);
    QCOMPARE(d.wallTimes.size(), d.steps.size());
    for (size_t i = 0; i < d.steps.size(); ++i)
        QCOMPARE(d.wallTimes[i], 1.7e9 + d.steps[i] * 0.25);
    QVERIFY(std::find(d.values.begin(), d.values.end(), 1e9) != d.values.end());

    // Step 2 twice: the kept one is told apart by its value.
    og::metricseries::Columns twice{{0, 1, 2, 2, 3, 4}, {10, 11, 12, 13, 14, 15}, {5, 5, -7, 8, 5, 5}};
    const og::metricseries::Columns t = og::metricseries::decimate(twice, 1);
    QCOMPARE(t.values, (std::vector<double>{-7, 8}));
    QCOMPARE(t.wallTimes, (std::vector<double>{12, 13}));
    QVERIFY(og::metricseries::decimate({}, 10).steps.empty());
}
