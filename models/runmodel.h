// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/runsummary.h"
#include "models/namedrowsmodel.h"

namespace og {

// Runs, newest first, as `grid status` lists them: loaded from GET /runs, then kept current
// from the `runs` event topic row by row. The duration of active runs ticks once a second
// (one dataChanged over that column's active rows, not a reset).
class RunModel final : public NamedRowsModel<RunSummary>
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

    std::optional<RunSummary> runAt(int row) const { return itemAt(row); }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    void loadFailedWith(const QString &message) override { Q_EMIT loadFailed(message); }
    void afterEvent(const RunSummary &run) override;
};

} // namespace og
