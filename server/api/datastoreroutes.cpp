// SPDX-License-Identifier: GPL-3.0-or-later
// Datastores: named, versioned, immutable file trees. A client uploads the objects a version
// lacks, then commits the manifest; gridd verifies and materialises it in the background.
#include "server/api/routes.h"

#include "core/names.h"
#include "server/content/objectstore.h"
#include "server/datastores/datastorestore.h"
#include "server/datastores/datastoreworker.h"
#include "server/datastores/dirlisting.h"
#include "server/events/eventhub.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"
#include "server/store/database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <memory>

namespace og {

namespace {
constexpr qint64 kMaxDatastoreFileChunk = 1 << 20; // per answer of …/file; larger files in ranges

void publish(RequestContext &ctx, const QString &action, const DatastoreVersion &v)
{
    ctx.server.events->publish({QStringLiteral("datastores"), action, ctx.user.userId, v.toJson()});
}

HttpResponse conflict(const QString &code, const QString &message)
{
    return HttpResponse::error(409, code, message);
}

// "{version}" is a number or "latest" (the newest succeeded version).
std::optional<VersionRecord> lookup(const HttpRequest &request, RequestContext &ctx, HttpResponse *error)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    const QString version = request.pathParams.value(QStringLiteral("version"));
    DatastoreStore store(ctx.db);
    std::optional<VersionRecord> record;
    if (version == u"latest") {
        record = store.latest(ctx.user.userId, name, QStringLiteral("succeeded"));
    } else {
        bool ok = false;
        const int number = version.toInt(&ok);
        if (!ok || number < 1) {
            *error = invalidRequest(QStringLiteral("version must be a number from 1 or 'latest', not '%1'").arg(version));
            return std::nullopt;
        }
        record = store.find(ctx.user.userId, name, number);
    }
    if (!record)
        *error = notFound(QStringLiteral("datastore"), name + u':' + version);
    return record;
}

// A valid datastore name in the path and a JSON object body, or the 400 that says which not.
std::optional<JsonReader> nameAndBody(const HttpRequest &request, const QString &name, HttpResponse *error)
{
    if (const auto problem = names::validate(name, QStringLiteral("Datastore"))) {
        *error = invalidRequest(*problem);
        return std::nullopt;
    }
    return readJsonBody(request, error);
}

// `needed` more bytes on top of `used` past the caller's datastore quota: the 422 to answer.
std::optional<HttpResponse> quotaRefusal(RequestContext &ctx, qint64 used, qint64 needed)
{
    const qint64 quota = ctx.server.config.datastores.quotaBytes;
    if (quota <= 0 || used + needed <= quota)
        return std::nullopt;
    return HttpResponse::error(422, QStringLiteral("quota_exceeded"),
                               QStringLiteral("this version needs %1 bytes but only %2 of your %3-byte datastore quota are "
                                              "left; delete old versions (grid datastore delete) or ask the administrator")
                                   .arg(needed).arg(qMax<qint64>(0, quota - used)).arg(quota));
}

HttpResponse listAll(const HttpRequest &, RequestContext &ctx)
{
    QJsonArray versions;
    for (const DatastoreVersion &v : DatastoreStore(ctx.db).list(ctx.user.userId))
        versions.append(v.toJson());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("datastores"), versions}});
}

HttpResponse getDatastore(const HttpRequest &request, RequestContext &ctx)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    QJsonArray versions;
    for (const DatastoreVersion &v : DatastoreStore(ctx.db).list(ctx.user.userId, name))
        versions.append(v.toJson());
    if (versions.isEmpty())
        return notFound(QStringLiteral("datastore"), name);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("versions"), versions}});
}

HttpResponse getVersion(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto record = lookup(request, ctx, &error);
    if (!record)
        return error;
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("version"), record->info.toJson()}});
}

HttpResponse createVersion(const HttpRequest &request, RequestContext &ctx)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    HttpResponse error;
    auto body = nameAndBody(request, name, &error);
    if (!body)
        return error;
    DatastoreVersion info;
    info.rootHash = body->requiredString(QStringLiteral("root_hash"));
    info.sizeBytes = body->optionalInteger(QStringLiteral("size_bytes"), 0, 0, qint64(1) << 50);
    info.fileCount = int(body->optionalInteger(QStringLiteral("file_count"), 0, 0, 100'000'000));
    info.source = body->optionalString(QStringLiteral("source"), QStringLiteral("")).left(4096);
    info.status = QStringLiteral("uploading");
    body->rejectUnknown({QStringLiteral("root_hash"), QStringLiteral("size_bytes"), QStringLiteral("file_count"), QStringLiteral("source")});
    if (body->ok() && !isSha256Hex(info.rootHash))
        body->fail(QStringLiteral("root_hash must be the lower-case hex SHA-256 of the manifest"));
    if (!body->ok())
        return invalidRequest(body->error());

    DatastoreStore store(ctx.db);
    // The hourly cron case: same tree, no new version.
    if (const auto latest = store.latest(ctx.user.userId, name, QStringLiteral("succeeded")); latest && latest->info.rootHash == info.rootHash)
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("unchanged"), true}, {QStringLiteral("version"), latest->info.toJson()}});

    const auto uploading = store.uploading(ctx.user.userId, name);
    const qint64 used = store.usedBytes(ctx.user.userId) - (uploading ? uploading->info.sizeBytes : 0);
    if (auto refusal = quotaRefusal(ctx, used, info.sizeBytes))
        return *refusal;
    // An interrupted upload of this datastore is taken over rather than left dangling: the
    // version number stays the same and the objects already sent count.
    if (uploading) {
        store.updateUploading(uploading->id, info);
        const auto now = store.findById(uploading->id);
        publish(ctx, QStringLiteral("updated"), now->info);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("resumed"), true}, {QStringLiteral("version"), now->info.toJson()}});
    }
    const VersionRecord created = store.createVersion(ctx.user.userId, name, info);
    publish(ctx, QStringLiteral("created"), created.info);
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("version"), created.info.toJson()}});
}

HttpResponse commitVersion(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto record = lookup(request, ctx, &error);
    if (!record)
        return error;
    if (!request.body.isEmpty()) {
        auto body = readJsonBody(request, &error);
        if (!body)
            return error;
        body->rejectUnknown({});
        if (!body->ok())
            return invalidRequest(body->error());
    }
    if (record->info.status != u"uploading")
        return conflict(QStringLiteral("not_uploading"),
                        QStringLiteral("version %1 of '%2' is %3, not uploading").arg(record->info.version).arg(record->info.name, record->info.status));
    const QString root = record->info.rootHash;
    if (!missingObjects(ctx, {root}).isEmpty())
        return conflict(QStringLiteral("objects_missing"), QStringLiteral("the manifest (object %1) has not been uploaded").arg(root));
    QFile file(ctx.server.objects->pathOf(root));
    if (!file.open(QIODevice::ReadOnly))
        return conflict(QStringLiteral("objects_missing"), QStringLiteral("the manifest (object %1) has not been uploaded").arg(root));
    QString problem;
    const auto manifest = Manifest::parse(file.readAll(), &problem);
    if (!manifest)
        return HttpResponse::error(422, QStringLiteral("invalid_manifest"), problem);

    // Directories unchanged since the previous version (the same listing) hold objects that
    // version already proved to be there, the caller's and of the sizes listed: only the files
    // of the other directories are checked (the hourly re-upload changes a few files of many).
    const auto parsed = std::make_shared<const Manifest>(std::move(*manifest));
    const QList<DirListing> listings = dirListingsOf(*parsed);
    QSet<QString> previousListings;
    if (const auto previous = DatastoreStore(ctx.db).latest(ctx.user.userId, record->info.name, QStringLiteral("succeeded")))
        previousListings = DatastoreStore(ctx.db).listingsOf(previous->id);
    QList<const ManifestEntry *> toCheck;
    QSet<QString> unique;
    for (const DirListing &l : listings) {
        if (previousListings.contains(l.hash))
            continue;
        for (const ManifestEntry &e : l.entries) {
            if (e.type != ManifestEntry::Type::File)
                continue;
            toCheck.append(&e);
            unique.insert(e.sha256);
        }
    }
    const QStringList absent = missingObjects(ctx, QStringList(unique.begin(), unique.end()));
    if (!absent.isEmpty()) {
        return HttpResponse::json(409, QJsonObject{
            {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QStringLiteral("objects_missing")},
                                                  {QStringLiteral("message"), QStringLiteral("%1 object(s) of this version have not been uploaded; "
                                                                                             "continue with `grid datastore resume`").arg(absent.size())}}},
            {QStringLiteral("missing"), QJsonArray::fromStringList(absent.mid(0, 1000))}});
    }
    // Sizes and quotas count what the manifest says, so it must say what the objects hold.
    for (const ManifestEntry *e : std::as_const(toCheck)) {
        if (const qint64 actual = ctx.server.objects->sizeOf(e->sha256); actual != e->size)
            return HttpResponse::error(422, QStringLiteral("invalid_manifest"),
                                       QStringLiteral("manifest: file '%1' is listed with %2 bytes but its content (object %3) has %4")
                                           .arg(e->path).arg(e->size).arg(e->sha256).arg(actual));
    }
    DatastoreStore store(ctx.db);
    DatastoreVersion info = record->info;
    info.sizeBytes = parsed->totalBytes();
    info.fileCount = parsed->fileCount();
    // The quota holds for what is committed, not only for what was announced at the start.
    if (auto refusal = quotaRefusal(ctx, store.usedBytes(ctx.user.userId) - record->info.sizeBytes, info.sizeBytes))
        return *refusal;
    store.markOptimizing(record->id, info);
    const auto now = store.findById(record->id);
    publish(ctx, QStringLiteral("updated"), now->info);
    ctx.server.datastores->optimize(record->id, parsed, listings); // spares the worker making them again
    return HttpResponse::json(202, QJsonObject{{QStringLiteral("version"), now->info.toJson()}});
}

HttpResponse deleteVersion(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto record = lookup(request, ctx, &error);
    if (!record)
        return error;
    if (record->info.status == u"optimizing")
        return conflict(QStringLiteral("busy"), QStringLiteral("version %1 of '%2' is being optimized; delete it when it has finished")
                                                   .arg(record->info.version).arg(record->info.name));
    DatastoreStore store(ctx.db);
    const QStringList users = store.usersOf(record->id);
    if (!users.isEmpty())
        return conflict(QStringLiteral("in_use"), QStringLiteral("version %1 of '%2' is in use by %3; stop or delete them first")
                                                     .arg(record->info.version).arg(record->info.name, users.join(QStringLiteral(", "))));
    store.deleteVersion(record->id);
    publish(ctx, QStringLiteral("deleted"), record->info);
    ctx.server.datastores->removeVersion(record->id, record->datastoreId, record->info.version);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("version"), record->info.toJson()}});
}

QJsonObject fileJson(const VersionFile &f)
{
    QJsonObject o{{QStringLiteral("path"), f.path},
                  {QStringLiteral("name"), f.path.section(u'/', -1)},
                  {QStringLiteral("type"), Manifest::typeName(f.type)},
                  {QStringLiteral("mode"), f.mode},
                  {QStringLiteral("size_bytes"), f.size}};
    if (f.type == ManifestEntry::Type::File)
        o.insert(QStringLiteral("sha256"), f.sha256);
    if (f.type == ManifestEntry::Type::Symlink)
        o.insert(QStringLiteral("target"), f.target);
    return o;
}

// The caller's version named in the path, once it has succeeded; else the 404 or 409 to answer.
// `what` completes "its files can be … once it has succeeded".
std::optional<VersionRecord> succeededVersion(const HttpRequest &request, RequestContext &ctx, const QString &what,
                                              HttpResponse *error)
{
    auto record = lookup(request, ctx, error);
    if (record && record->info.status != u"succeeded") {
        *error = conflict(QStringLiteral("not_ready"), QStringLiteral("version %1 of '%2' is %3; its files can be %4 once it has succeeded")
                                                          .arg(record->info.version).arg(record->info.name, record->info.status, what));
        return std::nullopt;
    }
    return record;
}

HttpResponse listFiles(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto record = succeededVersion(request, ctx, QStringLiteral("listed"), &error);
    if (!record)
        return error;
    QString path = request.query.queryItemValue(QStringLiteral("path"), QUrl::FullyDecoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    while (path.startsWith(QStringLiteral("./")))
        path = path.mid(2);
    if (!path.isEmpty())
        if (const QString problem = Manifest::validatePath(path); !problem.isEmpty())
            return invalidRequest(problem);
    DatastoreStore store(ctx.db);
    QJsonArray entries;
    if (!path.isEmpty()) {
        const auto self = store.findFile(record->id, path);
        if (!self)
            return notFound(QStringLiteral("path"), QStringLiteral("%1 in %2:%3").arg(path, record->info.name).arg(record->info.version));
        if (self->type != ManifestEntry::Type::Directory)
            entries.append(fileJson(*self));
    }
    if (entries.isEmpty())
        for (const VersionFile &f : store.listFiles(record->id, path))
            entries.append(fileJson(f));
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("version"), record->info.toJson()},
                                               {QStringLiteral("path"), path},
                                               {QStringLiteral("entries"), entries}});
}

// The bytes of one file of a version, a piece at a time (the desktop app's preview reads the
// first piece). Served from the content store by the file's object, so what is read is
// exactly what the manifest recorded, whatever happens to the materialised tree.
HttpResponse downloadFile(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    const auto record = succeededVersion(request, ctx, QStringLiteral("read"), &error);
    if (!record)
        return error;
    const QString path = request.query.queryItemValue(QStringLiteral("path"), QUrl::FullyDecoded);
    if (path.isEmpty())
        return invalidRequest(QStringLiteral("name the file with ?path=dir/file (relative to the datastore's root)"));
    if (const QString problem = Manifest::validatePath(path); !problem.isEmpty())
        return invalidRequest(problem);
    const QString where = QStringLiteral("%1 in %2:%3").arg(path, record->info.name).arg(record->info.version);
    const auto file = DatastoreStore(ctx.db).findFile(record->id, path);
    if (!file)
        return notFound(QStringLiteral("file"), where);
    if (file->type == ManifestEntry::Type::Directory)
        return HttpResponse::error(404, QStringLiteral("not_a_file"),
                                   QStringLiteral("'%1' is a directory; list it with GET …/files?path=%2").arg(where, path));
    if (file->type == ManifestEntry::Type::Symlink)
        return HttpResponse::error(404, QStringLiteral("not_a_file"),
                                   QStringLiteral("'%1' is a symbolic link to '%2'; ask for the file it points to").arg(where, file->target));
    bool ok = true;
    const QString offsetText = request.query.queryItemValue(QStringLiteral("offset"));
    const qint64 offset = offsetText.isEmpty() ? 0 : offsetText.toLongLong(&ok);
    if (!ok || offset < 0 || offset > file->size)
        return invalidRequest(QStringLiteral("offset must be a number between 0 and the file's size (%1), not '%2'").arg(file->size).arg(offsetText));
    QFile object(ctx.server.objects->pathOf(file->sha256));
    if (!object.open(QIODevice::ReadOnly) || !object.seek(offset))
        return HttpResponse::error(500, QStringLiteral("storage_error"),
                                   QStringLiteral("the content of '%1' (object %2) cannot be read on the platform: %3")
                                       .arg(where, file->sha256, object.errorString()));
    HttpResponse r;
    r.contentType = "application/octet-stream";
    r.body = object.read(qMin(kMaxDatastoreFileChunk, file->size - offset));
    r.headers.append(qMakePair(QByteArray("X-Total-Size"), QByteArray::number(file->size)));
    r.headers.append(qMakePair(QByteArray("X-Offset"), QByteArray::number(offset)));
    return r;
}

HttpResponse importFromUrl(const HttpRequest &request, RequestContext &ctx)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    HttpResponse error;
    auto body = nameAndBody(request, name, &error);
    if (!body)
        return error;
    const QString text = body->requiredString(QStringLiteral("url"));
    body->rejectUnknown({QStringLiteral("url")});
    if (!body->ok())
        return invalidRequest(body->error());
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return invalidRequest(QStringLiteral("'%1' is not an http:// or https:// URL").arg(text));
    DatastoreStore store(ctx.db);
    if (const auto busy = store.uploading(ctx.user.userId, name))
        return conflict(QStringLiteral("busy"), QStringLiteral("version %1 of '%2' is still uploading; wait for it or delete it first")
                                                   .arg(busy->info.version).arg(name));
    DatastoreVersion info;
    info.status = QStringLiteral("uploading");
    info.rootHash = QStringLiteral(""); // known once the archive is unpacked; the column is NOT NULL
    info.source = url.toString();
    const VersionRecord created = store.createVersion(ctx.user.userId, name, info);
    publish(ctx, QStringLiteral("created"), created.info);
    ctx.server.datastores->import(created.id, url);
    return HttpResponse::json(202, QJsonObject{{QStringLiteral("version"), created.info.toJson()}});
}
} // namespace

void registerDatastoreRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/datastores"), listAll);
    router.add("GET", QStringLiteral("/api/v1/datastores/{name}"), getDatastore);
    router.add("POST", QStringLiteral("/api/v1/datastores/{name}/versions"), createVersion);
    router.add("POST", QStringLiteral("/api/v1/datastores/{name}/imports"), importFromUrl);
    router.add("GET", QStringLiteral("/api/v1/datastores/{name}/versions/{version}"), getVersion);
    router.add("DELETE", QStringLiteral("/api/v1/datastores/{name}/versions/{version}"), deleteVersion);
    router.add("POST", QStringLiteral("/api/v1/datastores/{name}/versions/{version}/commit"), commitVersion);
    router.add("GET", QStringLiteral("/api/v1/datastores/{name}/versions/{version}/files"), listFiles);
    router.add("GET", QStringLiteral("/api/v1/datastores/{name}/versions/{version}/file"), downloadFile);
}

} // namespace og
