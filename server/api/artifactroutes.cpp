// SPDX-License-Identifier: GPL-3.0-or-later
// Artifacts: the files an experiment created under its working directory — everything there
// that was not part of the code it started from (as in Grid, files of the code that the
// experiment modified are not artifacts).
#include "server/api/routes.h"

#include "core/datastore/manifest.h"
#include "server/backends/experimentlaunch.h"
#include "server/content/objectstore.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/runs/runstore.h"
#include "server/runs/scheduler.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <sys/stat.h>

namespace og {

namespace {
constexpr qint64 kMaxArtifactChunk = 16 << 20; // larger files are fetched in ranges

QSet<QString> codePaths(RequestContext &ctx, const ExperimentRecord &e)
{
    QSet<QString> paths;
    QFile file(ctx.server.objects->pathOf(e.runSpec.value(QStringLiteral("code_root")).toString()));
    QString error;
    if (file.open(QIODevice::ReadOnly))
        if (const auto manifest = Manifest::parse(file.readAll(), &error))
            for (const ManifestEntry &entry : manifest->entries())
                paths.insert(entry.path);
    return paths;
}

// Relative path → size of every regular file the experiment created.
QList<QPair<QString, qint64>> artifactsOf(RequestContext &ctx, const ExperimentRecord &e)
{
    const QString work = experimentfiles::workDir(ctx.server.scheduler->experimentDir(e.id));
    const QSet<QString> code = codePaths(ctx, e);
    QList<QPair<QString, qint64>> out;
    QDirIterator it(work, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = path.mid(work.size() + 1);
        if (!code.contains(relative))
            out.append({relative, it.fileInfo().size()});
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<ExperimentRecord> experimentNamed(const HttpRequest &request, RequestContext &ctx, HttpResponse *error)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    auto e = RunStore(ctx.db).findExperiment(ctx.user.userId, name);
    if (!e)
        *error = notFound(QStringLiteral("experiment"), name);
    return e;
}

HttpResponse listArtifacts(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentNamed(request, ctx, &error);
    if (!e)
        return error;
    QJsonArray files;
    for (const auto &[path, size] : artifactsOf(ctx, *e))
        files.append(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("size_bytes"), size}});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("experiment"), e->info.name},
                                               {QStringLiteral("run"), e->info.runName},
                                               {QStringLiteral("artifacts"), files}});
}

HttpResponse downloadArtifact(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto e = experimentNamed(request, ctx, &error);
    if (!e)
        return error;
    const QString path = request.query.queryItemValue(QStringLiteral("path"), QUrl::FullyDecoded);
    if (const QString problem = Manifest::validatePath(path); !problem.isEmpty())
        return invalidRequest(problem);
    if (codePaths(ctx, *e).contains(path))
        return notFound(QStringLiteral("artifact"), path);
    const QString work = experimentfiles::workDir(ctx.server.scheduler->experimentDir(e->id));
    // Every component must be a real directory or file, never a link the experiment made
    // to point somewhere else on the gridd machine.
    QString current = work;
    for (const QString &part : path.split(u'/')) {
        current += u'/' + part;
        struct stat st = {};
        if (::lstat(QFile::encodeName(current).constData(), &st) != 0 || S_ISLNK(st.st_mode))
            return notFound(QStringLiteral("artifact"), path);
    }
    QFile file(current);
    if (!QFileInfo(current).isFile() || !file.open(QIODevice::ReadOnly))
        return notFound(QStringLiteral("artifact"), path);
    bool ok = true;
    const QString offsetText = request.query.queryItemValue(QStringLiteral("offset"));
    const qint64 offset = offsetText.isEmpty() ? 0 : offsetText.toLongLong(&ok);
    if (!ok || offset < 0 || offset > file.size())
        return invalidRequest(QStringLiteral("offset must be between 0 and the file's size (%1)").arg(file.size()));
    file.seek(offset);
    HttpResponse r;
    r.contentType = "application/octet-stream";
    r.body = file.read(kMaxArtifactChunk);
    r.headers.append(qMakePair(QByteArray("X-Total-Size"), QByteArray::number(file.size())));
    r.headers.append(qMakePair(QByteArray("X-Offset"), QByteArray::number(offset)));
    return r;
}
} // namespace

void registerArtifactRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/experiments/{name}/artifacts"), listArtifacts);
    router.add("GET", QStringLiteral("/api/v1/experiments/{name}/artifacts/file"), downloadArtifact);
}

} // namespace og
