// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/experiment.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace og {

class ApiClient;
class EventsClient;
class MetricStore;

// The experiments of one run: name, status, duration, one column per swept hyperparameter
// and one per metric key with the latest value. Rows follow the `experiments` event topic;
// metric columns appear as keys are first seen and their cells follow the MetricStore.
class ExperimentModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExperimentModel)
public:
    enum Role { NameRole = Qt::UserRole + 1, StatusRole, ActiveRole, IndexRole };
    static constexpr int kFixedColumns = 3; // name, status, duration

    ExperimentModel(ApiClient *api, EventsClient *events, MetricStore *metrics, QObject *parent = nullptr);
    ~ExperimentModel() override;

    // Shows another run (a reset: everything changes); empty shows nothing.
    void setRun(const QString &run);
    QString run() const { return m_run; }
    void reload();

    void upsert(const Experiment &experiment);
    void remove(const QString &name);

    const QList<Experiment> &experiments() const { return m_experiments; }
    const QStringList &sweptFlags() const { return m_swept; }
    const QStringList &metricKeys() const { return m_metricKeys; }
    int paramColumn(int param) const { return kFixedColumns + param; }
    int metricColumn(int key) const { return kFixedColumns + int(m_swept.size()) + key; }
    int rowOf(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadFailed(const QString &message);
    void loaded();

private:
    void onEvent(const QJsonObject &event);
    void onKeysChanged(const QString &experiment);
    void onSeriesChanged(const QString &experiment, const QString &key);
    void tick();
    void unwatchAll();

    ApiClient *m_api;
    QPointer<MetricStore> m_metrics; // may go first when both are children of one window
    QString m_run;
    QStringList m_swept;
    QStringList m_metricKeys;
    QList<Experiment> m_experiments; // by index
    QTimer m_ticker;
    quint64 m_loadGeneration = 0;
};

} // namespace og
