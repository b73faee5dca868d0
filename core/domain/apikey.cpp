// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/apikey.h"

#include "core/domain/jsontime.h"

namespace og {

QJsonObject ApiKey::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("created_at"), toJsonTime(createdAt)},
            {QStringLiteral("last_used_at"), toJsonTime(lastUsedAt)},
            {QStringLiteral("revoked_at"), toJsonTime(revokedAt)}};
}

ApiKey ApiKey::fromJson(const QJsonObject &json)
{
    return {json.value(QStringLiteral("id")).toString(),
            json.value(QStringLiteral("name")).toString(),
            fromJsonTime(json.value(QStringLiteral("created_at"))),
            fromJsonTime(json.value(QStringLiteral("last_used_at"))),
            fromJsonTime(json.value(QStringLiteral("revoked_at")))};
}

} // namespace og
