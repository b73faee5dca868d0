// SPDX-License-Identifier: GPL-3.0-or-later
// Metric ingestion throughput: a sweep of experiments whose script appends JSON-lines metrics
// to $GRID_METRICS_FILE as fast as it can for a fixed time, with this process subscribed to
// the `metrics` topic of the events WebSocket. Reports the points written (lines in the
// experiments' metrics.jsonl files), stored (total_points of every key over the REST API) and
// delivered (points in `metrics` events), per second, next to the target of
// 1,000,000 points/s. Started by bench/metrics/run.sh, which starts gridd and writes the
// experiment script; see bench/README.md.
//
//     metrics_bench --url URL --credentials FILE --code DIR --data-dir DIR
//                   [--experiments 64] [--seconds 10] [--instance-type TYPE]
//                   [--max-wall 600] [--name metrics-bench]
//
// A measurement, not a test: exits 0 whenever the run was measured, target met or not; 1 when
// something failed to run (upload, submission, gridd gone); 2 for bad arguments.
#include "core/apiclient.h"
#include "core/datastore/objectuploader.h"
#include "core/datastore/treescanner.h"
#include "core/eventsclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include <sys/resource.h>

using og::ApiResult;

namespace {

constexpr double kTarget = 1'000'000.0; // points/s, from the issue
const QStringList kKeys = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 parseTime(const QJsonValue &v)
{
    if (!v.isString())
        return 0;
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

// 1234567 → "1,234,567"
QString grouped(qint64 n)
{
    QString digits = QString::number(n < 0 ? -n : n);
    for (int i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return n < 0 ? u'-' + digits : digits;
}

QString perSecond(double n, double ms)
{
    return ms > 0 ? grouped(qint64(n * 1000.0 / ms)) : QStringLiteral("n/a");
}

void sleepMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Complete lines ('\n'-terminated) in a file; -1 when it cannot be read.
qint64 countLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    std::vector<char> buf(8 << 20);
    qint64 lines = 0;
    for (;;) {
        const qint64 got = f.read(buf.data(), qint64(buf.size()));
        if (got <= 0)
            break;
        const char *p = buf.data();
        const char *end = p + got;
        while ((p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))))) {
            ++lines;
            ++p;
        }
    }
    return lines;
}

struct ExperimentFigures
{
    QString status;
    QString reason;
    int exitCode = -1; // from exit.json
    qint64 startedAt = 0;  // as gridd recorded it (GET /runs/NAME)
    qint64 finishedAt = 0; // ditto: after gridd's last metrics pass over it
    qint64 processStart = 0, processEnd = 0; // the sandboxed process itself (exit.json)
    qint64 written = -1; // points: complete lines × 3
    qint64 stored = 0;
    qint64 delivered = 0;
    qint64 bytes = 0;
};

int fail(const QString &message)
{
    std::fprintf(stderr, "bench/metrics: error: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("gridd metric ingestion benchmark (see bench/README.md)"));
    parser.addHelpOption();
    const QCommandLineOption urlOpt(QStringLiteral("url"), QStringLiteral("gridd base URL"), QStringLiteral("URL"));
    const QCommandLineOption credOpt(QStringLiteral("credentials"),
                                     QStringLiteral("a JSON file with the API key as \"APIKey\" (gridd's local-credentials.json)"),
                                     QStringLiteral("FILE"));
    const QCommandLineOption codeOpt(QStringLiteral("code"), QStringLiteral("directory with writer.py"), QStringLiteral("DIR"));
    const QCommandLineOption dataOpt(QStringLiteral("data-dir"), QStringLiteral("gridd's data directory (to count the lines written)"),
                                     QStringLiteral("DIR"));
    const QCommandLineOption expOpt(QStringLiteral("experiments"), QStringLiteral("experiments in the sweep"), QStringLiteral("N"),
                                    QStringLiteral("64"));
    const QCommandLineOption secOpt(QStringLiteral("seconds"), QStringLiteral("seconds each writer writes"), QStringLiteral("S"),
                                    QStringLiteral("10"));
    const QCommandLineOption typeOpt(QStringLiteral("instance-type"), QStringLiteral("instance type per experiment"),
                                     QStringLiteral("TYPE"), QStringLiteral("cpu-1"));
    const QCommandLineOption wallOpt(QStringLiteral("max-wall"),
                                     QStringLiteral("seconds after the submission at which the run is stopped if still active"),
                                     QStringLiteral("S"), QStringLiteral("600"));
    const QCommandLineOption nameOpt(QStringLiteral("name"), QStringLiteral("run name"), QStringLiteral("NAME"),
                                     QStringLiteral("metrics-bench"));
    parser.addOptions({urlOpt, credOpt, codeOpt, dataOpt, expOpt, secOpt, typeOpt, wallOpt, nameOpt});
    parser.process(app);

    bool ok1 = false, ok2 = false, ok3 = false;
    const int experiments = parser.value(expOpt).toInt(&ok1);
    const double seconds = parser.value(secOpt).toDouble(&ok2);
    const int maxWall = parser.value(wallOpt).toInt(&ok3);
    if (!parser.isSet(urlOpt) || !parser.isSet(credOpt) || !parser.isSet(codeOpt) || !parser.isSet(dataOpt) || !ok1 || !ok2
        || !ok3 || experiments < 1 || seconds <= 0 || maxWall < 1) {
        std::fprintf(stderr, "usage: metrics_bench --url URL --credentials FILE --code DIR --data-dir DIR "
                             "[--experiments N] [--seconds S] [--instance-type TYPE] [--max-wall S] [--name NAME]\n");
        return 2;
    }
    const QString runName = parser.value(nameOpt);
    const QString dataDir = parser.value(dataOpt);

    QFile credFile(parser.value(credOpt));
    if (!credFile.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1").arg(credFile.fileName()));
    const QString key = QJsonDocument::fromJson(credFile.readAll()).object().value(QStringLiteral("APIKey")).toString();
    if (key.isEmpty())
        return fail(QStringLiteral("no APIKey in %1").arg(credFile.fileName()));

    og::ApiClient api;
    api.setBaseUrl(QUrl(parser.value(urlOpt)));
    api.setToken(key);
    api.setTimeout(std::chrono::seconds(300)); // a long series is read whole to count it

    // --- the subscriber -----------------------------------------------------------------
    std::map<QString, ExperimentFigures> figures; // by experiment name
    qint64 delivered = 0;
    qint64 deliveredEvents = 0;
    qint64 firstDeliveryMs = 0, lastDeliveryMs = 0;
    const QString prefix = runName + QStringLiteral("-exp");
    og::EventsClient events(&api);
    bool subscribed = false;
    QObject::connect(&events, &og::EventsClient::subscribed, [&](const QStringList &topics) {
        subscribed = topics.contains(QStringLiteral("metrics"));
    });
    QObject::connect(&events, &og::EventsClient::serverError, [](const QString &message) {
        std::fprintf(stderr, "bench/metrics: events: server error: %s\n", qPrintable(message));
    });
    bool wasConnected = false;
    bool stopping = false;
    int disconnects = 0;
    QObject::connect(&events, &og::EventsClient::connectedChanged, [&](bool connected) {
        if (!connected && wasConnected && !stopping) {
            ++disconnects;
            std::fprintf(stderr, "bench/metrics: events WebSocket disconnected (events sent meanwhile are lost)\n");
        }
        wasConnected = connected;
    });
    QObject::connect(&events, &og::EventsClient::eventReceived, [&](const QJsonObject &event) {
        if (event.value(QStringLiteral("topic")).toString() != u"metrics")
            return;
        const QJsonObject object = event.value(QStringLiteral("object")).toObject();
        const QString name = object.value(QStringLiteral("name")).toString();
        if (!name.startsWith(prefix))
            return;
        qint64 n = 0; // {"series": [{"key", "time", "steps": [...], "values": [...]}, ...]}: a point per step
        for (const QJsonValue &entry : object.value(QStringLiteral("series")).toArray())
            n += entry.toObject().value(QStringLiteral("steps")).toArray().size();
        figures[name].delivered += n;
        delivered += n;
        ++deliveredEvents;
        lastDeliveryMs = nowMs();
        if (!firstDeliveryMs)
            firstDeliveryMs = lastDeliveryMs;
    });
    events.subscribe(QStringLiteral("metrics"));
    events.start();
    {
        QElapsedTimer t;
        t.start();
        while (!subscribed && t.elapsed() < 15000)
            sleepMs(20);
        if (!subscribed)
            return fail(QStringLiteral("no subscription to `metrics` on %1 within 15 s").arg(api.eventsUrl().toString()));
    }

    // --- the code and the run -----------------------------------------------------------
    const auto scan = og::TreeScanner::scan(parser.value(codeOpt), nullptr);
    if (!scan.error.isEmpty())
        return fail(QStringLiteral("scanning the code: ") + scan.error);
    if (const QString e = og::uploadManifestObjects(api, scan.manifest, scan.manifest.toCanonicalBytes(), scan.sourceFiles, 4,
                                                    {}, nullptr);
        !e.isEmpty())
        return fail(QStringLiteral("uploading the code: ") + e);

    const QJsonObject body{{QStringLiteral("name"), runName},
                           {QStringLiteral("script"), QStringLiteral("writer.py")},
                           {QStringLiteral("code_root"), scan.manifest.rootHash()},
                           {QStringLiteral("instance_type"), parser.value(typeOpt)},
                           {QStringLiteral("args"), QJsonArray{QStringLiteral("--seconds"), QString::number(seconds),
                                                               QStringLiteral("--i"),
                                                               QStringLiteral("range(0, %1)").arg(experiments)}}};
    const qint64 submitMs = nowMs();
    const ApiResult submitted = api.call("POST", QStringLiteral("/runs"), body);
    if (submitted.httpStatus != 201)
        return fail(QStringLiteral("POST /api/v1/runs answered %1: %2").arg(submitted.httpStatus).arg(submitted.message));
    std::printf("submitted run %s: %d experiments (POST /api/v1/runs took %lld ms)\n", qPrintable(runName), experiments,
                static_cast<long long>(nowMs() - submitMs));
    std::fflush(stdout);

    // --- follow it ------------------------------------------------------------------------
    QString status;
    int maxRunningSeen = 0;
    qint64 doneMs = 0;
    bool stoppedByUs = false;
    qint64 lastPrintMs = 0, lastPrintDelivered = 0;
    int errorsInARow = 0;
    for (;;) {
        const ApiResult r = api.call("GET", QStringLiteral("/runs/") + runName);
        const qint64 t = nowMs();
        if (!r.ok()) {
            if (++errorsInARow >= 5)
                return fail(QStringLiteral("GET /api/v1/runs/%1 failed 5 times in a row: %2").arg(runName, r.message));
            sleepMs(500);
            continue;
        }
        errorsInARow = 0;
        const QJsonObject run = r.object().value(QStringLiteral("run")).toObject();
        status = run.value(QStringLiteral("status")).toString();
        const int running = run.value(QStringLiteral("running")).toInt();
        maxRunningSeen = std::max(maxRunningSeen, running);
        const bool terminal = status == u"succeeded" || status == u"failed" || status == u"cancelled";
        if (terminal || t - lastPrintMs >= 5000) {
            std::printf("  %6.1f s  %-9s running %d, queued %d, done %d  delivered %s points (%s/s since the last line)\n",
                        double(t - submitMs) / 1000.0, qPrintable(status), running, run.value(QStringLiteral("queued")).toInt(),
                        run.value(QStringLiteral("completed")).toInt() + run.value(QStringLiteral("failed")).toInt()
                            + run.value(QStringLiteral("stopped")).toInt(),
                        qPrintable(grouped(delivered)),
                        qPrintable(lastPrintMs ? perSecond(double(delivered - lastPrintDelivered), double(t - lastPrintMs))
                                               : QStringLiteral("-")));
            std::fflush(stdout);
            lastPrintMs = t;
            lastPrintDelivered = delivered;
        }
        if (terminal) {
            doneMs = t;
            break;
        }
        if (!stoppedByUs && t - submitMs > qint64(maxWall) * 1000) {
            std::printf("  --max-wall %d s reached: stopping the run (POST /runs/%s/stop)\n", maxWall, qPrintable(runName));
            const ApiResult s = api.call("POST", QStringLiteral("/runs/%1/stop").arg(runName), QJsonObject());
            if (s.httpStatus != 202)
                std::printf("  stop answered %d: %s\n", s.httpStatus, qPrintable(s.message));
            stoppedByUs = true;
        }
        sleepMs(200);
    }

    // --- count ----------------------------------------------------------------------------
    const ApiResult after = api.call("GET", QStringLiteral("/runs/") + runName);
    if (!after.ok())
        return fail(QStringLiteral("GET /api/v1/runs/%1: %2").arg(runName, after.message));
    int started = 0;
    std::vector<std::pair<qint64, int>> edges; // (time, +1 start / -1 end) for the concurrency
    for (const QJsonValue &v : after.object().value(QStringLiteral("experiments")).toArray()) {
        const QJsonObject e = v.toObject();
        ExperimentFigures &f = figures[e.value(QStringLiteral("name")).toString()];
        f.status = e.value(QStringLiteral("status")).toString();
        f.reason = e.value(QStringLiteral("reason")).toString();
        f.startedAt = parseTime(e.value(QStringLiteral("started_at")));
        f.finishedAt = parseTime(e.value(QStringLiteral("finished_at")));
        if (f.startedAt) {
            ++started;
            edges.push_back({f.startedAt, +1});
            edges.push_back({f.finishedAt ? f.finishedAt : doneMs, -1});
        }
    }
    std::sort(edges.begin(), edges.end()); // an end (-1) sorts before a start at the same ms
    int concurrent = 0, maxConcurrent = 0;
    for (const auto &[t, d] : edges)
        maxConcurrent = std::max(maxConcurrent, concurrent += d);

    std::printf("counting stored points (GET /experiments/NAME/metrics?key=K&buckets=1 for %zu experiments × %lld keys)...\n",
                figures.size(), static_cast<long long>(kKeys.size()));
    std::fflush(stdout);
    QElapsedTimer countTimer;
    countTimer.start();
    qint64 stored = 0;
    int countErrors = 0;
    for (auto &[name, f] : figures) {
        if (!f.startedAt)
            continue;
        for (const QString &k : kKeys) {
            const ApiResult m = api.call("GET", QStringLiteral("/experiments/%1/metrics").arg(name),
                                         QJsonValue(), QUrlQuery{{QStringLiteral("key"), k}, {QStringLiteral("buckets"), QStringLiteral("1")}});
            if (!m.ok()) {
                if (++countErrors <= 3)
                    std::fprintf(stderr, "bench/metrics: GET /experiments/%s/metrics?key=%s: %s\n", qPrintable(name), qPrintable(k),
                                 qPrintable(m.message));
                continue;
            }
            const qint64 n = qint64(m.object().value(QStringLiteral("total_points")).toDouble());
            f.stored += n;
            stored += n;
        }
    }
    const qint64 countMs = countTimer.elapsed();

    // The last events may still be on their way (gridd batches them every 200 ms, and a batch
    // of millions of points takes seconds to serialize, send and parse): wait until every
    // stored point has arrived, or nothing more has come for 15 s (at most 180 s).
    {
        qint64 last = -1;
        QElapsedTimer still, total;
        total.start();
        while (delivered < stored && total.elapsed() < 180000) {
            if (delivered != last) {
                last = delivered;
                still.start();
            } else if (still.elapsed() >= 15000) {
                break;
            }
            sleepMs(100);
        }
    }
    stopping = true;
    events.stop();

    // Written: the experiments' own files, found through their launch.json.
    qint64 written = 0, writtenBytes = 0;
    int files = 0;
    QDirIterator dirs(dataDir + QStringLiteral("/experiments"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (dirs.hasNext()) {
        const QString dir = dirs.next();
        QFile launch(dir + QStringLiteral("/launch.json"));
        if (!launch.open(QIODevice::ReadOnly))
            continue;
        const QString name = QJsonDocument::fromJson(launch.readAll()).object().value(QStringLiteral("experiment_name")).toString();
        if (!name.startsWith(prefix))
            continue;
        const QString path = dir + QStringLiteral("/grid/metrics.jsonl");
        const qint64 lines = countLines(path);
        if (lines < 0)
            continue;
        ExperimentFigures &f = figures[name];
        QFile exitFile(dir + QStringLiteral("/exit.json"));
        if (exitFile.open(QIODevice::ReadOnly)) {
            const QJsonObject exit = QJsonDocument::fromJson(exitFile.readAll()).object();
            f.processStart = parseTime(exit.value(QStringLiteral("started_at")));
            f.processEnd = parseTime(exit.value(QStringLiteral("finished_at")));
            f.exitCode = exit.value(QStringLiteral("exit_code")).toInt(-1);
        }
        f.written = lines * kKeys.size();
        f.bytes = QFileInfo(path).size();
        written += f.written;
        writtenBytes += f.bytes;
        ++files;
    }

    // --- report -----------------------------------------------------------------------------
    qint64 firstStart = 0, lastExit = 0;
    std::map<QString, int> byStatus;
    for (const auto &[name, f] : figures) {
        if (f.startedAt && (!firstStart || f.startedAt < firstStart))
            firstStart = f.startedAt;
        if (f.processStart && f.processStart < firstStart)
            firstStart = f.processStart;
        lastExit = std::max(lastExit, f.processEnd);
        if (!f.status.isEmpty())
            ++byStatus[f.status];
    }
    QStringList statuses;
    for (const auto &[s, n] : byStatus)
        statuses.append(QStringLiteral("%1 %2").arg(n).arg(s));

    std::printf("\nper experiment (first 4 and last 2 that ran):\n");
    std::printf("  %-22s %-10s %8s %12s %8s %13s %13s %13s\n", "experiment", "status", "ran (s)", "recorded (s)", "MiB",
                "written", "stored", "delivered");
    std::vector<std::pair<QString, const ExperimentFigures *>> ran;
    for (const auto &[name, f] : figures)
        if (f.startedAt)
            ran.push_back({name, &f});
    std::sort(ran.begin(), ran.end(), [](const auto &a, const auto &b) { return a.second->startedAt < b.second->startedAt; });
    for (size_t i = 0; i < ran.size(); ++i) {
        if (i >= 4 && i + 2 < ran.size()) {
            if (i == 4)
                std::printf("  ...\n");
            continue;
        }
        const ExperimentFigures &f = *ran[i].second;
        std::printf("  %-22s %-10s %8.1f %12.1f %8.1f %13s %13s %13s\n", qPrintable(ran[i].first), qPrintable(f.status),
                    f.processEnd ? double(f.processEnd - f.processStart) / 1000.0 : 0.0,
                    f.finishedAt ? double(f.finishedAt - f.startedAt) / 1000.0 : 0.0, double(f.bytes) / 1048576.0,
                    qPrintable(grouped(f.written)), qPrintable(grouped(f.stored)), qPrintable(grouped(f.delivered)));
    }

    int failedAfterExit0 = 0;
    QString aReason;
    for (const auto &[name, f] : figures)
        if (f.status == u"failed" && f.exitCode == 0) {
            ++failedAfterExit0;
            if (aReason.isEmpty())
                aReason = QStringLiteral("%1: reason \"%2\"").arg(name, f.reason);
        }
    if (failedAfterExit0)
        std::printf("\nNOTE: %d experiment(s) are recorded as failed although their script exited 0 (exit.json), e.g. %s\n",
                    failedAfterExit0, qPrintable(aReason));

    const double writeWindow = double(lastExit - firstStart);            // first start → last writer exited
    const double storeWindow = double(doneMs - firstStart);               // first start → run ended (all stored)
    const double deliverWindow = double(lastDeliveryMs - firstStart);     // first start → last event
    std::printf("\nexperiments:  %d submitted, %d started (%s); at most %d running at once (%d seen by polling)%s\n",
                experiments, started, qPrintable(statuses.join(QStringLiteral(", "))), maxConcurrent, maxRunningSeen,
                stoppedByUs ? "; STOPPED by --max-wall" : "");
    std::printf("windows:      from the first start: last writer exited after %.1f s, all stored (run ended) after %.1f s, "
                "last event after %.1f s\n",
                writeWindow / 1000.0, storeWindow / 1000.0, deliverWindow / 1000.0);
    std::printf("written:      %15s points  (%d files, %.1f MiB; complete lines × 3)   %s points/s over first start → last writer exit\n",
                qPrintable(grouped(written)), files, double(writtenBytes) / 1048576.0,
                qPrintable(perSecond(double(written), writeWindow)));
    std::printf("stored:       %15s points  (total_points of a, b, c)      %s points/s over first start → all stored\n",
                qPrintable(grouped(stored)), qPrintable(perSecond(double(stored), storeWindow)));
    std::printf("delivered:    %15s points  (%lld metrics events)          %s points/s over first start → last event\n",
                qPrintable(grouped(delivered)), static_cast<long long>(deliveredEvents),
                qPrintable(perSecond(double(delivered), deliverWindow)));
    std::printf("              (counting the stored points took %.1f s)\n", double(countMs) / 1000.0);
    {
        // It shares the CPUs with gridd and the writers: what receiving and parsing the events cost.
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        std::printf("subscriber:   %.1f CPU s in this process (receiving and parsing the events with the core EventsClient, and counting)\n",
                    double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
    }
    if (stored != written)
        std::printf("WARNING: stored (%s) != written (%s): %s points of the files are not in the database\n",
                    qPrintable(grouped(stored)), qPrintable(grouped(written)), qPrintable(grouped(written - stored)));
    if (delivered != stored)
        std::printf("WARNING: delivered (%s) != stored (%s): the subscriber missed %s points%s\n", qPrintable(grouped(delivered)),
                    qPrintable(grouped(stored)), qPrintable(grouped(stored - delivered)),
                    disconnects ? " (the WebSocket disconnected)" : " (gridd drops events for a client 10,000 events behind)");
    if (countErrors)
        std::printf("WARNING: %d metrics requests failed; the stored count is too low\n", countErrors);

    const double storedRate = storeWindow > 0 ? double(stored) * 1000.0 / storeWindow : 0;
    const double deliveredRate = deliverWindow > 0 ? double(delivered) * 1000.0 / deliverWindow : 0;
    std::printf("\nstored/s:     %12s   = %.3fx the target of 1,000,000 points/s (%s)\n", qPrintable(grouped(qint64(storedRate))),
                storedRate / kTarget, storedRate >= kTarget ? "met" : "MISSED");
    std::printf("delivered/s:  %12s   = %.3fx the target of 1,000,000 points/s (%s)\n",
                qPrintable(grouped(qint64(deliveredRate))), deliveredRate / kTarget, deliveredRate >= kTarget ? "met" : "MISSED");
    std::printf("for scale (published, other hardware): MLflow tracking server ~3,400 points/s, its Go port ~11,000 points/s\n");
    // One line for scripts.
    std::printf("METRICS_BENCH experiments=%d started=%d max_concurrent=%d written=%lld stored=%lld delivered=%lld "
                "stored_per_s=%.0f delivered_per_s=%.0f stopped=%d\n",
                experiments, started, maxConcurrent, static_cast<long long>(written), static_cast<long long>(stored),
                static_cast<long long>(delivered), storedRate, deliveredRate, stoppedByUs ? 1 : 0);
    return 0;
}
