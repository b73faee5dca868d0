// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/backends/experimentlaunch.h"

#include <QJsonArray>

#include <csignal>
#include <cstring>

namespace og {

QJsonObject ExperimentLaunch::toJson() const
{
    QJsonArray gpuArray;
    for (const GpuDevice &g : gpus)
        gpuArray.append(g.toJson());
    QJsonObject env;
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    QJsonArray bindArray;
    for (const SandboxBind &b : binds)
        bindArray.append(QJsonObject{{QStringLiteral("source"), b.source}, {QStringLiteral("target"), b.target},
                                     {QStringLiteral("writable"), b.writable}});
    return {{QStringLiteral("experiment_id"), experimentId},
            {QStringLiteral("experiment_name"), experimentName},
            {QStringLiteral("run_name"), runName},
            {QStringLiteral("user_id"), userId},
            {QStringLiteral("experiment_dir"), experimentDir},
            {QStringLiteral("code_dir"), codeDir},
            {QStringLiteral("command"), QJsonArray::fromStringList(command)},
            {QStringLiteral("datastore_path"), datastorePath},
            {QStringLiteral("mount_dir"), mountDir},
            {QStringLiteral("gpus"), gpuArray},
            {QStringLiteral("shape"), shape.toJson()},
            {QStringLiteral("environment"), env},
            {QStringLiteral("stop_grace_seconds"), stopGraceSeconds},
            {QStringLiteral("home_dir"), homeDir},
            {QStringLiteral("home_target"), homeTarget},
            {QStringLiteral("binds"), bindArray}};
}

ExperimentLaunch ExperimentLaunch::fromJson(const QJsonObject &o)
{
    ExperimentLaunch l;
    l.experimentId = o.value(QStringLiteral("experiment_id")).toString();
    l.experimentName = o.value(QStringLiteral("experiment_name")).toString();
    l.runName = o.value(QStringLiteral("run_name")).toString();
    l.userId = o.value(QStringLiteral("user_id")).toString();
    l.experimentDir = o.value(QStringLiteral("experiment_dir")).toString();
    l.codeDir = o.value(QStringLiteral("code_dir")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("command")).toArray())
        l.command.append(v.toString());
    l.datastorePath = o.value(QStringLiteral("datastore_path")).toString();
    l.mountDir = o.value(QStringLiteral("mount_dir")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("gpus")).toArray())
        l.gpus.append(GpuDevice::fromJson(v.toObject()));
    l.shape = InstanceShape::fromJson(o.value(QStringLiteral("shape")).toObject());
    const QJsonObject env = o.value(QStringLiteral("environment")).toObject();
    for (auto it = env.begin(); it != env.end(); ++it)
        l.environment.insert(it.key(), it.value().toString());
    l.stopGraceSeconds = o.value(QStringLiteral("stop_grace_seconds")).toInt(10);
    l.homeDir = o.value(QStringLiteral("home_dir")).toString();
    l.homeTarget = o.value(QStringLiteral("home_target")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("binds")).toArray()) {
        const QJsonObject b = v.toObject();
        l.binds.append({b.value(QStringLiteral("source")).toString(), b.value(QStringLiteral("target")).toString(),
                        b.value(QStringLiteral("writable")).toBool()});
    }
    return l;
}

QString ExitStatus::describe() const
{
    if (!error.isEmpty())
        return error;
    if (stopped)
        return QStringLiteral("stopped");
    if (signal != 0) {
        QString text = QStringLiteral("killed by signal %1 (%2)").arg(signal).arg(QString::fromLocal8Bit(::strsignal(signal)));
        if (signal == SIGKILL)
            text += QStringLiteral(" — out of memory, or killed from outside");
        return text;
    }
    return QStringLiteral("exit code %1").arg(exitCode);
}

QJsonObject ExitStatus::toJson() const
{
    return {{QStringLiteral("exit_code"), exitCode},
            {QStringLiteral("signal"), signal},
            {QStringLiteral("stopped"), stopped},
            {QStringLiteral("started_at"), startedAt},
            {QStringLiteral("finished_at"), finishedAt},
            {QStringLiteral("error"), error}};
}

ExitStatus ExitStatus::fromJson(const QJsonObject &o)
{
    ExitStatus s;
    s.exitCode = o.value(QStringLiteral("exit_code")).toInt(-1);
    s.signal = o.value(QStringLiteral("signal")).toInt();
    s.stopped = o.value(QStringLiteral("stopped")).toBool();
    s.error = o.value(QStringLiteral("error")).toString();
    s.startedAt = o.value(QStringLiteral("started_at")).toString();
    s.finishedAt = o.value(QStringLiteral("finished_at")).toString();
    return s;
}

} // namespace og
