// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/runconfigwriter.h"

#include <yaml-cpp/yaml.h>

namespace og {

namespace {
std::string s(const QString &text)
{
    return text.toStdString();
}
} // namespace

QByteArray runConfigToYaml(const RunConfig &c)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    const bool train = c.instanceType || c.gpus || c.cpus || c.memory || c.datastoreName || c.datastoreVersion
                       || c.datastoreMountDir || c.framework || !c.environment.isEmpty() || c.localdir;
    if (train || c.cluster) {
        out << YAML::Key << "compute" << YAML::Value << YAML::BeginMap;
        if (c.cluster)
            out << YAML::Key << "provider" << YAML::Value << YAML::BeginMap << YAML::Key << "cluster" << YAML::Value
                << s(*c.cluster) << YAML::EndMap;
        if (train) {
            out << YAML::Key << "train" << YAML::Value << YAML::BeginMap;
            if (c.instanceType)
                out << YAML::Key << "instance_type" << YAML::Value << s(*c.instanceType);
            if (c.gpus)
                out << YAML::Key << "gpus" << YAML::Value << *c.gpus;
            if (c.cpus)
                out << YAML::Key << "cpus" << YAML::Value << *c.cpus;
            if (c.memory)
                out << YAML::Key << "memory" << YAML::Value << s(*c.memory);
            if (c.datastoreName)
                out << YAML::Key << "datastore_name" << YAML::Value << s(*c.datastoreName);
            if (c.datastoreVersion)
                out << YAML::Key << "datastore_version" << YAML::Value << *c.datastoreVersion;
            if (c.datastoreMountDir)
                out << YAML::Key << "datastore_mount_dir" << YAML::Value << s(*c.datastoreMountDir);
            if (c.framework)
                out << YAML::Key << "framework" << YAML::Value << s(*c.framework);
            if (c.localdir)
                out << YAML::Key << "localdir" << YAML::Value << *c.localdir;
            if (!c.environment.isEmpty()) {
                out << YAML::Key << "environment" << YAML::Value << YAML::BeginMap;
                for (auto it = c.environment.cbegin(); it != c.environment.cend(); ++it)
                    out << YAML::Key << s(it.key()) << YAML::Value << YAML::DoubleQuoted << s(it.value());
                out << YAML::EndMap;
            }
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    const bool settings = c.strategy || c.numTrials || c.seed;
    if (settings || !c.params.isEmpty()) {
        out << YAML::Key << "hyper_params" << YAML::Value << YAML::BeginMap;
        if (settings) {
            out << YAML::Key << "settings" << YAML::Value << YAML::BeginMap;
            if (c.strategy)
                out << YAML::Key << "strategy" << YAML::Value << s(*c.strategy);
            if (c.numTrials || c.seed) {
                out << YAML::Key << "strategy_options" << YAML::Value << YAML::BeginMap;
                if (c.numTrials)
                    out << YAML::Key << "num_trials" << YAML::Value << *c.numTrials;
                if (c.seed)
                    out << YAML::Key << "seed" << YAML::Value << qint64(*c.seed);
                out << YAML::EndMap;
            }
            out << YAML::EndMap;
        }
        if (!c.params.isEmpty()) {
            out << YAML::Key << "params" << YAML::Value << YAML::BeginMap;
            // Quoted: the sweep text ("[0.1, 0.01]", "uniform(1e-5, 1e-1, 5)") reaches the script
            // arguments as typed, not as a YAML list re-rendered by the reader.
            for (const auto &[key, value] : c.params)
                out << YAML::Key << s(key) << YAML::Value << YAML::DoubleQuoted << s(value);
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    if (!c.name && !train && !c.cluster && !settings && c.params.isEmpty())
        return {};
    return QByteArray(out.c_str()) + '\n';
}

} // namespace og
