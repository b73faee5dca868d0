// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/uploader.h"

#include "core/apiclient.h"
#include "core/archive/archiveextractor.h"
#include "core/clientconfig.h"
#include "core/datastore/hashcache.h"
#include "core/datastore/localintakeclient.h"
#include "core/datastore/manifest.h"
#include "core/datastore/objectuploader.h"
#include "core/datastore/treescanner.h"
#include "core/jsonreader.h"
#include "core/names.h"
#include "core/securefile.h"
#include "core/sha256.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <deque>

namespace og {

namespace {
Q_LOGGING_CATEGORY(lcUpload, "opengrid.core.datastore.upload", QtInfoMsg)

QString stateFile(const QString &name)
{
    return DatastoreUploader::workDir() + u'/' + name + QStringLiteral(".json");
}

// A run stopped on request before its commit: nothing is lost, the next run continues.
UploadResult cancelledResult(UploadResult result, bool versionOpened)
{
    result.cancelled = true;
    result.error = versionOpened ? QStringLiteral("cancelled; run the same upload again (or `grid datastore resume`) to continue it")
                                 : QStringLiteral("cancelled before anything was uploaded");
    return result;
}
} // namespace

DatastoreUploader::DatastoreUploader(ApiClient &api, ProgressFn progress, CancelFn cancelled)
    : m_api(api)
    , m_progress(std::move(progress))
    , m_cancelled(std::move(cancelled))
{
}

QString DatastoreUploader::workDir()
{
    return clientconfig::gridDir() + QStringLiteral("/datastores");
}

QString DatastoreUploader::nameFromSource(const QString &source)
{
    QString last = source;
    const QUrl url(source);
    if (url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https"))
        last = url.path();
    while (last.endsWith(u'/'))
        last.chop(1);
    last = last.section(u'/', -1).section(u'.', 0, 0).toLower();
    QString name;
    for (QChar c : last)
        name.append((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') ? c : u'-');
    while (name.startsWith(u'-'))
        name.remove(0, 1);
    while (name.endsWith(u'-'))
        name.chop(1);
    if (name.isEmpty())
        return QStringLiteral("datastore");
    if (!name.front().isLetter())
        name.prepend(QStringLiteral("ds-"));
    return name.left(names::kMaxLength);
}

QList<UploadRequest> DatastoreUploader::interruptedUploads()
{
    QList<UploadRequest> list;
    const QDir dir(workDir());
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        UploadRequest r;
        r.name = o.value(QStringLiteral("name")).toString();
        r.source = o.value(QStringLiteral("source")).toString();
        r.extract = o.value(QStringLiteral("extract")).toBool();
        if (!r.name.isEmpty() && !r.source.isEmpty())
            list.append(r);
    }
    return list;
}

UploadResult DatastoreUploader::run(const UploadRequest &request)
{
    UploadResult result;
    const QString name = request.name.isEmpty() ? nameFromSource(request.source) : request.name;
    if (const auto problem = names::validate(name, QStringLiteral("Datastore"))) {
        result.error = *problem + QStringLiteral("; choose one with --name");
        return result;
    }
    const QFileInfo sourceInfo(request.source);
    if (!sourceInfo.exists()) {
        result.error = QStringLiteral("source '%1' does not exist").arg(request.source);
        return result;
    }
    const QString source = sourceInfo.absoluteFilePath();
    if (!QDir().mkpath(workDir() + QStringLiteral("/cache"))) {
        result.error = QStringLiteral("cannot create %1").arg(workDir());
        return result;
    }
    QLockFile lock(workDir() + u'/' + name + QStringLiteral(".lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        lock.getLockInfo(&pid, &host, &app);
        result.error = QStringLiteral("another upload of datastore '%1' is running (pid %2); wait for it to finish").arg(name).arg(pid);
        return result;
    }
    // Where the time goes, for QT_LOGGING_RULES="opengrid.core.datastore.upload.debug=true".
    QElapsedTimer clock;
    clock.start();
    QString lastPhase;
    auto report = [&](const UploadProgress &p) {
        if (p.phase != lastPhase) {
            qCDebug(lcUpload).noquote() << p.phase << "from" << clock.elapsed() << "ms";
            lastPhase = p.phase;
        }
        if (m_progress)
            m_progress(p);
    };

    // --- scan
    QString scanRoot = source;
    QTemporaryDir extracted(workDir() + QStringLiteral("/extract-XXXXXX"));
    if (request.extract) {
        if (!sourceInfo.isFile() || !ArchiveExtractor::looksLikeArchive(source)) {
            result.error = QStringLiteral("--extract needs a .zip, .tar or .tar.gz file, and '%1' is not one").arg(request.source);
            return result;
        }
        report({QStringLiteral("extracting"), 0, 0, 0, 0});
        scanRoot = extracted.path() + QStringLiteral("/tree");
        const ExtractResult x = ArchiveExtractor::extract(source, scanRoot);
        if (!x.error.isEmpty()) {
            result.error = QStringLiteral("cannot extract '%1': %2").arg(request.source, x.error);
            return result;
        }
        result.warnings += x.warnings;
    }
    const QString cacheName = QString::fromLatin1(QCryptographicHash::hash(source.toUtf8(), QCryptographicHash::Sha1).toHex());
    HashCache cache(workDir() + QStringLiteral("/cache/") + cacheName + QStringLiteral(".bin"));
    QString ignored;
    cache.load(&ignored); // a damaged cache only costs re-hashing
    // Many bytes to hash and a gridd on this machine: it hashes them, and stores them as it
    // does, from the files this process opens and passes it (docs/api.md, "Local intake").
    // The upload after the scan then has only what gridd did not take (and the manifest).
    // Objects reach gridd from here on, so a kill -9 during the scan leaves an upload for
    // `grid datastore resume` (which scans again; gridd then already holds what it stored).
    const bool localIntake = request.localIntake && qEnvironmentVariable("GRID_LOCAL_INTAKE") != u"0";
    const bool hadState = QFile::exists(stateFile(name));
    bool wroteState = false;
    const TreeScanner::RemoteHasherFactory hashInGridd = [&](qint64 bytesToHash) -> std::unique_ptr<TreeScanner::RemoteHasher> {
        if (!localIntake || bytesToHash <= kSendWithoutAskingBytes)
            return nullptr;
        std::unique_ptr<TreeScanner::RemoteHasher> hasher = openLocalIntakeHasher(m_api, qMax(request.streams, 2));
        if (hasher && !hadState)
            wroteState = writeFileAtomically(stateFile(name),
                                             QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                                                       {QStringLiteral("source"), source},
                                                                       {QStringLiteral("extract"), request.extract},
                                                                       {QStringLiteral("url"), m_api.baseUrl().toString()},
                                                                       {QStringLiteral("started_at"),
                                                                        QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}})
                                                 .toJson(),
                                             true)
                             .isEmpty();
        return hasher;
    };
    const TreeScanner::ScanResult scan = TreeScanner::scan(
        scanRoot, request.extract ? nullptr : &cache,
        [&](qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal) {
            report({QStringLiteral("scanning"), bytesDone, bytesTotal, filesDone, filesTotal});
        },
        m_cancelled, hashInGridd);
    result.warnings += scan.warnings;
    result.uploadedBytes = scan.remotelyAddedBytes;
    result.uploadedObjects = scan.remotelyAddedObjects;
    result.localIntake = !scan.remotelyStored.isEmpty();
    if (scan.cancelled && !request.extract)
        cache.save(); // what was hashed need not be hashed again
    // Nothing to resume (unless an earlier run left it) after a scan that failed (it would fail
    // again; what gridd stored meanwhile stays the user's uploads until garbage collection), or
    // that was cancelled before any object reached gridd.
    if (wroteState && (!scan.error.isEmpty() && !scan.cancelled ? true : (scan.cancelled || cancelledNow()) && scan.remotelyStored.isEmpty()))
        QFile::remove(stateFile(name));
    if (scan.cancelled || cancelledNow())
        return cancelledResult(result, !scan.remotelyStored.isEmpty());
    if (!scan.error.isEmpty()) {
        result.error = scan.error + (scan.remotelyStored.isEmpty() ? QStringLiteral("; nothing was uploaded") : QString());
        return result;
    }
    if (!request.extract) {
        // Every file scanned has an entry now (found or stored): only when there are more
        // entries than files can some be of files deleted since.
        if (cache.size() > scan.sourceFiles.size()) {
            const QStringList files = scan.sourceFiles.values();
            cache.retainOnly(QSet<QString>(files.begin(), files.end()));
        }
        if (cache.isModified())
            cache.save();
    }
    qCDebug(lcUpload).noquote() << "scanned" << scan.hashedFiles << "files hashed (" << scan.remotelyStored.size()
                                << "objects by gridd, which stored them)," << scan.cachedFiles << "from the cache, at"
                                << clock.elapsed() << "ms";
    const Manifest &manifest = scan.manifest;
    const QByteArray manifestBytes = manifest.toCanonicalBytes();
    const QString root = Sha256::hex(manifestBytes); // == manifest.rootHash(), without building it twice
    if (cancelledNow())
        return cancelledResult(result, false);

    // --- open (or find unchanged, or take over) a version
    const ApiResult opened = m_api.call("POST", QStringLiteral("/datastores/%1/versions").arg(name),
                                        QJsonObject{{QStringLiteral("root_hash"), root},
                                                    {QStringLiteral("size_bytes"), manifest.totalBytes()},
                                                    {QStringLiteral("file_count"), manifest.fileCount()},
                                                    {QStringLiteral("source"), request.source}});
    if (!opened.ok()) {
        if (wroteState) // refused (a quota, a bad name): not an upload to resume
            QFile::remove(stateFile(name));
        result.error = opened.message;
        return result;
    }
    qCDebug(lcUpload).noquote() << "version opened at" << clock.elapsed() << "ms";
    result.version = DatastoreVersion::fromJson(opened.object().value(QStringLiteral("version")).toObject());
    if (opened.object().value(QStringLiteral("unchanged")).toBool()) {
        result.unchanged = true;
        QFile::remove(stateFile(name));
        return result;
    }
    result.resumed = opened.object().value(QStringLiteral("resumed")).toBool();
    writeFileAtomically(stateFile(name),
                        QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                                  {QStringLiteral("source"), source},
                                                  {QStringLiteral("extract"), request.extract},
                                                  {QStringLiteral("version"), result.version.version},
                                                  {QStringLiteral("root_hash"), root},
                                                  {QStringLiteral("url"), m_api.baseUrl().toString()},
                                                  {QStringLiteral("started_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}})
                            .toJson(),
                        true);

    // --- send what gridd lacks (not asking about the files the last upload already sent)
    const QString knownFile = workDir() + QStringLiteral("/cache/") +
        Sha256::hex((m_api.baseUrl().toString() + u'\n' + name).toUtf8()) + QStringLiteral(".uploaded");
    QSet<QString> known;
    if (QFile f(knownFile); f.open(QIODevice::ReadOnly))
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.size() == 64)
                known.insert(QString::fromLatin1(line));
    // What gridd hashed during the scan it stored as this user's: not asked about, not sent.
    known.unite(scan.remotelyStored);
    ObjectUploadStats stats;
    QString uploadError = uploadManifestObjects(m_api, manifest, manifestBytes, scan.sourceFiles, request.streams,
                                                report, &stats, known, m_cancelled, request.localIntake);
    result.uploadedBytes += stats.uploadedBytes;
    result.uploadedObjects += stats.uploadedObjects;
    result.localIntake |= stats.localIntake;
    if (stats.cancelled || cancelledNow())
        return cancelledResult(result, true);
    if (!uploadError.isEmpty()) {
        result.error = uploadError + QStringLiteral(" (the upload can be resumed with `grid datastore resume`)");
        return result;
    }
    const qint64 bytesTotal = stats.bytesTotal;
    const int missingCount = stats.missingObjects;

    // --- commit, then wait for gridd to verify and materialise it
    report({QStringLiteral("committing"), bytesTotal, bytesTotal, missingCount, missingCount});
    auto commit = [&] {
        return m_api.call("POST", QStringLiteral("/datastores/%1/versions/%2/commit").arg(name).arg(result.version.version), QJsonObject());
    };
    ApiResult committed = commit();
    if (committed.errorCode == u"objects_missing" && !known.isEmpty()) {
        // What the last upload sent is gone (its version was deleted): ask about everything.
        ObjectUploadStats again;
        const QString e = uploadManifestObjects(m_api, manifest, manifestBytes, scan.sourceFiles, request.streams, report, &again, {},
                                                m_cancelled, request.localIntake);
        if (again.cancelled)
            return cancelledResult(result, true);
        if (!e.isEmpty()) {
            result.error = e;
            return result;
        }
        result.uploadedBytes += again.uploadedBytes;
        result.uploadedObjects += again.uploadedObjects;
        committed = commit();
    }
    if (!committed.ok()) {
        result.error = committed.message;
        return result;
    }
    QByteArray hashes;
    for (const ManifestEntry &e : manifest.entries())
        if (e.type == ManifestEntry::Type::File)
            hashes += e.sha256.toLatin1() + '\n';
    HashCache::writeCacheFile(knownFile, hashes); // a lost one only means asking about every object
    result.version = DatastoreVersion::fromJson(committed.object().value(QStringLiteral("version")).toObject());
    QFile::remove(stateFile(name)); // committed: nothing left to resume
    qCDebug(lcUpload).noquote() << "committed at" << clock.elapsed() << "ms";
    if (!request.wait)
        return result;
    report({QStringLiteral("optimizing"), bytesTotal, bytesTotal, missingCount, missingCount});
    // Polled every 4 ms for the first quarter second, then backing off by half each time up
    // to 100 ms: optimizing a version that changed a few files takes tens of milliseconds,
    // and any wait past its end is the command's time (a backoff from the start had the
    // answer waiting 40 ms); a large first upload is asked about at most ten times a second.
    QElapsedTimer waiting;
    waiting.start();
    int delayMs = 4;
    while (!result.version.isFinal()) {
        if (cancelledNow()) {
            // Committed: the version is gridd's now and will end succeeded or failed without
            // this process; cancelling only stops the waiting.
            result.cancelled = true;
            return result;
        }
        QThread::msleep(delayMs);
        if (waiting.elapsed() > 250)
            delayMs = qMin(100, delayMs + delayMs / 2);
        const ApiResult r = m_api.call("GET", QStringLiteral("/datastores/%1/versions/%2").arg(name).arg(result.version.version));
        if (!r.ok()) {
            result.error = r.message;
            return result;
        }
        result.version = DatastoreVersion::fromJson(r.object().value(QStringLiteral("version")).toObject());
    }
    qCDebug(lcUpload).noquote() << result.version.status << "at" << clock.elapsed() << "ms";
    if (result.version.status == u"failed")
        result.error = QStringLiteral("version %1 of '%2' failed: %3").arg(result.version.version).arg(name, result.version.reason);
    return result;
}

} // namespace og
