// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/runrequest.h"

#include <QJsonArray>

namespace og {

QJsonObject runRequestBody(const RunConfig &c, const CodeSnapshot &snap, const QStringList &args, bool dryRun)
{
    QJsonObject body{{QStringLiteral("script"), snap.script},
                     {QStringLiteral("args"), QJsonArray::fromStringList(args)},
                     {QStringLiteral("code_root"), snap.manifest.rootHash()}};
    const auto put = [&body](const char *key, const auto &value) {
        if (value)
            body.insert(QLatin1String(key), QJsonValue(*value));
    };
    put("name", c.name);
    put("strategy", c.strategy);
    put("num_trials", c.numTrials);
    put("seed", c.seed);
    put("instance_type", c.instanceType);
    put("gpus", c.gpus);
    put("cpus", c.cpus);
    put("memory", c.memory);
    put("datastore_name", c.datastoreName);
    put("datastore_version", c.datastoreVersion);
    put("datastore_mount_dir", c.datastoreMountDir);
    put("framework", c.framework);
    if (!c.environment.isEmpty()) {
        QJsonObject env;
        for (auto it = c.environment.cbegin(); it != c.environment.cend(); ++it)
            env.insert(it.key(), it.value());
        body.insert(QStringLiteral("environment"), env);
    }
    if (!snap.project.isEmpty())
        body.insert(QStringLiteral("project"), snap.project);
    if (!snap.gitCommit.isEmpty())
        body.insert(QStringLiteral("git_commit"), snap.gitCommit);
    if (dryRun)
        body.insert(QStringLiteral("dry_run"), true);
    return body;
}

} // namespace og
