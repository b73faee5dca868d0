// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plot/linelayer.h"

#include "widgets/plot/columnraster.h"

#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace og::plot {

void LineLayer::reset(const QSize &size, qreal devicePixelRatio)
{
    const QSize pixels = (QSizeF(size) * devicePixelRatio).toSize();
    if (m_image.size() != pixels || m_image.devicePixelRatio() != devicePixelRatio) {
        m_image = QImage(pixels.expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
        m_image.setDevicePixelRatio(devicePixelRatio);
    }
    fill(m_image, 0);
}

void LineLayer::fill(QImage &image, QRgb color)
{
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        std::fill(line, line + image.width(), color);
    }
}

Series LineLayer::reduce(const Series &points, size_t from, size_t to, const PlotScale &scale, bool sorted)
{
    to = std::min(to, points.x.size());
    if (from >= to || !scale.valid())
        return {};
    // The x span of these points (they may be unsorted: wall clocks step back), cut to what is
    // visible plus a column each side, so lines run to the frame's edges.
    const double column = scale.xPerPixel();
    double lo = points.x[from], hi = points.x[to - 1];
    if (!sorted) {
        for (size_t i = from; i < to; ++i) {
            lo = std::min(lo, points.x[i]);
            hi = std::max(hi, points.x[i]);
        }
    }
    lo = std::max(lo, scale.xMin - column);
    hi = std::min(hi, scale.xMax + column);
    if (lo > hi)
        return {};
    const int columns = std::max(1, int(std::ceil((hi - lo) / column)));
    return decimateMinMax(points.x.data() + from, points.y.data() + from, to - from, lo, hi, columns);
}

// Zoomed in, the points just outside the visible range still decide where the line crosses
// the frame's edges (between two sparse points there may be nothing inside at all): the line
// from the last point left of the range to the first inside it, cut at the range's edge (a
// column out), and the same on the right. Only for points in x order.
LineLayer::Edges LineLayer::edgesOf(const Series &points, size_t from, size_t to, const PlotScale &scale)
{
    Edges e;
    if (from >= to || !scale.valid())
        return e;
    const double lo = scale.xMin - scale.xPerPixel(), hi = scale.xMax + scale.xPerPixel();
    const auto begin = points.x.begin() + qsizetype(from), end = points.x.begin() + qsizetype(to);
    const auto firstIn = std::lower_bound(begin, end, lo); // first x >= lo
    const auto pastIn = std::upper_bound(firstIn, end, hi); // first x > hi
    const auto at = [&points](auto it) { return size_t(it - points.x.begin()); };
    const auto cut = [&points](size_t a, size_t b, double x) {
        const double t = (x - points.x[a]) / (points.x[b] - points.x[a]);
        return QPointF(x, points.y[a] + t * (points.y[b] - points.y[a]));
    };
    if (firstIn != begin && firstIn != end)
        e.left = cut(at(firstIn) - 1, at(firstIn), lo);
    if (pastIn != end && pastIn != begin)
        e.right = cut(at(pastIn) - 1, at(pastIn), hi);
    return e;
}

Series LineLayer::draw(const Series &points, bool sorted, size_t from, size_t to, const PlotScale &scale, const QPen &pen,
                       bool antialias)
{
    // The last point drawn before is where the new part joins.
    const size_t start = from > 0 ? from - 1 : 0;
    Series drawn = reduce(points, start, to, scale, sorted);
    const Edges edges = sorted ? edgesOf(points, start, std::min(to, points.x.size()), scale) : Edges{};
    if ((drawn.x.empty() && !edges.left) || m_image.isNull())
        return drawn;
    QPolygonF polyline;
    polyline.reserve(qsizetype(drawn.x.size()) + 2);
    // Far outside the area (zoomed in on y) the rasterizer would work on huge coordinates.
    const double limit = 4 * (scale.area.width() + scale.area.height());
    const auto add = [&](double x, double y) {
        if (std::isfinite(y))
            polyline.append(QPointF(scale.px(x), std::clamp(scale.py(y), scale.area.top() - limit, scale.area.bottom() + limit)));
    };
    if (edges.left)
        add(edges.left->x(), edges.left->y());
    for (size_t i = 0; i < drawn.x.size(); ++i)
        add(drawn.x[i], drawn.y[i]);
    if (edges.right)
        add(edges.right->x(), edges.right->y());
    if (!antialias && pen.widthF() <= 1 && pen.color().alpha() == 255) {
        // Crowded charts: one-pixel lines, written column by column (see columnraster.h).
        const qreal dpr = m_image.devicePixelRatio();
        for (QPointF &pt : polyline)
            pt *= dpr;
        const QRectF area(scale.area.topLeft() * dpr, scale.area.size() * dpr);
        drawColumnPolyline(m_image, polyline, pen.color().rgba(), area.toAlignedRect().adjusted(0, 0, -1, -1));
    } else {
        QPainter p(&m_image);
        p.setClipRect(scale.area);
        p.setRenderHint(QPainter::Antialiasing, antialias);
        p.setPen(pen);
        if (polyline.size() == 1)
            p.drawPoint(polyline.first());
        else
            p.drawPolyline(polyline);
    }
    // The joining point was drawn before; what this call added starts after it.
    if (from > 0 && !drawn.x.empty() && drawn.x.front() == points.x[start] && drawn.y.front() == points.y[start]) {
        drawn.x.erase(drawn.x.begin());
        drawn.y.erase(drawn.y.begin());
    }
    return drawn;
}

} // namespace og::plot
