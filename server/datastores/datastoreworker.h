// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/config.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

class QThread;

namespace og {

class Database;
class EventHub;
class ObjectStore;
struct DatastoreVersion;
struct VersionRecord;


// The slow half of datastores, on its own thread so requests never wait on it:
// "optimizing" (verify every object, materialise the version as a read-only tree of hard
// links, flush, then mark it succeeded), imports from URLs, and garbage collection after
// deletes. Jobs are queued calls; each leaves the version succeeded or failed with a reason.
// Versions found optimizing at start (gridd died mid-commit) are optimized again.
class DatastoreWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatastoreWorker)
public:
    DatastoreWorker(Database &database, ObjectStore &objects, EventHub &events, QString treesRoot,
                    QString importsRoot, DatastoreLimits limits);
    ~DatastoreWorker() override;

    QString start(); // prepares directories, starts the thread, resumes interrupted work
    void stop();

    // Thread-safe entry points.
    void optimize(const QString &versionId);
    void import(const QString &versionId, const QUrl &url);
    void removeVersion(const QString &versionId, const QString &datastoreId, int version);

    QString treePath(const QString &datastoreId, int version) const;
    const DatastoreLimits &limits() const { return m_limits; }

private:
    void runOptimize(const QString &versionId);
    void runImport(const QString &versionId, const QUrl &url);
    void runRemove(const QString &versionId, const QString &datastoreId, int version);
    void collectGarbage();
    QSet<QString> referencedByManifests(class DatastoreStore &store) const;
    void fail(const QString &versionId, const QString &reason);
    void publish(const VersionRecord &record, const QString &action);

    Database &m_database;
    ObjectStore &m_objects;
    EventHub &m_events;
    QString m_treesRoot;
    QString m_importsRoot;
    DatastoreLimits m_limits;
    QThread *m_thread = nullptr;
};

} // namespace og
