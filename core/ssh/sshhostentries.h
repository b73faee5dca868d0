// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/sessionsummary.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace og::sshhostentries {

// The files through which OpenSSH and VS Code reach sessions, written the same way by the CLI
// (`grid session ssh`) and the desktop app (Open in VS Code, terminals): Grid's managed block
// in ~/.ssh/config (core/sshconfigblock renders it) and the platform-managed known_hosts that
// pins each running session's host key.

QString sshConfigPath();  // $GRID_SSH_CONFIG, else ~/.ssh/config
QString knownHostsPath(); // <gridDir>/known_hosts

// Pins the running sessions' host keys in knownHostsPath() (0600, nothing else in it), then
// writes the managed block in sshConfigPath() with one Host per running
// session reached through `gridProgram session proxy %n`; everything outside the block is
// kept and an unchanged config is not rewritten. Empty on success, else why not.
QString writeSshConfig(const QList<SessionSummary> &sessions, const QString &gridProgram);

// The grid CLI for the ProxyCommand of a program that is not the CLI itself: `grid` beside
// the running executable, else on PATH; empty when there is none.
QString findGridProgram();

// `code` arguments that open a session's home in VS Code through the managed config's Host.
QStringList vsCodeArguments(const SessionSummary &session);

} // namespace og::sshhostentries
