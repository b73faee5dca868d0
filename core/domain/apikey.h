// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace og {

// An API key as listed: never carries the secret (that is shown once, at creation).
struct ApiKey
{
    QString id;
    QString name;
    QDateTime createdAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;

    bool isRevoked() const { return revokedAt.isValid(); }
    QJsonObject toJson() const;
    static ApiKey fromJson(const QJsonObject &json);
    bool operator==(const ApiKey &) const = default;
};

} // namespace og
