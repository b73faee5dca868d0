// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace og {

// What a run or session asks for. Zero means "nothing required" for every field, and an empty
// gpuType matches any GPU model.
struct InstanceShape
{
    int cpus = 0;
    qint64 memoryBytes = 0;
    int gpus = 0;
    QString gpuType;
    qint64 gpuMemoryBytes = 0; // per GPU

    QJsonObject toJson() const;
    static InstanceShape fromJson(const QJsonObject &json);
    // "2 GPUs (M60, 8 GiB each), 32 CPUs and 244 GiB of memory": the wording of error messages.
    QString describe() const;
    bool operator==(const InstanceShape &) const = default;
};

struct GpuDevice
{
    int index = 0;
    QString name;
    qint64 memoryBytes = 0;
    QString uuid;

    QJsonObject toJson() const;
    static GpuDevice fromJson(const QJsonObject &json);
    bool operator==(const GpuDevice &) const = default;
};

// What one cluster (for the local backend: this machine) has in total.
struct ClusterResources
{
    int cpus = 0;
    qint64 memoryBytes = 0;
    QList<GpuDevice> gpus;

    QJsonObject toJson() const;
    static ClusterResources fromJson(const QJsonObject &json);
    // "16 CPUs, 125 GiB memory and 1 GPU (NVIDIA H200, 140 GiB)".
    QString describe() const;
    bool operator==(const ClusterResources &) const = default;
};

struct InstanceType
{
    QString name;
    InstanceShape shape;
    QString source; // "machine", "config" or "grid"
    QStringList aliases;
    bool available = true;
    QString unavailableReason;

    // The shape's keys sit next to name/source, so clients read one flat object per type.
    QJsonObject toJson() const;
    static InstanceType fromJson(const QJsonObject &json);
    bool operator==(const InstanceType &) const = default;
};

// "23.4 GiB", "125 GiB", "0.5 GiB": one decimal below 100 GiB, where it still means something.
QString formatGiB(qint64 bytes);

} // namespace og
