// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/metricchart.h"

#include "models/colors.h"
#include "models/metricstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace og {

MetricChart::MetricChart(const QString &key, MetricStore *store, QWidget *parent)
    : QWidget(parent)
    , m_key(key)
    , m_store(store)
{
    setMinimumHeight(240);
    setMouseTracking(true); // hover read-out
    setAttribute(Qt::WA_OpaquePaintEvent); // the frame image covers every pixel
    setCursor(Qt::CrossCursor);
    setToolTip(QString()); // the read-out is shown by hand, next to the point
}

void MetricChart::setExperiments(const QStringList &experiments)
{
    std::vector<Line> lines;
    lines.reserve(size_t(experiments.size()));
    for (const QString &e : experiments) {
        auto old = std::find_if(m_lines.begin(), m_lines.end(), [&e](const Line &l) { return l.experiment == e; });
        if (old != m_lines.end()) {
            lines.push_back(std::move(*old));
            continue;
        }
        Line l;
        l.experiment = e;
        // The legend names "exp3" (the run is the same for all); hover shows the full name.
        const qsizetype at = e.lastIndexOf(QStringLiteral("-exp"));
        l.legendName = at > 0 ? e.mid(at + 1) : e;
        l.color = colors::forExperiment(colors::experimentIndex(e));
        l.data.setOptions(m_axis, m_smoothing, m_logY);
        lines.push_back(std::move(l));
    }
    m_lines = std::move(lines);
    m_needFull = true;
}

QStringList MetricChart::experiments() const
{
    QStringList names;
    for (const Line &l : m_lines)
        names.append(l.experiment);
    return names;
}

void MetricChart::setAllDirty()
{
    for (Line &l : m_lines)
        l.dirty = true;
    m_needFull = true;
}

void MetricChart::setXAxis(chartdata::XAxis axis)
{
    if (axis == m_axis)
        return;
    m_axis = axis;
    m_zoom.clear(); // the old ranges mean nothing on the new axis
    setAllDirty();
}

void MetricChart::setSmoothing(double weight)
{
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    setAllDirty();
}

void MetricChart::setLogY(bool log)
{
    if (log == m_logY)
        return;
    m_logY = log;
    m_zoom.clear();
    setAllDirty();
}

void MetricChart::zoomTo(const plot::DataRect &rect)
{
    m_zoom.push(rect);
    m_needFull = true;
    refresh();
}

void MetricChart::zoomOut()
{
    if (!m_zoom.isZoomed())
        return;
    m_zoom.pop();
    m_needFull = true;
    refresh();
}

void MetricChart::resetZoom()
{
    m_zoom.clear();
    m_needFull = true;
    refresh();
}

void MetricChart::markDirty(const QString &experiment)
{
    for (Line &l : m_lines)
        if (l.experiment == experiment)
            l.dirty = true;
}

bool MetricChart::isDirty() const
{
    return m_needFull || m_build || std::any_of(m_lines.begin(), m_lines.end(), [](const Line &l) { return l.dirty; });
}

const Series *MetricChart::drawnPoints(const QString &experiment) const
{
    for (const Line &l : m_lines)
        if (l.experiment == experiment)
            return &l.drawn;
    return nullptr;
}

void MetricChart::refresh()
{
    refresh(-1);
}

void MetricChart::refresh(int budgetMs)
{
    if (!isDirty())
        return;
    QElapsedTimer clock;
    clock.start();
    const bool restarted = takeNewPoints();
    bool full = m_needFull || restarted;
    const plot::DataRect ranges = targetRanges(full);
    const plot::PlotScale &target = m_build ? m_build->layout.scale : m_layout.scale;
    full = full || target.xMin != ranges.xMin || target.xMax != ranges.xMax || target.yMin != ranges.yMin
           || target.yMax != ranges.yMax || target.logY != m_logY;
    // With nothing valid on screen (first paint, a new size) there is nothing to show while
    // the new layout is drawn: it is drawn whole, whatever the budget.
    const bool frontUsable = !m_frame.isNull() && m_frame.deviceIndependentSize().toSize() == size();
    if (full || !frontUsable)
        startBuild(ranges);
    if (m_build)
        continueBuild(frontUsable && budgetMs >= 0 ? std::max(0, budgetMs - int(clock.elapsed())) : -1);
    else
        drawNewPoints();
    m_needFull = false;
    for (Line &l : m_lines)
        l.dirty = false;
    update(); // coalesced: one paint however many refreshes came before it
}

// Brings each changed line up to its series; true when one was projected anew (a reload,
// other options), which its already drawn part cannot survive.
bool MetricChart::takeNewPoints()
{
    bool restarted = false;
    for (Line &l : m_lines) {
        if (!l.dirty && !m_needFull)
            continue;
        l.data.setOptions(m_axis, m_smoothing, m_logY);
        const MetricSeries *s = m_store->series(l.experiment, m_key);
        if (!s) {
            restarted = restarted || l.drawnUpTo > 0 || l.data.size() > 0;
            l.data.clear();
            continue;
        }
        if (l.data.update(*s) < l.drawnUpTo)
            restarted = true;
    }
    return restarted;
}

// The ranges to show: the zoom's, else all data — x out to a round reach, y kept while the
// points stay inside it (unless `full`: then fitted anew).
plot::DataRect MetricChart::targetRanges(bool full)
{
    chartdata::Range x, y;
    for (const Line &l : m_lines) {
        x.include(l.data.xRange());
        y.include(l.data.yRange());
    }
    m_hasData = x.valid && y.valid;
    if (m_zoom.isZoomed())
        return m_zoom.current();
    if (!m_hasData)
        return {0, 1, m_logY ? 1.0 : 0.0, m_logY ? 10.0 : 1.0};
    plot::DataRect r;
    // x grows in round steps, so a growing line keeps its axis (and the other lines their
    // pixels) until it passes the next mark.
    const double span = x.max - x.min;
    const double emptySpan = m_axis == chartdata::XAxis::WallTime ? 1000 : 1;
    r.xMin = x.min;
    r.xMax = x.min + (span > 0 ? plot::AxisTicks::niceCeil(span) : emptySpan);
    const plot::PlotScale &shown = m_build ? m_build->layout.scale : m_layout.scale;
    if (!full && shown.logY == m_logY && y.min >= shown.yMin && y.max <= shown.yMax) {
        r.yMin = shown.yMin; // new points inside the frame: it stays
        r.yMax = shown.yMax;
        return r;
    }
    r.yMin = y.min;
    r.yMax = y.max;
    if (m_logY)
        plot::AxisTicks::expandToDecades(r.yMin, r.yMax);
    else
        plot::AxisTicks::expandToSteps(r.yMin, r.yMax, 6);
    return r;
}

plot::FrameSpec MetricChart::frameSpec(const plot::DataRect &r) const
{
    plot::FrameSpec spec;
    spec.title = m_key;
    switch (m_axis) {
    case chartdata::XAxis::Step:
        spec.xTitle = tr("step");
        spec.xKind = plot::AxisKind::Number;
        break;
    case chartdata::XAxis::RelativeTime:
        spec.xTitle = tr("time since the first point");
        spec.xKind = plot::AxisKind::Duration;
        break;
    case chartdata::XAxis::WallTime:
        spec.xTitle = tr("wall time");
        spec.xKind = plot::AxisKind::WallTime;
        break;
    }
    spec.xMin = r.xMin;
    spec.xMax = r.xMax;
    spec.yMin = r.yMin;
    spec.yMax = r.yMax;
    spec.logY = m_logY;
    // Sixty-four legend entries are unreadable; the experiments table shows each colour.
    if (m_lines.size() <= size_t(kLegendLines))
        for (const Line &l : m_lines)
            spec.legend.append({l.legendName, l.color});
    return spec;
}

double MetricChart::visiblePoints(const Line &line, const plot::PlotScale &scale)
{
    const std::vector<double> &x = line.data.points().x;
    if (!line.data.sortedByX())
        return double(x.size());
    const auto first = std::lower_bound(x.begin(), x.end(), scale.xMin);
    return double(std::upper_bound(first, x.end(), scale.xMax) - first);
}

// The pen width for all lines of a layout: 1.6 px antialiased while few lines share the chart
// and none is dense; else one pixel. Antialiased wide strokes cost several times more and, with
// many overlaid lines, blur into each other; and a wide pen goes through QStroker, which for a
// dense min/max zigzag (more than a point per pixel column) costs ~50× the one-pixel cosmetic
// path (8 such lines took 400 ms instead of 10) — dense lines look the same drawn thin. One
// width for every line of a chart, so they look alike.
double MetricChart::lineWidthFor(const plot::PlotScale &scale) const
{
    if (m_lines.size() > size_t(kAntialiasedLines))
        return 0;
    for (const Line &l : m_lines)
        if (visiblePoints(l, scale) > scale.area.width())
            return 0;
    return 1.6;
}

QPen MetricChart::penFor(const Line &line, double width)
{
    QPen pen(line.color, width); // 0: cosmetic one pixel, the raster engine's fastest path
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

// A full redraw goes into images that are not shown yet (the frame and lines on screen stay
// until it is done), so that it can be spread over frames: 64 lines laid out anew take longer
// than a frame should, and new points of the lines on screen wait a frame or two meanwhile.
void MetricChart::startBuild(const plot::DataRect &ranges)
{
    m_build.emplace();
    Build &b = *m_build;
    b.spec = frameSpec(ranges);
    b.layout = plot::PlotFrame::layout(b.spec, QSizeF(size()), font());
    b.layer.reset(size(), devicePixelRatioF());
    b.lineWidth = lineWidthFor(b.layout.scale);
}

void MetricChart::paintFrame(Build &b) const
{
    const qreal dpr = devicePixelRatioF();
    b.frame = QImage((QSizeF(size()) * dpr).toSize().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
    b.frame.setDevicePixelRatio(dpr);
    plot::LineLayer::fill(b.frame, palette().color(QPalette::Base).rgba());
    QPainter p(&b.frame);
    plot::PlotFrame::paint(p, b.spec, b.layout, palette(), font());
    if (m_hasData)
        return;
    p.setPen(palette().color(QPalette::PlaceholderText));
    const bool anyPoints = std::any_of(m_lines.begin(), m_lines.end(), [this](const Line &l) {
        const MetricSeries *s = m_store->series(l.experiment, m_key);
        return s && s->size() > 0;
    });
    p.drawText(b.layout.scale.area, Qt::AlignCenter | Qt::TextWordWrap,
               m_logY && anyPoints ? tr("No values above zero to show on a log scale.") : tr("No points yet."));
}

// Builds on until `budgetMs` is spent — the frame first, then line by line, at least one step
// a call (-1: everything) — after drawing the new points of the lines it already holds; shows
// the build once every line is in.
void MetricChart::continueBuild(int budgetMs)
{
    QElapsedTimer clock;
    clock.start();
    Build &b = *m_build;
    const bool antialias = m_lines.size() <= size_t(kAntialiasedLines);
    const plot::PlotScale &scale = b.layout.scale;
    for (size_t i = 0; i < b.nextLine; ++i)
        drawTail(m_lines[i], b.layer, scale, b.lineWidth, antialias);
    int steps = 0;
    const auto spent = [&] { return budgetMs >= 0 && steps > 0 && clock.nsecsElapsed() >= qint64(budgetMs) * 1000000; };
    if (b.frame.isNull()) {
        paintFrame(b); // titles and labels: ~2 ms, a step of its own
        ++steps;
    }
    for (; b.nextLine < m_lines.size(); ++b.nextLine, ++steps) {
        if (spent())
            return; // the rest next frame
        Line &l = m_lines[b.nextLine];
        l.drawn = b.layer.draw(l.data.points(), l.data.sortedByX(), 0, l.data.size(), scale, penFor(l, b.lineWidth), antialias);
        l.drawnUpTo = l.data.size();
    }
    m_layout = b.layout;
    m_frame = b.frame;
    m_layer = std::move(b.layer);
    m_lineWidth = b.lineWidth;
    m_build.reset();
    m_hover.reset(); // its pixel moved
    ++m_fullRedraws;
}

void MetricChart::drawNewPoints()
{
    const bool antialias = m_lines.size() <= size_t(kAntialiasedLines);
    for (Line &l : m_lines)
        drawTail(l, m_layer, m_layout.scale, m_lineWidth, antialias);
}

void MetricChart::drawTail(Line &l, plot::LineLayer &layer, const plot::PlotScale &scale, double lineWidth, bool antialias)
{
    if (l.data.size() <= l.drawnUpTo)
        return;
    const Series added = layer.draw(l.data.points(), l.data.sortedByX(), l.drawnUpTo, l.data.size(), scale, penFor(l, lineWidth), antialias);
    l.drawn.x.insert(l.drawn.x.end(), added.x.begin(), added.x.end());
    l.drawn.y.insert(l.drawn.y.end(), added.y.begin(), added.y.end());
    l.drawnUpTo = l.data.size();
}

void MetricChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    if (m_frame.isNull()) {
        p.fillRect(rect(), palette().color(QPalette::Base));
        return;
    }
    p.drawImage(0, 0, m_frame);
    p.drawImage(0, 0, m_layer.image());
    if (m_hover && size_t(m_hover->line) < m_lines.size()) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(palette().color(QPalette::Base), 1.5));
        p.setBrush(m_lines[size_t(m_hover->line)].color);
        p.drawEllipse(m_hover->pixel, 4.5, 4.5);
    }
    if (m_bandStart) {
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlphaF(0.2f);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1));
        p.setBrush(fill);
        p.drawRect(QRectF(*m_bandStart, m_bandEnd).normalized().intersected(m_layout.scale.area));
    }
}

void MetricChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_needFull = true; // a different pixel width means different columns
    refresh();
}

void MetricChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        m_needFull = true;
        refresh();
    }
}

void MetricChart::mousePressEvent(QMouseEvent *event)
{
    // Left drag: a rubber band to zoom into; right click: back out one zoom level.
    if (event->button() == Qt::LeftButton && m_layout.scale.area.contains(event->position())) {
        m_bandStart = event->position();
        m_bandEnd = event->position();
    } else if (event->button() == Qt::RightButton) {
        zoomOut();
    }
    QWidget::mousePressEvent(event);
}

void MetricChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_bandStart) {
        m_bandEnd = event->position();
        update();
        return;
    }
    const QString text = hoverAt(event->position());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint() + QPoint(12, 12), text, this);
}

void MetricChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_bandStart) {
        const auto rect = plot::rubberBandRect(m_layout.scale, *m_bandStart, event->position());
        m_bandStart.reset();
        if (rect)
            zoomTo(*rect);
        update();
    }
    QWidget::mouseReleaseEvent(event);
}

void MetricChart::leaveEvent(QEvent *event)
{
    m_hover.reset();
    QToolTip::hideText();
    update();
    QWidget::leaveEvent(event);
}

QString MetricChart::hoverAt(QPointF pos)
{
    std::vector<plot::LineRef> refs;
    refs.reserve(m_lines.size());
    for (const Line &l : m_lines)
        refs.push_back({&l.data.points(), l.data.sortedByX()});
    // The nearest stored point (as smoothed), not a drawn column's: the value shown exists.
    m_hover = m_layout.scale.area.contains(pos) ? plot::nearestPoint(refs, m_layout.scale, pos, kHoverPixels) : std::nullopt;
    if (m_hover) {
        const Line &l = m_lines[size_t(m_hover->line)];
        m_hoverText = tr("%1\n%2 = %3 at %4").arg(l.experiment, m_key).arg(m_hover->y, 0, 'g', 6).arg(xLabel(m_hover->x));
        Q_EMIT hovered(m_hoverText);
    } else {
        m_hoverText.clear();
    }
    update();
    return m_hoverText;
}

QString MetricChart::xLabel(double x) const
{
    switch (m_axis) {
    case chartdata::XAxis::Step: return tr("step %1").arg(x, 0, 'g', 10);
    case chartdata::XAxis::RelativeTime: return tr("%1 s").arg(x, 0, 'g', 6);
    case chartdata::XAxis::WallTime: return QDateTime::fromMSecsSinceEpoch(qint64(x)).toString(QStringLiteral("HH:mm:ss"));
    }
    return {};
}

} // namespace og
