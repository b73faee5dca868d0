// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QStandardItem;
class QStandardItemModel;
class QTreeView;

namespace og {

class ApiClient;
class FilePreview;

// The files of one datastore version as a tree, read a directory at a time from
// GET /datastores/{name}/versions/{v}/files as the user expands it, with a preview pane.
class VersionBrowser final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VersionBrowser)
public:
    VersionBrowser(ApiClient *api, QWidget *parent = nullptr);

    // Shows `version` of `name`; a version that has not succeeded says why there is nothing.
    void showVersion(const QString &name, int version, const QString &status);
    void clear();
    QStandardItemModel *model() const { return m_model; }
    FilePreview *preview() const { return m_preview; }

Q_SIGNALS:
    void directoryLoaded(const QString &path);

private:
    void loadDirectory(const QString &path);
    void onCurrentChanged(const QModelIndex &index);
    void showFile(const QString &path, qint64 size); // its first piece, in the preview

    ApiClient *m_api;
    QString m_name;
    int m_version = 0;
    quint64 m_generation = 0;
    quint64 m_previewRequest = 0;
    QLabel *m_title;
    QStandardItemModel *m_model;
    QTreeView *m_tree;
    FilePreview *m_preview;
};

} // namespace og
