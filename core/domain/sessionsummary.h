// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace og {

// One row of the sessions table in `grid status`.
struct SessionSummary
{
    QString name;
    QString status; // pending, running, pausing, paused, resuming, failed, deleted
    QString instanceType;
    QDateTime createdAt;
    QDateTime startedAt; // start of the current running period, for the Duration column
    QString url;

    QJsonObject toJson() const;
    static SessionSummary fromJson(const QJsonObject &json);
    bool operator==(const SessionSummary &) const = default;
};

} // namespace og
