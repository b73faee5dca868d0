// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPolygonF>
#include <QRgb>

class QImage;
class QRect;

namespace og::plot {

// Draws a one-pixel, non-antialiased polyline into a 32-bit image by filling, for each segment,
// one vertical run of pixels per column it crosses. A min/max-reduced metric line is mostly
// steep segments (a column's lowest point to its highest): QPainter's cosmetic stroker blends
// those pixel by pixel through its span machinery, ~10× the work of writing each run directly,
// which is what a chart of 64 noisy lines needs to redraw within a frame. The pixels covered
// are those of the line; `points` are in device pixels, `clip` too.
void drawColumnPolyline(QImage &image, const QPolygonF &points, QRgb color, const QRect &clip);

} // namespace og::plot
