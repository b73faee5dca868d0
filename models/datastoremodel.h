// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/datastoreversion.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>

#include <optional>

#include <memory>
#include <vector>

namespace og {

class ApiClient;
class EventsClient;

// Datastores as a tree: one row per datastore (showing its newest version), its versions as
// children, newest first. Loaded from GET /datastores, then kept current from the
// `datastores` event topic one row at a time; a reload (after a reconnect) merges too, so
// selections and expanded rows survive.
class DatastoreModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatastoreModel)
public:
    enum Column { NameColumn, StatusColumn, SizeColumn, FilesColumn, SourceColumn, CreatedColumn, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1, // the datastore's name, on both kinds of rows
        VersionRole,                 // the version number (the newest one on a datastore row)
        StatusRole,
        BusyRole,                    // uploading or optimizing
        ProgressRole,                // 0–100 while this app uploads it, -1 when unknown
        IsVersionRole,
    };

    explicit DatastoreModel(QObject *parent = nullptr);
    ~DatastoreModel() override;

    // Feeds the model from the platform; call reload() after (re)connecting.
    void attach(ApiClient *api, EventsClient *events);
    void reload();

    // What the event stream and the list deliver; public so the app's own actions apply at once.
    void upsertVersion(const DatastoreVersion &version);
    void removeVersion(const QString &name, int version);
    void mergeAll(const QList<DatastoreVersion> &versions);
    // Progress of an upload this app runs (the platform knows only "uploading").
    void setLocalProgress(const QString &name, int percent);
    void clearLocalProgress(const QString &name);

    std::optional<DatastoreVersion> versionAt(const QModelIndex &index) const;
    QModelIndex indexOfDatastore(const QString &name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    struct Node
    {
        QString name;
        QList<DatastoreVersion> versions; // newest first
    };

    int rowOf(const Node *node) const;
    int insertPosition(const QString &name) const;
    void emitRowChanged(int row, const QModelIndex &parent);
    void onEvent(const QJsonObject &event);
    QVariant cell(const DatastoreVersion &v, int column, bool datastoreRow, int versionCount) const;

    std::vector<std::unique_ptr<Node>> m_nodes; // by name
    QHash<QString, int> m_localProgress;
    ApiClient *m_api = nullptr;
    quint64 m_loadGeneration = 0;
};

} // namespace og
