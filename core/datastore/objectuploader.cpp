// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/objectuploader.h"

#include "core/apiclient.h"
#include "core/datastore/localintakeclient.h"
#include "core/datastore/manifest.h"
#include "core/sha256.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <deque>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

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


// Appends `length` bytes of the object from `offset` to `out`, read straight into it (a
// batch of ten thousand small files is read into the request body without a buffer per
// file); false with `error` set when the file cannot be read or has shrunk.
bool appendObject(const PendingObject &o, qint64 offset, qint64 length, QByteArray &out, QString *error)
{
    if (o.path.isEmpty()) {
        out += QByteArrayView(o.bytes).sliced(offset, length);
        return true;
    }
    const int fd = ::open(QFile::encodeName(o.path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *error = QStringLiteral("cannot read '%1': %2").arg(o.label, qt_error_string(errno));
        return false;
    }
    const qsizetype at = out.size();
    out.resize(at + length);
    qint64 done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd, out.data() + at + done, size_t(length - done), offset + done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            *error = QStringLiteral("cannot read '%1': %2").arg(o.label, qt_error_string(errno));
        if (n <= 0)
            break;
        done += n;
    }
    ::close(fd);
    if (done == length)
        return true;
    out.truncate(at);
    if (error->isEmpty())
        *error = QStringLiteral("'%1' changed while it was being uploaded (it is shorter now); run the command again").arg(o.label);
    return false;
}

// Runs asynchronous jobs with at most `limit` in flight; the first error stops new starts.
// A cancellation returns at once: jobs still running are left behind, so their answers must
// be delivered through a context object that goes before the runner does.
class JobRunner
{
public:
    using Done = std::function<void(const QString &error)>;
    using Job = std::function<void(Done)>;

    JobRunner(int limit, const std::function<bool()> &cancelled)
        : m_limit(qMax(1, limit))
        , m_cancelledFn(cancelled)
    {
    }
    void add(Job job) { m_jobs.push_back(std::move(job)); }
    bool cancelled() const { return m_cancelled; }

    QString runAll()
    {
        if (m_jobs.empty())
            return {};
        QEventLoop loop;
        m_loop = &loop;
        QTimer poll;
        if (m_cancelledFn) {
            QObject::connect(&poll, &QTimer::timeout, &loop, [this, &loop] {
                if (!m_cancelledFn())
                    return;
                m_cancelled = true;
                m_error = QStringLiteral("cancelled");
                loop.quit();
            });
            poll.start(50);
        }
        startMore();
        if (m_running > 0)
            loop.exec();
        m_loop = nullptr;
        return m_error;
    }

private:
    void startMore()
    {
        // Asked before each start too, so that a cancellation lands between two batches or
        // objects even when they take less than the polling interval.
        if (m_error.isEmpty() && !m_jobs.empty() && m_cancelledFn && m_cancelledFn()) {
            m_cancelled = true;
            m_error = QStringLiteral("cancelled");
            if (m_loop)
                m_loop->quit();
            return;
        }
        while (m_error.isEmpty() && m_running < m_limit && !m_jobs.empty()) {
            Job job = std::move(m_jobs.front());
            m_jobs.pop_front();
            ++m_running;
            job([this](const QString &error) {
                --m_running;
                if (!error.isEmpty() && m_error.isEmpty())
                    m_error = error;
                startMore();
                if (m_loop && m_running == 0 && (m_jobs.empty() || !m_error.isEmpty()))
                    m_loop->quit();
            });
        }
    }

    int m_limit;
    const std::function<bool()> &m_cancelledFn;
    bool m_cancelled = false;
    int m_running = 0;
    std::deque<Job> m_jobs;
    QString m_error;
    QEventLoop *m_loop = nullptr;
};
} // namespace

QString uploadManifestObjects(ApiClient &api, const Manifest &manifest, const QByteArray &manifestBytes,
                              const QHash<QString, QString> &sourceFiles, int streams,
                              const std::function<void(const UploadProgress &)> &reportFn, ObjectUploadStats *stats,
                              const QSet<QString> &knownPresent, const std::function<bool()> &cancelled, bool localIntake)
{
    ObjectUploadStats ignored;
    if (!stats)
        stats = &ignored;
    auto report = [&reportFn](const UploadProgress &p) {
        if (reportFn)
            reportFn(p);
    };
    const QString root = Sha256::hex(manifestBytes);
    // Only the objects not known to be there: the hourly re-upload of ten thousand files that
    // changed one asks about (and describes) two objects, not ten thousand.
    QHash<QString, PendingObject> objects;
    for (const ManifestEntry &e : manifest.entries())
        if (e.type == ManifestEntry::Type::File && !knownPresent.contains(e.sha256) && !objects.contains(e.sha256))
            objects.insert(e.sha256, PendingObject{e.sha256, e.size, sourceFiles.value(e.path), {}, e.path});
    objects.insert(root, PendingObject{root, manifestBytes.size(), QString(), manifestBytes, QStringLiteral("(manifest)")});
    const QStringList all = objects.keys();
    qint64 candidateBytes = 0;
    for (const PendingObject &o : std::as_const(objects))
        candidateBytes += o.size;
    // A few megabytes in all (the hourly re-upload: a changed file or two and the manifest)
    // are sent without asking first: a round trip costs more than sending what gridd may
    // already hold, which it then only checks and records as the caller's.
    const bool ask = candidateBytes > kSendWithoutAskingBytes;
    QStringList missing = ask ? QStringList() : all;
    for (qsizetype i = 0; ask && i < all.size(); i += 10000) {
        if (cancelled && cancelled()) {
            stats->cancelled = true;
            return QStringLiteral("cancelled");
        }
        const ApiResult r = api.call("POST", QStringLiteral("/objects/missing"),
                                       QJsonObject{{QStringLiteral("hashes"), QJsonArray::fromStringList(all.mid(i, 10000))}});
        if (!r.ok())
            return r.message;
        for (const QJsonValue &v : r.object().value(QStringLiteral("missing")).toArray())
            missing.append(v.toString());
    }

    // --- upload what is missing
    qint64 bytesTotal = 0;
    for (const QString &h : std::as_const(missing))
        bytesTotal += objects.value(h).size;
    UploadProgress progress{QStringLiteral("uploading"), 0, bytesTotal, 0, int(missing.size())};
    report(progress);
    auto sent = [&](qint64 bytes, int count) {
        progress.bytesDone += bytes;
        progress.filesDone += count;
        stats->uploadedBytes += bytes;
        stats->uploadedObjects += count;
        report(progress);
    };
    stats->bytesTotal = bytesTotal;
    stats->missingObjects = int(missing.size());
    // Many bytes for a gridd on this machine: it reads the files itself (no copy through a
    // socket, no second read here). A few megabytes go over HTTP, where the request for the
    // intake's token would cost more than it saves.
    // GRID_LOCAL_INTAKE=0 turns it off (to compare, or to test the HTTP way on one machine).
    if (localIntake && ask && !missing.isEmpty() && qEnvironmentVariable("GRID_LOCAL_INTAKE") != u"0") {
        QList<LocalIntakeObject> local;
        local.reserve(missing.size());
        for (const QString &h : std::as_const(missing)) {
            const PendingObject &o = objects[h];
            local.append(LocalIntakeObject{o.sha256, o.size, o.path, o.bytes, o.label});
        }
        bool wasCancelled = false;
        if (const std::optional<QString> outcome = sendThroughLocalIntake(api, local, streams, sent, cancelled, &wasCancelled)) {
            stats->cancelled = wasCancelled;
            stats->localIntake = true;
            return *outcome;
        }
    }
    JobRunner runner(streams, cancelled);
    // Every answer is delivered through this: after a cancellation it is gone before `runner`
    // and `sent`, and the answers of requests left in flight go nowhere.
    QObject answers;
    QList<PendingObject> batch;
    qint64 batchBytes = 0;
    auto flushBatch = [&] {
        if (batch.isEmpty())
            return;
        runner.add([&api, batch, &sent, &answers](JobRunner::Done done) {
            QByteArray body;
            qint64 bytes = 0;
            for (const PendingObject &o : batch)
                bytes += o.size;
            body.reserve(bytes + batch.size() * 88); // each frame's head: 64 + 1 + up to 22 + 1
            for (const PendingObject &o : batch) {
                body += o.sha256.toLatin1();
                body += ' ';
                body += QByteArray::number(o.size);
                body += '\n';
                if (QString error; !appendObject(o, 0, o.size, body, &error))
                    return done(error);
            }
            ApiReply *reply = api.sendBytes("POST", QStringLiteral("/objects/batch"), body);
            QObject::connect(reply, &ApiReply::finished, &answers, [done, bytes, count = int(batch.size()), &sent](const ApiResult &r) {
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
        runner.add([&api, o, &sent, &answers](JobRunner::Done done) {
            auto offset = std::make_shared<qint64>(0);
            auto next = std::make_shared<std::function<void()>>();
            *next = [&api, o, offset, next, done, &sent, &answers] {
                QString error;
                const qint64 length = qMin(kPartBytes, o.size - *offset);
                QByteArray part;
                part.reserve(length);
                if (!appendObject(o, *offset, length, part, &error))
                    return done(error);
                ApiReply *reply = api.sendBytes("PUT", QStringLiteral("/objects/%1/parts/%2").arg(o.sha256).arg(*offset), part,
                                                  {{"X-Object-Size", QByteArray::number(o.size)}});
                QObject::connect(reply, &ApiReply::finished, &answers, [o, offset, next, done, length, &sent](const ApiResult &r) {
                    if (r.httpStatus == 409 && r.object().contains(QStringLiteral("received"))) {
                        const qint64 received = r.object().value(QStringLiteral("received")).toInteger();
                        if (received == *offset || received < 0 || received >= o.size) {
                            *next = nullptr; // would ask again and again
                            return done(r.message);
                        }
                        if (received > *offset)
                            sent(received - *offset, 0); // already there: counts as sent
                        *offset = received;
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
            // Starts at the beginning without asking gridd first (a round trip per object): if
            // an interrupted upload left part of it there, the answer is a 409 with how much,
            // and the upload continues from that offset.
            (*next)();
        });
    }
    flushBatch();
    const QString error = runner.runAll();
    stats->cancelled = runner.cancelled();
    return error;

}

} // namespace og
