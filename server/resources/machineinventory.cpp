// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/resources/machineinventory.h"

#include <algorithm>
#include <dlfcn.h>
#include <optional>
#include <QDeadlineTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QScopeGuard>
#include <QThread>
#include <sched.h>
#include <unistd.h>

namespace og {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcResources, "opengrid.server.resources")

// The few NVML declarations we need, written out so that gridd builds without CUDA headers and
// runs without the driver: the library is only opened at run time. Layouts follow nvml.h.
namespace nvml {
using Return = int; // nvmlReturn_t, an enum
constexpr Return Success = 0;
struct DeviceOpaque;
using Device = DeviceOpaque *;
struct Memory
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
constexpr unsigned StringBufferSize = 96; // NVML_DEVICE_NAME_V2/UUID_V2_BUFFER_SIZE

using InitFn = Return (*)();
using ShutdownFn = Return (*)();
using GetCountFn = Return (*)(unsigned *);
using GetHandleFn = Return (*)(unsigned, Device *);
using GetStringFn = Return (*)(Device, char *, unsigned);
using GetMemoryFn = Return (*)(Device, Memory *);
} // namespace nvml

template <typename Fn> Fn symbol(void *library, const char *name)
{
    return reinterpret_cast<Fn>(dlsym(library, name));
}

int usableCpus()
{
    // The affinity mask, not the machine's CPU count: under taskset, cpusets or a container the
    // process may be confined to fewer CPUs, and handing runs more would only oversubscribe.
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    qCWarning(lcResources) << "sched_getaffinity failed; counting all CPUs";
    return std::max(1, QThread::idealThreadCount());
}

qint64 totalMemory()
{
    QFile meminfo(u"/proc/meminfo"_s);
    if (meminfo.open(QIODevice::ReadOnly)) {
        if (const qint64 bytes = parseMemTotal(meminfo.readAll()); bytes > 0)
            return bytes;
    }
    qCWarning(lcResources) << "No MemTotal in /proc/meminfo; asking sysconf";
    return qint64(sysconf(_SC_PHYS_PAGES)) * qint64(sysconf(_SC_PAGESIZE));
}

// std::nullopt when NVML cannot be used at all, so the caller tries nvidia-smi instead.
std::optional<QList<GpuDevice>> gpusFromNvml()
{
    void *library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        qCDebug(lcResources) << "NVML not loaded:" << dlerror();
        return std::nullopt;
    }
    const auto closeLibrary = qScopeGuard([library] { dlclose(library); });

    const auto init = symbol<nvml::InitFn>(library, "nvmlInit_v2");
    const auto shutdown = symbol<nvml::ShutdownFn>(library, "nvmlShutdown");
    const auto getCount = symbol<nvml::GetCountFn>(library, "nvmlDeviceGetCount_v2");
    const auto getHandle = symbol<nvml::GetHandleFn>(library, "nvmlDeviceGetHandleByIndex_v2");
    const auto getName = symbol<nvml::GetStringFn>(library, "nvmlDeviceGetName");
    const auto getUuid = symbol<nvml::GetStringFn>(library, "nvmlDeviceGetUUID");
    const auto getMemory = symbol<nvml::GetMemoryFn>(library, "nvmlDeviceGetMemoryInfo");
    if (!init || !shutdown || !getCount || !getHandle || !getName || !getUuid || !getMemory) {
        qCWarning(lcResources) << "libnvidia-ml.so.1 lacks a function we need; ignoring it";
        return std::nullopt;
    }
    if (const nvml::Return rc = init(); rc != nvml::Success) {
        qCWarning(lcResources) << "nvmlInit_v2 failed with NVML error" << rc;
        return std::nullopt;
    }
    const auto shutdownNvml = qScopeGuard([shutdown] { shutdown(); });

    unsigned count = 0;
    if (const nvml::Return rc = getCount(&count); rc != nvml::Success) {
        qCWarning(lcResources) << "nvmlDeviceGetCount_v2 failed with NVML error" << rc;
        return std::nullopt;
    }
    QList<GpuDevice> gpus;
    for (unsigned i = 0; i < count; ++i) {
        nvml::Device device = nullptr;
        char name[nvml::StringBufferSize] = {};
        char uuid[nvml::StringBufferSize] = {};
        nvml::Memory memory = {};
        if (getHandle(i, &device) != nvml::Success ||
            getName(device, name, sizeof name) != nvml::Success ||
            getUuid(device, uuid, sizeof uuid) != nvml::Success ||
            getMemory(device, &memory) != nvml::Success) {
            // A GPU NVML cannot describe (fallen off the bus, for one) is one we cannot schedule.
            qCWarning(lcResources, "NVML cannot describe GPU %u; leaving it out", i);
            continue;
        }
        gpus.append(
            {int(i), QString::fromUtf8(name), qint64(memory.total), QString::fromUtf8(uuid)});
    }
    return gpus;
}

std::optional<QList<GpuDevice>> gpusFromNvidiaSmi()
{
    // Bounded so that a hung driver delays gridd's start by seconds, not forever.
    QDeadlineTimer deadline(5000);
    QProcess smi;
    smi.setStandardInputFile(QProcess::nullDevice());
    smi.start(u"nvidia-smi"_s,
              {u"--query-gpu=index,name,memory.total,uuid"_s, u"--format=csv,noheader,nounits"_s});
    if (!smi.waitForStarted(int(deadline.remainingTime()))) {
        qCDebug(lcResources) << "nvidia-smi not started:" << smi.errorString();
        return std::nullopt;
    }
    if (!smi.waitForFinished(int(deadline.remainingTime()))) {
        qCWarning(lcResources) << "nvidia-smi did not answer within 5 s; assuming no GPUs";
        smi.kill();
        smi.waitForFinished(1000);
        return std::nullopt;
    }
    if (smi.exitStatus() != QProcess::NormalExit || smi.exitCode() != 0) {
        qCWarning(lcResources) << "nvidia-smi failed:" << smi.readAllStandardError().trimmed();
        return std::nullopt;
    }
    return parseNvidiaSmiCsv(smi.readAllStandardOutput());
}

} // namespace

qint64 parseMemTotal(const QByteArray &procMeminfo)
{
    for (const QByteArray &line : procMeminfo.split('\n')) {
        if (!line.startsWith("MemTotal:"))
            continue;
        // "MemTotal:       24536008 kB"; the kernel's kB are KiB.
        const QList<QByteArray> fields = line.mid(9).simplified().split(' ');
        bool ok = false;
        const qint64 kib = fields.value(0).toLongLong(&ok);
        if (ok && kib > 0 && fields.size() == 2 && fields.at(1) == "kB")
            return kib * 1024;
    }
    return 0;
}

QList<GpuDevice> parseNvidiaSmiCsv(const QByteArray &csv)
{
    QList<GpuDevice> gpus;
    for (const QByteArray &line : csv.split('\n')) {
        // index, name, memory.total, uuid; the name is taken as everything between index and
        // memory so that a comma in a product name cannot shift the other columns.
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() < 4)
            continue;
        bool indexOk = false;
        bool memoryOk = false;
        const int index = fields.first().trimmed().toInt(&indexOk);
        const qint64 mib = fields.at(fields.size() - 2).trimmed().toLongLong(&memoryOk);
        const QString name =
            QString::fromUtf8(fields.mid(1, fields.size() - 3).join(',').trimmed());
        const QString uuid = QString::fromUtf8(fields.last().trimmed());
        if (!indexOk || index < 0 || !memoryOk || mib < 0 || name.isEmpty() || uuid.isEmpty())
            continue;
        gpus.append({index, name, mib * 1024 * 1024, uuid});
    }
    return gpus;
}

ClusterResources detectLocalMachine()
{
    ClusterResources machine;
    machine.cpus = usableCpus();
    machine.memoryBytes = totalMemory();
    if (auto gpus = gpusFromNvml())
        machine.gpus = *gpus;
    else if (auto smiGpus = gpusFromNvidiaSmi())
        machine.gpus = *smiGpus;
    qCInfo(lcResources).noquote() << "This machine has" << machine.describe();
    return machine;
}

} // namespace og
