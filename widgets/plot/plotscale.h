// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointF>
#include <QRectF>

#include <cmath>

namespace og::plot {

// Where data lands on screen: the plot area in widget pixels and the data ranges it shows,
// y linear or logarithmic. Everything that maps between the two goes through here.
struct PlotScale
{
    QRectF area;
    double xMin = 0, xMax = 1;
    double yMin = 0, yMax = 1;
    bool logY = false;

    double px(double x) const { return area.left() + (x - xMin) / (xMax - xMin) * area.width(); }
    double py(double y) const
    {
        const double t = logY ? (std::log10(y) - std::log10(yMin)) / (std::log10(yMax) - std::log10(yMin))
                              : (y - yMin) / (yMax - yMin);
        return area.bottom() - t * area.height();
    }
    QPointF toPixel(double x, double y) const { return {px(x), py(y)}; }
    double dataX(double pixel) const { return xMin + (pixel - area.left()) / area.width() * (xMax - xMin); }
    double dataY(double pixel) const
    {
        const double t = (area.bottom() - pixel) / area.height();
        return logY ? std::pow(10.0, std::log10(yMin) + t * (std::log10(yMax) - std::log10(yMin))) : yMin + t * (yMax - yMin);
    }
    // Data x per pixel column.
    double xPerPixel() const { return area.width() > 0 ? (xMax - xMin) / area.width() : 0; }
    bool valid() const
    {
        return area.width() > 1 && area.height() > 1 && xMax > xMin && yMax > yMin && (!logY || yMin > 0);
    }
    bool operator==(const PlotScale &o) const
    {
        return area == o.area && xMin == o.xMin && xMax == o.xMax && yMin == o.yMin && yMax == o.yMax && logY == o.logY;
    }
};

} // namespace og::plot
