// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace og {

// The settings of one `grid run`, from Grid's YAML config (`--config`), from the command line,
// or both merged. Every field is optional so that "given" and "left to the default" stay
// apart: defaults are gridd's business, and only what was given is sent.
struct RunConfig
{
    // Which command's YAML: a run's, or a session's (`grid session create --config`), which
    // holds only compute.provider.cluster and compute.train.{instance_type, disk_size,
    // use_spot, datastore_name, datastore_version, datastore_mount_dir}.
    enum class Schema { Run, Session };

    std::optional<QString> name;
    std::optional<QString> strategy; // grid_search, random_search, none
    std::optional<int> numTrials;
    std::optional<qint64> seed;
    std::optional<QString> instanceType;
    std::optional<int> gpus;
    std::optional<int> cpus;
    std::optional<QString> memory; // a size with a unit: "16GiB", "10G"
    std::optional<QString> datastoreName;
    std::optional<int> datastoreVersion;
    std::optional<QString> datastoreMountDir;
    std::optional<int> diskSizeGb; // sessions only: compute.train.disk_size
    std::optional<QString> framework;
    std::optional<QString> cluster;
    std::optional<bool> localdir;
    std::optional<bool> dryRun;
    QMap<QString, QString> environment;
    // hyper_params.params, in file order, keys as they go on the command line ("--lr").
    QList<QPair<QString, QString>> params;

    QStringList warnings; // keys that were read but have no effect here
    QString error;        // non-empty: the config cannot be used

    bool ok() const { return error.isEmpty(); }

    // Grid's YAML (2022 schema, with the 2021 spellings `compute.train.instance` and
    // `hyper_params.settings.trials`). Unknown keys are errors that name the key, so a typo
    // never silently falls back to a default. `source` names the file in messages.
    static RunConfig fromYaml(const QByteArray &yaml, const QString &source, Schema schema = Schema::Run);
    static RunConfig load(const QString &path, Schema schema = Schema::Run);

    // `grid run`'s options as the command line parser collected them (values by long name
    // without dashes: "num_trials"; boolean flags present in `flags`).
    static RunConfig fromOptions(const QHash<QString, QString> &values, const QSet<QString> &flags);

    // `file` with everything `commandLine` gives put over it (flags win); warnings of both.
    static RunConfig merged(const RunConfig &file, const RunConfig &commandLine);

    // The script arguments gridd receives: those typed, then `params` as `key value` pairs.
    QStringList scriptArguments(const QStringList &typed) const;
};

} // namespace og
