// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sessionagent.h"

#include "core/fdpass.h"
#include "core/unixsocket.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <string>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace og {

namespace {
constexpr int kHandOverWaitMs = 5000; // gridd sends the socket right after connecting

void say(const char *what, const char *detail = "")
{
    std::fprintf(stdout, "session-agent: %s%s\n", what, detail);
    std::fflush(stdout);
}

int listenOn(const std::string &path)
{
    ::unlink(path.c_str());
    // Only gridd's user may connect; the socket is also only reachable through the
    // session's directory, which is private to gridd.
    const mode_t old = ::umask(0077);
    const int listener = bindUnixSocket(path.c_str(), SOCK_STREAM);
    ::umask(old);
    if (listener < 0 || ::listen(listener, 16) != 0) {
        say(errno == ENAMETOOLONG ? "socket path too long: " : "cannot listen: ",
            errno == ENAMETOOLONG ? path.c_str() : std::strerror(errno));
        if (listener >= 0)
            ::close(listener);
        return -1;
    }
    return listener;
}

// `sshd -i` on `connection` (stdin and stdout), or -1. The child gets the signal mask the
// agent started with, not the agent's blocked SIGCHLD.
pid_t startSshd(int connection, const sigset_t &originalMask, const char *sshdConfig, const char *sshd)
{
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(connection, STDIN_FILENO);
        ::dup2(connection, STDOUT_FILENO);
        ::signal(SIGPIPE, SIG_DFL);
        ::sigprocmask(SIG_SETMASK, &originalMask, nullptr);
        // -e: sshd's messages go to stderr, i.e. the session's log.
        ::execl(sshd, "sshd", "-i", "-e", "-f", sshdConfig, static_cast<char *>(nullptr));
        say("cannot start sshd: ", std::strerror(errno));
        ::_exit(127);
    }
    if (child < 0)
        say("cannot fork: ", std::strerror(errno));
    return child;
}

} // namespace

int runSessionAgent(const char *socketPath, const char *sshdConfig, const char *sshd)
{
    ::signal(SIGPIPE, SIG_IGN);
    // SIGCHLD through a descriptor: a connection's sshd ending is noticed at once, in the poll.
    sigset_t childSignal, originalMask;
    sigemptyset(&childSignal);
    sigaddset(&childSignal, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &childSignal, &originalMask);
    const int children = ::signalfd(-1, &childSignal, SFD_CLOEXEC | SFD_NONBLOCK);
    const int streams = listenOn(socketPath);
    const int handOvers = listenOn(handOverSocketPath(socketPath));
    if (children < 0 || streams < 0 || handOvers < 0)
        return 2;
    say("ready for SSH connections");
    // sshd → gridd's hand-over connection: kept open while that sshd runs, so that gridd's end
    // reads EOF the moment it ends (how gridd counts a session's connections).
    std::map<pid_t, int> watched;
    for (;;) {
        pollfd p[3] = {{children, POLLIN, 0}, {streams, POLLIN, 0}, {handOvers, POLLIN, 0}};
        if (::poll(p, 3, -1) <= 0)
            continue;
        if (p[0].revents) {
            signalfd_siginfo info;
            while (::read(children, &info, sizeof info) == sizeof info) {
            }
            for (pid_t pid; (pid = ::waitpid(-1, nullptr, WNOHANG)) > 0;) {
                if (const auto it = watched.find(pid); it != watched.end()) {
                    ::close(it->second);
                    watched.erase(it);
                }
            }
        }
        // A byte stream carrying SSH (gridd relays a WebSocket into it).
        if (p[1].revents) {
            if (const int connection = ::accept4(streams, nullptr, nullptr, SOCK_CLOEXEC); connection >= 0) {
                startSshd(connection, originalMask, sshdConfig, sshd);
                ::close(connection);
            }
        }
        // The client's own TCP socket, passed by gridd: sshd talks to the client directly.
        if (p[2].revents) {
            if (const int connection = ::accept4(handOvers, nullptr, nullptr, SOCK_CLOEXEC); connection >= 0) {
                const int client = receiveDescriptor(connection, kHandOverWaitMs);
                const pid_t child = client >= 0 ? startSshd(client, originalMask, sshdConfig, sshd) : -1;
                if (client < 0)
                    say("a hand-over came without a socket; ignored");
                else
                    ::close(client);
                if (child > 0)
                    watched[child] = connection;
                else
                    ::close(connection);
            }
        }
    }
}

} // namespace og
