// SPDX-License-Identifier: GPL-3.0-or-later
// `gridd-session-agent SOCKET SSHD_CONFIG SSHD` (sessionagent.h).
#include "server/sessions/sessionagent.h"

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s SOCKET SSHD_CONFIG SSHD\n(started by gridd inside a session's sandbox)\n", argv[0]);
        return 2;
    }
    return og::runSessionAgent(argv[1], argv[2], argv[3]);
}
