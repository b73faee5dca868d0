// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datastores/datastorestore.h"

#include "core/apitoken.h"
#include "server/store/database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSqlQuery>

namespace og {

namespace {


const QString kVersionSelect = QStringLiteral(
    "SELECT v.id, v.datastore_id, d.user_id, d.name, v.version, v.status, v.reason, v.root_hash,"
    " v.size_bytes, v.file_count, v.source, v.created_at, v.updated_at"
    " FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id ");

VersionRecord recordFrom(const QSqlQuery &q)
{
    VersionRecord r;
    r.id = q.value(0).toString();
    r.datastoreId = q.value(1).toString();
    r.userId = q.value(2).toString();
    DatastoreVersion &v = r.info;
    v.name = q.value(3).toString();
    v.version = q.value(4).toInt();
    v.status = q.value(5).toString();
    v.reason = q.value(6).toString();
    v.rootHash = q.value(7).toString();
    v.sizeBytes = q.value(8).toLongLong();
    v.fileCount = q.value(9).toInt();
    v.source = q.value(10).toString();
    v.createdAt = fromSqlTime(q.value(11));
    v.updatedAt = fromSqlTime(q.value(12));
    return r;
}

std::optional<VersionRecord> first(QSqlQuery q)
{
    return q.next() ? std::optional(recordFrom(q)) : std::nullopt;
}

} // namespace

DatastoreStore::DatastoreStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

QList<DatastoreVersion> DatastoreStore::list(const QString &userId, const QString &name)
{
    QSqlQuery q = name.isEmpty()
                      ? execute(m_db, kVersionSelect + QStringLiteral("WHERE d.user_id = ? ORDER BY d.name, v.version"), {userId})
                      : execute(m_db, kVersionSelect + QStringLiteral("WHERE d.user_id = ? AND d.name = ? ORDER BY v.version"),
                                {userId, name});
    QList<DatastoreVersion> out;
    while (q.next())
        out.append(recordFrom(q).info);
    return out;
}

std::optional<VersionRecord> DatastoreStore::find(const QString &userId, const QString &name, int version)
{
    return first(execute(m_db, kVersionSelect + QStringLiteral("WHERE d.user_id = ? AND d.name = ? AND v.version = ?"),
                         {userId, name, version}));
}

std::optional<VersionRecord> DatastoreStore::latest(const QString &userId, const QString &name, const QString &status)
{
    if (status.isEmpty())
        return first(execute(m_db, kVersionSelect + QStringLiteral("WHERE d.user_id = ? AND d.name = ? ORDER BY v.version DESC LIMIT 1"),
                             {userId, name}));
    return first(execute(m_db, kVersionSelect + QStringLiteral("WHERE d.user_id = ? AND d.name = ? AND v.status = ? ORDER BY v.version DESC LIMIT 1"),
                         {userId, name, status}));
}

std::optional<VersionRecord> DatastoreStore::findById(const QString &versionId)
{
    return first(execute(m_db, kVersionSelect + QStringLiteral("WHERE v.id = ?"), {versionId}));
}

std::optional<VersionRecord> DatastoreStore::uploading(const QString &userId, const QString &name)
{
    return latest(userId, name, QStringLiteral("uploading"));
}

VersionRecord DatastoreStore::createVersion(const QString &userId, const QString &name, const DatastoreVersion &info)
{
    WriteTransaction tx(m_db);
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT id, next_version FROM datastores WHERE user_id = ? AND name = ?"),
                          {userId, name});
    QString datastoreId;
    int number = 1;
    if (q.next()) {
        datastoreId = q.value(0).toString();
        number = q.value(1).toInt();
    } else {
        datastoreId = randomId(16);
        execute(m_db, QStringLiteral("INSERT INTO datastores (id, user_id, name, next_version, created_at) VALUES (?, ?, ?, 1, ?)"),
                {datastoreId, userId, name, sqlNow()});
    }
    execute(m_db, QStringLiteral("UPDATE datastores SET next_version = ? WHERE id = ?"), {number + 1, datastoreId});
    const QString id = randomId(16);
    const QString t = sqlNow();
    execute(m_db,
            QStringLiteral("INSERT INTO datastore_versions (id, datastore_id, version, status, reason, root_hash,"
                           " size_bytes, file_count, source, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)"),
            {id, datastoreId, number, info.status, info.rootHash, info.sizeBytes, info.fileCount, info.source, t, t});
    tx.commit();
    return *findById(id);
}

void DatastoreStore::updateUploading(const QString &versionId, const DatastoreVersion &info)
{
    execute(m_db,
            QStringLiteral("UPDATE datastore_versions SET root_hash = ?, size_bytes = ?, file_count = ?, source = ?,"
                           " updated_at = ? WHERE id = ? AND status = 'uploading'"),
            {info.rootHash, info.sizeBytes, info.fileCount, info.source, sqlNow(), versionId});
}

void DatastoreStore::setStatus(const QString &versionId, const QString &status, const QString &reason)
{
    execute(m_db, QStringLiteral("UPDATE datastore_versions SET status = ?, reason = ?, updated_at = ? WHERE id = ?"),
            {status, reason.isNull() ? QStringLiteral("") : reason, sqlNow(), versionId});
}

namespace {
// Inserts `rows` rows of `columns` values each, many rows per statement: a listing of ten
// thousand files is recorded in a few dozen statements instead of ten thousand.
// `bindRow(query, firstPlaceholder, row)` binds one row's values; `tail` ends each statement.
template<typename BindRow>
void insertRows(const QSqlDatabase &db, const QString &table, const QStringList &columns, qsizetype rows,
                const BindRow &bindRow, const QString &tail = {})
{
    constexpr qsizetype kRowsPerStatement = 100;
    const QString placeholders = u'(' + QStringList(columns.size(), QStringLiteral("?")).join(u',') + u')';
    auto statementFor = [&](qsizetype count) {
        return QStringLiteral("INSERT INTO %1 (%2) VALUES %3 %4")
            .arg(table, columns.join(u','), QStringList(count, placeholders).join(u','), tail);
    };
    QSqlQuery full(db);
    if (rows >= kRowsPerStatement)
        full.prepare(statementFor(kRowsPerStatement));
    for (qsizetype i = 0; i < rows; i += kRowsPerStatement) {
        const qsizetype count = qMin(kRowsPerStatement, rows - i);
        QSqlQuery partial(db);
        QSqlQuery &insert = count == kRowsPerStatement ? full : partial;
        if (count != kRowsPerStatement)
            partial.prepare(statementFor(count));
        for (qsizetype r = 0; r < count; ++r)
            bindRow(insert, int(r * columns.size()), i + r);
        if (!insert.exec())
            throwQueryError(insert, "cannot record version files");
    }
}

// "?,?,…" for `count` values.
QString placeholderList(qsizetype count)
{
    return QStringList(count, QStringLiteral("?")).join(u',');
}
} // namespace

void DatastoreStore::completeVersion(const QString &versionId, const Manifest &manifest, const QList<DirListing> &listings,
                                     const QStringList &verified)
{
    WriteTransaction tx(m_db);
    setVerified(verified);
    QStringList hashes;
    for (const DirListing &l : listings)
        hashes.append(l.hash);
    // Asked inside the transaction: no listing can go away between the question and the
    // rows that use it.
    const QSet<QString> known = knownListings(hashes);
    QList<std::pair<const DirListing *, const ManifestEntry *>> entries;
    QSet<QString> added;
    for (const DirListing &l : listings) {
        if (known.contains(l.hash) || added.contains(l.hash))
            continue;
        added.insert(l.hash);
        for (const ManifestEntry &e : l.entries)
            entries.append({&l, &e});
    }
    insertRows(m_db, QStringLiteral("dir_entries"),
               {QStringLiteral("listing"), QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("mode"),
                QStringLiteral("size_bytes"), QStringLiteral("sha256"), QStringLiteral("target")},
               entries.size(), [&entries](QSqlQuery &q, int base, qsizetype row) {
                   const auto &[listing, e] = entries[row];
                   q.bindValue(base, listing->hash);
                   q.bindValue(base + 1, entryName(e->path));
                   q.bindValue(base + 2, Manifest::typeName(e->type));
                   q.bindValue(base + 3, e->mode);
                   q.bindValue(base + 4, e->size);
                   q.bindValue(base + 5, e->type == ManifestEntry::Type::File ? QVariant(e->sha256) : QVariant());
                   q.bindValue(base + 6, e->type == ManifestEntry::Type::Symlink ? QVariant(e->target) : QVariant());
               },
               // A listing no version uses any more may still be there until the next garbage
               // collection; its rows are these same rows (the name is the content's hash).
               QStringLiteral("ON CONFLICT (listing, name) DO NOTHING"));
    execute(m_db, QStringLiteral("DELETE FROM version_dirs WHERE version_id = ?"), {versionId});
    insertRows(m_db, QStringLiteral("version_dirs"),
               {QStringLiteral("version_id"), QStringLiteral("path"), QStringLiteral("listing")}, listings.size(),
               [&](QSqlQuery &q, int base, qsizetype row) {
                   q.bindValue(base, versionId);
                   q.bindValue(base + 1, listings[row].path);
                   q.bindValue(base + 2, listings[row].hash);
               });
    execute(m_db,
            QStringLiteral("UPDATE datastore_versions SET status = 'succeeded', reason = '', size_bytes = ?, file_count = ?,"
                           " updated_at = ? WHERE id = ?"),
            {manifest.totalBytes(), manifest.fileCount(), sqlNow(), versionId});
    tx.commit();
}

QSet<QString> DatastoreStore::knownListings(const QStringList &listings)
{
    QSet<QString> known;
    for (qsizetype i = 0; i < listings.size(); i += 500) {
        const QStringList chunk = listings.mid(i, 500);
        // A listing is known by its version_dirs rows: an empty directory has no entries.
        QSqlQuery q = execute(m_db, QStringLiteral("SELECT DISTINCT listing FROM version_dirs WHERE listing IN (%1)")
                                        .arg(placeholderList(chunk.size())),
                              QVariantList(chunk.begin(), chunk.end()));
        while (q.next())
            known.insert(q.value(0).toString());
    }
    return known;
}

QSet<QString> DatastoreStore::listingsOf(const QString &versionId)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT listing FROM version_dirs WHERE version_id = ?"), {versionId});
    QSet<QString> listings;
    while (q.next())
        listings.insert(q.value(0).toString());
    return listings;
}

QStringList DatastoreStore::versionIdsInStatus(const QString &status)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT id FROM datastore_versions WHERE status = ?"), {status});
    QStringList ids;
    while (q.next())
        ids.append(q.value(0).toString());
    return ids;
}

QStringList DatastoreStore::notUploadedBy(const QString &userId, const QStringList &hashes)
{
    if (hashes.isEmpty())
        return {};
    QString placeholders = QStringLiteral("?");
    placeholders += QStringLiteral(",?").repeated(hashes.size() - 1);
    QVariantList binds{userId};
    for (const QString &h : hashes)
        binds.append(h);
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT sha256 FROM user_objects WHERE user_id = ? AND sha256 IN (%1)").arg(placeholders), binds);
    QSet<QString> have;
    while (q.next())
        have.insert(q.value(0).toString());
    QStringList missing;
    for (const QString &h : hashes)
        if (!have.contains(h))
            missing.append(h);
    return missing;
}

void DatastoreStore::unflushed(const std::function<void()> &write)
{
    // No automatic checkpoint meanwhile either: one run without flushes could copy earlier,
    // flushed transactions into the database file without flushing it, and a later writer
    // may then start the WAL over, leaving them only in that unflushed file. The next commit
    // with flushes checkpoints as usual.
    QSqlQuery current = execute(m_db, QStringLiteral("PRAGMA wal_autocheckpoint"));
    const int autoCheckpoint = current.next() ? current.value(0).toInt() : 1000;
    execute(m_db, QStringLiteral("PRAGMA wal_autocheckpoint=0"));
    execute(m_db, QStringLiteral("PRAGMA synchronous=OFF"));
    // The connection is FULL otherwise; put back even when `write` throws (and never throw here).
    const auto restore = qScopeGuard([this, autoCheckpoint] {
        QSqlQuery(m_db).exec(QStringLiteral("PRAGMA synchronous=FULL"));
        QSqlQuery(m_db).exec(QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(autoCheckpoint));
    });
    write();
}

void DatastoreStore::markOptimizing(const QString &versionId, const DatastoreVersion &info)
{
    // The commit is acknowledged (202) before optimizing, but the version is usable only once
    // it has succeeded, and that write is flushed (with this one before it). Lost to a power
    // cut, this leaves the version uploading with all its objects in place: the next run of
    // the upload takes it over and commits again. A flush here would be a disk round trip in
    // every commit, the hourly re-upload's included.
    unflushed([&] {
        WriteTransaction tx(m_db);
        updateUploading(versionId, info);
        setStatus(versionId, QStringLiteral("optimizing"));
        tx.commit();
    });
}

void DatastoreStore::recordObjects(const QString &userId, const QList<QPair<QString, qint64>> &objects)
{
    if (objects.isEmpty())
        return;
    const QString t = sqlNow();
    // Not flushed on its own: a record lost to a power cut only makes the object count as
    // missing, and the client sends it again. Every upload request records what it stored,
    // so a flush each would be a disk round trip per request (a hundred in a first upload,
    // most of an hourly re-upload's request).
    unflushed([&] {
        WriteTransaction tx(m_db);
        QSqlQuery object(m_db);
        object.prepare(QStringLiteral("INSERT INTO objects (sha256, size_bytes, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
        // Refresh created_at on re-upload: garbage collection spares recently uploaded objects.
        QSqlQuery owner(m_db);
        owner.prepare(QStringLiteral("INSERT INTO user_objects (user_id, sha256, created_at) VALUES (?, ?, ?)"
                                     " ON CONFLICT (user_id, sha256) DO UPDATE SET created_at = excluded.created_at"));
        for (const auto &[sha256, size] : objects) {
            object.bindValue(0, sha256);
            object.bindValue(1, size);
            object.bindValue(2, t);
            owner.bindValue(0, userId);
            owner.bindValue(1, sha256);
            owner.bindValue(2, t);
            if (!object.exec())
                throwQueryError(object, "cannot record uploaded objects");
            if (!owner.exec())
                throwQueryError(owner, "cannot record uploaded objects");
        }
        tx.commit();
    });
}

QSet<QString> DatastoreStore::verifiedObjects(const QStringList &hashes)
{
    QSet<QString> verified;
    for (qsizetype i = 0; i < hashes.size(); i += 500) {
        const QStringList chunk = hashes.mid(i, 500);
        QVariantList binds;
        for (const QString &h : chunk)
            binds.append(h);
        QSqlQuery q = execute(m_db, QStringLiteral("SELECT sha256 FROM objects WHERE verified = 1 AND sha256 IN (?%1)")
                                        .arg(QStringLiteral(",?").repeated(chunk.size() - 1)), binds);
        while (q.next())
            verified.insert(q.value(0).toString());
    }
    return verified;
}

void DatastoreStore::markVerified(const QStringList &hashes)
{
    if (hashes.isEmpty())
        return;
    WriteTransaction tx(m_db);
    setVerified(hashes);
    tx.commit();
}

void DatastoreStore::setVerified(const QStringList &hashes)
{
    for (qsizetype i = 0; i < hashes.size(); i += 500) {
        const QStringList chunk = hashes.mid(i, 500);
        execute(m_db, QStringLiteral("UPDATE objects SET verified = 1 WHERE sha256 IN (%1)").arg(placeholderList(chunk.size())),
                QVariantList(chunk.begin(), chunk.end()));
    }
}

qint64 DatastoreStore::usedBytes(const QString &userId)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT COALESCE(SUM(v.size_bytes), 0) FROM datastore_versions v"
                                               " JOIN datastores d ON d.id = v.datastore_id"
                                               " WHERE d.user_id = ? AND v.status <> 'failed'"),
                          {userId});
    return q.next() ? q.value(0).toLongLong() : 0;
}

QStringList DatastoreStore::usersOf(const QString &versionId)
{
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT 'session ' || name FROM sessions WHERE datastore_version_id = ?"
                                               " UNION ALL SELECT 'experiment ' || name FROM experiments WHERE datastore_version_id = ?"),
                          {versionId, versionId});
    QStringList users;
    while (q.next())
        users.append(q.value(0).toString());
    return users;
}

void DatastoreStore::deleteVersion(const QString &versionId)
{
    execute(m_db, QStringLiteral("DELETE FROM datastore_versions WHERE id = ?"), {versionId});
}

QStringList DatastoreStore::unreferencedObjects(qint64 graceSeconds)
{
    const QString cutoff = QDateTime::currentDateTimeUtc().addSecs(-graceSeconds).toString(Qt::ISODateWithMs);
    QSqlQuery q = execute(m_db, QStringLiteral(
        "SELECT o.sha256 FROM objects o"
        " WHERE NOT EXISTS (SELECT 1 FROM dir_entries f JOIN version_dirs v ON v.listing = f.listing WHERE f.sha256 = o.sha256)"
        " AND NOT EXISTS (SELECT 1 FROM user_objects u WHERE u.sha256 = o.sha256 AND u.created_at > ?)"), {cutoff});
    QStringList hashes;
    while (q.next())
        hashes.append(q.value(0).toString());
    return hashes;
}

int DatastoreStore::forgetUnusedListings()
{
    QSqlQuery q = execute(m_db, QStringLiteral("DELETE FROM dir_entries WHERE NOT EXISTS"
                                               " (SELECT 1 FROM version_dirs v WHERE v.listing = dir_entries.listing)"));
    return q.numRowsAffected();
}

QStringList DatastoreStore::manifestRoots()
{
    QStringList roots;
    QSqlQuery q = execute(m_db, QStringLiteral("SELECT DISTINCT root_hash FROM datastore_versions WHERE root_hash <> ''"));
    while (q.next())
        roots.append(q.value(0).toString());
    // Run specs are JSON; the code root is one of its fields.
    QSqlQuery runs = execute(m_db, QStringLiteral("SELECT spec FROM runs"));
    while (runs.next()) {
        const QString root = QJsonDocument::fromJson(runs.value(0).toString().toUtf8()).object().value(QStringLiteral("code_root")).toString();
        if (!root.isEmpty())
            roots.append(root);
    }
    roots.removeDuplicates();
    return roots;
}

bool DatastoreStore::isCodeRoot(const QString &root)
{
    return !execute(m_db, QStringLiteral("SELECT 1 FROM datastore_versions WHERE root_hash = ?"), {root}).next();
}

void DatastoreStore::forgetObject(const QString &sha256)
{
    execute(m_db, QStringLiteral("DELETE FROM objects WHERE sha256 = ?"), {sha256});
}

namespace {
const QString kEntrySelect = QStringLiteral(
    "SELECT f.name, f.type, f.mode, f.size_bytes, f.sha256, f.target"
    " FROM version_dirs d JOIN dir_entries f ON f.listing = d.listing"
    " WHERE d.version_id = ? AND d.path = ?");

VersionFile fileIn(const QString &directory, const QSqlQuery &q)
{
    const QString name = q.value(0).toString();
    return {directory.isEmpty() ? name : directory + u'/' + name,
            Manifest::typeFromName(q.value(1).toString()).value_or(ManifestEntry::Type::File), q.value(2).toInt(),
            q.value(3).toLongLong(), q.value(4).toString(), q.value(5).toString()};
}
} // namespace

QSet<QString> DatastoreStore::fileHashes(const QString &versionId)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT DISTINCT f.sha256 FROM version_dirs d JOIN dir_entries f ON f.listing = d.listing"
                             " WHERE d.version_id = ? AND f.sha256 IS NOT NULL"));
    q.addBindValue(versionId);
    if (!q.exec())
        throwQueryError(q, "cannot read a version's files");
    QSet<QString> hashes;
    while (q.next())
        hashes.insert(q.value(0).toString());
    return hashes;
}

QList<VersionFile> DatastoreStore::listFiles(const QString &versionId, const QString &directory)
{
    const QString dir = directory.isNull() ? QStringLiteral("") : directory;
    QSqlQuery q = execute(m_db, kEntrySelect + QStringLiteral(" ORDER BY f.name"), {versionId, dir});
    QList<VersionFile> files;
    while (q.next())
        files.append(fileIn(dir, q));
    return files;
}

std::optional<VersionFile> DatastoreStore::findFile(const QString &versionId, const QString &path)
{
    const QString dir = parentPath(path);
    QSqlQuery q = execute(m_db, kEntrySelect + QStringLiteral(" AND f.name = ?"), {versionId, dir, entryName(path)});
    return q.next() ? std::optional(fileIn(dir, q)) : std::nullopt;
}

} // namespace og
