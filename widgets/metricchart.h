// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/chartdata.h"

#include <QChartView>
#include <QHash>
#include <QSet>

class QAbstractAxis;
class QLineSeries;

namespace og {

class MetricStore;

// One metric key as a chart, one line per selected experiment in the experiment's colour.
// Each line is the stored series projected onto the x axis, smoothed, and reduced to min/max
// per pixel column of the visible range before it reaches QtCharts (replace(), never append()),
// so a million points draw as ~2 × width points with every spike. refresh() is called by the
// owner's frame timer and redraws only the lines whose data or range changed.
class MetricChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricChart)
public:
    MetricChart(const QString &key, MetricStore *store, QWidget *parent = nullptr);

    QString key() const { return m_key; }
    void setExperiments(const QStringList &experiments);
    QStringList experiments() const { return m_experiments; }
    void setXAxis(chartdata::XAxis axis);
    void setSmoothing(double weight);
    void setLogY(bool log);
    bool isZoomed() const { return m_zoomed; }
    void resetZoom();

    void markDirty(const QString &experiment);
    bool isDirty() const { return m_allDirty || !m_dirty.isEmpty(); }
    void refresh();

    QLineSeries *seriesFor(const QString &experiment) const { return m_series.value(experiment); }
    QString hoverText() const { return m_hover; }
    static constexpr int kAntialiasedLines = 8;
    static constexpr int kLegendLines = 12;
    static constexpr int kFrameBudgetMs = 6; // for redrawing lines with new points, per frame
    static constexpr int kPointBudget = 16000; // points handed to QtCharts per chart and frame

Q_SIGNALS:
    void hovered(const QString &text);

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuildAxes();
    void onHover(const QString &experiment, const QPointF &point, bool state);
    QString xLabel(double x) const;

    QString m_key;
    MetricStore *m_store;
    QStringList m_experiments;
    QHash<QString, QLineSeries *> m_series;
    QSet<QString> m_dirty;
    bool m_allDirty = true;
    chartdata::XAxis m_axis = chartdata::XAxis::Step;
    double m_smoothing = 0;
    bool m_logY = false;
    bool m_zoomed = false;
    chartdata::Range m_shownX; // the x range the lines were decimated for
    QAbstractAxis *m_xAxis = nullptr;
    QAbstractAxis *m_yAxis = nullptr;
    QString m_hover;
};

} // namespace og
