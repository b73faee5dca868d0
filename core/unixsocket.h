// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Unix-domain sockets by path: the address, and a new socket connected or bound to it.
// Header-only and libc-only: the session agent, which has no Qt, uses it too.

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace og {

// The address of the socket file at `path`. False (errno ENAMETOOLONG) when the path is empty
// or longer than sun_path holds (about 107 bytes): such a socket cannot be reached by path.
inline bool unixSocketAddress(const char *path, sockaddr_un *address)
{
    *address = {};
    address->sun_family = AF_UNIX;
    const size_t length = std::strlen(path);
    if (length == 0 || length >= sizeof address->sun_path) {
        errno = ENAMETOOLONG;
        return false;
    }
    std::memcpy(address->sun_path, path, length);
    return true;
}

// A new close-on-exec socket of `type` (SOCK_STREAM, SOCK_SEQPACKET) connected to `path`
// (bound to it with `bind`, not listening yet), or -1 with errno set.
inline int openUnixSocket(const char *path, int type, bool bind = false)
{
    sockaddr_un address;
    if (!unixSocketAddress(path, &address))
        return -1;
    const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const auto *a = reinterpret_cast<const sockaddr *>(&address);
    if ((bind ? ::bind(fd, a, sizeof address) : ::connect(fd, a, sizeof address)) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

inline int connectUnixSocket(const char *path, int type) { return openUnixSocket(path, type, false); }
inline int bindUnixSocket(const char *path, int type) { return openUnixSocket(path, type, true); }

} // namespace og
