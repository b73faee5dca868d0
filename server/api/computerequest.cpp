// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/api/computerequest.h"

#include "server/api/routes.h"
#include "server/datastores/datastorestore.h"
#include "server/datastores/datastoreworker.h"
#include "server/http/requestcontext.h"
#include "server/resources/instancetyperegistry.h"
#include "server/servercontext.h"

#include <QDir>

namespace og {

QString validateMountDir(const QString &dir)
{
    if (!QDir::isAbsolutePath(dir) || QDir::cleanPath(dir) != dir || dir == u"/")
        return QStringLiteral("datastore_mount_dir '%1' must be an absolute path such as /datastores/cifar5").arg(dir);
    for (const char *reserved : {"/usr", "/etc", "/proc", "/dev", "/tmp", "/bin", "/lib", "/gridai", "/run", "/.opengrid"})
        if (dir == QLatin1String(reserved) || dir.startsWith(QLatin1String(reserved) + u'/'))
            return QStringLiteral("datastore_mount_dir '%1' is inside %2, which the sandbox needs for itself")
                .arg(dir, QLatin1String(reserved));
    return {};
}

std::optional<ResolvedShape> resolveShape(RequestContext &ctx, const QString &instanceType, HttpResponse *error)
{
    const auto resolved = ctx.server.instanceTypes->resolve(instanceType);
    if (!resolved.type) {
        *error = HttpResponse::error(resolved.httpStatus, resolved.errorCode, resolved.message);
        return std::nullopt;
    }
    QString why;
    if (!InstanceTypeRegistry::fits(resolved.type->shape, ctx.server.instanceTypes->cluster(), &why)) {
        *error = HttpResponse::error(422, QStringLiteral("instance_type_unsatisfiable"),
                                     QStringLiteral("instance type '%1' needs %2, but this cluster has %3")
                                         .arg(resolved.type->name, resolved.type->shape.describe(),
                                              ctx.server.instanceTypes->cluster().describe()));
        return std::nullopt;
    }
    return ResolvedShape{resolved.type->name, resolved.type->shape};
}

std::optional<ResolvedMount> resolveDatastoreMount(RequestContext &ctx, const QString &name, qint64 version,
                                                   QString mountDir, HttpResponse *error)
{
    DatastoreStore datastores(ctx.db);
    const auto record = version > 0 ? datastores.find(ctx.user.userId, name, int(version))
                                    : datastores.latest(ctx.user.userId, name, QStringLiteral("succeeded"));
    if (!record) {
        *error = notFound(QStringLiteral("datastore"), version > 0 ? QStringLiteral("%1:%2").arg(name).arg(version) : name);
        return std::nullopt;
    }
    if (record->info.status != u"succeeded") {
        *error = HttpResponse::error(409, QStringLiteral("not_ready"),
                                     QStringLiteral("datastore %1 version %2 is %3, not succeeded")
                                         .arg(name).arg(record->info.version).arg(record->info.status));
        return std::nullopt;
    }
    if (mountDir.isEmpty())
        mountDir = QStringLiteral("/datastores/") + name;
    if (const QString problem = validateMountDir(mountDir); !problem.isEmpty()) {
        *error = invalidRequest(problem);
        return std::nullopt;
    }
    return ResolvedMount{record->id, record->info.version,
                         ctx.server.datastores->treePath(record->datastoreId, record->info.version), mountDir};
}

} // namespace og
