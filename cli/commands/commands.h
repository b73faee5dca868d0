// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/commandline.h"

namespace og::cli {

// Each file contributes the specs of its commands; main() puts them together.
QList<CommandSpec> loginCommands();
QList<CommandSpec> userCommands();
QList<CommandSpec> versionCommands();
QList<CommandSpec> statusCommands();
QList<CommandSpec> instanceTypeCommands();
QList<CommandSpec> datastoreCommands();

QList<CommandSpec> allCommands();

} // namespace og::cli
