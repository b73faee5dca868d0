// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QMap>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;
class QSlider;

namespace og {

class MetricChart;
class MetricStore;

// The live metric charts of the selected experiments: one chart per metric key, the same
// colour for an experiment everywhere, and the controls that apply to all charts (smoothing,
// log scale, x axis, reset zoom). Data may arrive at any rate; charts redraw at most every
// 40 ms (25 per second), and only those whose lines changed.
class ChartsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsPanel)
public:
    ChartsPanel(MetricStore *store, QWidget *parent = nullptr);
    ~ChartsPanel() override;

    void setExperiments(const QStringList &experiments);
    QStringList experiments() const { return m_experiments; }
    QList<MetricChart *> charts() const { return m_charts.values(); }
    MetricChart *chart(const QString &key) const { return m_charts.value(key); }
    // The hint shown instead of charts (nothing selected, no metrics yet).
    QString emptyText() const;
    bool isEmptyHintVisible() const;

    void setSmoothing(double weight);
    void setLogY(bool log);
    void setXAxisIndex(int index); // 0 step, 1 relative time, 2 wall time
    // Redraws what changed now (the frame timer's work); returns how long it took in ms.
    double refreshNow();
    int refreshCount() const { return m_refreshes; }

    static constexpr int kFrameIntervalMs = 40;
    static constexpr int kFrameBudgetMs = 6; // for the charts' work in one frame

protected:
    void showEvent(QShowEvent *event) override;

private:
    void syncCharts();
    void onSeriesChanged(const QString &experiment, const QString &key);

    QPointer<MetricStore> m_store; // may go first when both are children of one window
    QStringList m_experiments;
    QMap<QString, MetricChart *> m_charts; // by key, in key order
    QGridLayout *m_grid;
    QWidget *m_gridHost;
    QScrollArea *m_scroll;
    QLabel *m_empty;
    QSlider *m_smoothing;
    QCheckBox *m_log;
    QComboBox *m_xAxis;
    QLabel *m_readout;
    QTimer m_frame;
    int m_refreshes = 0;
};

} // namespace og
