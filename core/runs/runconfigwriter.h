// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/runconfig.h"

#include <QByteArray>

namespace og {

// A run config as Grid's YAML (the 2022 schema RunConfig::fromYaml reads): compute.train for
// the machine and datastore, hyper_params for the strategy and the swept parameters. Only
// what is set is written, so fromYaml(toYaml(c)) gives c back (the desktop app's YAML tab
// round-trips with its form this way).
QByteArray runConfigToYaml(const RunConfig &config);

} // namespace og
