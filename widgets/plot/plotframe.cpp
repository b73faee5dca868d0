// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plot/plotframe.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>

#include <algorithm>

namespace og::plot {

namespace {
constexpr double kMargin = 8;
constexpr double kTickLength = 4;
constexpr double kSwatch = 16; // a legend entry's line sample
constexpr double kLegendGap = 14;

// Legend entries flow left to right in rows; where each one goes for a given width.
QList<QRectF> legendCells(const QList<LegendEntry> &legend, double width, const QFontMetricsF &fm)
{
    QList<QRectF> cells;
    double x = 0, y = 0;
    for (const LegendEntry &e : legend) {
        const double w = kSwatch + 4 + fm.horizontalAdvance(e.name);
        if (x > 0 && x + w > width) {
            x = 0;
            y += fm.height();
        }
        cells.append(QRectF(x, y, w, fm.height()));
        x += w + kLegendGap;
    }
    return cells;
}

double widest(const QList<Tick> &ticks, const QFontMetricsF &fm)
{
    double w = 0;
    for (const Tick &t : ticks)
        w = std::max(w, fm.horizontalAdvance(t.label));
    return w;
}

QFont titleFont(const QFont &font)
{
    QFont f = font;
    f.setBold(true);
    return f;
}
} // namespace

QList<Tick> PlotFrame::xTicks(const FrameSpec &spec, int maxTicks)
{
    switch (spec.xKind) {
    case AxisKind::Number: return AxisTicks::linear(spec.xMin, spec.xMax, maxTicks);
    case AxisKind::Duration: return AxisTicks::duration(spec.xMin, spec.xMax, maxTicks);
    case AxisKind::WallTime: return AxisTicks::wallTime(spec.xMin, spec.xMax, maxTicks);
    }
    return {};
}

QList<Tick> PlotFrame::yTicks(const FrameSpec &spec, int maxTicks)
{
    return spec.logY ? AxisTicks::logarithmic(spec.yMin, spec.yMax, maxTicks) : AxisTicks::linear(spec.yMin, spec.yMax, maxTicks);
}

FrameLayout PlotFrame::layout(const FrameSpec &spec, const QSizeF &size, const QFont &font)
{
    const QFontMetricsF fm(font);
    const double line = fm.height();
    FrameLayout l;
    const double top = kMargin + QFontMetricsF(titleFont(font)).height() + kMargin / 2;
    double legendHeight = 0;
    if (!spec.legend.isEmpty()) {
        const QList<QRectF> cells = legendCells(spec.legend, size.width() - 2 * kMargin, fm);
        legendHeight = cells.last().bottom() + kMargin / 2;
    }
    const double bottom = kMargin + legendHeight + (spec.xTitle.isEmpty() ? 0 : line) + line + kTickLength + 2;
    const double plotHeight = std::max(1.0, size.height() - top - bottom);
    // About one label per three and a half lines of text up the y axis.
    l.yTicks = yTicks(spec, std::max(2, int(plotHeight / (line * 3.5))));
    const double left = kMargin + widest(l.yTicks, fm) + kTickLength + 4;
    // The last x label is centred on the right edge: room for its half.
    double right = kMargin + fm.horizontalAdvance(QStringLiteral("00:00:00")) / 2;
    double plotWidth = std::max(1.0, size.width() - left - right);
    // As many x labels as fit side by side with a gap: guess, then measure what came out.
    int maxX = std::max(2, int(plotWidth / (fm.horizontalAdvance(QStringLiteral("000000")) + 24)));
    for (int attempt = 0; attempt < 4; ++attempt) {
        l.xTicks = xTicks(spec, maxX);
        const double needed = (widest(l.xTicks, fm) + 16) * double(l.xTicks.size());
        if (needed <= plotWidth || maxX <= 2)
            break;
        maxX = std::max(2, int(double(maxX) * plotWidth / needed));
    }
    right = kMargin + std::min(widest(l.xTicks, fm) / 2, 60.0);
    plotWidth = std::max(1.0, size.width() - left - right);
    l.scale.area = QRectF(left, top, plotWidth, plotHeight);
    l.scale.xMin = spec.xMin;
    l.scale.xMax = spec.xMax;
    l.scale.yMin = spec.yMin;
    l.scale.yMax = spec.yMax;
    l.scale.logY = spec.logY;
    if (legendHeight > 0)
        l.legendArea = QRectF(kMargin, size.height() - kMargin - legendHeight + kMargin / 2, size.width() - 2 * kMargin, legendHeight);
    return l;
}

void PlotFrame::paint(QPainter &p, const FrameSpec &spec, const FrameLayout &l, const QPalette &palette, const QFont &font)
{
    const QFontMetricsF fm(font);
    const QRectF area = l.scale.area;
    const QColor text = palette.color(QPalette::Text);
    QColor grid = palette.color(QPalette::Text);
    grid.setAlphaF(0.12f);
    QColor frame = palette.color(QPalette::Text);
    frame.setAlphaF(0.45f);

    // Text at a point, not in a rectangle: no layout pass per label (a frame's ~30 labels took
    // ~1.5 ms through QPainter's rectangle formatting).
    const double width = p.device()->width() / p.device()->devicePixelRatioF();
    const double middle = (fm.ascent() - fm.descent()) / 2; // baseline offset to centre a line
    const QFont bold = titleFont(font);
    const QFontMetricsF boldMetrics(bold);
    p.setFont(bold);
    p.setPen(text);
    p.drawText(QPointF((width - boldMetrics.horizontalAdvance(spec.title)) / 2, kMargin + boldMetrics.ascent()), spec.title);
    p.setFont(font);

    // Grid lines at the marks, crisp (whole pixels); then the frame over them.
    p.setRenderHint(QPainter::Antialiasing, false);
    for (const Tick &t : l.xTicks) {
        const double x = std::round(l.scale.px(t.value)) + 0.5;
        p.setPen(QPen(grid, 0));
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        p.setPen(QPen(frame, 0));
        p.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + kTickLength));
    }
    for (const Tick &t : l.yTicks) {
        const double y = std::round(l.scale.py(t.value)) + 0.5;
        p.setPen(QPen(grid, 0));
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        p.setPen(QPen(frame, 0));
        p.drawLine(QPointF(area.left() - kTickLength, y), QPointF(area.left(), y));
    }
    p.setPen(QPen(frame, 0));
    p.drawRect(area.adjusted(0.5, 0.5, -0.5, -0.5));

    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setPen(text);
    const double labelTop = area.bottom() + kTickLength + 2;
    for (const Tick &t : l.xTicks)
        p.drawText(QPointF(l.scale.px(t.value) - fm.horizontalAdvance(t.label) / 2, labelTop + fm.ascent()), t.label);
    for (const Tick &t : l.yTicks)
        p.drawText(QPointF(area.left() - kTickLength - 3 - fm.horizontalAdvance(t.label), l.scale.py(t.value) + middle), t.label);
    if (!spec.xTitle.isEmpty())
        p.drawText(QPointF(area.center().x() - fm.horizontalAdvance(spec.xTitle) / 2, labelTop + fm.height() + fm.ascent()),
                   spec.xTitle);

    if (l.legendArea.isValid()) {
        const QList<QRectF> cells = legendCells(spec.legend, l.legendArea.width(), fm);
        p.setRenderHint(QPainter::Antialiasing, true);
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const QRectF c = cells[i].translated(l.legendArea.topLeft());
            p.setPen(QPen(spec.legend[i].color, 2.5));
            p.drawLine(QPointF(c.left() + 1, c.center().y()), QPointF(c.left() + kSwatch - 1, c.center().y()));
            p.setPen(text);
            p.drawText(QPointF(c.left() + kSwatch + 4, c.center().y() + middle), spec.legend[i].name);
        }
    }
}

} // namespace og::plot
