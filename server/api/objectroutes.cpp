// SPDX-License-Identifier: GPL-3.0-or-later
// Content objects: the bytes of datastore files, addressed by SHA-256. Uploads are verified
// against their name; a user may only reference objects they uploaded themselves.
#include "server/api/routes.h"

#include "core/datastore/manifest.h"
#include "server/content/localintake.h"
#include "server/content/objectstore.h"
#include "server/datastores/datastorestore.h"
#include "server/http/requestcontext.h"
#include "server/http/router.h"

#include <QJsonArray>
#include <QJsonObject>

namespace og {

namespace {
HttpResponse fromPut(const ObjectStore::PutResult &r)
{
    return HttpResponse::error(r.httpStatus, r.errorCode, r.message);
}

QString validHash(const HttpRequest &request)
{
    const QString hash = request.pathParams.value(QStringLiteral("sha256"));
    return isSha256Hex(hash) ? hash : QString();
}

HttpResponse badHash(const HttpRequest &request)
{
    return invalidRequest(QStringLiteral("'%1' is not a lower-case hex SHA-256").arg(request.pathParams.value(QStringLiteral("sha256"))));
}

HttpResponse missing(const HttpRequest &request, RequestContext &ctx)
{
    HttpResponse error;
    auto body = readJsonBody(request, &error);
    if (!body)
        return error;
    const QStringList hashes = body->optionalStringList(QStringLiteral("hashes"));
    body->rejectUnknown({QStringLiteral("hashes")});
    if (body->ok() && hashes.size() > kMaxMissingQuery)
        body->fail(QStringLiteral("ask about at most %1 hashes at a time").arg(kMaxMissingQuery));
    for (const QString &h : hashes)
        if (body->ok() && !isSha256Hex(h))
            body->fail(QStringLiteral("'%1' is not a lower-case hex SHA-256").arg(h));
    if (!body->ok())
        return invalidRequest(body->error());
    const QStringList absent = missingObjects(ctx, hashes);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("missing"), QJsonArray::fromStringList(absent)}});
}

HttpResponse putObject(const HttpRequest &request, RequestContext &ctx)
{
    const QString hash = validHash(request);
    if (hash.isEmpty())
        return badHash(request);
    const auto result = ctx.server.objects->put(hash, request.body);
    if (!result.ok())
        return fromPut(result);
    DatastoreStore(ctx.db).recordObjects(ctx.user.userId, {{hash, request.body.size()}});
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("sha256"), hash}, {QStringLiteral("size"), request.body.size()}});
}

HttpResponse partStatus(const HttpRequest &request, RequestContext &ctx)
{
    const QString hash = validHash(request);
    if (hash.isEmpty())
        return badHash(request);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("received"), ctx.server.objects->partialSize(ctx.user.userId, hash)}});
}

HttpResponse putPart(const HttpRequest &request, RequestContext &ctx)
{
    const QString hash = validHash(request);
    if (hash.isEmpty())
        return badHash(request);
    bool offsetOk = false;
    bool sizeOk = false;
    const qint64 offset = request.pathParams.value(QStringLiteral("offset")).toLongLong(&offsetOk);
    const qint64 total = request.header("x-object-size").toLongLong(&sizeOk);
    if (!offsetOk || offset < 0)
        return invalidRequest(QStringLiteral("the part offset must be a non-negative number"));
    if (!sizeOk || total <= 0)
        return invalidRequest(QStringLiteral("send the whole object's size in an X-Object-Size header"));
    qint64 received = 0;
    bool complete = false;
    const auto result = ctx.server.objects->putPart(ctx.user.userId, hash, offset, total, request.body, &received, &complete);
    if (!result.ok()) {
        HttpResponse r = fromPut(result);
        if (result.httpStatus == 409)
            r = HttpResponse::json(409, QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), result.errorCode},
                                                                                          {QStringLiteral("message"), result.message}}},
                                                    {QStringLiteral("received"), received}});
        return r;
    }
    if (complete)
        DatastoreStore(ctx.db).recordObjects(ctx.user.userId, {{hash, total}});
    return HttpResponse::json(complete ? 201 : 202, QJsonObject{{QStringLiteral("received"), received},
                                                                {QStringLiteral("complete"), complete}});
}

// Many small objects in one request: frames of "<sha256> <size>\n" followed by the bytes.
// Ten thousand 4 KiB files become a handful of requests instead of ten thousand.
HttpResponse putBatch(const HttpRequest &request, RequestContext &ctx)
{
    const QByteArray &body = request.body;
    QList<QPair<QString, qint64>> stored;
    qsizetype pos = 0;
    HttpResponse failure;
    bool failed = false;
    while (pos < body.size() && !failed) {
        const qsizetype newline = body.indexOf('\n', pos);
        const QList<QByteArray> head = newline < 0 ? QList<QByteArray>() : body.mid(pos, newline - pos).split(' ');
        bool sizeOk = false;
        const qint64 size = head.size() == 2 ? head[1].toLongLong(&sizeOk) : -1;
        const QString hash = head.size() == 2 ? QString::fromLatin1(head[0]) : QString();
        if (!sizeOk || size < 0 || !isSha256Hex(hash) || newline + 1 + size > body.size()) {
            failure = invalidRequest(QStringLiteral("malformed batch frame at byte %1: expected '<sha256> <size>\\n' and that many bytes").arg(pos));
            failed = true;
            break;
        }
        const auto result = ctx.server.objects->put(hash, body.mid(newline + 1, size));
        if (!result.ok()) {
            failure = fromPut(result);
            failed = true;
            break;
        }
        stored.append({hash, size});
        pos = newline + 1 + size;
    }
    // What was verified and stored before a bad frame is kept: it is valid content.
    DatastoreStore(ctx.db).recordObjects(ctx.user.userId, stored);
    if (failed)
        return failure;
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("stored"), stored.size()}});
}

// A token for the local intake (server/content/localintake.h): a client on gridd's machine
// passes open files over its Unix socket instead of sending their bytes.
HttpResponse localIntake(const HttpRequest &, RequestContext &ctx)
{
    if (!ctx.server.localIntake)
        return HttpResponse::error(404, QStringLiteral("not_available"),
                                   QStringLiteral("this platform offers no local intake; upload the objects over HTTP"));
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("socket"), ctx.server.localIntake->socketPath()},
                                               {QStringLiteral("token"), ctx.server.localIntake->issueToken(ctx.user.userId)},
                                               {QStringLiteral("expires_in"), LocalIntake::kTokenSeconds},
                                               {QStringLiteral("max_objects_per_message"), LocalIntake::kMaxObjectsPerMessage}});
}
} // namespace

QStringList missingObjects(RequestContext &ctx, const QStringList &hashes)
{
    DatastoreStore store(ctx.db);
    QStringList absent;
    for (qsizetype i = 0; i < hashes.size(); i += 500) {
        const QStringList chunk = hashes.mid(i, 500);
        const QStringList notUploaded = store.notUploadedBy(ctx.user.userId, chunk);
        const QSet<QString> notUploadedSet(notUploaded.begin(), notUploaded.end());
        for (const QString &h : chunk)
            if (notUploadedSet.contains(h) || !ctx.server.objects->contains(h))
                absent.append(h);
    }
    return absent;
}

void registerObjectRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/api/v1/objects/missing"), missing);
    router.add("POST", QStringLiteral("/api/v1/objects/local"), localIntake);
    router.addBinary("POST", QStringLiteral("/api/v1/objects/batch"), putBatch, kMaxObjectRequestBytes);
    router.addBinary("PUT", QStringLiteral("/api/v1/objects/{sha256}"), putObject, kMaxObjectRequestBytes);
    router.add("GET", QStringLiteral("/api/v1/objects/{sha256}/parts"), partStatus);
    router.addBinary("PUT", QStringLiteral("/api/v1/objects/{sha256}/parts/{offset}"), putPart, kMaxObjectRequestBytes);
}

} // namespace og
