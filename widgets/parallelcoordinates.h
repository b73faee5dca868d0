// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QComboBox;

namespace og {

class ExperimentModel;

// A whole sweep at a glance: one vertical axis per swept hyperparameter and one for the chosen
// metric (its latest value), one polyline per experiment through its values, coloured by the
// metric from low (blue) to high (yellow). Numeric parameters get a linear axis, others one
// tick per distinct value. Reads the experiments table's model, so it follows it live.
class ParallelCoordinatesView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParallelCoordinatesView)
public:
    ParallelCoordinatesView(ExperimentModel *model, QWidget *parent = nullptr);

    void setMetric(const QString &key);
    QString metric() const;

    // What one axis shows, for painting and tests: a column of the model, and for each
    // experiment row its position on the axis from 0 (bottom) to 1 (top), or NaN.
    struct Axis
    {
        QString title;
        QStringList ticks;   // categorical axes: the values bottom to top
        double min = 0, max = 0;
        bool numeric = true;
        QList<double> positions;
    };
    QList<Axis> axes() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void syncMetrics();

    ExperimentModel *m_model;
    QComboBox *m_metric;
};

} // namespace og
