// SPDX-License-Identifier: GPL-3.0-or-later
// grid datastore [list] | create | delete | resume | files — Grid's spelling; the pre-2021
// plural `grid datastores …` works too.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/durations.h"
#include "cli/progressbar.h"
#include "cli/table.h"
#include "core/datastore/uploader.h"
#include "core/domain/datastoreversion.h"

#include <QJsonArray>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <cstdio>

namespace og::cli {

namespace {
void warn(const QString &message)
{
    std::fprintf(stderr, "warning: %s\n", message.toUtf8().constData());
}

QString count(qint64 n)
{
    return QString::number(n);
}

int list(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("GET", QStringLiteral("/datastores"));
    if (!r.ok())
        return ctx.out.fail(r);
    const QJsonArray versions = r.object().value(QStringLiteral("datastores")).toArray();
    if (ctx.out.isJson()) {
        ctx.out.json(r.body);
        return 0;
    }
    Table t({QStringLiteral("Name"), QStringLiteral("Version"), QStringLiteral("Size"), QStringLiteral("Files"),
             QStringLiteral("Created At"), QStringLiteral("Status")});
    for (int c : {1, 2, 3})
        t.setAlignment(c, Align::Right);
    t.setEmptyMessage(QStringLiteral("No datastores."));
    for (const QJsonValue &v : versions) {
        const DatastoreVersion d = DatastoreVersion::fromJson(v.toObject());
        QString status = d.status;
        if (d.status == u"failed" && !d.reason.isEmpty())
            status += QStringLiteral(": ") + d.reason;
        t.addRow({d.name, QString::number(d.version), formatBytes(d.sizeBytes), count(d.fileCount),
                  formatTimestamp(d.createdAt), status});
    }
    ctx.out.table(t);
    return 0;
}

// Waits for a URL import to finish, showing its status on the progress line.
DatastoreVersion waitForVersion(ApiClient &api, DatastoreVersion v, ProgressBar &bar, QString *error)
{
    int delayMs = 50;
    while (!v.isFinal()) {
        bar.update(v.status, 0, 0, 0, 0);
        QThread::msleep(delayMs);
        delayMs = qMin(500, delayMs * 2);
        const ApiResult r = api.call("GET", QStringLiteral("/datastores/%1/versions/%2").arg(v.name).arg(v.version));
        if (!r.ok()) {
            *error = r.message;
            return v;
        }
        v = DatastoreVersion::fromJson(r.object().value(QStringLiteral("version")).toObject());
    }
    return v;
}

int report(CommandContext &ctx, const UploadResult &result)
{
    for (const QString &w : result.warnings)
        warn(w);
    if (!result.ok())
        return ctx.out.fail(result.error);
    const DatastoreVersion &v = result.version;
    if (ctx.out.isJson()) {
        ctx.out.json(QJsonObject{{QStringLiteral("unchanged"), result.unchanged},
                                 {QStringLiteral("resumed"), result.resumed},
                                 {QStringLiteral("uploaded_bytes"), result.uploadedBytes},
                                 {QStringLiteral("uploaded_objects"), result.uploadedObjects},
                                 {QStringLiteral("version"), v.toJson()}});
        return 0;
    }
    if (result.unchanged) {
        ctx.out.line(QStringLiteral("Datastore %1 is unchanged: version %2 already holds these %3 files. No new version was created.")
                         .arg(v.name).arg(v.version).arg(count(v.fileCount)));
        return 0;
    }
    if (v.status == u"succeeded")
        ctx.out.line(QStringLiteral("✔ Datastore %1 version %2 succeeded: %3 files, %4 (sent %5 in %6 new objects%7).")
                         .arg(v.name).arg(v.version).arg(count(v.fileCount), formatBytes(v.sizeBytes),
                                                         formatBytes(result.uploadedBytes), count(result.uploadedObjects),
                                                         result.resumed ? QStringLiteral(", resumed") : QString()));
    else
        ctx.out.line(QStringLiteral("Datastore %1 version %2 is %3. Please use `grid datastore` to check the status.")
                         .arg(v.name).arg(v.version).arg(v.status));
    return 0;
}

int create(CommandContext &ctx)
{
    QString source = ctx.args.positional.value(0);
    const QString sourceOption = ctx.args.value(QStringLiteral("source"));
    if (!source.isEmpty() && !sourceOption.isEmpty() && source != sourceOption)
        return ctx.out.fail(QStringLiteral("give the source once: either as an argument or with --source"), 2);
    if (source.isEmpty())
        source = sourceOption;
    if (source.isEmpty())
        return ctx.out.fail(QStringLiteral("what should be uploaded? usage: grid datastore create SOURCE [--name NAME]"), 2);
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const QString name = ctx.args.value(QStringLiteral("name")).isEmpty() ? DatastoreUploader::nameFromSource(source)
                                                                         : ctx.args.value(QStringLiteral("name"));
    const bool wait = !ctx.args.has(QStringLiteral("no-wait"));
    ProgressBar bar;

    const QUrl url(source);
    if (url.scheme() == u"http" || url.scheme() == u"https") {
        const ApiResult r = api->call("POST", QStringLiteral("/datastores/%1/imports").arg(name),
                                      QJsonObject{{QStringLiteral("url"), source}});
        if (!r.ok())
            return ctx.out.fail(r);
        UploadResult result;
        result.version = DatastoreVersion::fromJson(r.object().value(QStringLiteral("version")).toObject());
        if (wait) {
            result.version = waitForVersion(*api, result.version, bar, &result.error);
            if (result.error.isEmpty() && result.version.status == u"failed")
                result.error = QStringLiteral("version %1 of '%2' failed: %3").arg(result.version.version).arg(name, result.version.reason);
        }
        bar.finish();
        return report(ctx, result);
    }

    DatastoreUploader uploader(*api, [&bar](const UploadProgress &p) {
        bar.update(p.phase, p.bytesDone, p.bytesTotal, p.filesDone, p.filesTotal);
    });
    UploadRequest request;
    request.source = source;
    request.name = name;
    request.extract = ctx.args.has(QStringLiteral("extract"));
    request.wait = wait;
    const UploadResult result = uploader.run(request);
    bar.finish();
    return report(ctx, result);
}

int resume(CommandContext &ctx)
{
    const QList<UploadRequest> pending = DatastoreUploader::interruptedUploads();
    if (pending.isEmpty()) {
        if (ctx.out.isJson())
            ctx.out.json(QJsonObject{{QStringLiteral("resumed"), QJsonArray()}});
        else
            ctx.out.line(QStringLiteral("No interrupted datastore uploads."));
        return 0;
    }
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    for (const UploadRequest &request : pending) {
        ProgressBar bar;
        DatastoreUploader uploader(*api, [&bar](const UploadProgress &p) {
            bar.update(p.phase, p.bytesDone, p.bytesTotal, p.filesDone, p.filesTotal);
        });
        if (!ctx.out.isJson())
            ctx.out.line(QStringLiteral("Resuming the upload of %1 from %2").arg(request.name, request.source));
        const UploadResult result = uploader.run(request);
        bar.finish();
        code = qMax(code, report(ctx, result));
    }
    return code;
}

int remove(CommandContext &ctx)
{
    const QString name = ctx.args.value(QStringLiteral("name"));
    const QString version = ctx.args.value(QStringLiteral("version"));
    if (name.isEmpty() || version.isEmpty())
        return ctx.out.fail(QStringLiteral("both --name and --version are required"), 2);
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const ApiResult r = api->call("DELETE", QStringLiteral("/datastores/%1/versions/%2").arg(name, version));
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson())
        ctx.out.json(r.body);
    else
        ctx.out.line(QStringLiteral("Done!"));
    return 0;
}

int files(CommandContext &ctx)
{
    const QString spec = ctx.args.positional.value(0);
    const QString name = spec.section(u':', 0, 0);
    const QString version = spec.contains(u':') ? spec.section(u':', 1) : QStringLiteral("latest");
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("path"), ctx.args.positional.value(1));
    const ApiResult r = api->call("GET", QStringLiteral("/datastores/%1/versions/%2/files").arg(name, version), QJsonValue(), query);
    if (!r.ok())
        return ctx.out.fail(r);
    if (ctx.out.isJson()) {
        ctx.out.json(r.body);
        return 0;
    }
    const DatastoreVersion v = DatastoreVersion::fromJson(r.object().value(QStringLiteral("version")).toObject());
    const QString path = r.object().value(QStringLiteral("path")).toString();
    ctx.out.line(QStringLiteral("%1 version %2: /%3").arg(v.name).arg(v.version).arg(path));
    Table t({QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("Size"), QStringLiteral("Mode")});
    t.setAlignment(2, Align::Right);
    t.setEmptyMessage(QStringLiteral("Empty directory."));
    for (const QJsonValue &e : r.object().value(QStringLiteral("entries")).toArray()) {
        const QJsonObject o = e.toObject();
        const QString type = o.value(QStringLiteral("type")).toString();
        QString shown = o.value(QStringLiteral("name")).toString();
        if (type == u"dir")
            shown += u'/';
        else if (type == u"symlink")
            shown += QStringLiteral(" -> ") + o.value(QStringLiteral("target")).toString();
        t.addRow({shown, type, type == u"file" ? formatBytes(o.value(QStringLiteral("size_bytes")).toInteger()) : QStringLiteral("-"),
                  QString::number(o.value(QStringLiteral("mode")).toInt(), 8).rightJustified(4, u'0')});
    }
    ctx.out.table(t);
    return 0;
}

} // namespace

QList<CommandSpec> datastoreCommands()
{
    const QString ds = QStringLiteral("datastore");
    QList<CommandSpec> commands{
        makeCommand({ds}, QStringLiteral("List datastores (same as `grid datastore list`)."), QString(), {}, 0, 0, list),
        makeCommand({ds, QStringLiteral("list")}, QStringLiteral("List datastores and their versions."), QString(), {}, 0, 0, list),
        makeCommand({ds, QStringLiteral("create")}, QStringLiteral("Upload a directory, file, archive or URL as a new datastore version."),
             QStringLiteral("[SOURCE] [--source SOURCE] [--name NAME] [--extract] [--no-wait]"),
             {{QStringLiteral("source"), QStringLiteral("SOURCE"), QStringLiteral("Directory, file, .zip/.tar/.tar.gz, or http(s) URL of an archive"), {}},
              {QStringLiteral("name"), QStringLiteral("NAME"), QStringLiteral("Datastore name (default: derived from the source)"), {}},
              {QStringLiteral("extract"), QString(), QStringLiteral("Upload a local archive's contents instead of the archive file"), {}},
              {QStringLiteral("no-wait"), QString(), QStringLiteral("Return once uploaded; don't wait for optimizing to finish"), {}}},
             0, 1, create),
        makeCommand({ds, QStringLiteral("delete")}, QStringLiteral("Delete one version of a datastore."),
             QStringLiteral("--name NAME --version VERSION"),
             {{QStringLiteral("name"), QStringLiteral("NAME"), QStringLiteral("Datastore name"), {}},
              {QStringLiteral("version"), QStringLiteral("VERSION"), QStringLiteral("Version number"), {}}},
             0, 0, remove),
        makeCommand({ds, QStringLiteral("resume")}, QStringLiteral("Finish uploads that were interrupted."), QString(), {}, 0, 0, resume),
        makeCommand({ds, QStringLiteral("files")}, QStringLiteral("Browse the files of a datastore version (default: the latest)."),
             QStringLiteral("NAME[:VERSION] [PATH]"), {}, 1, 2, files),
    };
    // Grid also took the plural: `grid datastores create …`.
    for (CommandSpec &c : commands)
        c.aliases = {QStringLiteral("datastores") + (c.path.size() > 1 ? u' ' + c.path[1] : QString())};
    return commands;
}

} // namespace og::cli
