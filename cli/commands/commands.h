// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/commandline.h"

#include <QJsonArray>

namespace og::cli {

// Each file contributes the specs of its commands; main() puts them together.
QList<CommandSpec> loginCommands();
QList<CommandSpec> userCommands();
QList<CommandSpec> versionCommands();
QList<CommandSpec> statusCommands();
QList<CommandSpec> instanceTypeCommands();
QList<CommandSpec> datastoreCommands();
QList<CommandSpec> runCommands();
QList<CommandSpec> artifactCommands();
QList<CommandSpec> runObserveCommands(); // status RUN helpers, history, logs, stop, delete

QList<CommandSpec> sshKeyCommands();
QList<CommandSpec> sessionCommands();
QList<CommandSpec> sessionSshCommands(); // session ssh, proxy, mount

QList<CommandSpec> allCommands();

// A command's spec in one expression.
CommandSpec makeCommand(QStringList path, QString summary, QString usage, QList<OptionSpec> options, int minArgs,
                        int maxArgs, std::function<int(CommandContext &)> run);
// Grid's "Are you sure?" before deleting `kind` `name`; true when the user answered yes.
bool confirmDelete(const QString &kind, const QString &name, bool json);
// DELETE apiPrefix+NAME for each positional NAME, after Grid's question unless --yes (and never
// without a terminal to ask on); prints doneLine.arg(NAME) for each, or the answers as JSON.
int deleteAfterConfirmation(CommandContext &ctx, const QString &kind, const QString &apiPrefix, const QString &doneLine);

class Table;

// The experiments of a run as Grid showed them: Experiment │ [Status │ Duration │] Command,
// then one column per swept hyperparameter with its value. `experiments` and `swept` are as the
// API gives them; newestFirst lists exp N → exp 0 as Grid's `grid status RUN` did.
Table experimentsTable(const QJsonArray &experiments, const QJsonArray &swept, bool withStatus, bool newestFirst);
// Session │ Status │ Instance Type │ Duration │ URL, as `grid status` prints it (Grid's columns);
// withConnections adds SSH (the open SSH connections, the API's `ssh_connections`) before URL,
// as `grid session` prints it.
Table sessionsTable(const QJsonArray &sessions, bool withConnections = false);
// `grid status RUN`.
int showRunExperiments(CommandContext &ctx, const QString &run);

} // namespace og::cli
