// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/parallelcoordinates.h"

#include "models/experimentmodel.h"

#include <QComboBox>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace og {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Blue → teal → yellow (viridis' ends): readable on light and dark backgrounds.
QColor ramp(double t)
{
    if (std::isnan(t))
        return QColor(128, 128, 128, 120);
    t = qBound(0.0, t, 1.0);
    const QColor a(68, 1, 84), b(33, 145, 140), c(253, 231, 37);
    const auto mix = [](const QColor &x, const QColor &y, double f) {
        return QColor::fromRgbF(float(x.redF() + (y.redF() - x.redF()) * f), float(x.greenF() + (y.greenF() - x.greenF()) * f),
                                float(x.blueF() + (y.blueF() - x.blueF()) * f));
    };
    return t < 0.5 ? mix(a, b, t * 2) : mix(b, c, (t - 0.5) * 2);
}
} // namespace

ParallelCoordinatesView::ParallelCoordinatesView(ExperimentModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_metric(new QComboBox(this))
{
    m_metric->setToolTip(tr("The metric on the last axis, and the colour of the lines"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_metric, 0, Qt::AlignLeft);
    layout->addStretch();
    setMinimumHeight(260);
    connect(m_metric, &QComboBox::currentTextChanged, this, qOverload<>(&QWidget::update));
    const auto changed = [this] {
        syncMetrics();
        update();
    };
    connect(m_model, &QAbstractItemModel::dataChanged, this, changed);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, changed);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, changed);
    connect(m_model, &QAbstractItemModel::modelReset, this, changed);
    syncMetrics();
}

void ParallelCoordinatesView::syncMetrics()
{
    const QString current = m_metric->currentText();
    const QSignalBlocker block(m_metric);
    if (QStringList(m_model->metricKeys()) != [this] {
            QStringList items;
            for (int i = 0; i < m_metric->count(); ++i)
                items.append(m_metric->itemText(i));
            return items;
        }()) {
        m_metric->clear();
        m_metric->addItems(m_model->metricKeys());
        const int at = m_metric->findText(current);
        m_metric->setCurrentIndex(at >= 0 ? at : 0);
    }
}

void ParallelCoordinatesView::setMetric(const QString &key)
{
    syncMetrics();
    m_metric->setCurrentText(key);
    update();
}

QString ParallelCoordinatesView::metric() const
{
    return m_metric->currentText();
}

QList<ParallelCoordinatesView::Axis> ParallelCoordinatesView::axes() const
{
    QList<int> columns;
    for (int p = 0; p < m_model->sweptFlags().size(); ++p)
        columns.append(m_model->paramColumn(p));
    const int metricIndex = int(m_model->metricKeys().indexOf(metric()));
    if (metricIndex >= 0)
        columns.append(m_model->metricColumn(metricIndex));
    QList<Axis> result;
    const int rows = m_model->rowCount();
    for (int column : std::as_const(columns)) {
        Axis axis;
        axis.title = m_model->headerData(column, Qt::Horizontal).toString();
        QList<QVariant> values;
        for (int r = 0; r < rows; ++r) {
            const QVariant v = m_model->index(r, column).data(Qt::EditRole);
            values.append(v);
            if (v.isValid() && v.typeId() != QMetaType::Double)
                axis.numeric = false;
        }
        if (axis.numeric) {
            bool first = true;
            for (const QVariant &v : std::as_const(values))
                if (v.isValid()) {
                    const double d = v.toDouble();
                    axis.min = first ? d : std::min(axis.min, d);
                    axis.max = first ? d : std::max(axis.max, d);
                    first = false;
                }
            for (const QVariant &v : std::as_const(values))
                axis.positions.append(!v.isValid() ? kNaN : axis.max > axis.min ? (v.toDouble() - axis.min) / (axis.max - axis.min) : 0.5);
        } else {
            for (const QVariant &v : std::as_const(values))
                if (v.isValid() && !axis.ticks.contains(v.toString()))
                    axis.ticks.append(v.toString());
            for (const QVariant &v : std::as_const(values)) {
                const qsizetype at = v.isValid() ? axis.ticks.indexOf(v.toString()) : -1;
                axis.positions.append(at < 0 ? kNaN : axis.ticks.size() == 1 ? 0.5 : double(at) / double(axis.ticks.size() - 1));
            }
        }
        result.append(axis);
    }
    return result;
}

void ParallelCoordinatesView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QList<Axis> all = axes();
    const QRect area = rect().adjusted(60, m_metric->geometry().bottom() + 30, -60, -30);
    if (all.size() < 2 || m_model->rowCount() == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   m_model->rowCount() == 0 ? tr("Select a run to compare its experiments.")
                                            : tr("Needs a swept hyperparameter and a metric to compare."));
        return;
    }
    const auto xOf = [&](int axis) { return area.left() + area.width() * axis / double(all.size() - 1); };
    const auto yOf = [&](double pos) { return area.bottom() - area.height() * pos; };
    // Lines first, so the axes and their labels stay readable on top.
    const Axis &metricAxis = all.last();
    for (int r = 0; r < m_model->rowCount(); ++r) {
        QPainterPath path;
        bool started = false;
        for (int a = 0; a < all.size(); ++a) {
            const double pos = all[a].positions.value(r, kNaN);
            if (std::isnan(pos)) {
                started = false;
                continue;
            }
            const QPointF pt(xOf(a), yOf(pos));
            started ? path.lineTo(pt) : path.moveTo(pt);
            started = true;
        }
        p.setPen(QPen(ramp(metricAxis.positions.value(r, kNaN)), 1.6));
        p.drawPath(path);
    }
    const QColor text = palette().color(QPalette::WindowText);
    for (int a = 0; a < all.size(); ++a) {
        const Axis &axis = all[a];
        const double x = xOf(a);
        p.setPen(QPen(text, 1));
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRectF(x - 80, area.top() - 26, 160, 20), Qt::AlignCenter, axis.title);
        p.setFont(font());
        if (axis.numeric) {
            p.drawText(QRectF(x + 4, area.bottom() - 16, 100, 16), Qt::AlignLeft, QString::number(axis.min, 'g', 4));
            p.drawText(QRectF(x + 4, area.top(), 100, 16), Qt::AlignLeft, QString::number(axis.max, 'g', 4));
        } else {
            for (int t = 0; t < axis.ticks.size(); ++t) {
                const double pos = axis.ticks.size() == 1 ? 0.5 : double(t) / double(axis.ticks.size() - 1);
                p.drawText(QRectF(x + 4, yOf(pos) - 8, 120, 16), Qt::AlignLeft | Qt::AlignVCenter, axis.ticks[t]);
            }
        }
    }
}

} // namespace og
