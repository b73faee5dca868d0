// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"

#include <QByteArray>
#include <QList>

namespace og {

// What this machine offers to runs: the CPUs this process may use, the total memory and the NVIDIA
// GPUs (through NVML if the driver is installed, else nvidia-smi, else none). Never fails; a
// machine without GPUs or a GPU driver just reports no GPUs. Blocks up to ~5 s on nvidia-smi.
ClusterResources detectLocalMachine();

// The MemTotal line of /proc/meminfo, in bytes; 0 when the text has none.
qint64 parseMemTotal(const QByteArray &procMeminfo);

// Output of `nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits`
// (memory in MiB). Lines that do not parse are skipped.
QList<GpuDevice> parseNvidiaSmiCsv(const QByteArray &csv);

} // namespace og
