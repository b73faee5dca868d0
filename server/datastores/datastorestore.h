// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/manifest.h"
#include "core/domain/datastoreversion.h"
#include "server/datastores/dirlisting.h"

#include <QSqlDatabase>
#include <QSet>
#include <QStringList>

#include <functional>
#include <optional>

namespace og {

// A datastore version row with the ids the server needs beside what users see.
struct VersionRecord
{
    QString id;
    QString datastoreId;
    QString userId;
    DatastoreVersion info;
};

// One entry of a version's file listing.
struct VersionFile
{
    QString path;
    ManifestEntry::Type type = ManifestEntry::Type::File;
    int mode = 0;
    qint64 size = 0;
    QString sha256;
    QString target;
};

// Datastores, their versions and the objects they reference, in SQL. Every lookup takes the
// owner's user id: another user's datastore does not exist.
class DatastoreStore final
{
public:
    explicit DatastoreStore(QSqlDatabase db);

    QList<DatastoreVersion> list(const QString &userId, const QString &name = {});
    std::optional<VersionRecord> find(const QString &userId, const QString &name, int version);
    std::optional<VersionRecord> latest(const QString &userId, const QString &name, const QString &status = {});
    std::optional<VersionRecord> findById(const QString &versionId);
    std::optional<VersionRecord> uploading(const QString &userId, const QString &name);

    // Creates the datastore when needed and the next version (numbers never reused).
    VersionRecord createVersion(const QString &userId, const QString &name, const DatastoreVersion &info);
    void updateUploading(const QString &versionId, const DatastoreVersion &info);
    void setStatus(const QString &versionId, const QString &status, const QString &reason = {});
    // A committed upload's final totals and status `optimizing`, in one transaction that is not
    // flushed on its own: see the definition for why losing it to a power cut is harmless.
    void markOptimizing(const QString &versionId, const DatastoreVersion &info);
    // Records the version's directory listings (those the database lacks, with their entries),
    // marks `verified` objects verified and the version succeeded with the manifest's totals,
    // in one transaction (one flush of the database).
    void completeVersion(const QString &versionId, const Manifest &manifest, const QList<DirListing> &listings,
                         const QStringList &verified = {});
    // Of `listings` (hashes), those the database holds already.
    QSet<QString> knownListings(const QStringList &listings);
    // The listings of a version's directories.
    QSet<QString> listingsOf(const QString &versionId);
    QStringList versionIdsInStatus(const QString &status);

    // Objects: which of `hashes` this user has not uploaded (or that are gone from disk is the
    // caller's check), and recording an upload.
    QStringList notUploadedBy(const QString &userId, const QStringList &hashes);
    // One transaction for the lot: a write per object would cost a disk flush each.
    void recordObjects(const QString &userId, const QList<QPair<QString, qint64>> &objects);
    qint64 usedBytes(const QString &userId);
    // Of `hashes`, those already verified and flushed by an earlier optimize.
    QSet<QString> verifiedObjects(const QStringList &hashes);
    void markVerified(const QStringList &hashes);

    // Sessions and experiments using a version, by name, for the refusal message.
    QStringList usersOf(const QString &versionId);
    void deleteVersion(const QString &versionId);
    // Objects no version references whose uploads are older than `graceSeconds`.
    QStringList unreferencedObjects(qint64 graceSeconds);
    // Deletes the listings no version uses any more (after deletes); how many.
    int forgetUnusedListings();
    void forgetObject(const QString &sha256);
    // Manifest objects in use: every datastore version's root hash and every run's code root.
    QStringList manifestRoots();
    bool isCodeRoot(const QString &root);

    // The content hashes a version's files reference.
    QSet<QString> fileHashes(const QString &versionId);
    // A directory's entries (`directory` "" is the root), by name.
    QList<VersionFile> listFiles(const QString &versionId, const QString &directory);
    std::optional<VersionFile> findFile(const QString &versionId, const QString &path);

private:
    void setVerified(const QStringList &hashes); // inside the caller's transaction
    // Runs `write` (which makes its own transaction) with this connection's flushes off
    // (synchronous=OFF), for records whose loss in a power cut costs only work done again.
    // A process crash loses nothing (the WAL is in the page cache), and the next flushed
    // commit on the database makes them durable too: the WAL is one file, flushed whole.
    void unflushed(const std::function<void()> &write);
    QSqlDatabase m_db;
};

} // namespace og
