// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/backends/computebackend.h"

namespace og {

// Runs each experiment in a bubblewrap sandbox under `gridd supervise`, started detached so
// it outlives gridd; state is files in the experiment's directory (launch.json,
// supervisor.pid, output.log, exit.json), which is what lets a restarted gridd re-attach.
class LocalBackend final : public ComputeBackend
{
public:
    explicit LocalBackend(QString supervisorProgram);

    QString launch(const ExperimentLaunch &launch) override;
    void stop(const QString &experimentDir) override;
    std::optional<ExitStatus> poll(const QString &experimentDir) override;

    static constexpr int kStartTimeoutSeconds = 30;

private:
    QString m_program;
};

} // namespace og
