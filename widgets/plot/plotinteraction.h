// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/decimate.h"
#include "widgets/plot/plotscale.h"

#include <QList>
#include <QPointF>

#include <optional>
#include <vector>

namespace og::plot {

// The data ranges a zoom shows.
struct DataRect
{
    double xMin = 0, xMax = 0, yMin = 0, yMax = 0;
};

// Zoom levels the user went through: a rubber band pushes one, a right click goes back one,
// Reset zoom drops them all (the chart then follows its data again).
class ZoomStack final
{
public:
    void push(const DataRect &r) { m_levels.append(r); }
    void pop()
    {
        if (!m_levels.isEmpty())
            m_levels.removeLast();
    }
    void clear() { m_levels.clear(); }
    bool isZoomed() const { return !m_levels.isEmpty(); }
    const DataRect &current() const { return m_levels.last(); }

private:
    QList<DataRect> m_levels;
};

// The data rectangle a rubber band from `a` to `b` (widget pixels) selects inside the plot
// area; nothing for a drag of a few pixels (a click, not a zoom).
std::optional<DataRect> rubberBandRect(const PlotScale &scale, QPointF a, QPointF b);

// The point nearest to `cursor` (in pixels) over all lines, within `maxPixels`. Lines are
// searched by x where they are sorted (a binary search), else point by point.
struct LineRef
{
    const Series *points = nullptr;
    bool sortedByX = true;
};
struct HoverHit
{
    int line = -1;
    double x = 0, y = 0;
    QPointF pixel;
};
std::optional<HoverHit> nearestPoint(const std::vector<LineRef> &lines, const PlotScale &scale, QPointF cursor,
                                     double maxPixels);

} // namespace og::plot
