// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datastores/datastoreworker.h"

#include "core/archive/archiveextractor.h"
#include "core/datastore/manifest.h"
#include "core/datastore/treescanner.h"
#include "core/sentences.h"
#include "server/content/objectstore.h"
#include "server/content/treematerializer.h"
#include "server/datastores/datastorestore.h"
#include "server/datastores/dirlisting.h"
#include "server/events/eventhub.h"
#include "server/store/database.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace og {

Q_LOGGING_CATEGORY(lcDatastores, "opengrid.server.datastores", QtInfoMsg)



DatastoreWorker::DatastoreWorker(Database &database, ObjectStore &objects, EventHub &events,
                                 QString treesRoot, QString importsRoot, DatastoreLimits limits)
    : m_database(database)
    , m_objects(objects)
    , m_events(events)
    , m_treesRoot(std::move(treesRoot))
    , m_importsRoot(std::move(importsRoot))
    , m_limits(limits)
    // Beside the trees, on their filesystem (spares are hard links too), but outside the
    // directory where nothing but versions' trees is.
    , m_spares(QFileInfo(m_treesRoot).absolutePath() + QStringLiteral("/datastore-spares"))
{
}

DatastoreWorker::~DatastoreWorker()
{
    stop();
}

QString DatastoreWorker::start()
{
    for (const QString &dir : {m_treesRoot, m_importsRoot})
        if (!QDir().mkpath(dir))
            return QStringLiteral("cannot create %1").arg(dir);
    if (const QString e = m_spares.reset(); !e.isEmpty())
        return e;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("datastores"));
    moveToThread(m_thread);
    m_thread->start();
    // Work a crash interrupted: commits that were optimizing, URL imports that were running.
    QMetaObject::invokeMethod(this, [this] {
        try {
            DatastoreStore store(m_database.connection());
            for (const QString &id : store.versionIdsInStatus(QStringLiteral("optimizing")))
                runOptimize(id);
            for (const QString &id : store.versionIdsInStatus(QStringLiteral("uploading"))) {
                const auto record = store.findById(id);
                const QUrl url(record ? record->info.source : QString());
                if (record && (url.scheme() == u"http" || url.scheme() == u"https"))
                    runImport(id, url);
            }
        } catch (const std::exception &e) {
            qCWarning(lcDatastores) << "resuming interrupted datastore work failed:" << e.what();
        }
    }, Qt::QueuedConnection);
    return {};
}

void DatastoreWorker::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(this, [this] {
        m_database.closeThreadConnection();
        moveToThread(nullptr);
    }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

QString DatastoreWorker::treePath(const QString &datastoreId, int version) const
{
    return QStringLiteral("%1/%2/%3").arg(m_treesRoot, datastoreId).arg(version);
}

void DatastoreWorker::optimize(const QString &versionId, std::shared_ptr<const Manifest> manifest, QList<DirListing> listings)
{
    QMetaObject::invokeMethod(this, [this, versionId, manifest, listings] { runOptimize(versionId, manifest, listings); },
                              Qt::QueuedConnection);
}

void DatastoreWorker::import(const QString &versionId, const QUrl &url)
{
    QMetaObject::invokeMethod(this, [this, versionId, url] { runImport(versionId, url); }, Qt::QueuedConnection);
}

void DatastoreWorker::removeVersion(const QString &versionId, const QString &datastoreId, int version)
{
    QMetaObject::invokeMethod(this, [=, this] { runRemove(versionId, datastoreId, version); }, Qt::QueuedConnection);
}

void DatastoreWorker::publish(const VersionRecord &record, const QString &action)
{
    m_events.publish({QStringLiteral("datastores"), action, record.userId, record.info.toJson()});
}

void DatastoreWorker::fail(const QString &versionId, const QString &reason)
{
    qCWarning(lcDatastores).noquote() << "datastore version" << versionId << "failed:" << reason;
    try {
        DatastoreStore store(m_database.connection());
        store.setStatus(versionId, QStringLiteral("failed"), reason);
        if (const auto record = store.findById(versionId))
            publish(*record, QStringLiteral("updated"));
    } catch (const std::exception &e) {
        qCCritical(lcDatastores) << "cannot record the failure:" << e.what();
    }
}

void DatastoreWorker::runOptimize(const QString &versionId, std::shared_ptr<const Manifest> parsed, QList<DirListing> listings)
{
    QElapsedTimer timer;
    timer.start();
    try {
        DatastoreStore store(m_database.connection());
        const auto record = store.findById(versionId);
        if (!record || record->info.status != u"optimizing")
            return;
        if (!parsed) { // not handed over by the commit (a restart, an import): read it
            QFile manifestFile(m_objects.pathOf(record->info.rootHash));
            if (!manifestFile.open(QIODevice::ReadOnly))
                return fail(versionId, QStringLiteral("the manifest object is missing; create the datastore again"));
            QString error;
            auto manifest = Manifest::parse(manifestFile.readAll(), &error);
            if (!manifest)
                return fail(versionId, QStringLiteral("invalid manifest: %1").arg(error));
            parsed = std::make_shared<const Manifest>(std::move(*manifest));
        }
        const Manifest &manifest = *parsed;

        // Directories whose listing a succeeded version already has hold objects an earlier
        // optimize verified and flushed; only the files of the other directories are looked at.
        if (listings.isEmpty()) // every manifest has its root's: not handed over by the commit
            listings = dirListingsOf(manifest);
        QStringList listingHashes;
        for (const DirListing &l : listings)
            listingHashes.append(l.hash);
        const QSet<QString> knownListings = store.knownListings(listingHashes);
        QHash<QString, QString> newObjects; // hash -> a path that uses it, for messages
        for (const DirListing &l : listings)
            if (!knownListings.contains(l.hash))
                for (const ManifestEntry &e : l.entries)
                    if (e.type == ManifestEntry::Type::File)
                        newObjects.insert(e.sha256, e.path);
        // Of those, objects verified before are durable and intact too. The rest were either
        // stored by this process from bytes it hashed as they arrived (intact; the flush below
        // makes them durable), or before a restart, when a crash may have cut them short:
        // only these are read again.
        const QStringList candidates = newObjects.keys();
        const QSet<QString> verified = store.verifiedObjects(candidates);
        QStringList newlyVerified;
        for (const QString &hash : candidates) {
            if (verified.contains(hash))
                continue;
            if (!m_objects.storedByThisProcess(hash)) {
                if (const QString problem = m_objects.verify(hash); !problem.isEmpty()) {
                    // Drop a damaged object so the next upload sends it again.
                    m_objects.remove(hash);
                    return fail(versionId, QStringLiteral("%1 (file '%2'); upload the datastore again").arg(problem, newObjects.value(hash)));
                }
            }
            newlyVerified.append(hash);
        }
        // The version becomes succeeded only in the database commit after this flush, so a
        // crash before leaves it optimizing, and the restarted gridd verifies what is not
        // marked verified and builds the tree again.
        QString how;
        QStringList changed; // what a tree built from the spare changed; empty: built in full
        if (const QString e = buildVersionTree(*record, manifest, listings, &how, &changed); !e.isEmpty())
            return fail(versionId, e);
        if (const QString e = flush(newlyVerified, changed); !e.isEmpty())
            return fail(versionId, e);
        store.completeVersion(versionId, manifest, listings, newlyVerified);
        m_objects.forgetStoredByThisProcess(newlyVerified);
        if (const auto done = store.findById(versionId)) {
            publish(*done, QStringLiteral("updated"));
            qCInfo(lcDatastores).noquote() << "datastore" << done->info.name << "version" << done->info.version
                                           << "succeeded:" << plural(done->info.fileCount, QStringLiteral("file"))
                                           << QStringLiteral("(%1 of %2 directories new, %3 new objects, tree %4; optimized in %5 ms)")
                                                  .arg(listings.size() - knownListings.size()).arg(listings.size())
                                                  .arg(newlyVerified.size()).arg(how).arg(timer.elapsed());
        }
        // The next version's starting point, made once the work queued before it is done.
        QMetaObject::invokeMethod(this, [this, versionId, parsed, listings] { runPrepareSpare(versionId, parsed, listings); },
                                  Qt::QueuedConnection);
    } catch (const std::exception &e) {
        fail(versionId, QStringLiteral("internal error while optimizing: %1").arg(QString::fromUtf8(e.what())));
    }
}

QString DatastoreWorker::buildVersionTree(const VersionRecord &record, const Manifest &manifest,
                                          const QList<DirListing> &listings, QString *how, QStringList *changed)
{
    const QString building = m_treesRoot + QStringLiteral("/.building-") + record.id;
    const QString finalPath = treePath(record.datastoreId, record.info.version);
    if (auto spare = m_spares.take(record.datastoreId)) {
        removeReadOnlyTree(building);
        QStringList dirs;
        ::chmod(QFile::encodeName(spare->path).constData(), 0755); // see moveTreeIntoPlace
        QString error = ::rename(QFile::encodeName(spare->path).constData(), QFile::encodeName(building).constData()) == 0
                            ? updateTree(m_objects, building, spare->listings, listings, &dirs)
                            : QStringLiteral("cannot move the spare tree: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        if (error.isEmpty())
            error = moveTreeIntoPlace(building, finalPath);
        if (error.isEmpty()) {
            *how = QStringLiteral("updated from version %1's").arg(spare->versionId);
            // What changed, under its final name, and the directories the renames changed.
            for (const QString &dir : std::as_const(dirs))
                changed->append(finalPath + dir.mid(building.size()));
            *changed << finalPath << QFileInfo(finalPath).path() << m_treesRoot << m_spares.root();
            return {};
        }
        // Whatever went wrong, a full build from the objects is still right.
        qCWarning(lcDatastores).noquote() << "building the tree from the spare failed, building it in full:" << error;
        removeReadOnlyTree(building);
        removeReadOnlyTree(spare->path);
    }
    *how = QStringLiteral("built in full");
    return materializeTree(m_objects, manifest, building, finalPath);
}

QString DatastoreWorker::flush(const QStringList &newObjects, const QStringList &changedDirs)
{
    // A tree built in full (ten thousand new links) and many new objects are cheapest flushed
    // all at once; a few changes on top of a spare (which was flushed when it was made) are
    // flushed one by one, which does not wait for whatever else the machine has written —
    // syncfs would, and on a busy machine that is most of an hourly re-upload's time.
    constexpr qsizetype kMostFlushedOneByOne = 64;
    if (changedDirs.isEmpty() || newObjects.size() + changedDirs.size() > kMostFlushedOneByOne)
        return m_objects.sync();
    return m_objects.syncObjects(newObjects, changedDirs); // all in one go: one journal commit
}

void DatastoreWorker::runPrepareSpare(const QString &versionId, const std::shared_ptr<const Manifest> &manifest,
                                      const QList<DirListing> &listings)
{
    QElapsedTimer timer;
    timer.start();
    try {
        DatastoreStore store(m_database.connection());
        const auto record = store.findById(versionId);
        if (!record)
            return;
        // Only the latest succeeded version is worth a spare: the next one is built from it.
        const auto latest = store.latest(record->userId, record->info.name, QStringLiteral("succeeded"));
        if (!latest || latest->id != versionId)
            return;
        if (const QString e = m_spares.prepare(m_objects, record->datastoreId, versionId, *manifest, listings); !e.isEmpty()) {
            qCWarning(lcDatastores).noquote() << "cannot prepare the next tree of datastore" << record->info.name << "(the next"
                                              << "version is built in full):" << e;
            return;
        }
        qCInfo(lcDatastores).noquote() << "datastore" << record->info.name << "version" << record->info.version
                                       << QStringLiteral(": next version's tree prepared in %1 ms").arg(timer.elapsed());
    } catch (const std::exception &e) {
        qCWarning(lcDatastores) << "preparing a spare tree failed:" << e.what();
    }
}

void DatastoreWorker::runImport(const QString &versionId, const QUrl &url)
{
    const QString workDir = m_importsRoot + u'/' + versionId;
    removeReadOnlyTree(workDir);
    QDir().mkpath(workDir);
    const QString archivePath = workDir + u'/' + (url.fileName().isEmpty() ? QStringLiteral("download") : url.fileName());
    auto cleanup = qScopeGuard([&] { removeReadOnlyTree(workDir); });
    try {
        DatastoreStore store(m_database.connection());
        const auto record = store.findById(versionId);
        if (!record || record->info.status != u"uploading")
            return;
        if (!ArchiveExtractor::looksLikeArchive(archivePath))
            return fail(versionId, QStringLiteral("%1 is not a .zip, .tar or .tar.gz archive; a URL source must be one").arg(url.toString()));

        // Download with a size limit and an inactivity timeout.
        QFile out(archivePath);
        if (!out.open(QIODevice::WriteOnly))
            return fail(versionId, QStringLiteral("cannot write the download: %1").arg(out.errorString()));
        QNetworkAccessManager nam;
        QNetworkRequest request(url);
        request.setTransferTimeout(m_limits.downloadTimeoutSeconds * 1000);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply *reply = nam.get(request);
        QString downloadError;
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            if (out.write(reply->readAll()) < 0)
                downloadError = QStringLiteral("cannot write the download: %1").arg(out.errorString());
            else if (out.size() > m_limits.maxDownloadBytes)
                downloadError = QStringLiteral("the download is larger than the limit of %1 bytes").arg(m_limits.maxDownloadBytes);
            if (!downloadError.isEmpty())
                reply->abort();
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        out.write(reply->readAll());
        out.close();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (downloadError.isEmpty() && reply->error() != QNetworkReply::NoError)
            downloadError = status >= 400
                                ? QStringLiteral("HTTP %1 %2").arg(status).arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())
                                : (reply->error() == QNetworkReply::OperationCanceledError ? QStringLiteral("timed out after %1 s without data").arg(m_limits.downloadTimeoutSeconds)
                                                                                           : reply->errorString());
        reply->deleteLater();
        if (!downloadError.isEmpty())
            return fail(versionId, QStringLiteral("downloading %1 failed: %2").arg(url.toString(), downloadError));

        ExtractLimits limits;
        limits.maxTotalBytes = m_limits.maxExtractedBytes;
        limits.maxEntries = m_limits.maxArchiveEntries;
        const QString treeDir = workDir + QStringLiteral("/tree");
        const ExtractResult extracted = ArchiveExtractor::extract(archivePath, treeDir, limits);
        if (!extracted.error.isEmpty())
            return fail(versionId, QStringLiteral("cannot extract %1: %2").arg(url.fileName(), extracted.error));
        QFile::remove(archivePath);

        const TreeScanner::ScanResult scan = TreeScanner::scan(treeDir, nullptr);
        if (!scan.error.isEmpty())
            return fail(versionId, scan.error);
        const Manifest &manifest = scan.manifest;
        if (m_limits.quotaBytes > 0 && store.usedBytes(record->userId) - record->info.sizeBytes + manifest.totalBytes() > m_limits.quotaBytes)
            return fail(versionId, QStringLiteral("the datastore quota of %1 bytes would be exceeded").arg(m_limits.quotaBytes));

        QList<QPair<QString, qint64>> owned;
        for (const ManifestEntry &e : manifest.entries()) {
            if (e.type != ManifestEntry::Type::File)
                continue;
            const auto put = m_objects.adoptFile(scan.sourceFiles.value(e.path), e.sha256);
            if (!put.ok())
                return fail(versionId, put.message);
            owned.append({e.sha256, e.size});
        }
        const QByteArray manifestBytes = manifest.toCanonicalBytes();
        if (const auto put = m_objects.put(manifest.rootHash(), manifestBytes); !put.ok())
            return fail(versionId, put.message);
        owned.append({manifest.rootHash(), manifestBytes.size()});
        store.recordObjects(record->userId, owned);

        DatastoreVersion info = record->info;
        info.rootHash = manifest.rootHash();
        info.sizeBytes = manifest.totalBytes();
        info.fileCount = manifest.fileCount();
        store.updateUploading(versionId, info);
        store.setStatus(versionId, QStringLiteral("optimizing"));
        if (const auto now = store.findById(versionId))
            publish(*now, QStringLiteral("updated"));
        runOptimize(versionId);
    } catch (const std::exception &e) {
        fail(versionId, QStringLiteral("internal error while importing: %1").arg(QString::fromUtf8(e.what())));
    }
}

void DatastoreWorker::runRemove(const QString &versionId, const QString &datastoreId, int version)
{
    Q_UNUSED(versionId)
    m_spares.discard(datastoreId); // it may be a copy of this version: its links would keep deleted objects' bytes
    removeReadOnlyTree(treePath(datastoreId, version));
    collectGarbage();
}

QSet<QString> DatastoreWorker::referencedByManifests(DatastoreStore &store) const
{
    QSet<QString> kept;
    const QStringList roots = store.manifestRoots();
    for (const QString &root : roots) {
        kept.insert(root);
        if (!store.isCodeRoot(root))
            continue; // a datastore version's files are in version_files already
        QFile file(m_objects.pathOf(root));
        QString error;
        if (file.open(QIODevice::ReadOnly))
            if (const auto manifest = Manifest::parse(file.readAll(), &error))
                for (const ManifestEntry &e : manifest->entries())
                    if (e.type == ManifestEntry::Type::File)
                        kept.insert(e.sha256);
    }
    return kept;
}

void DatastoreWorker::collectGarbage()
{
    try {
        DatastoreStore store(m_database.connection());
        // Listings of deleted versions first: their files then no longer count as used.
        store.forgetUnusedListings();
        // The grace period (a day by default) keeps the objects of uploads not committed yet.
        QStringList garbage = store.unreferencedObjects(m_limits.gcGraceSeconds);
        // Besides version files, objects are referenced by manifests: datastore versions' own
        // and the code snapshots of runs (their manifest and every file in it).
        const QSet<QString> kept = referencedByManifests(store);
        garbage.removeIf([&kept](const QString &hash) { return kept.contains(hash); });
        for (const QString &hash : garbage) {
            m_objects.remove(hash);
            store.forgetObject(hash);
        }
        if (!garbage.isEmpty())
            qCInfo(lcDatastores) << "removed" << garbage.size() << "unreferenced objects";
    } catch (const std::exception &e) {
        qCWarning(lcDatastores) << "garbage collection failed:" << e.what();
    }
}

} // namespace og
