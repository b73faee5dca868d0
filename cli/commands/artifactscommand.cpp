// SPDX-License-Identifier: GPL-3.0-or-later
// grid artifacts RUNS_OR_EXPERIMENTS... [--download_dir DIR] [-m REGEX]: the files experiments
// created, into DIR/<run>/<experiment>/… (Grid's ./grid_artifacts by default).
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/durations.h"
#include "core/datastore/manifest.h"
#include "core/securefile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrlQuery>

namespace og::cli {

namespace {
// Downloads one artifact in ranges into `target`, atomically.
QString download(ApiClient &api, const QString &experiment, const QString &path, const QString &target)
{
    QDir().mkpath(QFileInfo(target).absolutePath());
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(target, out.errorString());
    qint64 offset = 0;
    for (;;) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("path"), path);
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
        const ApiResult r = api.call("GET", QStringLiteral("/experiments/%1/artifacts/file").arg(experiment), QJsonValue(), query);
        if (!r.ok())
            return r.message;
        out.write(r.raw);
        offset += r.raw.size();
        if (r.raw.isEmpty() || offset >= r.headers.value("x-total-size").toLongLong())
            break;
    }
    return out.commit() ? QString() : QStringLiteral("cannot write %1: %2").arg(target, out.errorString());
}

int artifacts(CommandContext &ctx)
{
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    const QString dir = ctx.args.value(QStringLiteral("download_dir")).isEmpty() ? QStringLiteral("grid_artifacts")
                                                                                : ctx.args.value(QStringLiteral("download_dir"));
    const QRegularExpression match(ctx.args.value(QStringLiteral("match_regex")));
    if (!match.isValid())
        return ctx.out.fail(QStringLiteral("--match_regex: %1").arg(match.errorString()), 2);
    // Runs expand to their experiments.
    QStringList experiments;
    for (const QString &name : ctx.args.positional) {
        const ApiResult run = api->call("GET", QStringLiteral("/runs/") + name);
        if (run.ok()) {
            for (const QJsonValue &e : run.object().value(QStringLiteral("experiments")).toArray())
                experiments.append(e.toObject().value(QStringLiteral("name")).toString());
        } else if (run.httpStatus == 400 || run.httpStatus == 404) {
            experiments.append(name);
        } else {
            return ctx.out.fail(run);
        }
    }
    QJsonArray downloaded;
    int files = 0;
    qint64 bytes = 0;
    for (const QString &experiment : std::as_const(experiments)) {
        const ApiResult list = api->call("GET", QStringLiteral("/experiments/%1/artifacts").arg(experiment));
        if (!list.ok())
            return ctx.out.fail(list);
        const QString run = list.object().value(QStringLiteral("run")).toString();
        for (const QJsonValue &v : list.object().value(QStringLiteral("artifacts")).toArray()) {
            const QString path = v.toObject().value(QStringLiteral("path")).toString();
            if (!Manifest::validatePath(path).isEmpty() || !match.match(path).hasMatch())
                continue;
            const QString target = QStringLiteral("%1/%2/%3/%4").arg(dir, run, experiment, path);
            if (const QString e = download(*api, experiment, path, target); !e.isEmpty())
                return ctx.out.fail(e);
            ++files;
            bytes += v.toObject().value(QStringLiteral("size_bytes")).toInteger();
            downloaded.append(target);
        }
    }
    if (ctx.out.isJson())
        ctx.out.json(QJsonObject{{QStringLiteral("downloaded"), downloaded}});
    else
        ctx.out.line(QStringLiteral("Downloaded %1 artifact(s), %2, into %3/").arg(files).arg(formatBytes(bytes), dir));
    return 0;
}
} // namespace

QList<CommandSpec> artifactCommands()
{
    CommandSpec spec;
    spec.path = {QStringLiteral("artifacts")};
    spec.summary = QStringLiteral("Download the files experiments created.");
    spec.usage = QStringLiteral("RUNS_OR_EXPERIMENTS... [--download_dir DIR] [-m REGEX]");
    spec.options = {{QStringLiteral("download_dir"), QStringLiteral("DIR"), QStringLiteral("Where to put them (default ./grid_artifacts)"), {}},
                    {QStringLiteral("match_regex"), QStringLiteral("REGEX"), QStringLiteral("Only paths matching this regular expression"), u'm'}};
    spec.minArgs = 1;
    spec.maxArgs = -1;
    spec.run = artifacts;
    return {spec};
}

} // namespace og::cli
