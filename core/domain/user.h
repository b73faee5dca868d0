// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace og {

struct User
{
    QString id;
    QString username;
    QString displayName;
    QString email;
    QDateTime createdAt;

    QJsonObject toJson() const;
    static User fromJson(const QJsonObject &json);
    bool operator==(const User &) const = default;
};

} // namespace og
