// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/sessionsummary.h"

#include "core/domain/jsontime.h"

namespace og {

QJsonObject SessionSummary::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("status"), status},
            {QStringLiteral("instance_type"), instanceType},
            {QStringLiteral("created_at"), toJsonTime(createdAt)},
            {QStringLiteral("started_at"), toJsonTime(startedAt)},
            {QStringLiteral("url"), url},
            {QStringLiteral("datastore"), datastore},
            {QStringLiteral("datastore_version"), datastoreVersion},
            {QStringLiteral("datastore_mount_dir"), mountDir},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("host_key"), hostKey},
            {QStringLiteral("ssh_user"), sshUser},
            {QStringLiteral("ssh_connections"), sshConnections},
            {QStringLiteral("disk_size"), diskSizeGb}};
}

SessionSummary SessionSummary::fromJson(const QJsonObject &json)
{
    return {json.value(QStringLiteral("name")).toString(),
            json.value(QStringLiteral("status")).toString(),
            json.value(QStringLiteral("instance_type")).toString(),
            fromJsonTime(json.value(QStringLiteral("created_at"))),
            fromJsonTime(json.value(QStringLiteral("started_at"))),
            json.value(QStringLiteral("url")).toString(),
            json.value(QStringLiteral("datastore")).toString(),
            json.value(QStringLiteral("datastore_version")).toInt(),
            json.value(QStringLiteral("datastore_mount_dir")).toString(),
            json.value(QStringLiteral("reason")).toString(),
            json.value(QStringLiteral("host_key")).toString(),
            json.value(QStringLiteral("ssh_user")).toString(),
            json.value(QStringLiteral("ssh_connections")).toInt(),
            json.value(QStringLiteral("disk_size")).toInt()};
}

} // namespace og
