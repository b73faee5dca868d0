// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datastores/datastoreworker.h"

#include "core/archive/archiveextractor.h"
#include "core/datastore/manifest.h"
#include "core/datastore/treescanner.h"
#include "core/sentences.h"
#include "server/content/objectstore.h"
#include "server/content/treematerializer.h"
#include "server/datastores/datastorestore.h"
#include "server/events/eventhub.h"
#include "server/store/database.h"

#include <QDir>
#include <QDirIterator>
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

void DatastoreWorker::optimize(const QString &versionId)
{
    QMetaObject::invokeMethod(this, [this, versionId] { runOptimize(versionId); }, Qt::QueuedConnection);
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

void DatastoreWorker::runOptimize(const QString &versionId)
{
    try {
        DatastoreStore store(m_database.connection());
        const auto record = store.findById(versionId);
        if (!record || record->info.status != u"optimizing")
            return;
        QFile manifestFile(m_objects.pathOf(record->info.rootHash));
        if (!manifestFile.open(QIODevice::ReadOnly))
            return fail(versionId, QStringLiteral("the manifest object is missing; create the datastore again"));
        QString error;
        const auto manifest = Manifest::parse(manifestFile.readAll(), &error);
        if (!manifest)
            return fail(versionId, QStringLiteral("invalid manifest: %1").arg(error));

        QStringList hashes;
        for (const ManifestEntry &e : manifest->entries())
            if (e.type == ManifestEntry::Type::File)
                hashes.append(e.sha256);
        // Objects an earlier optimize verified and flushed are durable and intact; only new
        // ones (which a crash could have left short) are read again.
        QSet<QString> verified = store.verifiedObjects(hashes);
        QStringList newlyVerified;
        for (const ManifestEntry &e : manifest->entries()) {
            if (e.type != ManifestEntry::Type::File || verified.contains(e.sha256))
                continue;
            if (const QString problem = m_objects.verify(e.sha256); !problem.isEmpty()) {
                // Drop a damaged object so the next upload sends it again.
                m_objects.remove(e.sha256);
                return fail(versionId, QStringLiteral("%1 (file '%2'); upload the datastore again").arg(problem, e.path));
            }
            verified.insert(e.sha256);
            newlyVerified.append(e.sha256);
        }
        // New objects must be on disk before a tree links to them; reused ones already are.
        if (!newlyVerified.isEmpty())
            if (const QString e = m_objects.sync(); !e.isEmpty())
                return fail(versionId, e);
        if (const QString e = materializeTree(m_objects, *manifest, m_treesRoot + QStringLiteral("/.building-") + record->id,
                                              treePath(record->datastoreId, record->info.version));
            !e.isEmpty())
            return fail(versionId, e);
        if (const QString e = m_objects.sync(); !e.isEmpty())
            return fail(versionId, e);
        // Only now, with every byte on disk, does the version become visible as succeeded.
        store.markVerified(newlyVerified);
        store.completeVersion(versionId, *manifest);
        if (const auto done = store.findById(versionId)) {
            publish(*done, QStringLiteral("updated"));
            qCInfo(lcDatastores).noquote() << "datastore" << done->info.name << "version" << done->info.version
                                           << "succeeded:" << plural(done->info.fileCount, QStringLiteral("file"));
        }
    } catch (const std::exception &e) {
        fail(versionId, QStringLiteral("internal error while optimizing: %1").arg(QString::fromUtf8(e.what())));
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
