// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Passing a descriptor over a Unix socket (SCM_RIGHTS with one data byte, which is what
// OpenSSH's ProxyUseFdpass and the session agent read). Header-only and libc-only: the
// session agent, which has no Qt, uses it too.

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

namespace og {

namespace fdpass_detail {
// One data byte and room for one descriptor, ready for sendmsg/recvmsg.
struct Message
{
    char byte = 0;
    iovec data{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr header = {};

    Message()
    {
        header.msg_iov = &data;
        header.msg_iovlen = 1;
        header.msg_control = control;
        header.msg_controllen = sizeof control;
    }
    Message(const Message &) = delete;
    Message &operator=(const Message &) = delete;
};
} // namespace fdpass_detail

// Passes `fd` over `channel`. The receiver gets its own copy; the caller still owns `fd`.
// True on success, else errno says why.
inline bool sendDescriptor(int channel, int fd)
{
    fdpass_detail::Message m;
    cmsghdr *c = CMSG_FIRSTHDR(&m.header);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    ssize_t n;
    while ((n = ::sendmsg(channel, &m.header, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    return n == 1;
}

// The descriptor passed on `channel` within `timeoutMs` (close-on-exec), or -1.
inline int receiveDescriptor(int channel, int timeoutMs)
{
    pollfd p{channel, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) != 1)
        return -1;
    fdpass_detail::Message m;
    if (::recvmsg(channel, &m.header, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    const cmsghdr *c = CMSG_FIRSTHDR(&m.header);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
        return -1;
    int fd = -1;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

} // namespace og
