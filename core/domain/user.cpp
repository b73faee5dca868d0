// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/user.h"

#include "core/domain/jsontime.h"

namespace og {

QJsonObject User::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("username"), username},
            {QStringLiteral("display_name"), displayName},
            {QStringLiteral("email"), email},
            {QStringLiteral("created_at"), toJsonTime(createdAt)}};
}

User User::fromJson(const QJsonObject &json)
{
    return {json.value(QStringLiteral("id")).toString(),
            json.value(QStringLiteral("username")).toString(),
            json.value(QStringLiteral("display_name")).toString(),
            json.value(QStringLiteral("email")).toString(),
            fromJsonTime(json.value(QStringLiteral("created_at")))};
}

} // namespace og
