// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Passing descriptors over a Unix socket (SCM_RIGHTS): one with one data byte (OpenSSH's
// ProxyUseFdpass, the session agent), or many with a text (the datastore local intake).
// Header-only and libc-only: the session agent, which has no Qt, uses it too.

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace og {

// At most this many descriptors go in one message (the kernel's SCM_MAX_FD).
inline constexpr size_t kMaxPassedDescriptors = 253;

// Sends `size` bytes of `data` with `count` descriptors attached (SCM_RIGHTS; `count` may be
// 0, and at most kMaxPassedDescriptors) in one message over `channel`. The receiver gets its
// own copies; the caller still owns the descriptors. sendmsg's result: the bytes sent, or -1
// with errno set.
inline ssize_t sendWithDescriptors(int channel, const char *data, size_t size, const int *fds, size_t count)
{
    if (count > kMaxPassedDescriptors) {
        errno = EINVAL;
        return -1;
    }
    iovec bytes{const_cast<char *>(data), size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedDescriptors)] = {};
    msghdr header = {};
    header.msg_iov = &bytes;
    header.msg_iovlen = 1;
    if (count > 0) {
        header.msg_control = control;
        header.msg_controllen = CMSG_SPACE(sizeof(int) * count);
        cmsghdr *c = CMSG_FIRSTHDR(&header);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * count);
        std::memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
    }
    ssize_t n;
    while ((n = ::sendmsg(channel, &header, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    return n;
}

// Receives one message of at most `size` bytes into `data` and the descriptors passed with it
// (close-on-exec) into `fds`, at most `maxFds`, their number in `*count`; any beyond that are
// closed. recvmsg's result (0: the peer closed, -1: errno); `*truncated` is set when the
// message or its descriptors did not fit.
inline ssize_t receiveWithDescriptors(int channel, char *data, size_t size, int *fds, size_t maxFds, size_t *count,
                                      bool *truncated)
{
    iovec bytes{data, size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedDescriptors)];
    msghdr header = {};
    header.msg_iov = &bytes;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(channel, &header, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    *count = 0;
    *truncated = n >= 0 && (header.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    if (n < 0)
        return n;
    for (cmsghdr *c = CMSG_FIRSTHDR(&header); c; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        const size_t passed = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < passed; ++i) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (*count < maxFds) {
                fds[(*count)++] = fd;
            } else {
                ::close(fd);
                *truncated = true;
            }
        }
    }
    return n;
}

// Passes `fd` over `channel` with one data byte (what OpenSSH's ProxyUseFdpass and the session
// agent read). True on success, else errno says why.
inline bool sendDescriptor(int channel, int fd)
{
    const char byte = 0;
    return sendWithDescriptors(channel, &byte, 1, &fd, 1) == 1;
}

// The descriptor passed on `channel` within `timeoutMs` (close-on-exec), or -1.
inline int receiveDescriptor(int channel, int timeoutMs)
{
    pollfd p{channel, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) != 1)
        return -1;
    char byte;
    int fds[1] = {-1};
    size_t count = 0;
    bool truncated = false;
    if (receiveWithDescriptors(channel, &byte, 1, fds, 1, &count, &truncated) != 1 || count != 1 || truncated) {
        if (count == 1)
            ::close(fds[0]);
        return -1;
    }
    return fds[0];
}

} // namespace og
