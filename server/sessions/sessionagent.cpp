// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sessionagent.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace og {

namespace {
void say(const char *what, const char *detail = "")
{
    std::fprintf(stdout, "session-agent: %s%s\n", what, detail);
    std::fflush(stdout);
}
} // namespace

int runSessionAgent(const char *socketPath, const char *sshdConfig, const char *sshd)
{
    ::signal(SIGPIPE, SIG_IGN);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    if (std::strlen(socketPath) >= sizeof address.sun_path) {
        say("socket path too long: ", socketPath);
        return 2;
    }
    std::strcpy(address.sun_path, socketPath);
    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::unlink(socketPath);
    // Only gridd's user may connect; the socket is also only reachable through the
    // session's directory, which is private to gridd.
    const mode_t old = ::umask(0077);
    const bool bound = listener >= 0 && ::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::umask(old);
    if (!bound || ::listen(listener, 16) != 0) {
        say("cannot listen: ", std::strerror(errno));
        return 2;
    }
    say("ready for SSH connections");
    for (;;) {
        while (::waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        pollfd p{listener, POLLIN, 0};
        if (::poll(&p, 1, 1000) <= 0)
            continue;
        const int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection < 0)
            continue;
        const pid_t child = ::fork();
        if (child == 0) {
            ::dup2(connection, STDIN_FILENO);
            ::dup2(connection, STDOUT_FILENO);
            ::signal(SIGPIPE, SIG_DFL);
            // -e: sshd's messages go to stderr, i.e. the session's log.
            ::execl(sshd, "sshd", "-i", "-e", "-f", sshdConfig, static_cast<char *>(nullptr));
            say("cannot start sshd: ", std::strerror(errno));
            ::_exit(127);
        }
        if (child < 0)
            say("cannot fork: ", std::strerror(errno));
        ::close(connection);
    }
}

} // namespace og
