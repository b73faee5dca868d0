// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/chartdata.h"
#include "widgets/plot/linelayer.h"
#include "widgets/plot/plotframe.h"
#include "widgets/plot/plotinteraction.h"

#include <QImage>
#include <QWidget>

#include <optional>
#include <vector>

namespace og {

class MetricStore;

// One metric key as a chart, one line per selected experiment in the experiment's colour,
// drawn with QPainter in three layers: the frame (title, axes, grid, labels, legend) and the
// lines are cached images, the hover marker and rubber band are drawn over them per paint.
// refresh() (the owner's frame timer) takes the points that arrived since the last frame:
// while the ranges hold, only those are drawn onto the line image; when a range or the size
// changes everything is laid out and drawn again — each line as one polyline reduced to min
// and max per pixel column, so a million points draw as ~2 × width points with every spike —
// into images shown once all lines are in, within a time budget per frame.
class MetricChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricChart)
public:
    MetricChart(const QString &key, MetricStore *store, QWidget *parent = nullptr);

    QString key() const { return m_key; }
    void setExperiments(const QStringList &experiments);
    QStringList experiments() const;
    void setXAxis(chartdata::XAxis axis);
    void setSmoothing(double weight);
    void setLogY(bool log);
    bool isZoomed() const { return m_zoom.isZoomed(); }
    void zoomTo(const plot::DataRect &rect);
    void zoomOut();
    void resetZoom();

    void markDirty(const QString &experiment);
    bool isDirty() const;
    // Draws what changed. A full redraw (new ranges, size, options) that would take longer
    // than `budgetMs` is spread over the following calls while the chart on screen stays as
    // it was (-1, and refresh(): all now).
    void refresh(int budgetMs);
    void refresh();
    bool isRedrawing() const { return m_build.has_value(); }

    // What the chart shows, for tests and the benchmark: the points drawn for a line (data
    // coordinates, min/max per column), the axes' scale and marks.
    const Series *drawnPoints(const QString &experiment) const;
    const plot::PlotScale &scale() const { return m_layout.scale; }
    const plot::FrameLayout &frameLayout() const { return m_layout; }
    // The read-out for the point nearest to `pos` (widget pixels), as hovering shows it.
    QString hoverAt(QPointF pos);
    QString hoverText() const { return m_hoverText; }
    int fullRedraws() const { return m_fullRedraws; } // layouts of everything, not new points only

    static constexpr int kAntialiasedLines = 8;
    static constexpr int kLegendLines = 12;
    static constexpr double kHoverPixels = 24;

Q_SIGNALS:
    void hovered(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Line
    {
        QString experiment;
        QString legendName;
        QColor color;
        chartdata::ProjectedLine data;
        Series drawn;          // what the line image shows of it
        size_t drawnUpTo = 0;  // points of `data` drawn
        bool dirty = true;
    };

    // A full redraw under way: the frame and lines of the new layout, not shown yet.
    struct Build
    {
        plot::FrameSpec spec;
        plot::FrameLayout layout;
        QImage frame; // null until painted
        plot::LineLayer layer;
        size_t nextLine = 0; // lines before it are drawn
        double lineWidth = 0;
    };

    bool takeNewPoints();
    plot::DataRect targetRanges(bool full);
    void startBuild(const plot::DataRect &ranges);
    void continueBuild(int budgetMs);
    void paintFrame(Build &build) const;
    void drawNewPoints();
    static void drawTail(Line &line, plot::LineLayer &layer, const plot::PlotScale &scale, double lineWidth, bool antialias);
    double lineWidthFor(const plot::PlotScale &scale) const;
    static QPen penFor(const Line &line, double width);
    static double visiblePoints(const Line &line, const plot::PlotScale &scale);
    plot::FrameSpec frameSpec(const plot::DataRect &ranges) const;
    QString xLabel(double x) const;
    void setAllDirty();

    QString m_key;
    MetricStore *m_store;
    std::vector<Line> m_lines;
    bool m_needFull = true; // ranges, size, palette or options changed: lay out and draw all
    chartdata::XAxis m_axis = chartdata::XAxis::Step;
    double m_smoothing = 0;
    bool m_logY = false;
    plot::ZoomStack m_zoom;
    plot::FrameLayout m_layout; // with the ranges shown now
    std::optional<Build> m_build;
    double m_lineWidth = 0; // of the lines on screen
    bool m_hasData = false;
    QImage m_frame;
    plot::LineLayer m_layer;
    std::optional<QPointF> m_bandStart;
    QPointF m_bandEnd;
    std::optional<plot::HoverHit> m_hover;
    QString m_hoverText;
    int m_fullRedraws = 0;
};

} // namespace og
