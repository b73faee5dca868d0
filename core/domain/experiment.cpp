// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/experiment.h"

#include "core/domain/jsontime.h"

#include <QJsonArray>

namespace og {

QJsonObject Experiment::toJson() const
{
    QJsonArray p;
    for (const auto &[flag, value] : params)
        p.append(QJsonArray{flag, value});
    return {{QStringLiteral("name"), name},
            {QStringLiteral("run"), runName},
            {QStringLiteral("index"), index},
            {QStringLiteral("status"), status},
            {QStringLiteral("command"), command},
            {QStringLiteral("args"), QJsonArray::fromStringList(args)},
            {QStringLiteral("params"), p},
            {QStringLiteral("exit_code"), exitCode < 0 ? QJsonValue() : QJsonValue(exitCode)},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("created_at"), toJsonTime(createdAt)},
            {QStringLiteral("started_at"), toJsonTime(startedAt)},
            {QStringLiteral("finished_at"), toJsonTime(finishedAt)}};
}

Experiment Experiment::fromJson(const QJsonObject &o)
{
    Experiment e;
    e.name = o.value(QStringLiteral("name")).toString();
    e.runName = o.value(QStringLiteral("run")).toString();
    e.index = o.value(QStringLiteral("index")).toInt();
    e.status = o.value(QStringLiteral("status")).toString();
    e.command = o.value(QStringLiteral("command")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("args")).toArray())
        e.args.append(v.toString());
    for (const QJsonValue &v : o.value(QStringLiteral("params")).toArray())
        e.params.append({v.toArray().at(0).toString(), v.toArray().at(1).toString()});
    e.exitCode = o.value(QStringLiteral("exit_code")).toInt(-1);
    e.reason = o.value(QStringLiteral("reason")).toString();
    e.createdAt = fromJsonTime(o.value(QStringLiteral("created_at")));
    e.startedAt = fromJsonTime(o.value(QStringLiteral("started_at")));
    e.finishedAt = fromJsonTime(o.value(QStringLiteral("finished_at")));
    return e;
}

} // namespace og
