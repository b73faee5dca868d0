// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"
#include "server/http/httpresponse.h"

#include <QString>

#include <optional>

namespace og {

struct RequestContext;

// What runs and sessions ask of the cluster, checked the same way for both: an instance type
// the cluster can supply, and a datastore version that exists, has succeeded and can be
// mounted where asked.

// An absolute, normalised mount dir outside what the sandbox needs; empty when fine.
QString validateMountDir(const QString &dir);

struct ResolvedShape
{
    QString instanceType; // the canonical name
    InstanceShape shape;
};
// The instance type's shape, or the error response (unknown type, more than the cluster has).
std::optional<ResolvedShape> resolveShape(RequestContext &ctx, const QString &instanceType, HttpResponse *error);

struct ResolvedMount
{
    QString versionId;
    int version = 0;
    QString treePath; // the read-only tree on the gridd machine
    QString mountDir;
};
// The datastore version to mount (the latest succeeded one when `version` is 0), or the
// error response. `mountDir` defaults to /datastores/<name>.
std::optional<ResolvedMount> resolveDatastoreMount(RequestContext &ctx, const QString &name, qint64 version,
                                                   QString mountDir, HttpResponse *error);

} // namespace og
