// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/decimate.h"
#include "widgets/plot/plotscale.h"

#include <QImage>
#include <QPen>
#include <QPointF>

#include <optional>

namespace og::plot {

// The chart's lines, drawn into an image that persists between frames: a frame with a few new
// points per line draws only those (joined to where each line ended), and the full redraw
// happens only when the ranges or the size change. Every polyline is reduced first to the
// lowest and highest point of each pixel column it crosses, so a line of a million points
// costs about two points per column and keeps every spike.
class LineLayer final
{
public:
    // A fresh transparent image of `size` logical pixels.
    void reset(const QSize &size, qreal devicePixelRatio);
    const QImage &image() const { return m_image; }
    // Fills a 32-bit image with one opaque or transparent colour on this thread: QImage::fill
    // hands large images to Qt's thread pool, and waiting for its threads on a busy machine
    // cost milliseconds of a frame.
    static void fill(QImage &image, QRgb premultipliedColor);

    // Draws points[from, to) — joined to points[from - 1] when there is one — and returns the
    // points it drew (data coordinates, the column minima and maxima in x order). `sorted`:
    // the points are in x order (their first and last are their x range).
    Series draw(const Series &points, bool sorted, size_t from, size_t to, const PlotScale &scale, const QPen &pen,
                bool antialias);

    // The reduction draw() uses: points[from, to) within the visible x range (and a column
    // beyond each edge) down to min and max per pixel column.
    static Series reduce(const Series &points, size_t from, size_t to, const PlotScale &scale, bool sorted = false);

private:
    struct Edges
    {
        std::optional<QPointF> left, right;
    };
    static Edges edgesOf(const Series &points, size_t from, size_t to, const PlotScale &scale);

    QImage m_image;
};

} // namespace og::plot
