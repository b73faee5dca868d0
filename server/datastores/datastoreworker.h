// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/config.h"
#include "server/datastores/dirlisting.h"
#include "server/datastores/sparetrees.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>

#include <memory>

class QThread;

namespace og {

class Database;
class EventHub;
class Manifest;
class ObjectStore;
struct DatastoreVersion;
struct VersionRecord;


// The slow half of datastores, on its own thread so requests never wait on it:
// "optimizing" (make sure every object the version adds is intact, materialise the version
// as a read-only tree of hard links, flush, then record its directory listings and mark it
// succeeded), imports from URLs, and garbage collection after
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
    // `manifest`, when given, is the version's manifest as the commit already parsed it, and
    // `listings` its directory listings (dirListingsOf), which the commit made too.
    void optimize(const QString &versionId, std::shared_ptr<const Manifest> manifest = {}, QList<DirListing> listings = {});
    void import(const QString &versionId, const QUrl &url);
    void removeVersion(const QString &versionId, const QString &datastoreId, int version);

    QString treePath(const QString &datastoreId, int version) const;
    const DatastoreLimits &limits() const { return m_limits; }

private:
    void runOptimize(const QString &versionId, std::shared_ptr<const Manifest> parsed = {}, QList<DirListing> listings = {});
    void runImport(const QString &versionId, const QUrl &url);
    void runRemove(const QString &versionId, const QString &datastoreId, int version);
    // Builds the version's tree in its building path: from the datastore's spare when there is
    // one, changing only what differs, else in full. Empty on success.
    // `changed` gets the directories to flush when it was built from the spare.
    QString buildVersionTree(const VersionRecord &record, const Manifest &manifest,
                             const QList<DirListing> &listings, QString *how, QStringList *changed);
    // Makes the new objects and the new tree durable. Empty on success.
    QString flush(const QStringList &newObjects, const QStringList &changedDirs);
    void runPrepareSpare(const QString &versionId, const std::shared_ptr<const Manifest> &manifest,
                         const QList<DirListing> &listings);
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
    SpareTrees m_spares; // worker thread only
};

} // namespace og
