// SPDX-License-Identifier: GPL-3.0-or-later
// bench/charts: the desktop app's live chart path under the load. 64 experiments whose
// metric has 1,000,000 points each are loaded the way the app loads them (the platform's
// min/max-decimated answer for 2000 buckets, computed here with the same og::decimateMinMax
// gridd uses), then 64 × 100 new points a second are streamed in for 10 s, in the batches the
// event stream delivers (one per 200 ms). Measures the time to first paint, each chart update
// (refresh of the changed lines plus the repaint of the chart) and the peak memory.
// Run with QT_QPA_PLATFORM=offscreen (run.sh does); see bench/charts/README.md.
#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "core/metrics/decimate.h"
#include "models/metricstore.h"
#include "widgets/chartspanel.h"
#include "widgets/metricchart.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

struct Options
{
    int experiments = 64;
    qint64 points = 1'000'000;
    int rate = 100;       // new points per experiment per second
    int seconds = 10;
    int buckets = 2000;   // what the app asks the platform for
    int batchMs = 200;    // the event stream's batching
};

// A loss curve with noise and a few spikes, like a real training run.
og::metricsprotocol::SeriesAnswer loadedSeries(int experiment, qint64 n, int buckets)
{
    std::mt19937_64 rng(quint64(experiment) * 7919);
    std::normal_distribution<double> noise(0, 0.02);
    std::vector<double> x(static_cast<size_t>(n)), y(static_cast<size_t>(n));
    const double rate = 2.0 + experiment * 0.05;
    for (qint64 i = 0; i < n; ++i) {
        x[size_t(i)] = double(i);
        y[size_t(i)] = 2.3 * std::exp(-rate * double(i) / double(n)) + 0.1 + noise(rng) + (i % 99'991 == 0 ? 1.0 : 0.0);
    }
    const og::Series d = og::decimateMinMax(x.data(), y.data(), x.size(), x.front(), x.back(), buckets);
    og::metricsprotocol::SeriesAnswer a;
    a.totalPoints = n;
    a.decimated = true;
    a.points.reserve(d.x.size());
    for (size_t i = 0; i < d.x.size(); ++i)
        a.points.push_back({d.x[i], d.y[i], std::nan("")});
    return a;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t at = std::min(v.size() - 1, size_t(std::ceil(p * double(v.size())) - 1));
    return v[at];
}

long peakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption experimentsOpt(QStringLiteral("experiments"), QStringLiteral("experiments"), QStringLiteral("n"), QStringLiteral("64"));
    const QCommandLineOption pointsOpt(QStringLiteral("points"), QStringLiteral("points per experiment"), QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("streaming time"), QStringLiteral("s"), QStringLiteral("10"));
    parser.addOptions({experimentsOpt, pointsOpt, secondsOpt});
    parser.process(app);
    Options o;
    o.experiments = parser.value(experimentsOpt).toInt();
    o.points = parser.value(pointsOpt).toLongLong();
    o.seconds = parser.value(secondsOpt).toInt();

    // The app's objects, with no platform behind them: the data comes through applyLoaded()
    // and addPoints(), the methods the API answers and the event stream call.
    og::ApiClient api;
    og::EventsClient events(&api);
    og::MetricStore store(&api, &events);
    og::ChartsPanel panel(&store);
    panel.resize(1400, 900);
    panel.show();
    QApplication::processEvents();

    QStringList names;
    for (int e = 0; e < o.experiments; ++e)
        names.append(QStringLiteral("bench-exp%1").arg(e));
    std::vector<og::metricsprotocol::SeriesAnswer> answers;
    for (int e = 0; e < o.experiments; ++e)
        answers.push_back(loadedSeries(e, o.points, o.buckets));

    // First paint: from the answers' arrival to the chart drawn on screen.
    QElapsedTimer firstPaint;
    firstPaint.start();
    for (const QString &n : names)
        store.watch(n);
    panel.setExperiments(names);
    QApplication::processEvents(); // the chart's first layout is part of the first paint
    for (int e = 0; e < o.experiments; ++e)
        store.applyLoaded(names[e], QStringLiteral("loss"), answers[size_t(e)]);
    panel.refreshNow();
    og::MetricChart *chart = panel.chart(QStringLiteral("loss"));
    if (!chart) {
        std::fprintf(stderr, "no chart was made\n");
        return 1;
    }
    chart->repaint();
    const double firstPaintMs = double(firstPaint.nsecsElapsed()) / 1e6;
    answers.clear();

    // Streaming: every batchMs, each experiment gets rate × batchMs / 1000 new points; the
    // panel redraws at its frame rate (25/s). Each update = refresh + repaint, timed here.
    std::vector<double> updates, refreshes;
    const int perBatch = o.rate * o.batchMs / 1000;
    std::vector<double> nextStep(size_t(o.experiments), double(o.points));
    QElapsedTimer clock;
    clock.start();
    qint64 nextBatch = 0, nextFrame = 0;
    const qint64 end = qint64(o.seconds) * 1000;
    while (clock.elapsed() < end) {
        const qint64 now = clock.elapsed();
        if (now >= nextBatch) {
            for (int e = 0; e < o.experiments; ++e) {
                og::metricsprotocol::EventPoints batch;
                batch.experiment = names[e];
                auto &points = batch.byKey[QStringLiteral("loss")];
                for (int i = 0; i < perBatch; ++i) {
                    const double step = nextStep[size_t(e)]++;
                    points.push_back({step, 0.1 + 0.05 * std::sin(step / 50.0), double(QDateTime::currentMSecsSinceEpoch()) / 1000.0});
                }
                store.addPoints(batch);
            }
            nextBatch += o.batchMs;
        }
        if (now >= nextFrame) {
            QElapsedTimer t;
            t.start();
            if (chart->isDirty()) {
                panel.refreshNow();
                const double refreshed = double(t.nsecsElapsed()) / 1e6;
                chart->repaint();
                updates.push_back(double(t.nsecsElapsed()) / 1e6);
                refreshes.push_back(refreshed);
            }
            nextFrame += og::ChartsPanel::kFrameIntervalMs;
        }
        QApplication::processEvents(QEventLoop::AllEvents, 2);
    }

    std::printf("experiments            %d x %lld points (loaded as %d buckets, min/max)\n", o.experiments, o.points, o.buckets);
    std::printf("streamed               %d x %d points/s for %d s, batches every %d ms\n", o.experiments, o.rate, o.seconds, o.batchMs);
    std::printf("first paint            %.1f ms\n", firstPaintMs);
    std::printf("chart updates          %zu\n", updates.size());
    std::printf("update median          %.2f ms\n", percentile(updates, 0.5));
    std::printf("update p99             %.2f ms\n", percentile(updates, 0.99));
    std::printf("update max             %.2f ms\n", percentile(updates, 1.0));
    std::printf("  of it: data median   %.2f ms (project + decimate + draw changed lines), p99 %.2f ms\n", percentile(refreshes, 0.5),
                percentile(refreshes, 0.99));
    std::printf("peak memory (RSS)      %ld MiB\n", peakRssMiB());
    return 0;
}
