// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/runsummary.h"

#include "core/domain/jsontime.h"

namespace og {

bool RunSummary::isActive() const
{
    return status == u"pending" || status == u"queued" || status == u"running";
}

QJsonObject RunSummary::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("project"), project},
            {QStringLiteral("status"), status},
            {QStringLiteral("created_at"), toJsonTime(createdAt)},
            {QStringLiteral("finished_at"), toJsonTime(finishedAt)},
            {QStringLiteral("experiments"), experiments},
            {QStringLiteral("running"), running},
            {QStringLiteral("queued"), queued},
            {QStringLiteral("completed"), completed},
            {QStringLiteral("failed"), failed},
            {QStringLiteral("stopped"), stopped}};
}

RunSummary RunSummary::fromJson(const QJsonObject &json)
{
    RunSummary r;
    r.name = json.value(QStringLiteral("name")).toString();
    r.project = json.value(QStringLiteral("project")).toString();
    r.status = json.value(QStringLiteral("status")).toString();
    r.createdAt = fromJsonTime(json.value(QStringLiteral("created_at")));
    r.finishedAt = fromJsonTime(json.value(QStringLiteral("finished_at")));
    r.experiments = json.value(QStringLiteral("experiments")).toInt();
    r.running = json.value(QStringLiteral("running")).toInt();
    r.queued = json.value(QStringLiteral("queued")).toInt();
    r.completed = json.value(QStringLiteral("completed")).toInt();
    r.failed = json.value(QStringLiteral("failed")).toInt();
    r.stopped = json.value(QStringLiteral("stopped")).toInt();
    return r;
}

} // namespace og
