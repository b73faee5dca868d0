// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/backends/experimentlaunch.h"

#include <QStringList>

namespace og {

// The bubblewrap command line that runs one experiment: the host's /usr and /etc read-only,
// a private /tmp, /proc and /dev; the experiment's own copy of the code read-write at
// /gridai/project (its working directory); the datastore version read-only at its mount
// dir; only the experiment's GPU device nodes; a fresh environment with Grid's variables.
// New PID, IPC and UTS namespaces; the sandbox dies with its supervisor.
namespace sandbox {

inline const QString kProjectDir = QStringLiteral("/gridai/project");
inline const QString kGridDir = QStringLiteral("/gridai/.grid"); // holds metrics.jsonl

QString bubblewrapProgram(); // empty when bwrap is not installed
// Empty `error` on success.
QStringList arguments(const ExperimentLaunch &launch, QString *error);
// CUDA_VISIBLE_DEVICES for the given GPUs: their UUIDs (stable whatever the enumeration
// order), or indexes when a UUID is unknown; "" hides every GPU.
QString cudaVisibleDevices(const QList<GpuDevice> &gpus);

} // namespace sandbox
} // namespace og
