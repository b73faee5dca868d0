// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/chartspanel.h"

#include "models/metricstore.h"
#include "widgets/metricchart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QVBoxLayout>

namespace og {

ChartsPanel::ChartsPanel(MetricStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_grid(new QGridLayout)
    , m_gridHost(new QWidget(this))
    , m_scroll(new QScrollArea(this))
    , m_empty(new QLabel(this))
    , m_smoothing(new QSlider(Qt::Horizontal, this))
    , m_log(new QCheckBox(tr("&Log scale"), this))
    , m_xAxis(new QComboBox(this))
    , m_readout(new QLabel(this))
{
    m_smoothing->setRange(0, 99);
    m_smoothing->setToolTip(tr("Exponential smoothing (0 = off)"));
    m_smoothing->setMaximumWidth(160);
    m_xAxis->addItems({tr("Step"), tr("Relative time"), tr("Wall time")});
    auto *reset = new QPushButton(tr("&Reset zoom"), this);
    reset->setToolTip(tr("Drag a rectangle on a chart to zoom in, right-click to zoom out"));
    auto *smoothLabel = new QLabel(tr("&Smoothing:"), this);
    smoothLabel->setBuddy(m_smoothing);
    auto *xLabel = new QLabel(tr("&X axis:"), this);
    xLabel->setBuddy(m_xAxis);
    auto *controls = new QHBoxLayout;
    controls->addWidget(smoothLabel);
    controls->addWidget(m_smoothing);
    controls->addWidget(m_log);
    controls->addWidget(xLabel);
    controls->addWidget(m_xAxis);
    controls->addWidget(reset);
    controls->addWidget(m_readout, 1);

    m_gridHost->setLayout(m_grid);
    m_grid->setColumnStretch(0, 1); // two charts a row, of equal width
    m_grid->setColumnStretch(1, 1);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_gridHost);
    // The hint takes the charts' place, centred, while there is nothing to chart.
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_scroll, 1);

    connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
    connect(m_log, &QCheckBox::toggled, this, &ChartsPanel::setLogY);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, &ChartsPanel::setXAxisIndex);
    connect(reset, &QPushButton::clicked, this, [this] {
        for (MetricChart *c : std::as_const(m_charts))
            c->resetZoom();
    });
    connect(m_store, &MetricStore::keysChanged, this, [this](const QString &e) {
        if (m_experiments.contains(e))
            syncCharts();
    });
    connect(m_store, &MetricStore::seriesChanged, this, &ChartsPanel::onSeriesChanged);

    m_frame.setInterval(kFrameIntervalMs);
    connect(&m_frame, &QTimer::timeout, this, [this] {
        // Hidden (another tab, a minimised window): the points pile up in the store and the
        // charts stay dirty; showEvent draws them once instead of 30 times a second unseen.
        if (!isVisible()) {
            m_frame.stop();
            return;
        }
        refreshNow();
    });

    QSettings s;
    m_smoothing->setValue(s.value(QStringLiteral("charts/smoothing"), 0).toInt());
    m_log->setChecked(s.value(QStringLiteral("charts/log"), false).toBool());
    m_xAxis->setCurrentIndex(s.value(QStringLiteral("charts/xAxis"), 0).toInt());
    syncCharts();
}

ChartsPanel::~ChartsPanel()
{
    if (m_store)
        for (const QString &e : std::as_const(m_experiments))
            m_store->unwatch(e);
    QSettings s;
    s.setValue(QStringLiteral("charts/smoothing"), m_smoothing->value());
    s.setValue(QStringLiteral("charts/log"), m_log->isChecked());
    s.setValue(QStringLiteral("charts/xAxis"), m_xAxis->currentIndex());
}

void ChartsPanel::setExperiments(const QStringList &experiments)
{
    if (experiments == m_experiments)
        return;
    for (const QString &e : experiments)
        m_store->watch(e);
    for (const QString &e : std::as_const(m_experiments))
        m_store->unwatch(e);
    m_experiments = experiments;
    syncCharts();
}

void ChartsPanel::syncCharts()
{
    QStringList keys;
    for (const QString &e : std::as_const(m_experiments))
        for (const QString &k : m_store->keys(e))
            if (!keys.contains(k))
                keys.append(k);
    keys.sort();
    for (auto it = m_charts.begin(); it != m_charts.end();) {
        if (!keys.contains(it.key())) {
            delete *it;
            it = m_charts.erase(it);
        } else {
            ++it;
        }
    }
    for (const QString &k : std::as_const(keys)) {
        if (m_charts.contains(k))
            continue;
        auto *c = new MetricChart(k, m_store, m_gridHost);
        c->setSmoothing(m_smoothing->value() / 100.0);
        c->setLogY(m_log->isChecked());
        c->setXAxis(chartdata::XAxis(qMax(0, m_xAxis->currentIndex())));
        // One line beside the controls (the tooltip at the point has two).
        connect(c, &MetricChart::hovered, m_readout, [this](QString text) { m_readout->setText(text.replace(u'\n', QStringLiteral(" · "))); });
        m_charts.insert(k, c);
    }
    // Two charts per row, in key order.
    int i = 0;
    for (MetricChart *c : std::as_const(m_charts)) {
        m_grid->addWidget(c, i / 2, i % 2);
        c->setExperiments(m_experiments);
        ++i;
    }
    if (m_experiments.isEmpty())
        m_empty->setText(tr("Select a run, or some of its experiments, to see their metrics here."));
    else if (m_charts.isEmpty())
        m_empty->setText(tr("No metrics yet. Scripts report them as JSON lines in $GRID_METRICS_FILE, TensorBoard files or Lightning CSV logs."));
    m_empty->setVisible(m_charts.isEmpty());
    m_scroll->setVisible(!m_charts.isEmpty());
    m_frame.start();
}

QString ChartsPanel::emptyText() const
{
    return m_empty->text();
}

bool ChartsPanel::isEmptyHintVisible() const
{
    return !m_empty->isHidden();
}

void ChartsPanel::onSeriesChanged(const QString &experiment, const QString &key)
{
    if (MetricChart *c = m_charts.value(key)) {
        c->markDirty(experiment);
        if (!m_frame.isActive())
            m_frame.start();
    }
}

void ChartsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    for (MetricChart *c : std::as_const(m_charts))
        if (c->isDirty()) {
            m_frame.start();
            break;
        }
}

double ChartsPanel::refreshNow()
{
    QElapsedTimer t;
    t.start();
    bool any = false;
    // One budget for all charts: a chart past it draws one more line and leaves the rest of a
    // full redraw to the next frames (each chart always gets on by at least one line).
    for (MetricChart *c : std::as_const(m_charts))
        if (c->isDirty()) {
            c->refresh(std::max(0, kFrameBudgetMs - int(t.elapsed())));
            any = true;
        }
    if (!any)
        m_frame.stop(); // nothing to draw: no idle wake-ups
    else
        ++m_refreshes;
    return double(t.nsecsElapsed()) / 1e6;
}

void ChartsPanel::setSmoothing(double weight)
{
    for (MetricChart *c : std::as_const(m_charts))
        c->setSmoothing(weight);
    m_frame.start();
}

void ChartsPanel::setLogY(bool log)
{
    if (m_log->isChecked() != log)
        m_log->setChecked(log);
    for (MetricChart *c : std::as_const(m_charts))
        c->setLogY(log);
    m_frame.start();
}

void ChartsPanel::setXAxisIndex(int index)
{
    if (m_xAxis->currentIndex() != index)
        m_xAxis->setCurrentIndex(index);
    for (MetricChart *c : std::as_const(m_charts))
        c->setXAxis(chartdata::XAxis(qBound(0, index, 2)));
    m_frame.start();
}

} // namespace og
