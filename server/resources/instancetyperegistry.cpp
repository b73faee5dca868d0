// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/resources/instancetyperegistry.h"

#include "core/gridinstancecatalog.h"
#include "core/sentences.h"

#include <algorithm>
#include <QLoggingCategory>
#include <QSet>

namespace og {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcResources, "opengrid.server.resources")

constexpr auto SourceMachine = "machine"_L1;
constexpr auto SourceConfig = "config"_L1;
constexpr auto SourceGrid = "grid"_L1;



InstanceType machineType(const QString &name, const InstanceShape &shape)
{
    return {name, shape, SourceMachine, {}, true, {}};
}

// Slices of this machine a run can ask for by name. Memory (and for GPU slices, CPUs) follow the
// share of the machine taken, so that every slice can run next to the others of its kind.
QList<InstanceType> machineTypes(const ClusterResources &cluster)
{
    QList<InstanceType> types;
    if (cluster.cpus >= 1) {
        for (int cpus = 1; cpus < cluster.cpus; cpus *= 2)
            types << machineType(u"cpu-%1"_s.arg(cpus),
                                 {cpus, cluster.memoryBytes * cpus / cluster.cpus, 0, {}, 0});
        types << machineType(u"cpu-%1"_s.arg(cluster.cpus),
                             {cluster.cpus, cluster.memoryBytes, 0, {}, 0});
    }
    // Biggest GPUs first: gpu-N then promises the smallest memory among the N biggest, which
    // any N of those GPUs satisfy.
    QList<GpuDevice> gpus = cluster.gpus;
    std::stable_sort(gpus.begin(), gpus.end(), [](const GpuDevice &a, const GpuDevice &b) {
        return a.memoryBytes > b.memoryBytes;
    });
    const qint64 total = gpus.size();
    for (qint64 count = 1; count <= total; ++count) {
        InstanceShape shape;
        shape.gpus = int(count);
        shape.cpus = std::min(cluster.cpus, std::max(1, int(cluster.cpus * count / total)));
        shape.memoryBytes = cluster.memoryBytes * count / total;
        shape.gpuMemoryBytes = gpus.at(count - 1).memoryBytes;
        QStringList models;
        for (qint64 i = 0; i < count; ++i)
            if (!models.contains(gpus.at(i).name))
                models << gpus.at(i).name;
        shape.gpuType = models.join(u" / "_s);
        types << machineType(u"gpu-%1"_s.arg(count), shape);
    }
    return types;
}

InstanceType gridType(const GridInstanceEntry &entry)
{
    return {entry.awsName, entry.shape, SourceGrid, {entry.nickname}, true, {}};
}

InstanceTypeResolution found(const InstanceType &type)
{
    return {type, 200, {}, {}};
}

bool answersTo(const InstanceType &type, const QString &name)
{
    return type.name.compare(name, Qt::CaseInsensitive) == 0 ||
           type.aliases.contains(name, Qt::CaseInsensitive);
}

} // namespace

InstanceTypeRegistry::InstanceTypeRegistry(ClusterResources cluster, QList<InstanceType> configured)
    : m_cluster(std::move(cluster))
{
    // Names are taken in resolve()'s order of precedence, so list() shows exactly the types
    // that resolve() can return.
    QSet<QString> taken;
    const auto claim = [&taken](const InstanceType &type) {
        if (taken.contains(type.name.toLower()))
            return false;
        taken.insert(type.name.toLower());
        for (const QString &alias : type.aliases)
            taken.insert(alias.toLower());
        return true;
    };
    QList<InstanceType> kept;
    for (InstanceType &type : configured) {
        type.source = SourceConfig;
        if (claim(type))
            kept << type;
    }
    QList<InstanceType> machine;
    for (const InstanceType &type : machineTypes(m_cluster))
        if (claim(type))
            machine << type;
    m_types = machine + kept;
    for (const GridInstanceEntry &entry : gridInstanceCatalog())
        if (claim(gridType(entry)))
            m_types << gridType(entry);

    for (InstanceType &type : m_types) {
        type.available = fits(type.shape, m_cluster, &type.unavailableReason);
        if (type.available)
            type.unavailableReason.clear();
    }
    qCDebug(lcResources) << "Instance types:" << machine.size() << "from the machine,"
                         << kept.size() << "configured," << m_types.size() << "in all";
}

std::optional<InstanceType> InstanceTypeRegistry::findOwn(const QString &name,
                                                          QLatin1StringView source) const
{
    for (const InstanceType &type : m_types)
        if (type.source == source && answersTo(type, name))
            return type;
    return std::nullopt;
}

InstanceTypeResolution InstanceTypeRegistry::resolve(const QString &name) const
{
    const QString wanted = name.trimmed();
    for (const QLatin1StringView source : {SourceConfig, SourceMachine}) {
        if (const auto type = findOwn(wanted, source))
            return type->available ? found(*type) : unsatisfiable(wanted, *type);
    }
    if (const auto entry = findGridInstance(wanted)) {
        // A nickname stands for its AWS type, so an admin who redefines `g3.8xlarge` also
        // redefines what `2_m60_8gb` means here.
        if (const auto type = findOwn(entry->awsName, SourceConfig))
            return type->available ? found(*type) : unsatisfiable(wanted, *type);
        if (const auto type = findOwn(entry->awsName, SourceGrid))
            return type->available ? found(*type) : unsatisfiable(wanted, *type);
    }

    QStringList examples;
    for (const InstanceType &type : m_types)
        if (type.available && examples.size() < 4)
            examples << type.name;
    const QString problem = wanted.isEmpty() ? u"No instance type given."_s
                                             : u"Unknown instance type '%1'."_s.arg(wanted);
    const QString hint = examples.isEmpty()
                             ? u"Run `grid instance-types` to see the types of this cluster."_s
                             : u"This cluster offers %1 among others; run `grid instance-types` "
                               u"to see them all."_s.arg(joinAnd(examples));
    return {std::nullopt, 404, u"unknown_instance_type"_s, problem + u' ' + hint};
}

InstanceTypeResolution InstanceTypeRegistry::unsatisfiable(const QString &asked,
                                                           const InstanceType &type) const
{
    const QString label = asked.compare(type.name, Qt::CaseInsensitive) == 0
                              ? u"'%1'"_s.arg(type.name)
                              : u"'%1' (%2)"_s.arg(asked, type.name);
    const QString remedy = type.source == SourceConfig
                               ? u"ask the administrator to change '%1' in gridd's config"_s
                               : u"ask the administrator to define '%1' in gridd's config"_s;
    const QString message =
        u"Instance type %1 needs %2, but this cluster has %3. Choose a type "
        u"from `grid instance-types`, or %4."_s.arg(label, type.shape.describe(),
                                                    m_cluster.describe(), remedy.arg(type.name));
    return {std::nullopt, 422, u"instance_type_unsatisfiable"_s, message};
}

bool InstanceTypeRegistry::fits(const InstanceShape &shape, const ClusterResources &cluster,
                                QString *whyNot)
{
    QStringList missing;
    if (shape.cpus > cluster.cpus)
        missing << u"%1 (has %2)"_s.arg(plural(shape.cpus, u"CPU"_s)).arg(cluster.cpus);
    if (shape.memoryBytes > cluster.memoryBytes)
        missing << u"%1 of memory (has %2)"_s.arg(formatGiB(shape.memoryBytes),
                                                  formatGiB(cluster.memoryBytes));
    // The GPU model is deliberately not compared: self-hosted clusters rarely own the M60s or
    // K80s that Grid's AWS names imply, and a run asking for `1_v100_16gb` is served as well by
    // any GPU with at least 16 GiB. Count and per-GPU memory are what a job can actually feel.
    const auto bigEnough =
        std::count_if(cluster.gpus.cbegin(), cluster.gpus.cend(), [&shape](const GpuDevice &gpu) {
            return gpu.memoryBytes >= shape.gpuMemoryBytes;
        });
    if (shape.gpus > bigEnough) {
        QString need = plural(shape.gpus, u"GPU"_s);
        if (shape.gpuMemoryBytes > 0)
            need += u" with at least %1%2"_s.arg(formatGiB(shape.gpuMemoryBytes),
                                                 shape.gpus == 1 ? QString() : u" each"_s);
        const QString has =
            cluster.gpus.isEmpty() ? u"none"_s
            : bigEnough == cluster.gpus.size()
                ? QString::number(bigEnough)
                : u"%1 of %2 with enough memory"_s.arg(bigEnough).arg(cluster.gpus.size());
        missing << u"%1 (has %2)"_s.arg(need, has);
    }
    if (whyNot)
        *whyNot = missing.isEmpty() ? QString() : u"needs "_s + joinAnd(missing);
    return missing.isEmpty();
}

} // namespace og
