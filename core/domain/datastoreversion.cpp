// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/datastoreversion.h"

#include "core/domain/jsontime.h"

namespace og {

QJsonObject DatastoreVersion::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("version"), version},
            {QStringLiteral("status"), status},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("root_hash"), rootHash},
            {QStringLiteral("size_bytes"), sizeBytes},
            {QStringLiteral("file_count"), fileCount},
            {QStringLiteral("source"), source},
            {QStringLiteral("created_at"), toJsonTime(createdAt)},
            {QStringLiteral("updated_at"), toJsonTime(updatedAt)}};
}

DatastoreVersion DatastoreVersion::fromJson(const QJsonObject &json)
{
    DatastoreVersion v;
    v.name = json.value(QStringLiteral("name")).toString();
    v.version = json.value(QStringLiteral("version")).toInt();
    v.status = json.value(QStringLiteral("status")).toString();
    v.reason = json.value(QStringLiteral("reason")).toString();
    v.rootHash = json.value(QStringLiteral("root_hash")).toString();
    v.sizeBytes = json.value(QStringLiteral("size_bytes")).toInteger();
    v.fileCount = json.value(QStringLiteral("file_count")).toInt();
    v.source = json.value(QStringLiteral("source")).toString();
    v.createdAt = fromJsonTime(json.value(QStringLiteral("created_at")));
    v.updatedAt = fromJsonTime(json.value(QStringLiteral("updated_at")));
    return v;
}

} // namespace og
