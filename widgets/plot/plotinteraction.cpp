// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plot/plotinteraction.h"

#include <algorithm>
#include <cmath>

namespace og::plot {

std::optional<DataRect> rubberBandRect(const PlotScale &scale, QPointF a, QPointF b)
{
    constexpr double kMinDrag = 4;
    const QRectF band = QRectF(a, b).normalized().intersected(scale.area);
    if (!scale.valid() || band.width() < kMinDrag || band.height() < kMinDrag)
        return std::nullopt;
    return DataRect{scale.dataX(band.left()), scale.dataX(band.right()), scale.dataY(band.bottom()), scale.dataY(band.top())};
}

std::optional<HoverHit> nearestPoint(const std::vector<LineRef> &lines, const PlotScale &scale, QPointF cursor, double maxPixels)
{
    if (!scale.valid())
        return std::nullopt;
    std::optional<HoverHit> best;
    double bestDistance = maxPixels * maxPixels;
    const double xLo = scale.dataX(cursor.x() - maxPixels);
    const double xHi = scale.dataX(cursor.x() + maxPixels);
    for (size_t l = 0; l < lines.size(); ++l) {
        const Series *s = lines[l].points;
        if (!s)
            continue;
        size_t begin = 0, end = s->x.size();
        if (lines[l].sortedByX) {
            begin = size_t(std::lower_bound(s->x.begin(), s->x.end(), xLo) - s->x.begin());
            end = size_t(std::upper_bound(s->x.begin(), s->x.end(), xHi) - s->x.begin());
        }
        for (size_t i = begin; i < end; ++i) {
            const double x = s->x[i], y = s->y[i];
            if (x < xLo || x > xHi || !std::isfinite(y) || (scale.logY && y <= 0))
                continue;
            const QPointF p = scale.toPixel(x, y);
            const double dx = p.x() - cursor.x(), dy = p.y() - cursor.y();
            const double d = dx * dx + dy * dy;
            if (d <= bestDistance) {
                bestDistance = d;
                best = HoverHit{int(l), x, y, p};
            }
        }
    }
    return best;
}

} // namespace og::plot
