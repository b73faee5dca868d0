// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/instancetype.h"

#include "core/sentences.h"

#include <QJsonArray>

namespace og {

using namespace Qt::StringLiterals;

namespace {



QString describeGpus(const QList<GpuDevice> &gpus)
{
    if (gpus.isEmpty())
        return u"no GPUs"_s;
    bool allAlike = true;
    for (const GpuDevice &gpu : gpus)
        allAlike = allAlike && gpu.name == gpus.first().name &&
                   gpu.memoryBytes == gpus.first().memoryBytes;
    if (allAlike) {
        const QString each = gpus.size() == 1 ? QString() : u" each"_s;
        return QStringLiteral("%1 (%2, %3%4)")
            .arg(plural(gpus.size(), u"GPU"_s), gpus.first().name,
                 formatGiB(gpus.first().memoryBytes), each);
    }
    QStringList each;
    for (const GpuDevice &gpu : gpus)
        each << QStringLiteral("%1 %2").arg(gpu.name, formatGiB(gpu.memoryBytes));
    return QStringLiteral("%1 (%2)").arg(plural(gpus.size(), u"GPU"_s), each.join(u", "_s));
}

} // namespace

QString formatGiB(qint64 bytes)
{
    const double gib = double(bytes) / double(Q_INT64_C(1) << 30);
    QString number = gib >= 99.95 ? QString::number(qRound64(gib)) : QString::number(gib, 'f', 1);
    if (number.endsWith(u".0"_s))
        number.chop(2);
    return number + u" GiB"_s;
}

QJsonObject InstanceShape::toJson() const
{
    return {{u"cpus"_s, cpus},
            {u"memory_bytes"_s, memoryBytes},
            {u"gpus"_s, gpus},
            {u"gpu_type"_s, gpuType},
            {u"gpu_memory_bytes"_s, gpuMemoryBytes}};
}

InstanceShape InstanceShape::fromJson(const QJsonObject &json)
{
    InstanceShape shape;
    shape.cpus = json.value(u"cpus"_s).toInt();
    shape.memoryBytes = json.value(u"memory_bytes"_s).toInteger();
    shape.gpus = json.value(u"gpus"_s).toInt();
    shape.gpuType = json.value(u"gpu_type"_s).toString();
    shape.gpuMemoryBytes = json.value(u"gpu_memory_bytes"_s).toInteger();
    return shape;
}

QString InstanceShape::describe() const
{
    QStringList parts;
    if (gpus > 0) {
        QStringList details;
        if (!gpuType.isEmpty())
            details << gpuType;
        if (gpuMemoryBytes > 0)
            details << formatGiB(gpuMemoryBytes) + (gpus == 1 ? QString() : u" each"_s);
        QString part = plural(gpus, u"GPU"_s);
        if (!details.isEmpty())
            part += u" ("_s + details.join(u", "_s) + u')';
        parts << part;
    }
    if (cpus > 0)
        parts << plural(cpus, u"CPU"_s);
    if (memoryBytes > 0)
        parts << formatGiB(memoryBytes) + u" of memory"_s;
    return parts.isEmpty() ? u"no resources"_s : joinAnd(parts);
}

QJsonObject GpuDevice::toJson() const
{
    return {{u"index"_s, index},
            {u"name"_s, name},
            {u"memory_bytes"_s, memoryBytes},
            {u"uuid"_s, uuid}};
}

GpuDevice GpuDevice::fromJson(const QJsonObject &json)
{
    GpuDevice gpu;
    gpu.index = json.value(u"index"_s).toInt();
    gpu.name = json.value(u"name"_s).toString();
    gpu.memoryBytes = json.value(u"memory_bytes"_s).toInteger();
    gpu.uuid = json.value(u"uuid"_s).toString();
    return gpu;
}

QJsonObject ClusterResources::toJson() const
{
    QJsonArray devices;
    for (const GpuDevice &gpu : gpus)
        devices.append(gpu.toJson());
    return {{u"cpus"_s, cpus}, {u"memory_bytes"_s, memoryBytes}, {u"gpus"_s, devices}};
}

ClusterResources ClusterResources::fromJson(const QJsonObject &json)
{
    ClusterResources cluster;
    cluster.cpus = json.value(u"cpus"_s).toInt();
    cluster.memoryBytes = json.value(u"memory_bytes"_s).toInteger();
    for (const QJsonValue &device : json.value(u"gpus"_s).toArray())
        cluster.gpus.append(GpuDevice::fromJson(device.toObject()));
    return cluster;
}

QString ClusterResources::describe() const
{
    return QStringLiteral("%1, %2 memory and %3")
        .arg(plural(cpus, u"CPU"_s), formatGiB(memoryBytes), describeGpus(gpus));
}

QJsonObject InstanceType::toJson() const
{
    QJsonObject json = shape.toJson();
    json.insert(u"name"_s, name);
    json.insert(u"source"_s, source);
    json.insert(u"aliases"_s, QJsonArray::fromStringList(aliases));
    json.insert(u"available"_s, available);
    json.insert(u"unavailable_reason"_s, unavailableReason);
    return json;
}

InstanceType InstanceType::fromJson(const QJsonObject &json)
{
    InstanceType type;
    type.name = json.value(u"name"_s).toString();
    type.shape = InstanceShape::fromJson(json);
    type.source = json.value(u"source"_s).toString();
    for (const QJsonValue &alias : json.value(u"aliases"_s).toArray())
        type.aliases << alias.toString();
    type.available = json.value(u"available"_s).toBool(true);
    type.unavailableReason = json.value(u"unavailable_reason"_s).toString();
    return type;
}

} // namespace og
