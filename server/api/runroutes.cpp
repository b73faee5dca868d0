// SPDX-License-Identifier: GPL-3.0-or-later
// Runs: one submission, a sweep of experiments. The client sends the script's raw arguments;
// expansion happens here, with the same code the CLI uses for --dry_run.
#include "server/api/routes.h"
#include "server/api/computerequest.h"

#include "core/datastore/manifest.h"
#include "core/names.h"
#include "core/sweep/sweepexpander.h"
#include "server/content/objectstore.h"
#include "server/content/treematerializer.h"
#include "server/datastores/datastorestore.h"
#include "server/datastores/datastoreworker.h"
#include "server/events/eventhub.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/metrics/metricseriesstore.h"
#include "server/metrics/seriesdecimation.h"
#include "server/resources/instancetyperegistry.h"
#include "server/runs/runnames.h"
#include "server/runs/runstore.h"
#include "server/runs/scheduler.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

namespace og {

Q_LOGGING_CATEGORY(lcRunRoutes, "opengrid.server.runs", QtInfoMsg)

namespace {
QJsonArray experimentsJson(const QList<ExperimentRecord> &records)
{
    QJsonArray out;
    for (const ExperimentRecord &r : records)
        out.append(r.info.toJson());
    return out;
}

// The run's code tree, built once per code snapshot (same root hash, same tree).
QString codeTree(RequestContext &ctx, const QString &root, const QString &script, QString *error, int *status)
{
    if (!missingObjects(ctx, {root}).isEmpty()) {
        *status = 409;
        *error = QStringLiteral("the code snapshot (object %1) has not been uploaded").arg(root);
        return {};
    }
    QFile file(ctx.server.objects->pathOf(root));
    if (!file.open(QIODevice::ReadOnly)) {
        *status = 409;
        *error = QStringLiteral("the code snapshot (object %1) has not been uploaded").arg(root);
        return {};
    }
    QString problem;
    const auto manifest = Manifest::parse(file.readAll(), &problem);
    if (!manifest) {
        *status = 422;
        *error = QStringLiteral("invalid code manifest: %1").arg(problem);
        return {};
    }
    const bool hasScript = std::any_of(manifest->entries().begin(), manifest->entries().end(), [&](const ManifestEntry &e) {
        return e.path == script && e.type == ManifestEntry::Type::File;
    });
    if (!hasScript) {
        *status = 400;
        *error = QStringLiteral("the script '%1' is not in the code that was sent; give its path relative to the "
                                "repository root (or the directory, with --localdir)").arg(script);
        return {};
    }
    QStringList hashes;
    for (const ManifestEntry &e : manifest->entries())
        if (e.type == ManifestEntry::Type::File)
            hashes.append(e.sha256);
    if (const QStringList absent = missingObjects(ctx, hashes); !absent.isEmpty()) {
        *status = 409;
        *error = QStringLiteral("%1 file(s) of the code snapshot have not been uploaded").arg(absent.size());
        return {};
    }
    const QString codeRoot = QFileInfo(ctx.server.objects->root()).absolutePath() + QStringLiteral("/code");
    const QString dir = codeRoot + u'/' + root;
    if (!QFileInfo::exists(dir)) {
        QDir().mkpath(codeRoot);
        if (const QString e = materializeTree(*ctx.server.objects, *manifest, codeRoot + QStringLiteral("/.building-") + randomRunName(), dir);
            !e.isEmpty() && !QFileInfo::exists(dir)) {
            *status = 500;
            *error = QStringLiteral("cannot prepare the code: %1").arg(e);
            return {};
        }
    }
    return dir;
}

HttpResponse submitRun(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    auto body = readJsonBody(request, &error);
    if (!body)
        return error;
    JsonReader &r = *body;
    QString name = r.optionalString(QStringLiteral("name"));
    const QString script = r.requiredString(QStringLiteral("script"));
    const QStringList args = r.optionalStringList(QStringLiteral("args"));
    const QString strategyName = r.optionalString(QStringLiteral("strategy"), QStringLiteral("grid_search"));
    const qint64 numTrials = r.optionalInteger(QStringLiteral("num_trials"), 0, 0, 1'000'000);
    const qint64 seed = r.optionalInteger(QStringLiteral("seed"), 0, 0, std::numeric_limits<qint64>::max());
    const QString instanceType = r.optionalString(QStringLiteral("instance_type"), QStringLiteral("cpu-1"));
    const int gpus = int(r.optionalInteger(QStringLiteral("gpus"), 0, 0, 64));
    const int cpus = int(r.optionalInteger(QStringLiteral("cpus"), 0, 0, 4096));
    const QString memory = r.optionalString(QStringLiteral("memory"));
    const QString datastoreName = r.optionalString(QStringLiteral("datastore_name"));
    const qint64 datastoreVersion = r.optionalInteger(QStringLiteral("datastore_version"), 0, 0, 1'000'000'000);
    QString mountDir = r.optionalString(QStringLiteral("datastore_mount_dir"));
    const QString codeRoot = r.requiredString(QStringLiteral("code_root"));
    const QString framework = r.optionalString(QStringLiteral("framework"), QStringLiteral("lightning"));
    const QString project = r.optionalString(QStringLiteral("project"));
    const QString gitCommit = r.optionalString(QStringLiteral("git_commit"));
    const bool dryRun = r.optionalBool(QStringLiteral("dry_run"), false);
    const QMap<QString, QString> environment = r.optionalStringMap(QStringLiteral("environment"));
    r.rejectUnknown({QStringLiteral("name"), QStringLiteral("script"), QStringLiteral("args"), QStringLiteral("strategy"),
                     QStringLiteral("num_trials"), QStringLiteral("seed"), QStringLiteral("instance_type"), QStringLiteral("gpus"),
                     QStringLiteral("cpus"), QStringLiteral("memory"), QStringLiteral("datastore_name"),
                     QStringLiteral("datastore_version"), QStringLiteral("datastore_mount_dir"), QStringLiteral("code_root"),
                     QStringLiteral("framework"), QStringLiteral("project"), QStringLiteral("git_commit"),
                     QStringLiteral("dry_run"), QStringLiteral("environment")});
    const auto strategy = sweepStrategyFromString(strategyName);
    if (r.ok() && !strategy)
        r.fail(QStringLiteral("strategy must be grid_search, random_search or none, not '%1'").arg(strategyName));
    if (r.ok() && (Manifest::validatePath(script).size() > 0 || !(script.endsWith(QStringLiteral(".py")) || script.endsWith(QStringLiteral(".sh")))))
        r.fail(QStringLiteral("the script must be a .py or .sh file given relative to the code root, not '%1'").arg(script));
    if (r.ok() && !isSha256Hex(codeRoot))
        r.fail(QStringLiteral("code_root must be the SHA-256 of the code manifest"));
    if (!r.ok())
        return invalidRequest(r.error());
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        if (it.key().isEmpty() || it.key().contains(u'=') || it.key().startsWith(QStringLiteral("GRID_")))
            return invalidRequest(QStringLiteral("environment variable '%1' cannot be set (empty, contains '=', or a GRID_ variable)").arg(it.key()));

    RunStore runs(ctx.db);
    if (name.isEmpty()) {
        do
            name = randomRunName();
        while (runs.nameTaken(ctx.user.userId, name));
    } else if (const auto problem = names::validate(name, QStringLiteral("Run"))) {
        return invalidRequest(*problem);
    } else if (runs.nameTaken(ctx.user.userId, name)) {
        return HttpResponse::error(409, QStringLiteral("conflict"), QStringLiteral("A Run with the name %1 already exists").arg(name));
    }

    // Resources: the instance type's shape, narrowed by --cpus / --gpus / --memory.
    const auto resolved = ctx.server.instanceTypes->resolve(instanceType);
    if (!resolved.type)
        return HttpResponse::error(resolved.httpStatus, resolved.errorCode, resolved.message);
    InstanceShape shape = resolved.type->shape;
    if (gpus > shape.gpus)
        return HttpResponse::error(422, QStringLiteral("instance_type_unsatisfiable"),
                                   QStringLiteral("--gpus %1 asks for more GPUs than instance type '%2' has (%3)").arg(gpus).arg(instanceType).arg(shape.gpus));
    if (gpus > 0)
        shape.gpus = gpus;
    if (cpus > 0)
        shape.cpus = qMin(cpus, shape.cpus);
    if (!memory.isEmpty()) {
        const qint64 bytes = parseByteSize(memory);
        if (bytes <= 0)
            return invalidRequest(QStringLiteral("memory must be a size such as 8GiB, not '%1'").arg(memory));
        shape.memoryBytes = qMin(bytes, shape.memoryBytes);
    }
    QString why;
    if (!InstanceTypeRegistry::fits(shape, ctx.server.instanceTypes->cluster(), &why))
        return HttpResponse::error(422, QStringLiteral("instance_type_unsatisfiable"),
                                   QStringLiteral("each experiment needs %1, but this cluster has %2").arg(shape.describe(), ctx.server.instanceTypes->cluster().describe()));

    // The datastore version to mount, read-only.
    QString datastorePath;
    QString datastoreVersionId;
    int datastoreVersionNumber = 0;
    if (!datastoreName.isEmpty()) {
        HttpResponse refused;
        const auto mount = resolveDatastoreMount(ctx, datastoreName, datastoreVersion, mountDir, &refused);
        if (!mount)
            return refused;
        datastorePath = mount->treePath;
        datastoreVersionId = mount->versionId;
        datastoreVersionNumber = mount->version;
        mountDir = mount->mountDir;
    }

    const SweepResult sweep = expandSweep(args, *strategy, numTrials > 0 ? std::optional<int>(int(numTrials)) : std::nullopt,
                                          quint64(seed), ctx.server.config.maxExperimentsPerRun);
    if (!sweep.error.isEmpty())
        return invalidRequest(sweep.error);
    QList<NewExperiment> experiments;
    QJsonArray preview;
    for (const ExperimentSpec &spec : sweep.experiments) {
        NewExperiment e{spec.args, spec.params, (QStringList{script} + spec.args).join(u' ')};
        Experiment shown;
        shown.name = QStringLiteral("%1-exp%2").arg(name).arg(spec.index);
        shown.runName = name;
        shown.index = spec.index;
        shown.status = QStringLiteral("pending");
        shown.args = spec.args;
        shown.params = spec.params;
        shown.command = e.command;
        preview.append(shown.toJson());
        experiments.append(e);
    }
    if (dryRun)
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("dry_run"), true}, {QStringLiteral("name"), name},
                                                   {QStringLiteral("swept"), QJsonArray::fromStringList(sweep.sweptFlags)},
                                                   {QStringLiteral("experiments"), preview}});

    int status = 0;
    const QString codeDir = codeTree(ctx, codeRoot, script, &why, &status);
    if (codeDir.isEmpty())
        return HttpResponse::error(status, status == 409 ? QStringLiteral("objects_missing") : QStringLiteral("invalid_request"), why);

    QJsonObject env;
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    const QJsonObject spec{{QStringLiteral("script"), script},
                           {QStringLiteral("args"), QJsonArray::fromStringList(args)},
                           {QStringLiteral("strategy"), strategyName},
                           {QStringLiteral("num_trials"), numTrials},
                           {QStringLiteral("seed"), seed},
                           {QStringLiteral("instance_type"), resolved.type->name},
                           {QStringLiteral("shape"), shape.toJson()},
                           {QStringLiteral("datastore_name"), datastoreName},
                           {QStringLiteral("datastore_version"), datastoreVersionNumber},
                           {QStringLiteral("datastore_path"), datastorePath},
                           {QStringLiteral("datastore_mount_dir"), mountDir},
                           {QStringLiteral("code_root"), codeRoot},
                           {QStringLiteral("code_dir"), codeDir},
                           {QStringLiteral("framework"), framework},
                           {QStringLiteral("project"), project},
                           {QStringLiteral("git_commit"), gitCommit},
                           {QStringLiteral("swept"), QJsonArray::fromStringList(sweep.sweptFlags)},
                           {QStringLiteral("environment"), env}};
    const QString runId = runs.createRun(ctx.user.userId, name, spec, experiments, datastoreVersionId);
    runs.queueRun(runId);
    runs.refreshRunStatus(runId);
    const auto summary = runs.summary(runId);
    ctx.server.events->publish({QStringLiteral("runs"), QStringLiteral("created"), ctx.user.userId, summary->toJson()});
    ctx.server.scheduler->wake();
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("run"), summary->toJson()},
                                               {QStringLiteral("swept"), QJsonArray::fromStringList(sweep.sweptFlags)},
                                               {QStringLiteral("experiments"), experimentsJson(runs.experimentsOfRun(runId))}});
}

HttpResponse getRun(const HttpRequest &request, RequestContext &ctx)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    RunStore runs(ctx.db);
    const auto run = runs.findRun(ctx.user.userId, name);
    if (!run) {
        if (runs.findExperiment(ctx.user.userId, name))
            return invalidRequest(QStringLiteral("Must pass a Run name, not Experiment ('%1')").arg(name));
        return notFound(QStringLiteral("run"), name);
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("run"), runs.summary(run->first)->toJson()},
                                               {QStringLiteral("spec"), run->second},
                                               {QStringLiteral("swept"), run->second.value(QStringLiteral("swept"))},
                                               {QStringLiteral("experiments"), experimentsJson(runs.experimentsOfRun(run->first))}});
}

HttpResponse stopRun(const HttpRequest &request, RequestContext &ctx)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    RunStore runs(ctx.db);
    const auto run = runs.findRun(ctx.user.userId, name);
    if (!run)
        return notFound(QStringLiteral("run"), name);
    QStringList stopping;
    for (const ExperimentRecord &e : runs.experimentsOfRun(run->first))
        if (e.info.isActive())
            stopping.append(e.id);
    ctx.server.scheduler->requestStop(stopping);
    return HttpResponse::json(202, QJsonObject{{QStringLiteral("run"), runs.summary(run->first)->toJson()},
                                               {QStringLiteral("stopping"), stopping.size()}});
}

HttpResponse deleteRun(const HttpRequest &request, RequestContext &ctx)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    RunStore runs(ctx.db);
    const auto run = runs.findRun(ctx.user.userId, name);
    if (!run)
        return notFound(QStringLiteral("run"), name);
    const auto experiments = runs.experimentsOfRun(run->first);
    for (const ExperimentRecord &e : experiments)
        if (e.info.isActive())
            return HttpResponse::error(409, QStringLiteral("busy"),
                                       QStringLiteral("run %1 still has active experiments; stop it first (grid stop run %1)").arg(name));
    const auto summary = runs.summary(run->first);
    runs.deleteRun(run->first);
    for (const ExperimentRecord &e : experiments)
        removeReadOnlyTree(ctx.server.scheduler->experimentDir(e.id));
    ctx.server.events->publish({QStringLiteral("runs"), QStringLiteral("deleted"), ctx.user.userId, summary->toJson()});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("run"), summary->toJson()}});
}

std::optional<ExperimentRecord> experimentOf(const HttpRequest &request, RequestContext &ctx, HttpResponse *error)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    RunStore runs(ctx.db);
    auto e = runs.findExperiment(ctx.user.userId, name);
    if (!e) {
        // Grid: a run name means its first experiment.
        if (const auto run = runs.findRun(ctx.user.userId, name)) {
            const auto all = runs.experimentsOfRun(run->first);
            if (!all.isEmpty())
                return all.front();
        }
        *error = notFound(QStringLiteral("experiment"), name);
    }
    return e;
}

HttpResponse getExperiment(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentOf(request, ctx, &error);
    if (!e)
        return error;
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("experiment"), e->info.toJson()}});
}

HttpResponse stopExperiment(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentOf(request, ctx, &error);
    if (!e)
        return error;
    if (e->info.isActive())
        ctx.server.scheduler->requestStop({e->id});
    return HttpResponse::json(202, QJsonObject{{QStringLiteral("experiment"), e->info.toJson()}});
}

HttpResponse deleteExperiment(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentOf(request, ctx, &error);
    if (!e)
        return error;
    if (e->info.isActive())
        return HttpResponse::error(409, QStringLiteral("busy"),
                                   QStringLiteral("experiment %1 is %2; stop it first (grid stop experiment %1)").arg(e->info.name, e->info.status));
    RunStore runs(ctx.db);
    runs.deleteExperiment(e->id);
    removeReadOnlyTree(ctx.server.scheduler->experimentDir(e->id));
    runs.refreshRunStatus(e->runId);
    ctx.server.events->publish({QStringLiteral("experiments"), QStringLiteral("deleted"), ctx.user.userId, e->info.toJson()});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("experiment"), e->info.toJson()}});
}

// Log lines from byte `offset` on (for following), or the last `tail_lines`.
HttpResponse experimentLogs(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentOf(request, ctx, &error);
    if (!e)
        return error;
    bool ok = true;
    const QString offsetText = request.query.queryItemValue(QStringLiteral("offset"));
    const qint64 offset = offsetText.isEmpty() ? 0 : offsetText.toLongLong(&ok);
    const QString tailText = request.query.queryItemValue(QStringLiteral("tail_lines"));
    const int tail = tailText.isEmpty() ? 0 : tailText.toInt(&ok);
    if (!ok || offset < 0 || tail < 0)
        return invalidRequest(QStringLiteral("offset and tail_lines must be non-negative numbers"));
    QFile log(experimentfiles::logFile(ctx.server.scheduler->experimentDir(e->id)));
    QStringList lines;
    qint64 end = offset;
    if (log.open(QIODevice::ReadOnly)) {
        constexpr qint64 kMaxChunk = 4 << 20; // a follower catches up in bounded pieces
        // Without an offset, tail_lines means the end of the log, not of its first piece.
        const qint64 start = tail > 0 && offsetText.isEmpty() ? qMax<qint64>(0, log.size() - kMaxChunk) : qMin(offset, log.size());
        log.seek(start);
        QByteArray data = log.read(kMaxChunk);
        data.truncate(data.lastIndexOf('\n') + 1); // only whole lines; the rest comes next time
        end = start + data.size();
        if (start > 0 && offsetText.isEmpty())
            data.remove(0, data.indexOf('\n') + 1); // began mid-line
        for (const QByteArray &line : data.split('\n'))
            if (!line.isEmpty())
                lines.append(QString::fromUtf8(line));
        if (tail > 0 && lines.size() > tail)
            lines = lines.mid(lines.size() - tail);
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("experiment"), e->info.name},
                                               {QStringLiteral("status"), e->info.status},
                                               {QStringLiteral("lines"), QJsonArray::fromStringList(lines)},
                                               {QStringLiteral("offset"), end}});
}
// Metric keys, or one key's series; with `buckets`, decimated per bucket to its min and max
// (so a spike survives any zoom level) — what the charts ask for. Series storage holds them;
// experiments that an older gridd ran have theirs in SQL.
HttpResponse experimentMetrics(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentOf(request, ctx, &error);
    if (!e)
        return error;
    RunStore runs(ctx.db);
    const QString dir = ctx.server.scheduler->experimentDir(e->id);
    const bool inSeries = metricseries::exists(dir);
    const QString key = request.query.queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded);
    if (key.isEmpty())
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("experiment"), e->info.name},
                                                   {QStringLiteral("keys"), QJsonArray::fromStringList(
                                                                                inSeries ? metricseries::keys(dir) : runs.metricKeys(e->id))}});
    bool ok = true;
    const QString bucketsText = request.query.queryItemValue(QStringLiteral("buckets"));
    const int buckets = bucketsText.isEmpty() ? 0 : bucketsText.toInt(&ok);
    if (!ok || buckets < 0 || buckets > 100000)
        return invalidRequest(QStringLiteral("buckets must be a number from 1 to 100000"));
    metricseries::Columns series;
    if (!inSeries) {
        runs.metricSeries(e->id, key, &series.steps, &series.wallTimes, &series.values);
    } else if (QString problem; !metricseries::read(dir, key, &series.steps, &series.wallTimes, &series.values, &problem)) {
        qCWarning(lcRunRoutes).noquote() << "metrics of" << e->info.name << "cannot be read:" << problem;
        return HttpResponse::error(500, QStringLiteral("internal_error"), QStringLiteral("the metrics of %1 cannot be read").arg(e->info.name));
    }
    const qint64 total = qint64(series.steps.size());
    if (buckets > 0 && series.steps.size() > size_t(2 * buckets))
        series = metricseries::decimate(series, buckets);
    QJsonArray points;
    for (size_t i = 0; i < series.steps.size(); ++i)
        points.append(QJsonArray{series.steps[i], series.values[i], series.wallTimes[i]});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("experiment"), e->info.name},
                                               {QStringLiteral("key"), key},
                                               {QStringLiteral("total_points"), total},
                                               {QStringLiteral("points"), points}});
}
} // namespace

void registerRunRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/api/v1/runs"), submitRun);
    router.add("GET", QStringLiteral("/api/v1/runs/{name}"), getRun);
    router.add("POST", QStringLiteral("/api/v1/runs/{name}/stop"), stopRun);
    router.add("DELETE", QStringLiteral("/api/v1/runs/{name}"), deleteRun);
    router.add("GET", QStringLiteral("/api/v1/experiments/{name}"), getExperiment);
    router.add("POST", QStringLiteral("/api/v1/experiments/{name}/stop"), stopExperiment);
    router.add("DELETE", QStringLiteral("/api/v1/experiments/{name}"), deleteExperiment);
    router.add("GET", QStringLiteral("/api/v1/experiments/{name}/logs"), experimentLogs);
    router.add("GET", QStringLiteral("/api/v1/experiments/{name}/metrics"), experimentMetrics);
}

} // namespace og
