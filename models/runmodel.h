// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/runsummary.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <optional>

namespace og {

class ApiClient;
class EventsClient;

// Runs, newest first, as `grid status` lists them: loaded from GET /runs, then kept current
// from the `runs` event topic row by row. The duration of active runs ticks once a second
// (one dataChanged over that column's active rows, not a reset).
class RunModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunModel)
public:
    enum Column {
        NameColumn, StatusColumn, ExperimentsColumn, RunningColumn, QueuedColumn, CompletedColumn,
        FailedColumn, StoppedColumn, DurationColumn, CreatedColumn, ColumnCount
    };
    enum Role { NameRole = Qt::UserRole + 1, StatusRole, ActiveRole };

    explicit RunModel(QObject *parent = nullptr);

    void attach(ApiClient *api, EventsClient *events);
    void reload();

    void upsert(const RunSummary &run);
    void remove(const QString &name);
    void mergeAll(const QList<RunSummary> &runs); // newest first, as the API lists them

    int rowOf(const QString &name) const;
    std::optional<RunSummary> runAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    void onEvent(const QJsonObject &event);
    void tick();
    int insertPosition(const RunSummary &run) const;

    QList<RunSummary> m_runs;
    ApiClient *m_api = nullptr;
    QTimer m_ticker;
    quint64 m_loadGeneration = 0;
};

} // namespace og
