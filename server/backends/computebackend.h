// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/backends/experimentlaunch.h"

#include <optional>

namespace og {

// Where experiments run. The local backend starts each under a supervisor process on this
// machine; the Slurm backend (later) submits them as array jobs. The scheduler decides what
// runs when; a backend only starts, stops and reports.
class ComputeBackend
{
public:
    virtual ~ComputeBackend() = default;
    // Starts the experiment; empty on success, else why not.
    virtual QString launch(const ExperimentLaunch &launch) = 0;
    // Asks it to stop: SIGTERM, then SIGKILL after the launch's grace period.
    virtual void stop(const QString &experimentDir) = 0;
    // How it ended, or nothing while it is still running.
    virtual std::optional<ExitStatus> poll(const QString &experimentDir) = 0;
};

} // namespace og
