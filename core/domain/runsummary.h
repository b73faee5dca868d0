// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace og {

// One row of `grid status`: a run and how many of its experiments are in each state.
struct RunSummary
{
    QString name;
    QString project;
    QString status; // pending, queued, running, succeeded, failed, cancelled
    QDateTime createdAt;
    QDateTime finishedAt;
    int experiments = 0;
    int running = 0;
    int queued = 0;
    int completed = 0;
    int failed = 0;
    int stopped = 0;

    bool isActive() const;
    QJsonObject toJson() const;
    static RunSummary fromJson(const QJsonObject &json);
    bool operator==(const RunSummary &) const = default;
};

} // namespace og
