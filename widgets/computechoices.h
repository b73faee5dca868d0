// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>

class QComboBox;
class QHBoxLayout;
class QWidget;

namespace og {

class ApiClient;

// What a run or a session runs on, as the New-run and New-session dialogs ask for it: an
// instance type (the platform's available ones, still editable for Grid's names and aliases)
// and an optional datastore with a version ("latest" or a succeeded one), filled from
// GET /instance-types and GET /datastores. The combo boxes belong to the dialog (`parent`).
class ComputeChoices final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComputeChoices)
public:
    ComputeChoices(ApiClient *api, QWidget *parent);

    QComboBox *instanceTypeBox() const { return m_instanceType; }
    QComboBox *datastoreBox() const { return m_datastore; }
    QComboBox *versionBox() const { return m_version; }
    // The datastore and version boxes side by side, for a form row.
    QHBoxLayout *makeDatastoreRow() const;

    QString instanceType() const;   // as typed or picked, trimmed
    QString datastore() const;      // empty: none
    int datastoreVersion() const;   // 0: the latest succeeded
    void setInstanceType(const QString &name);
    // Selects `name` (added when the platform did not list it); version 0 is "latest".
    void setDatastore(const QString &name, int version = 0);

Q_SIGNALS:
    void changed();

private:
    void load();
    void fillVersions();

    ApiClient *m_api;
    QComboBox *m_instanceType;
    QComboBox *m_datastore;
    QComboBox *m_version;
    QHash<QString, QList<int>> m_versions; // succeeded versions per datastore, newest first
    QString m_versionsOf;                  // the datastore m_version lists
};

} // namespace og
