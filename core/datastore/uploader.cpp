// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/uploader.h"

#include "core/apiclient.h"
#include "core/archive/archiveextractor.h"
#include "core/clientconfig.h"
#include "core/datastore/hashcache.h"
#include "core/datastore/manifest.h"
#include "core/datastore/treescanner.h"
#include "core/jsonreader.h"
#include "core/names.h"
#include "core/securefile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <deque>

namespace og {

namespace {
// One object to send: a file of the tree, or bytes held in memory (the manifest).
struct PendingObject
{
    QString sha256;
    qint64 size = 0;
    QString path;     // empty: use `bytes`
    QByteArray bytes;
    QString label;    // the manifest path, for messages
};

QString stateFile(const QString &name)
{
    return DatastoreUploader::workDir() + u'/' + name + QStringLiteral(".json");
}

QByteArray readObject(const PendingObject &o, qint64 offset, qint64 length, QString *error)
{
    if (o.path.isEmpty())
        return o.bytes.mid(offset, length);
    QFile f(o.path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(offset)) {
        *error = QStringLiteral("cannot read '%1': %2").arg(o.label, f.errorString());
        return {};
    }
    QByteArray data = f.read(length);
    if (data.size() != length)
        *error = QStringLiteral("'%1' changed while it was being uploaded (it is shorter now); run the command again").arg(o.label);
    return data;
}

// Runs asynchronous jobs with at most `limit` in flight; the first error stops new starts.
class JobRunner
{
public:
    using Done = std::function<void(const QString &error)>;
    using Job = std::function<void(Done)>;

    explicit JobRunner(int limit) : m_limit(qMax(1, limit)) {}
    void add(Job job) { m_jobs.push_back(std::move(job)); }

    QString runAll()
    {
        if (m_jobs.empty())
            return {};
        QEventLoop loop;
        m_loop = &loop;
        startMore();
        loop.exec();
        return m_error;
    }

private:
    void startMore()
    {
        while (m_error.isEmpty() && m_running < m_limit && !m_jobs.empty()) {
            Job job = std::move(m_jobs.front());
            m_jobs.pop_front();
            ++m_running;
            job([this](const QString &error) {
                --m_running;
                if (!error.isEmpty() && m_error.isEmpty())
                    m_error = error;
                startMore();
                if (m_running == 0 && (m_jobs.empty() || !m_error.isEmpty()))
                    m_loop->quit();
            });
        }
    }

    int m_limit;
    int m_running = 0;
    std::deque<Job> m_jobs;
    QString m_error;
    QEventLoop *m_loop = nullptr;
};
} // namespace

DatastoreUploader::DatastoreUploader(ApiClient &api, ProgressFn progress)
    : m_api(api)
    , m_progress(std::move(progress))
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
    auto report = [this](const UploadProgress &p) {
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
    const TreeScanner::ScanResult scan = TreeScanner::scan(scanRoot, request.extract ? nullptr : &cache,
                                              [&](qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal) {
                                                  report({QStringLiteral("scanning"), bytesDone, bytesTotal, filesDone, filesTotal});
                                              });
    result.warnings += scan.warnings;
    if (!scan.error.isEmpty()) {
        result.error = scan.error + QStringLiteral("; nothing was uploaded");
        return result;
    }
    if (!request.extract) {
        const QStringList files = scan.sourceFiles.values();
        cache.retainOnly(QSet<QString>(files.begin(), files.end()));
        cache.save();
    }
    const Manifest &manifest = scan.manifest;
    const QByteArray manifestBytes = manifest.toCanonicalBytes();
    const QString root = manifest.rootHash();

    // --- open (or find unchanged, or take over) a version
    const ApiResult opened = m_api.call("POST", QStringLiteral("/datastores/%1/versions").arg(name),
                                        QJsonObject{{QStringLiteral("root_hash"), root},
                                                    {QStringLiteral("size_bytes"), manifest.totalBytes()},
                                                    {QStringLiteral("file_count"), manifest.fileCount()},
                                                    {QStringLiteral("source"), request.source}});
    if (!opened.ok()) {
        result.error = opened.message;
        return result;
    }
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

    // --- which objects does gridd lack?
    QHash<QString, PendingObject> objects;
    for (const ManifestEntry &e : manifest.entries())
        if (e.type == ManifestEntry::Type::File && !objects.contains(e.sha256))
            objects.insert(e.sha256, PendingObject{e.sha256, e.size, scan.sourceFiles.value(e.path), {}, e.path});
    objects.insert(root, PendingObject{root, manifestBytes.size(), QString(), manifestBytes, QStringLiteral("(manifest)")});
    const QStringList all = objects.keys();
    QStringList missing;
    for (qsizetype i = 0; i < all.size(); i += 10000) {
        const ApiResult r = m_api.call("POST", QStringLiteral("/objects/missing"),
                                       QJsonObject{{QStringLiteral("hashes"), QJsonArray::fromStringList(all.mid(i, 10000))}});
        if (!r.ok()) {
            result.error = r.message;
            return result;
        }
        for (const QJsonValue &v : r.object().value(QStringLiteral("missing")).toArray())
            missing.append(v.toString());
    }

    // --- upload what is missing
    qint64 bytesTotal = 0;
    for (const QString &h : std::as_const(missing))
        bytesTotal += objects.value(h).size;
    UploadProgress progress{QStringLiteral("uploading"), 0, bytesTotal, 0, int(missing.size())};
    report(progress);
    JobRunner runner(request.streams);
    auto sent = [&](qint64 bytes, int count) {
        progress.bytesDone += bytes;
        progress.filesDone += count;
        result.uploadedBytes += bytes;
        result.uploadedObjects += count;
        report(progress);
    };
    QList<PendingObject> batch;
    qint64 batchBytes = 0;
    auto flushBatch = [&] {
        if (batch.isEmpty())
            return;
        runner.add([this, batch, &sent](JobRunner::Done done) {
            QByteArray body;
            qint64 bytes = 0;
            for (const PendingObject &o : batch) {
                QString error;
                const QByteArray data = readObject(o, 0, o.size, &error);
                if (!error.isEmpty())
                    return done(error);
                body += o.sha256.toLatin1() + ' ' + QByteArray::number(data.size()) + '\n' + data;
                bytes += data.size();
            }
            ApiReply *reply = m_api.sendBytes("POST", QStringLiteral("/objects/batch"), body);
            QObject::connect(reply, &ApiReply::finished, [done, bytes, count = int(batch.size()), &sent](const ApiResult &r) {
                if (!r.ok())
                    return done(r.errorCode == u"hash_mismatch"
                                    ? r.message + QStringLiteral(" — a file changed during the upload; run the command again")
                                    : r.message);
                sent(bytes, count);
                done({});
            });
        });
        batch.clear();
        batchBytes = 0;
    };
    for (const QString &h : std::as_const(missing)) {
        const PendingObject &o = objects[h];
        if (o.size <= kSmallObjectBytes) {
            if (batchBytes + o.size > kBatchBytes || batch.size() >= kBatchObjects)
                flushBatch();
            batch.append(o);
            batchBytes += o.size;
            continue;
        }
        // A large object: resumable parts, continuing from what gridd already holds.
        runner.add([this, o, &sent](JobRunner::Done done) {
            auto offset = std::make_shared<qint64>(0);
            auto next = std::make_shared<std::function<void()>>();
            *next = [this, o, offset, next, done, &sent] {
                QString error;
                const qint64 length = qMin(kPartBytes, o.size - *offset);
                const QByteArray part = readObject(o, *offset, length, &error);
                if (!error.isEmpty())
                    return done(error);
                ApiReply *reply = m_api.sendBytes("PUT", QStringLiteral("/objects/%1/parts/%2").arg(o.sha256).arg(*offset), part,
                                                  {{"X-Object-Size", QByteArray::number(o.size)}});
                QObject::connect(reply, &ApiReply::finished, [o, offset, next, done, length, &sent](const ApiResult &r) {
                    if (r.httpStatus == 409 && r.object().contains(QStringLiteral("received"))) {
                        *offset = r.object().value(QStringLiteral("received")).toInteger();
                        return (*next)();
                    }
                    if (!r.ok()) {
                        *next = nullptr; // break the self-reference
                        return done(r.errorCode == u"hash_mismatch"
                                        ? r.message + QStringLiteral(" — '%1' changed during the upload; run the command again").arg(o.label)
                                        : r.message);
                    }
                    *offset += length;
                    sent(length, r.httpStatus == 201 ? 1 : 0);
                    if (r.httpStatus == 201) {
                        *next = nullptr;
                        return done({});
                    }
                    (*next)();
                });
            };
            const ApiResult status = m_api.call("GET", QStringLiteral("/objects/%1/parts").arg(o.sha256));
            *offset = status.ok() ? status.object().value(QStringLiteral("received")).toInteger() : 0;
            if (*offset >= o.size)
                *offset = 0;
            sent(*offset, 0);
            (*next)();
        });
    }
    flushBatch();
    if (const QString error = runner.runAll(); !error.isEmpty()) {
        result.error = error + QStringLiteral(" (the upload can be resumed with `grid datastore resume`)");
        return result;
    }

    // --- commit, then wait for gridd to verify and materialise it
    report({QStringLiteral("committing"), bytesTotal, bytesTotal, int(missing.size()), int(missing.size())});
    const ApiResult committed = m_api.call("POST", QStringLiteral("/datastores/%1/versions/%2/commit").arg(name).arg(result.version.version), QJsonObject());
    if (!committed.ok()) {
        result.error = committed.message;
        return result;
    }
    result.version = DatastoreVersion::fromJson(committed.object().value(QStringLiteral("version")).toObject());
    QFile::remove(stateFile(name)); // committed: nothing left to resume
    if (!request.wait)
        return result;
    report({QStringLiteral("optimizing"), bytesTotal, bytesTotal, int(missing.size()), int(missing.size())});
    int delayMs = 20;
    while (!result.version.isFinal()) {
        QThread::msleep(delayMs);
        delayMs = qMin(250, delayMs * 2);
        const ApiResult r = m_api.call("GET", QStringLiteral("/datastores/%1/versions/%2").arg(name).arg(result.version.version));
        if (!r.ok()) {
            result.error = r.message;
            return result;
        }
        result.version = DatastoreVersion::fromJson(r.object().value(QStringLiteral("version")).toObject());
    }
    if (result.version.status == u"failed")
        result.error = QStringLiteral("version %1 of '%2' failed: %3").arg(result.version.version).arg(name, result.version.reason);
    return result;
}

} // namespace og
