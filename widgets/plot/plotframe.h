// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/plot/axisticks.h"
#include "widgets/plot/plotscale.h"

#include <QColor>
#include <QList>
#include <QString>

class QFont;
class QPainter;
class QPalette;
class QSizeF;

namespace og::plot {

// What the x axis counts, for its marks and labels.
enum class AxisKind
{
    Number,
    Duration, // seconds
    WallTime, // milliseconds since the epoch
};

struct LegendEntry
{
    QString name;
    QColor color;
};

// Everything around the lines: title, frame, grid, tick labels, the x axis title and the legend.
struct FrameSpec
{
    QString title;
    QString xTitle;
    AxisKind xKind = AxisKind::Number;
    double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
    bool logY = false;
    QList<LegendEntry> legend; // empty: no legend
};

struct FrameLayout
{
    PlotScale scale; // the plot area inside the frame and the ranges it shows
    QList<Tick> xTicks;
    QList<Tick> yTicks;
    QRectF legendArea;
};

// Lays out and paints a chart's frame. It changes only with the ranges, the size, the palette
// or the legend, so the chart paints it once into a pixmap and reuses it for every frame.
class PlotFrame final
{
public:
    static FrameLayout layout(const FrameSpec &spec, const QSizeF &size, const QFont &font);
    static void paint(QPainter &p, const FrameSpec &spec, const FrameLayout &layout, const QPalette &palette,
                      const QFont &font);
    static QList<Tick> xTicks(const FrameSpec &spec, int maxTicks);
    static QList<Tick> yTicks(const FrameSpec &spec, int maxTicks);
};

} // namespace og::plot
