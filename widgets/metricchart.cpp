// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/metricchart.h"

#include "models/colors.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace og {

namespace {
// Rounds a range's top up to a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) so a growing
// series keeps its axis (and the other lines their decimation) until it passes the next mark,
// without leaving much of the plot empty.
double niceCeil(double v)
{
    if (v <= 0)
        return v == 0 ? 1 : -std::pow(10, std::floor(std::log10(-v)));
    const double p = std::pow(10, std::floor(std::log10(v)));
    for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (v <= m * p)
            return m * p;
    return 10 * p;
}
} // namespace

MetricChart::MetricChart(const QString &key, MetricStore *store, QWidget *parent)
    : QChartView(parent)
    , m_key(key)
    , m_store(store)
{
    auto *c = new QChart;
    // QtCharts does not follow the palette; pick its dark theme on a dark one (before the lines
    // get their experiment colours: a theme change would reset them).
    if (palette().color(QPalette::Base).lightness() < 128)
        c->setTheme(QChart::ChartThemeDark);
    c->setTitle(key);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setBackgroundRoundness(0);
    c->setMargins(QMargins(4, 4, 4, 4));
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setMinimumHeight(240);
    rebuildAxes();
}

void MetricChart::setExperiments(const QStringList &experiments)
{
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!experiments.contains(it.key())) {
            chart()->removeSeries(*it);
            delete *it;
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    for (const QString &e : experiments) {
        if (m_series.contains(e))
            continue;
        auto *s = new QLineSeries(this);
        // The legend names "exp3" (the run is the same for all); hover shows the full name.
        const qsizetype at = e.lastIndexOf(QStringLiteral("-exp"));
        s->setName(at > 0 ? e.mid(at + 1) : e);
        QPen pen(colors::forExperiment(colors::experimentIndex(e)));
        pen.setWidthF(1.5);
        s->setPen(pen);
        chart()->addSeries(s);
        if (m_xAxis)
            s->attachAxis(m_xAxis);
        if (m_yAxis)
            s->attachAxis(m_yAxis);
        connect(s, &QLineSeries::hovered, this, [this, e](const QPointF &p, bool state) { onHover(e, p, state); });
        m_series.insert(e, s);
    }
    m_experiments = experiments;
    m_allDirty = true;
    // Antialiased strokes cost several times more to draw; with many overlaid lines they blur
    // into each other anyway, so a crowded chart draws them crisp and stays within its frame.
    setRenderHint(QPainter::Antialiasing, m_series.size() <= kAntialiasedLines);
    // Sixty-four legend entries are unreadable and slow to lay out; the experiments table
    // shows each experiment's colour instead.
    chart()->legend()->setVisible(m_series.size() <= kLegendLines);
}

void MetricChart::setXAxis(chartdata::XAxis axis)
{
    if (axis == m_axis)
        return;
    m_axis = axis;
    m_zoomed = false;
    rebuildAxes();
}

void MetricChart::setSmoothing(double weight)
{
    m_smoothing = weight;
    m_allDirty = true;
}

void MetricChart::setLogY(bool log)
{
    if (log == m_logY)
        return;
    m_logY = log;
    m_zoomed = false;
    rebuildAxes();
}

void MetricChart::resetZoom()
{
    m_zoomed = false;
    m_shownX = {};
    m_allDirty = true;
    refresh();
}

void MetricChart::markDirty(const QString &experiment)
{
    if (m_series.contains(experiment))
        m_dirty.insert(experiment);
}

void MetricChart::rebuildAxes()
{
    for (QAbstractAxis *a : chart()->axes()) {
        chart()->removeAxis(a);
        delete a;
    }
    if (m_axis == chartdata::XAxis::WallTime) {
        auto *x = new QDateTimeAxis;
        x->setFormat(QStringLiteral("HH:mm:ss"));
        x->setTitleText(tr("wall time"));
        m_xAxis = x;
    } else {
        auto *x = new QValueAxis;
        x->setLabelFormat(QStringLiteral("%g"));
        x->setTitleText(m_axis == chartdata::XAxis::Step ? tr("step") : tr("seconds since start"));
        m_xAxis = x;
    }
    if (m_logY) {
        auto *y = new QLogValueAxis;
        y->setLabelFormat(QStringLiteral("%g"));
        y->setBase(10);
        m_yAxis = y;
    } else {
        auto *y = new QValueAxis;
        y->setLabelFormat(QStringLiteral("%g"));
        m_yAxis = y;
    }
    chart()->addAxis(m_xAxis, Qt::AlignBottom);
    chart()->addAxis(m_yAxis, Qt::AlignLeft);
    for (QLineSeries *s : std::as_const(m_series)) {
        s->attachAxis(m_xAxis);
        s->attachAxis(m_yAxis);
    }
    m_shownX = {};
    m_allDirty = true;
}

void MetricChart::refresh()
{
    if (!isDirty())
        return;
    // Before the first layout the plot area is empty; the view's width is a fair estimate.
    const int plotWidth = int(chart()->plotArea().width());
    const int width = qMax(50, plotWidth > 0 ? plotWidth : this->width() - 80);
    // One min/max pair per pixel column while few lines share the chart; past that a total
    // point budget keeps a frame within ~16 ms (QtCharts' cost grows with the points drawn), so
    // a bucket spans a few columns — its extremes are still drawn, so no spike is lost.
    const int lines = qMax(1, int(m_experiments.size()));
    const int columns = qBound(64, kPointBudget / (2 * lines), width);
    // The x range: what the user zoomed to, else all data (rounded up so it changes rarely).
    chartdata::Range x;
    if (m_zoomed) {
        if (auto *v = qobject_cast<QValueAxis *>(m_xAxis)) {
            x.include(v->min());
            x.include(v->max());
        } else if (auto *d = qobject_cast<QDateTimeAxis *>(m_xAxis)) {
            x.include(double(d->min().toMSecsSinceEpoch()));
            x.include(double(d->max().toMSecsSinceEpoch()));
        }
    } else {
        for (const QString &e : std::as_const(m_experiments))
            if (const MetricSeries *s = m_store->series(e, m_key))
                x.include(chartdata::xRange(chartdata::project(*s, m_axis)));
        if (x.valid && m_axis != chartdata::XAxis::WallTime)
            x.max = niceCeil(x.max);
    }
    if (!x.valid) {
        for (QLineSeries *s : std::as_const(m_series))
            s->clear();
        m_allDirty = false;
        m_dirty.clear();
        return;
    }
    const bool rangeChanged = !m_shownX.valid || m_shownX.min != x.min || m_shownX.max != x.max;
    m_shownX = x;
    chartdata::Range y;
    // When only new points arrived (same range), lines are redrawn until the frame's budget is
    // spent; the rest stay dirty for the next frame, so a burst never makes one long frame.
    const bool full = m_allDirty || rangeChanged;
    QElapsedTimer budget;
    budget.start();
    QSet<QString> stillDirty;
    for (const QString &e : std::as_const(m_experiments)) {
        QLineSeries *line = m_series.value(e);
        const MetricSeries *s = m_store->series(e, m_key);
        if (!line)
            continue;
        const bool overBudget = !full && budget.elapsed() >= kFrameBudgetMs;
        if (!full && (!m_dirty.contains(e) || overBudget)) {
            if (m_dirty.contains(e))
                stillDirty.insert(e);
            for (const QPointF &p : line->points())
                y.include(p.y());
            continue;
        }
        if (!s) {
            line->clear();
            continue;
        }
        const Series points = chartdata::prepare(*s, m_axis, m_smoothing, m_logY, x.min, x.max, columns);
        QList<QPointF> list;
        list.reserve(qsizetype(points.x.size()));
        for (size_t i = 0; i < points.x.size(); ++i) {
            list.append(QPointF(points.x[i], points.y[i]));
            if (points.x[i] >= x.min && points.x[i] <= x.max)
                y.include(points.y[i]);
        }
        line->replace(list); // one pointsReplaced, not one signal per point
    }
    m_dirty = stillDirty;
    m_allDirty = false;
    if (m_zoomed)
        return; // the user's y range stays
    if (auto *v = qobject_cast<QValueAxis *>(m_xAxis))
        v->setRange(x.min, x.max > x.min ? x.max : x.min + 1);
    else if (auto *d = qobject_cast<QDateTimeAxis *>(m_xAxis))
        d->setRange(QDateTime::fromMSecsSinceEpoch(qint64(x.min)), QDateTime::fromMSecsSinceEpoch(qint64(x.max > x.min ? x.max : x.min + 1000)));
    if (!y.valid)
        return;
    const double pad = y.max > y.min ? (y.max - y.min) * 0.05 : std::max(std::abs(y.max) * 0.05, 1e-9);
    if (auto *v = qobject_cast<QValueAxis *>(m_yAxis))
        v->setRange(y.min - pad, y.max + pad);
    else if (auto *l = qobject_cast<QLogValueAxis *>(m_yAxis))
        l->setRange(y.min / 1.2, y.max * 1.2);
}

void MetricChart::mouseReleaseEvent(QMouseEvent *event)
{
    QChartView::mouseReleaseEvent(event);
    // A rubber-band drag (left) zooms in; right click zooms out: either way the ranges are
    // the user's now, until Reset zoom.
    if (event->button() == Qt::LeftButton || event->button() == Qt::RightButton) {
        m_zoomed = true;
        m_allDirty = true;
        refresh();
    }
}

void MetricChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    m_allDirty = true; // a different pixel width means different buckets
}

QString MetricChart::xLabel(double x) const
{
    switch (m_axis) {
    case chartdata::XAxis::Step: return tr("step %1").arg(x, 0, 'g', 8);
    case chartdata::XAxis::RelativeTime: return tr("%1 s").arg(x, 0, 'g', 6);
    case chartdata::XAxis::WallTime: return QDateTime::fromMSecsSinceEpoch(qint64(x)).toString(QStringLiteral("HH:mm:ss"));
    }
    return {};
}

void MetricChart::onHover(const QString &experiment, const QPointF &point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    // The nearest drawn point of that line, so the value shown is one that exists.
    const QLineSeries *line = m_series.value(experiment);
    QPointF best = point;
    double bestDistance = std::numeric_limits<double>::max();
    for (const QPointF &p : line->points()) {
        const double d = std::abs(p.x() - point.x());
        if (d < bestDistance) {
            bestDistance = d;
            best = p;
        }
    }
    m_hover = tr("%1\n%2 = %3 at %4").arg(experiment, m_key).arg(best.y(), 0, 'g', 6).arg(xLabel(best.x()));
    QToolTip::showText(QCursor::pos(), m_hover, this);
    Q_EMIT hovered(m_hover);
}

} // namespace og
