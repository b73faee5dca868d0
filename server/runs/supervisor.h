// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace og {

// `gridd supervise EXPERIMENT_DIR`: the small process that owns one running experiment. gridd
// starts it detached (its own session), so it outlives gridd restarts and upgrades. It
// prepares the working directory, runs the sandbox, writes every output line with a
// timestamp to the log, turns SIGTERM into "stop the experiment gracefully, then kill it",
// and finally records the exit status atomically in exit.json — which is how gridd, running
// or restarted, learns how the experiment ended. Returns the process exit code.
int runSupervisor(const QString &experimentDir);

} // namespace og
