// SPDX-License-Identifier: GPL-3.0-or-later
// What a metric chart draws: projection onto the x axis modes, smoothing, log-scale cut, the
// per-pixel-column min/max reduction that keeps every spike, the axes' round tick marks, the
// hover read-out, and the chart itself taking live points without a reload.
#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "models/chartdata.h"
#include "widgets/chartspanel.h"
#include "widgets/metricchart.h"
#include "widgets/plot/axisticks.h"
#include "widgets/plot/linelayer.h"
#include "widgets/plot/plotinteraction.h"

#include <QDateTime>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace og;
using namespace og::chartdata;

namespace {
using plot::AxisTicks;
using plot::Tick;

QList<double> values(const QList<Tick> &ticks)
{
    QList<double> v;
    for (const Tick &t : ticks)
        v.append(t.value);
    return v;
}

QStringList labels(const QList<Tick> &ticks)
{
    QStringList l;
    for (const Tick &t : ticks)
        l.append(t.label);
    return l;
}

bool near(const QList<double> &a, const QList<double> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > 1e-9 * std::max(1.0, std::abs(b[i])))
            return false;
    return true;
}

// Every tick a whole multiple of one step of 1, 2 or 5 × 10^k.
bool isNice(const QList<Tick> &ticks)
{
    if (ticks.size() < 2)
        return true;
    const double step = ticks[1].value - ticks[0].value;
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    if (std::abs(mantissa - 1) > 1e-6 && std::abs(mantissa - 2) > 1e-6 && std::abs(mantissa - 5) > 1e-6)
        return false;
    for (const Tick &t : ticks)
        if (std::abs(t.value / step - std::round(t.value / step)) > 1e-6)
            return false;
    return true;
}

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

    void projectedLineGrowsAsTheSeriesDoes()
    {
        // Point by point as the series grows gives what projecting it whole gives.
        MetricSeries m = ramp(10, 500.0);
        ProjectedLine line;
        line.setOptions(XAxis::RelativeTime, 0.7, false);
        QCOMPARE(line.update(m), size_t(0));
        for (int i = 10; i < 25; ++i)
            m.append({double(i), double(i % 5) + 0.5, 500.0 + i * 0.5});
        QCOMPARE(line.update(m), size_t(10)); // the new points start at 10
        QCOMPARE(line.update(m), size_t(25)); // nothing new
        Series whole = project(m, XAxis::RelativeTime);
        smooth(whole.y, 0.7);
        QCOMPARE(line.points().x, whole.x);
        for (size_t i = 0; i < whole.y.size(); ++i)
            QVERIFY(std::abs(line.points().y[i] - whole.y[i]) < 1e-12);
        QCOMPARE(line.xRange().max, 12.0);
        // A reload replaces the points (a new revision): projected anew from the start.
        m.revision++;
        QCOMPARE(line.update(m), size_t(0));
        QCOMPARE(line.size(), size_t(25));
    }

    void logScaleLineDropsNonPositiveValues()
    {
        MetricSeries m;
        for (double v : {1.0, 0.0, -2.0, 5.0, std::nan(""), 1e-3})
            m.append({double(m.size()), v, 0});
        ProjectedLine line;
        line.setOptions(XAxis::Step, 0, true);
        line.update(m);
        QCOMPARE(line.points().x, (std::vector<double>{0, 3, 5}));
        QCOMPARE(line.points().y, (std::vector<double>{1, 5, 1e-3}));
        QCOMPARE(line.yRange().min, 1e-3);
    }

    void ticksAreRoundNumbers()
    {
        const QList<Tick> a = AxisTicks::linear(0, 2.77705, 6);
        QVERIFY(near(values(a), {0, 0.5, 1, 1.5, 2, 2.5}));
        QCOMPARE(labels(a), (QStringList{"0.0", "0.5", "1.0", "1.5", "2.0", "2.5"}));
        const QList<Tick> b = AxisTicks::linear(-0.11, 0.9, 6);
        QVERIFY(near(values(b), {0, 0.2, 0.4, 0.6, 0.8}));
        QCOMPARE(b.first().label, QStringLiteral("0.0")); // not -1.3e-17
        const QList<Tick> c = AxisTicks::linear(0, 1'000'000, 5);
        QCOMPARE(labels(c), (QStringList{"0", "200k", "400k", "600k", "800k", "1M"}));
        QCOMPARE(labels(AxisTicks::linear(1e-5, 5e-5, 4)), (QStringList{"1e-5", "2e-5", "3e-5", "4e-5", "5e-5"}));
        for (const auto &[lo, hi] : {std::pair{0.0, 2.77705}, {-0.11, 0.9}, {3.3, 3.31}, {-1e6, 17.0}, {1e9, 1e9 + 3}, {0.1234, 97.5}})
            for (int n : {2, 5, 8}) {
                const QList<Tick> t = AxisTicks::linear(lo, hi, n);
                QVERIFY2(isNice(t), qPrintable(labels(t).join(u' ')));
                QVERIFY(!t.isEmpty() && t.size() <= n + 1);
                QVERIFY(t.first().value >= lo - 1e-9 && t.last().value <= hi + 1e-9);
                const QStringList l = labels(t);
                QCOMPARE(QSet<QString>(l.begin(), l.end()).size(), t.size()); // labels tell ticks apart
            }
        // A frame around 0.1 .. 2.4 ends on marks.
        double lo = 0.1, hi = 2.4;
        AxisTicks::expandToSteps(lo, hi, 6);
        QCOMPARE(lo, 0.0);
        QCOMPARE(hi, 2.5);
        lo = 0.02, hi = 3.4; // not out to -1 .. 4
        AxisTicks::expandToSteps(lo, hi, 6);
        QCOMPARE(lo, 0.0);
        QCOMPARE(hi, 3.5);
        lo = -0.04, hi = 2.68; // a loss dipping below zero: not out to -0.5
        AxisTicks::expandToSteps(lo, hi, 6);
        QVERIFY(near({lo, hi}, {-0.2, 2.8}));
    }

    void logTicksAreDecades()
    {
        const QList<Tick> wide = AxisTicks::logarithmic(1e-5, 1e3, 10);
        QVERIFY(near(values(wide), {1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1000}));
        QCOMPARE(labels(wide), (QStringList{"1e-5", "0.0001", "0.001", "0.01", "0.1", "1", "10", "100", "1000"}));
        // Fewer labels fit: every other decade.
        QVERIFY(near(values(AxisTicks::logarithmic(1e-5, 1e3, 5)), {1e-4, 1e-2, 1, 100}));
        // One or two decades leave room for 2 and 5.
        QVERIFY(near(values(AxisTicks::logarithmic(0.1, 10, 8)), {0.1, 0.2, 0.5, 1, 2, 5, 10}));
        double lo = 0.03, hi = 470;
        AxisTicks::expandToDecades(lo, hi);
        QVERIFY(near({lo, hi}, {0.01, 1000}));
        lo = 0.3, hi = 0.45;
        AxisTicks::expandToDecades(lo, hi);
        QVERIFY(near({lo, hi}, {0.2, 0.5}));
    }

    void timeTicksFollowTheClock()
    {
        QCOMPARE(labels(AxisTicks::duration(0, 3600, 6)), (QStringList{"0", "10 min", "20 min", "30 min", "40 min", "50 min", "1 h"}));
        QCOMPARE(labels(AxisTicks::duration(0, 150, 4)), (QStringList{"0", "1 min", "2 min"}));
        QCOMPARE(AxisTicks::durationText(5400, 60), QStringLiteral("1 h 30 min"));
        // Wall time: marks on whole local minutes, labelled as a clock.
        const QDateTime start(QDate(2026, 11, 26), QTime(14, 3, 17));
        const double t0 = double(start.toMSecsSinceEpoch());
        const QList<Tick> t = AxisTicks::wallTime(t0, t0 + 20 * 60 * 1000, 5);
        QCOMPARE(labels(t), (QStringList{"14:05", "14:10", "14:15", "14:20"}));
        for (const Tick &k : t)
            QCOMPARE(QDateTime::fromMSecsSinceEpoch(qint64(k.value)).time().second(), 0);
        const QList<Tick> days = AxisTicks::wallTime(t0, t0 + 5 * 86400e3, 6);
        QVERIFY(!days.isEmpty() && days.first().label.contains(u' ')); // "27 Nov", not 00:00
    }

    void reductionKeepsEveryColumnsMinAndMax()
    {
        Series s;
        for (int i = 0; i < 100'000; ++i) {
            s.x.push_back(i);
            s.y.push_back(i == 4242 ? 50.0 : (i == 77'777 ? -50.0 : std::sin(i / 100.0)));
        }
        plot::PlotScale scale{QRectF(0, 0, 500, 300), 0, 99'999, -60, 60, false};
        const Series r = plot::LineLayer::reduce(s, 0, s.x.size(), scale);
        QVERIFY(r.x.size() <= 2 * 502);
        QCOMPARE(*std::max_element(r.y.begin(), r.y.end()), 50.0);
        QCOMPARE(*std::min_element(r.y.begin(), r.y.end()), -50.0);
        QVERIFY(std::is_sorted(r.x.begin(), r.x.end()));
    }

    void zoomedBetweenTwoPointsTheLineStillCrosses()
    {
        // Two points far apart, the view zoomed in between them: nothing lies inside, yet the
        // line between them crosses the plot (at y = 50 in the middle).
        const Series s{{0, 100}, {0, 100}};
        const plot::PlotScale scale{QRectF(0, 0, 200, 100), 40, 60, 0, 100, false};
        for (bool antialias : {false, true}) {
            plot::LineLayer layer;
            layer.reset(QSize(200, 100), 1.0);
            layer.draw(s, true, 0, 2, scale, QPen(Qt::red, antialias ? 1.6 : 0), antialias);
            const QImage &image = layer.image();
            QVERIFY2(qRed(image.pixel(100, 50)) > 100, antialias ? "antialiased" : "column raster");
            QCOMPARE(qAlpha(image.pixel(100, 10)), 0); // and nothing far from it
            QVERIFY(qRed(image.pixel(1, 59)) > 100 || qRed(image.pixel(1, 60)) > 100); // runs to the left edge (y = 40)
        }
    }

    void hoverFindsTheNearestPoint()
    {
        const Series a{{0, 1, 2, 3}, {0, 10, 0, 10}};
        const Series b{{0, 1, 2, 3}, {5, 5, 5, 5}};
        const plot::PlotScale scale{QRectF(0, 0, 300, 100), 0, 3, 0, 10, false};
        std::vector<plot::LineRef> lines{{&a, true}, {&b, true}};
        // Near (1, 10) of a: pixel (100, 0).
        auto hit = plot::nearestPoint(lines, scale, QPointF(103, 4), 24);
        QVERIFY(hit);
        QCOMPARE(hit->line, 0);
        QCOMPARE(hit->x, 1.0);
        QCOMPARE(hit->y, 10.0);
        // Near b's (2, 5): pixel (200, 50).
        hit = plot::nearestPoint(lines, scale, QPointF(196, 52), 24);
        QVERIFY(hit && hit->line == 1 && hit->x == 2.0);
        QVERIFY(!plot::nearestPoint(lines, scale, QPointF(150, 25), 10)); // nothing within 10 px
        // The rubber band gives the data rectangle under it.
        const auto zoom = plot::rubberBandRect(scale, QPointF(100, 0), QPointF(200, 50));
        QVERIFY(zoom && zoom->xMin == 1 && zoom->xMax == 2 && zoom->yMin == 5 && zoom->yMax == 10);
        QVERIFY(!plot::rubberBandRect(scale, QPointF(100, 0), QPointF(102, 50))); // a click
    }

    void chartTakesLivePointsAndKeepsSpikes()
    {
        ApiClient api; // no platform: the data comes the way answers and events deliver it
        EventsClient events(&api);
        MetricStore store(&api, &events);
        const QString e0 = QStringLiteral("run-exp0"), e1 = QStringLiteral("run-exp1");
        store.watch(e0);
        store.watch(e1);
        metricsprotocol::SeriesAnswer loaded;
        for (int i = 0; i < 200'000; ++i)
            loaded.points.push_back({double(i), i == 123'457 ? 9.0 : 1.0 + (i % 10) * 0.01, 1000.0 + i});
        loaded.totalPoints = qint64(loaded.points.size());
        store.applyLoaded(e0, QStringLiteral("loss"), loaded);
        MetricChart chart(QStringLiteral("loss"), &store);
        chart.resize(700, 400);
        chart.setExperiments({e0, e1});
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.refresh();
        const Series *drawn = chart.drawnPoints(e0);
        QVERIFY(drawn && !drawn->x.empty());
        QVERIFY(drawn->x.size() <= 2 * size_t(chart.scale().area.width() + 3)); // min/max per column
        QCOMPARE(*std::max_element(drawn->y.begin(), drawn->y.end()), 9.0);  // the spike
        QCOMPARE(*std::min_element(drawn->y.begin(), drawn->y.end()), 1.0);
        QVERIFY(isNice(chart.frameLayout().yTicks));
        QVERIFY(isNice(chart.frameLayout().xTicks));
        QCOMPARE(chart.scale().xMin, 0.0);
        QCOMPARE(chart.scale().xMax, 200'000.0); // 199,999 rounded up to a round reach

        // Live points for the other experiment appear without a reload, drawn on top of what is
        // there (the ranges hold, so no full redraw).
        const int fullBefore = chart.fullRedraws();
        metricsprotocol::EventPoints live;
        live.experiment = e1;
        live.byKey[QStringLiteral("loss")] = {{100, 2.0, 1100}, {200, 3.0, 1200}, {300, 2.5, 1300}};
        store.addPoints(live);
        chart.markDirty(e1);
        QVERIFY(chart.isDirty());
        chart.refresh();
        // Steps 100..300 share one pixel column of a 200,000-step axis: its min and max remain.
        QCOMPARE(chart.drawnPoints(e1)->x, (std::vector<double>{100, 200}));
        QCOMPARE(chart.drawnPoints(e1)->y, (std::vector<double>{2.0, 3.0}));
        QCOMPARE(chart.fullRedraws(), fullBefore);
        live.byKey[QStringLiteral("loss")] = {{400, 2.0, 1400}};
        store.addPoints(live);
        chart.markDirty(e1);
        chart.refresh();
        QCOMPARE(chart.drawnPoints(e1)->x.back(), 400.0);
        QCOMPARE(chart.fullRedraws(), fullBefore);
        // A value above the frame grows the y range: everything is laid out again.
        live.byKey[QStringLiteral("loss")] = {{500, 40.0, 1500}};
        store.addPoints(live);
        chart.markDirty(e1);
        chart.refresh();
        QCOMPARE(chart.fullRedraws(), fullBefore + 1);
        QVERIFY(chart.scale().yMax >= 40);

        // A point past the x reach makes a full redraw; with no time budget it is done a line
        // a frame, while the chart on screen stays as it was until every line is in.
        live.byKey[QStringLiteral("loss")] = {{250'000, 2.0, 1600}};
        store.addPoints(live);
        chart.markDirty(e1);
        chart.refresh(0);
        QVERIFY(chart.isRedrawing());
        QVERIFY(chart.isDirty()); // the frame timer keeps going
        int frames = 1;
        for (; chart.isRedrawing() && frames < 10; ++frames) {
            QCOMPARE(chart.scale().xMax, 200'000.0); // still the chart as it was
            chart.refresh(0);
        }
        QCOMPARE(frames, 3); // the frame, then one line a frame (two lines)
        QVERIFY(!chart.isRedrawing());
        QCOMPARE(chart.scale().xMax, 250'000.0);
        QCOMPARE(chart.drawnPoints(e1)->x.back(), 250'000.0);

        // Hover over a drawn point reads out its experiment and value.
        const QPointF at = chart.scale().toPixel(300, 2.5);
        const QString text = chart.hoverAt(at);
        QVERIFY2(text.contains(e1) && text.contains(QStringLiteral("= 2.5")), qPrintable(text));
        QVERIFY(chart.hoverAt(QPointF(1, 1)).isEmpty()); // outside the plot

        // Log scale, the time axes and zoom redraw from the same data.
        chart.setLogY(true);
        chart.refresh();
        QVERIFY(chart.scale().logY && chart.scale().yMin > 0);
        QVERIFY(isNice(chart.frameLayout().yTicks) || chart.frameLayout().yTicks.size() >= 2);
        chart.setLogY(false);
        chart.setXAxis(XAxis::WallTime);
        chart.refresh();
        QCOMPARE(chart.scale().xMin, 1000.0 * 1000.0); // the loaded history has its wall times
        chart.setXAxis(XAxis::Step);
        chart.refresh();
        chart.zoomTo({100'000, 150'000, 0, 10});
        QVERIFY(chart.isZoomed());
        QCOMPARE(chart.scale().xMin, 100'000.0);
        const Series *zoomed = chart.drawnPoints(e0);
        QVERIFY(*std::min_element(zoomed->x.begin(), zoomed->x.end()) >= 100'000 - 200);
        QCOMPARE(*std::max_element(zoomed->y.begin(), zoomed->y.end()), 9.0); // 123,457 is in view
        chart.resetZoom();
        QVERIFY(!chart.isZoomed());
        QCOMPARE(chart.scale().xMin, 0.0);
    }

    // The load's answer and the event stream travel apart: an event can arrive after an answer
    // that already held its points. Those are not added twice; new ones, and a step logged
    // again with another value, are.
    void liveEventsRepeatingTheLoadAreNotDoubled()
    {
        ApiClient api;
        EventsClient events(&api);
        MetricStore store(&api, &events);
        const QString e0 = QStringLiteral("run-exp0");
        store.watch(e0);
        metricsprotocol::SeriesAnswer loaded;
        loaded.points = {{0, 1.0, 10.0}, {1, 0.8, 11.0}, {2, 0.6, 12.0}};
        loaded.totalPoints = 3;
        store.applyLoaded(e0, QStringLiteral("loss"), loaded);
        QSignalSpy changed(&store, &MetricStore::seriesChanged);
        metricsprotocol::EventPoints late;
        late.experiment = e0;
        late.byKey[QStringLiteral("loss")] = {{1, 0.8, 11.0}, {2, 0.6, 12.0}};
        store.addPoints(late);
        const MetricSeries *s = store.series(e0, QStringLiteral("loss"));
        QCOMPARE(s->size(), size_t(3));
        QCOMPARE(s->totalPoints, qint64(3));
        QCOMPARE(changed.count(), 0); // nothing new: no redraw either
        metricsprotocol::EventPoints next;
        next.experiment = e0;
        next.byKey[QStringLiteral("loss")] = {{2, 0.6, 12.0}, {2, 0.55, 12.5}, {3, 0.4, 13.0}};
        store.addPoints(next);
        QCOMPARE(s->step, (std::vector<double>{0, 1, 2, 2, 3}));
        QCOMPARE(s->value, (std::vector<double>{1.0, 0.8, 0.6, 0.55, 0.4}));
        QCOMPARE(s->totalPoints, qint64(5));
        QCOMPARE(changed.count(), 1);
    }

    void hiddenChartsWaitUntilShown()
    {
        ApiClient api;
        EventsClient events(&api);
        MetricStore store(&api, &events);
        const QString e0 = QStringLiteral("run-exp0");
        store.watch(e0);
        metricsprotocol::SeriesAnswer loaded;
        loaded.points = {{0, 1.0, 10.0}, {1, 2.0, 11.0}};
        loaded.totalPoints = 2;
        store.applyLoaded(e0, QStringLiteral("loss"), loaded);
        ChartsPanel panel(&store);
        panel.resize(800, 500);
        panel.setExperiments({e0});
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        MetricChart *chart = panel.chart(QStringLiteral("loss"));
        QVERIFY(chart);
        QTRY_VERIFY(!chart->isDirty());

        // Points that arrive while the panel is hidden wait: no frames are drawn unseen...
        panel.hide();
        metricsprotocol::EventPoints live;
        live.experiment = e0;
        live.byKey[QStringLiteral("loss")] = {{2, 1.5, 12.0}};
        store.addPoints(live);
        const int refreshesWhileHidden = panel.refreshCount();
        QTest::qWait(200); // several frame intervals
        QCOMPARE(panel.refreshCount(), refreshesWhileHidden);
        QVERIFY(chart->isDirty());
        // ...and are drawn as soon as it shows again.
        panel.show();
        QTRY_VERIFY(!chart->isDirty());
        QCOMPARE(chart->drawnPoints(e0)->x.back(), 2.0);
    }

    void emptyInputGivesNothing()
    {
        QVERIFY(prepare(MetricSeries{}, XAxis::Step, 0.5, true, 0, 1, 100).x.empty());
        QVERIFY(!xRange(Series{}).valid);
    }
};

QTEST_MAIN(TestGuiChartData)
#include "test_gui_chartdata.moc"
