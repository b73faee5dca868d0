// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace og {

// `gridd-session-agent SOCKET SSHD_CONFIG SSHD`: the long-lived process inside a session's
// sandbox. It listens on a Unix socket (the session's run/ directory, bound in from gridd's
// side) and, for each connection gridd makes there, starts `sshd -i` with the connection as
// its stdin and stdout — so every SSH login, and whatever it leaves running, lives in the
// session's namespaces. Plain POSIX and no Qt: it must start fast, and inside the sandbox only
// the host's /usr is there to load libraries from. Runs until the supervisor stops the session. Returns the process exit code.
int runSessionAgent(const char *socketPath, const char *sshdConfig, const char *sshd);

} // namespace og
