// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/codesnapshot.h"
#include "core/runs/runconfig.h"

#include <QJsonObject>
#include <QStringList>

namespace og {

// The POST /runs body for a run config, its code snapshot and the script arguments: only what
// was given is sent (defaults are gridd's). Used by the desktop app's New-run dialog; the same
// fields as `grid run` sends.
QJsonObject runRequestBody(const RunConfig &config, const CodeSnapshot &snapshot, const QStringList &args, bool dryRun);

} // namespace og
