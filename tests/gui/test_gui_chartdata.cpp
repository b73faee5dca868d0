// SPDX-License-Identifier: GPL-3.0-or-later
// What a metric chart draws: projection onto the x axis modes, smoothing, log-scale cut and the
// per-pixel-column min/max reduction that keeps every spike.
#include "models/chartdata.h"

#include <QTest>

#include <cmath>

using namespace og;
using namespace og::chartdata;

namespace {
MetricSeries ramp(int n, double wallStart)
{
    MetricSeries m;
    for (int i = 0; i < n; ++i)
        m.append({double(i), double(i % 7), wallStart + i * 0.5});
    return m;
}
} // namespace

class TestGuiChartData final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void projectsOntoEachAxis()
    {
        const MetricSeries m = ramp(4, 1000.0);
        QCOMPARE(project(m, XAxis::Step).x, (std::vector<double>{0, 1, 2, 3}));
        QCOMPARE(project(m, XAxis::RelativeTime).x, (std::vector<double>{0, 0.5, 1.0, 1.5}));
        QCOMPARE(project(m, XAxis::WallTime).x.front(), 1000.0 * 1000.0);
    }

    void timeAxesLeaveOutPointsWithoutWallTime()
    {
        MetricSeries m;
        m.append({0, 1, std::nan("")}); // from a decimated load
        m.append({1, 2, 50.0});
        m.append({2, 3, 52.0});
        const Series s = project(m, XAxis::RelativeTime);
        QCOMPARE(s.x, (std::vector<double>{0, 2}));
        QCOMPARE(s.y, (std::vector<double>{2, 3}));
        QCOMPARE(project(m, XAxis::Step).x.size(), size_t(3));
    }

    void smoothingIsDebiasedAndOffAtZero()
    {
        std::vector<double> y{10, 10, 10};
        smooth(y, 0.9);
        for (double v : y)
            QVERIFY(std::abs(v - 10) < 1e-9); // a constant stays where it is: no pull towards 0
        std::vector<double> step{0, 0, 0, 10, 10};
        const std::vector<double> raw = step;
        smooth(step, 0);
        QCOMPARE(step, raw);
        smooth(step, 0.5);
        QVERIFY(step[3] > 0 && step[3] < 10); // a jump is softened
        std::vector<double> withNan{1, std::nan(""), 1};
        smooth(withNan, 0.5);
        QCOMPARE(withNan[2], 1.0);
    }

    void logScaleDropsNonPositiveValues()
    {
        Series s{{0, 1, 2, 3}, {1, 0, -1, 5}};
        keepPositive(s);
        QCOMPARE(s.x, (std::vector<double>{0, 3}));
        QCOMPARE(s.y, (std::vector<double>{1, 5}));
    }

    void preparedSeriesKeepsSpikesWithinTheBudget()
    {
        MetricSeries m;
        for (int i = 0; i < 1'000'000; ++i)
            m.append({double(i), i == 654'321 ? 1e6 : (i == 123'456 ? -1e6 : 1.0), double(i)});
        const Series s = prepare(m, XAxis::Step, 0, false, 0, 999'999, 800);
        QVERIFY(s.x.size() <= 2 * (800 + 2));
        const Range y = yRange(s);
        QCOMPARE(y.max, 1e6);
        QCOMPARE(y.min, -1e6);
        // Zoomed in: only the visible part (and one bucket beyond each edge) remains.
        const Series zoomed = prepare(m, XAxis::Step, 0, false, 1000, 2000, 100);
        const Range x = xRange(zoomed);
        QVERIFY(x.min >= 1000 - 10 - 1e-9 && x.max <= 2000 + 10 + 1e-9);
        QCOMPARE(yRange(zoomed).max, 1.0);
    }

    void emptyInputGivesNothing()
    {
        QVERIFY(prepare(MetricSeries{}, XAxis::Step, 0.5, true, 0, 1, 100).x.empty());
        QVERIFY(!xRange(Series{}).valid);
    }
};

QTEST_APPLESS_MAIN(TestGuiChartData)
#include "test_gui_chartdata.moc"
