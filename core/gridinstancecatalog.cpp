// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/gridinstancecatalog.h"

namespace og {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 gib(double value)
{
    return qint64(value * double(Q_INT64_C(1) << 30));
}

GridInstanceEntry entry(const QString &awsName, const QString &nickname, int cpus, double memoryGiB,
                        int gpus = 0, const QString &gpuType = {}, double gpuMemoryGiB = 0)
{
    return {awsName, nickname, {cpus, gib(memoryGiB), gpus, gpuType, gib(gpuMemoryGiB)}};
}

QList<GridInstanceEntry> buildCatalog()
{
    // Nicknames are those of Grid's CLI (v0.8); shapes are AWS's published figures: vCPUs, memory
    // in GiB, GPU count, model and memory per GPU (a K80 board is two 12 GiB GPUs, AWS counts one).
    return {
        entry(u"p3.16xlarge"_s, u"8_v100_16gb"_s, 64, 488, 8, u"V100"_s, 16),
        entry(u"p3dn.24xlarge"_s, u"8_v100_32gb"_s, 96, 768, 8, u"V100"_s, 32),
        entry(u"g4dn.metal"_s, u"8_t4_16gb"_s, 96, 384, 8, u"T4"_s, 16),
        entry(u"p2.8xlarge"_s, u"8_k80_12gb"_s, 32, 488, 8, u"K80"_s, 12),
        entry(u"p3.8xlarge"_s, u"4_v100_16gb"_s, 32, 244, 4, u"V100"_s, 16),
        entry(u"g4dn.12xlarge"_s, u"4_t4_16gb"_s, 48, 192, 4, u"T4"_s, 16),
        entry(u"g3.16xlarge"_s, u"4_m60_8gb"_s, 64, 488, 4, u"M60"_s, 8),
        entry(u"g3.8xlarge"_s, u"2_m60_8gb"_s, 32, 244, 2, u"M60"_s, 8),
        entry(u"p3.2xlarge"_s, u"1_v100_16gb"_s, 8, 61, 1, u"V100"_s, 16),
        entry(u"g4dn.xlarge"_s, u"1_t4_16gb"_s, 4, 16, 1, u"T4"_s, 16),
        entry(u"g4dn.2xlarge"_s, u"1_t4_16gb"_s, 8, 32, 1, u"T4"_s, 16),
        entry(u"g4dn.4xlarge"_s, u"1_t4_16gb"_s, 16, 64, 1, u"T4"_s, 16),
        entry(u"g4dn.8xlarge"_s, u"1_t4_16gb"_s, 32, 128, 1, u"T4"_s, 16),
        entry(u"g4dn.16xlarge"_s, u"1_t4_16gb"_s, 64, 256, 1, u"T4"_s, 16),
        entry(u"p2.xlarge"_s, u"1_k80_12gb"_s, 4, 61, 1, u"K80"_s, 12),
        entry(u"g3s.xlarge"_s, u"1_m60_8gb"_s, 4, 30.5, 1, u"M60"_s, 8),
        entry(u"g3.4xlarge"_s, u"1_m60_8gb"_s, 16, 122, 1, u"M60"_s, 8),
        entry(u"m5a.large"_s, u"2_cpu_8gb"_s, 2, 8),
        entry(u"t2.large"_s, u"2_cpu_8gb"_s, 2, 8),
        entry(u"t2.medium"_s, u"2_cpu_4gb"_s, 2, 4),
        // Grid's CLI had no nicknames for these CPU types (its 2022 docs list them and map t3/m5a
        // to the t2 equivalents); ours follow the same `<count>_cpu_<memory>` pattern.
        entry(u"t2.xlarge"_s, u"4_cpu_16gb"_s, 4, 16),
        entry(u"m5a.xlarge"_s, u"4_cpu_16gb"_s, 4, 16),
        entry(u"m5a.2xlarge"_s, u"8_cpu_32gb"_s, 8, 32),
        entry(u"t3.medium"_s, u"2_cpu_4gb"_s, 2, 4),
        entry(u"t3.large"_s, u"2_cpu_8gb"_s, 2, 8),
        entry(u"t3.xlarge"_s, u"4_cpu_16gb"_s, 4, 16),
    };
}

bool smaller(const InstanceShape &a, const InstanceShape &b)
{
    return a.cpus != b.cpus ? a.cpus < b.cpus : a.memoryBytes < b.memoryBytes;
}

} // namespace

const QList<GridInstanceEntry> &gridInstanceCatalog()
{
    static const QList<GridInstanceEntry> catalog = buildCatalog();
    return catalog;
}

std::optional<GridInstanceEntry> findGridInstance(const QString &nameOrNickname)
{
    const QString wanted = nameOrNickname.trimmed();
    if (wanted.isEmpty())
        return std::nullopt;
    std::optional<GridInstanceEntry> byNickname;
    for (const GridInstanceEntry &candidate : gridInstanceCatalog()) {
        if (candidate.awsName.compare(wanted, Qt::CaseInsensitive) == 0)
            return candidate;
        // Grid's CLI kept the *last* AWS type of a shared nickname (so `1_t4_16gb` meant
        // g4dn.16xlarge). We take the smallest instead: asking for one T4 should not demand 64
        // CPUs, and a small shape is the one most clusters can actually satisfy.
        if (candidate.nickname.compare(wanted, Qt::CaseInsensitive) == 0 &&
            (!byNickname || smaller(candidate.shape, byNickname->shape)))
            byNickname = candidate;
    }
    return byNickname;
}

} // namespace og
