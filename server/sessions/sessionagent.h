// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace og {

// `gridd-session-agent SOCKET SSHD_CONFIG SSHD`: the long-lived process inside a session's
// sandbox. It listens on two Unix sockets in the session's run/ directory (bound in from
// gridd's side) and starts one `sshd -i` per SSH connection — so every SSH login, and whatever
// it leaves running, lives in the session's namespaces:
//   SOCKET: each connection gridd makes there is the byte stream itself (sshd's stdin and
//     stdout); gridd relays a WebSocket into it.
//   handOverSocketPath(SOCKET): gridd passes the client's TCP socket on each connection
//     (SCM_RIGHTS, one byte) and sshd gets that socket: no process between ssh and sshd. The
//     agent keeps gridd's connection open until that sshd exits, so gridd learns at once.
// Plain POSIX and no Qt: it must start fast, and inside the sandbox only the host's /usr is
// there to load libraries from. Runs until the supervisor stops the session. Returns the
// process exit code.
int runSessionAgent(const char *socketPath, const char *sshdConfig, const char *sshd);

// Where the agent listening on `agentSocket` takes passed sockets (gridd and the agent agree
// on it through this one definition).
inline std::string handOverSocketPath(const std::string &agentSocket)
{
    return agentSocket + ".fd";
}

} // namespace og
