// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/uploadjob.h"

#include <QWidget>

#include <functional>

class QAction;
class QSplitter;

namespace og {

class ApiClient;
class DatastoreModel;
class EmptyHint;
class FilteredView;
class MessageBanner;
class VersionBrowser;

// Datastores: the table of datastores with their versions, New / Delete / Refresh, and the
// selected version's files with a preview.
class DatastoresPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatastoresPanel)
public:
    using ConnectionFn = std::function<ConnectionInfo()>;
    DatastoresPanel(ApiClient *api, DatastoreModel *model, ConnectionFn connection, QWidget *parent = nullptr);
    ~DatastoresPanel() override;

    QAction *newAction() const { return m_new; }
    QAction *deleteAction() const { return m_delete; }
    QAction *refreshAction() const { return m_refresh; }
    FilteredView *table() const { return m_table; }
    EmptyHint *emptyHint() const { return m_emptyHint; }
    VersionBrowser *browser() const { return m_browser; }
    MessageBanner *banner() const { return m_banner; }

    void openNewDialog();
    // Deletes the selected versions (a datastore row: all its versions) after asking; `confirm`
    // replaces the question box in tests.
    void deleteSelected();
    std::function<bool(const QString &question)> confirm;

private:
    void onCurrentChanged(const QModelIndex &source);

    ApiClient *m_api;
    DatastoreModel *m_model;
    ConnectionFn m_connection;
    MessageBanner *m_banner;
    FilteredView *m_table;
    EmptyHint *m_emptyHint;
    VersionBrowser *m_browser;
    QSplitter *m_split;
    QAction *m_new;
    QAction *m_delete;
    QAction *m_refresh;
};

} // namespace og
