// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <string>

namespace og::websocket {

// RFC 6455 handshake: the Sec-WebSocket-Accept value answering a Sec-WebSocket-Key.
QByteArray acceptKey(const QByteArray &clientKey);
// A fresh random Sec-WebSocket-Key for a client's handshake.
QByteArray newClientKey();

// Which end of the WebSocket this process is: a client masks what it sends (RFC 6455 §5.3)
// and a server insists on masked frames.
enum class Role { Server, Client };

struct PumpEnds
{
    int webSocket = -1; // a connected stream socket past the handshake (plain TCP, no TLS)
    int rawIn = -1;     // bytes to send as binary messages
    int rawOut = -1;    // where received binary payloads go (may equal rawIn: a socket)
    int stop = -1;      // optional: readable means "end now" (an eventfd or pipe)
};

// Moves bytes between a WebSocket carrying binary messages and a raw byte stream until
// either ends, on the calling thread, with poll(2) and no event loop: SSH's interactive
// latency is set by how fast one byte gets through, and its throughput by how few copies
// and system calls each chunk costs. Each read of rawIn goes out at once as one binary
// message whose header is built in front of the payload (one write); received payloads are
// unmasked in place and written straight from the read buffer. A side whose output is full
// is not read until that output drains, so memory stays bounded (flow control). Pings are
// answered, a close is answered and ends the pump; text messages are a protocol error.
// `early` holds WebSocket bytes already read past the handshake. Returns why the pump ended
// when that was not a normal close of either side, else an empty string. The fds are
// non-blocking meanwhile (their flags are restored) and are not closed. Writes to sockets
// never raise SIGPIPE; a pipe as rawOut may (the caller decides how to take it).
std::string pump(const PumpEnds &ends, Role role, const QByteArray &early = {});

} // namespace og::websocket
