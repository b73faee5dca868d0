// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/websocketpump.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

namespace og::websocket {

QByteArray acceptKey(const QByteArray &clientKey)
{
    // The GUID every WebSocket server appends (RFC 6455 §1.3).
    return QCryptographicHash::hash(clientKey.trimmed() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1)
        .toBase64();
}

QByteArray newClientKey()
{
    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(nonce.data()), reinterpret_cast<quint32 *>(nonce.data() + 16));
    return nonce.toBase64();
}

namespace {

enum Opcode : uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };
enum CloseCode : uint16_t { Normal = 1000, GoingAway = 1001, ProtocolError = 1002, Unsupported = 1003 };

constexpr size_t kChunk = 256 * 1024; // one read of the raw side, one message: SSH packets are ≤ 256 KiB
constexpr size_t kMaxHeader = 14;
constexpr size_t kMaxSegments = 64;   // payload pieces written with one writev
constexpr int kDrainMs = 10000;       // at the end: how long a slow reader gets to take what is left

// XORs `n` bytes with the 4-byte key, continuing at key position `offset`, eight bytes at a time.
void applyMask(char *p, size_t n, const uint8_t key[4], size_t &offset)
{
    uint8_t k[8];
    for (int j = 0; j < 8; ++j)
        k[j] = key[(offset + size_t(j)) % 4];
    uint64_t k64;
    std::memcpy(&k64, k, 8);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        std::memcpy(&v, p + i, 8);
        v ^= k64;
        std::memcpy(p + i, &v, 8);
    }
    for (; i < n; ++i)
        p[i] = char(uint8_t(p[i]) ^ k[i % 4]);
    offset = (offset + n) % 4;
}

// Writes the frame header for `length` payload bytes so that it ends at `end`; returns where
// it starts. `maskKey` (client role) is written after the length.
char *writeHeader(char *end, uint8_t opcode, uint64_t length, const uint8_t *maskKey)
{
    const size_t lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
    char *p = end - 2 - lengthBytes - (maskKey ? 4 : 0);
    char *h = p;
    *h++ = char(0x80 | opcode);
    const uint8_t maskBit = maskKey ? 0x80 : 0;
    if (lengthBytes == 0) {
        *h++ = char(maskBit | length);
    } else {
        *h++ = char(maskBit | (lengthBytes == 2 ? 126 : 127));
        for (size_t i = lengthBytes; i-- > 0;)
            *h++ = char((length >> (8 * i)) & 0xff);
    }
    if (maskKey)
        std::memcpy(h, maskKey, 4);
    return p;
}

class Pump
{
public:
    Pump(const PumpEnds &ends, Role role)
        : m_ends(ends)
        , m_role(role)
        , m_tx(kMaxHeader + kChunk)
        , m_rx(kChunk)
    {
        struct stat st = {};
        m_rawOutIsSocket = ::fstat(ends.rawOut, &st) == 0 && S_ISSOCK(st.st_mode);
        uint64_t seed = 0;
        if (::getrandom(&seed, sizeof seed, 0) != sizeof seed)
            seed = uint64_t(::getpid()) * 0x9E3779B97F4A7C15ull;
        m_random = seed | 1;
    }

    std::string run(const QByteArray &early);

private:
    // --- raw → WebSocket ---------------------------------------------------------------
    bool wsPending() const { return m_txStart < m_txEnd || !m_control.empty(); }
    void nextMaskKey(uint8_t key[4])
    {
        // xorshift64, seeded from the kernel: masking only has to be unpredictable to
        // intermediaries (RFC 6455 §10.3), not cryptographically strong.
        m_random ^= m_random << 13;
        m_random ^= m_random >> 7;
        m_random ^= m_random << 17;
        std::memcpy(key, &m_random, 4);
    }
    void queueControl(uint8_t opcode, const std::string &payload)
    {
        char frame[kMaxHeader + 125];
        const size_t n = std::min<size_t>(payload.size(), 125);
        std::memcpy(frame + kMaxHeader, payload.data(), n);
        uint8_t key[4];
        const bool mask = m_role == Role::Client;
        if (mask) {
            nextMaskKey(key);
            size_t offset = 0;
            applyMask(frame + kMaxHeader, n, key, offset);
        }
        const char *start = writeHeader(frame + kMaxHeader, opcode, n, mask ? key : nullptr);
        m_control.append(start, size_t(frame + kMaxHeader + n - start));
    }
    void queueClose(uint16_t code, const char *reason)
    {
        if (m_closeSent)
            return;
        m_closeSent = true;
        std::string payload{char(code >> 8), char(code & 0xff)};
        payload += reason;
        queueControl(Close, payload);
    }
    // Reads what rawIn has and frames it. False at its end or on an error.
    bool readRaw();
    // Writes what is pending to the WebSocket; false when it cannot take more ever.
    bool flushWs();

    // --- WebSocket → raw ---------------------------------------------------------------
    bool rawPending() const { return m_segment < m_segments.size(); }
    bool readWs();
    void parse(); // turns m_rx[m_parsed, m_rxLength) into payload segments and control actions
    bool flushRaw();

    bool fail(const char *why, uint16_t code)
    {
        if (m_error.empty())
            m_error = why;
        queueClose(code, why);
        return false;
    }
    // At the end: gives the WebSocket (and raw output) a bounded time to take what is left.
    void drain();

    PumpEnds m_ends;
    Role m_role;
    bool m_rawOutIsSocket = false;
    uint64_t m_random;
    std::string m_error;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_wsEnded = false;

    std::vector<char> m_tx;
    size_t m_txStart = 0, m_txEnd = 0;
    std::string m_control; // whole control frames, sent between data frames

    std::vector<char> m_rx;
    size_t m_rxLength = 0, m_parsed = 0;
    std::vector<iovec> m_segments;
    size_t m_segment = 0;
    // The frame being received.
    bool m_inPayload = false;
    uint8_t m_opcode = 0;
    bool m_masked = false;
    uint8_t m_maskKey[4] = {};
    size_t m_maskOffset = 0;
    uint64_t m_remaining = 0;
    std::string m_controlPayload;
};

bool Pump::readRaw()
{
    char *payload = m_tx.data() + kMaxHeader;
    ssize_t n;
    do
        n = ::read(m_ends.rawIn, payload, kChunk);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return true;
    if (n <= 0)
        return false;
    uint8_t key[4];
    const bool mask = m_role == Role::Client;
    if (mask) {
        nextMaskKey(key);
        size_t offset = 0;
        applyMask(payload, size_t(n), key, offset);
    }
    const char *start = writeHeader(payload, Binary, uint64_t(n), mask ? key : nullptr);
    m_txStart = size_t(start - m_tx.data());
    m_txEnd = kMaxHeader + size_t(n);
    return true;
}

bool Pump::flushWs()
{
    auto send = [this](const char *data, size_t size) -> ssize_t {
        ssize_t n;
        do // MSG_NOSIGNAL: a vanished peer is an error to handle, not a SIGPIPE
            n = ::send(m_ends.webSocket, data, size, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        return n;
    };
    while (m_txStart < m_txEnd) {
        const ssize_t n = send(m_tx.data() + m_txStart, m_txEnd - m_txStart);
        if (n < 0)
            return false;
        if (n == 0)
            return true;
        m_txStart += size_t(n);
    }
    while (!m_control.empty()) {
        const ssize_t n = send(m_control.data(), m_control.size());
        if (n < 0)
            return false;
        if (n == 0)
            return true;
        m_control.erase(0, size_t(n));
    }
    return true;
}

bool Pump::readWs()
{
    // Only called with every segment written: what is left unparsed (a partial header)
    // moves to the front.
    if (m_parsed > 0) {
        std::memmove(m_rx.data(), m_rx.data() + m_parsed, m_rxLength - m_parsed);
        m_rxLength -= m_parsed;
        m_parsed = 0;
    }
    m_segments.clear();
    m_segment = 0;
    ssize_t n;
    do
        n = ::read(m_ends.webSocket, m_rx.data() + m_rxLength, m_rx.size() - m_rxLength);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return true;
    if (n <= 0) {
        m_wsEnded = true;
        if (!m_closeReceived && m_error.empty())
            m_error = n == 0 ? "the connection closed without a WebSocket close" : std::strerror(errno);
        return false;
    }
    m_rxLength += size_t(n);
    parse();
    return m_error.empty();
}

void Pump::parse()
{
    while (m_parsed < m_rxLength && m_segments.size() < kMaxSegments && !m_closeReceived) {
        char *p = m_rx.data() + m_parsed;
        const size_t available = m_rxLength - m_parsed;
        if (!m_inPayload) {
            if (available < 2)
                return;
            const uint8_t b0 = uint8_t(p[0]), b1 = uint8_t(p[1]);
            const uint8_t lengthCode = b1 & 0x7f;
            const size_t lengthBytes = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
            const bool masked = b1 & 0x80;
            const size_t headerLength = 2 + lengthBytes + (masked ? 4 : 0);
            if (available < headerLength)
                return;
            m_opcode = b0 & 0x0f;
            uint64_t length = lengthCode;
            if (lengthBytes) {
                length = 0;
                for (size_t i = 0; i < lengthBytes; ++i)
                    length = (length << 8) | uint8_t(p[2 + i]);
            }
            if (b0 & 0x70) {
                fail("a WebSocket frame used an extension that was not negotiated", ProtocolError);
                return;
            }
            if (masked != (m_role == Role::Server)) {
                fail(masked ? "the server masked a frame" : "the client sent an unmasked frame", ProtocolError);
                return;
            }
            const bool control = m_opcode & 0x8;
            if (control && (length > 125 || !(b0 & 0x80))) {
                fail("a WebSocket control frame was fragmented or too long", ProtocolError);
                return;
            }
            if (m_opcode == Text) {
                fail("this WebSocket carries binary messages only", Unsupported);
                return;
            }
            if (!control && m_opcode != Binary && m_opcode != Continuation) {
                fail("unknown WebSocket opcode", ProtocolError);
                return;
            }
            m_masked = masked;
            if (masked)
                std::memcpy(m_maskKey, p + 2 + lengthBytes, 4);
            m_maskOffset = 0;
            m_remaining = length;
            m_inPayload = true;
            m_controlPayload.clear();
            m_parsed += headerLength;
            p += headerLength;
        }
        const size_t n = size_t(std::min<uint64_t>(m_remaining, m_rxLength - m_parsed));
        if (m_masked)
            applyMask(p, n, m_maskKey, m_maskOffset);
        if (m_opcode & 0x8)
            m_controlPayload.append(p, n);
        else if (n > 0)
            m_segments.push_back({p, n});
        m_parsed += n;
        m_remaining -= n;
        if (m_remaining > 0)
            return;
        m_inPayload = false;
        if (m_opcode == Ping) {
            queueControl(Pong, m_controlPayload);
        } else if (m_opcode == Close) {
            m_closeReceived = true;
            // Answer with the same status code, as RFC 6455 §5.5.1 asks.
            const uint16_t code = m_controlPayload.size() >= 2
                                      ? uint16_t(uint8_t(m_controlPayload[0]) << 8 | uint8_t(m_controlPayload[1]))
                                      : uint16_t(Normal);
            queueClose(code, "");
        }
    }
}

bool Pump::flushRaw()
{
    while (m_segment < m_segments.size()) {
        const int count = int(std::min<size_t>(m_segments.size() - m_segment, IOV_MAX));
        ssize_t n;
        do {
            if (m_rawOutIsSocket) {
                msghdr message = {};
                message.msg_iov = m_segments.data() + m_segment;
                message.msg_iovlen = size_t(count);
                n = ::sendmsg(m_ends.rawOut, &message, MSG_NOSIGNAL);
            } else {
                n = ::writev(m_ends.rawOut, m_segments.data() + m_segment, count);
            }
        } while (n < 0 && errno == EINTR);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n < 0) {
            if (m_error.empty())
                m_error = std::strerror(errno);
            return false;
        }
        size_t done = size_t(n);
        while (done > 0 && m_segment < m_segments.size()) {
            iovec &s = m_segments[m_segment];
            const size_t step = std::min(done, s.iov_len);
            s.iov_base = static_cast<char *>(s.iov_base) + step;
            s.iov_len -= step;
            done -= step;
            if (s.iov_len == 0)
                ++m_segment;
        }
    }
    return true;
}

void Pump::drain()
{
    int waited = 0;
    while ((wsPending() && !m_wsEnded) || rawPending()) {
        pollfd fds[2];
        int count = 0;
        if (wsPending() && !m_wsEnded)
            fds[count++] = {m_ends.webSocket, POLLOUT, 0};
        if (rawPending())
            fds[count++] = {m_ends.rawOut, POLLOUT, 0};
        if (waited >= kDrainMs || ::poll(fds, nfds_t(count), 100) < 0)
            return;
        waited += 100;
        if (wsPending() && !m_wsEnded && !flushWs())
            m_wsEnded = true;
        if (rawPending() && !flushRaw())
            m_segments.clear(), m_segment = 0;
    }
}

std::string Pump::run(const QByteArray &early)
{
    if (!early.isEmpty()) {
        m_rxLength = std::min(size_t(early.size()), m_rx.size());
        std::memcpy(m_rx.data(), early.constData(), m_rxLength);
        parse();
        flushRaw();
    }
    bool rawInOpen = true;
    // A hung-up side keeps reporting POLLHUP; while its counterpart cannot take more, it is
    // left out of the poll rather than spun on.
    bool wsHup = false, rawHup = false;
    const bool sharedRaw = m_ends.rawIn == m_ends.rawOut;
    while (m_error.empty() && !m_closeReceived && rawInOpen) {
        // Each side is read only when what it feeds has been written: flow control.
        pollfd fds[4];
        nfds_t count = 0;
        const short wsEvents = short((rawPending() ? 0 : POLLIN) | (wsPending() ? POLLOUT : 0));
        fds[count++] = {wsHup && rawPending() ? -1 : m_ends.webSocket, wsEvents, 0};
        const short inEvents = short(wsPending() ? 0 : POLLIN);
        const short outEvents = short(rawPending() ? POLLOUT : 0);
        const bool skipIn = rawHup && wsPending();
        if (sharedRaw) {
            fds[count++] = {skipIn && !rawPending() ? -1 : m_ends.rawIn, short(inEvents | outEvents), 0};
        } else {
            fds[count++] = {skipIn ? -1 : m_ends.rawIn, inEvents, 0};
            fds[count++] = {m_ends.rawOut, outEvents, 0};
        }
        if (m_ends.stop >= 0)
            fds[count++] = {m_ends.stop, POLLIN, 0};
        if (::poll(fds, count, -1) < 0) {
            if (errno == EINTR)
                continue;
            m_error = std::strerror(errno);
            break;
        }
        if (m_ends.stop >= 0 && fds[count - 1].revents) {
            queueClose(GoingAway, "the platform is shutting down");
            break;
        }
        const short wsReady = fds[0].revents;
        const short inReady = fds[1].revents;
        const short outReady = sharedRaw ? fds[1].revents : fds[2].revents;
        wsHup = wsHup || (wsReady & (POLLHUP | POLLERR));
        rawHup = rawHup || (inReady & (POLLHUP | POLLERR));
        if (outReady && rawPending() && !flushRaw())
            break;
        if ((wsReady & (POLLOUT | POLLERR | POLLHUP)) && wsPending() && !flushWs()) {
            m_wsEnded = true;
            break;
        }
        // Raw input goes out at once, without waiting for the next poll.
        if ((inReady & (POLLIN | POLLHUP | POLLERR)) && !wsPending()) {
            if (!readRaw()) {
                rawInOpen = false;
                break;
            }
            if (!flushWs()) {
                m_wsEnded = true;
                break;
            }
        }
        if ((wsReady & (POLLIN | POLLHUP | POLLERR)) && !rawPending()) {
            if (!readWs())
                break;
            if (!flushRaw())
                break;
            // A ping's pong, or the answer to a close.
            if (wsPending() && !flushWs()) {
                m_wsEnded = true;
                break;
            }
        }
        // Frames held back by kMaxSegments, once the earlier ones are written.
        while (!rawPending() && m_parsed < m_rxLength && m_error.empty() && !m_closeReceived) {
            m_segments.clear();
            m_segment = 0;
            const size_t before = m_parsed;
            parse();
            if (m_parsed == before || !flushRaw())
                break;
        }
    }
    if (!rawInOpen && m_error.empty())
        queueClose(Normal, "");
    drain();
    return m_error;
}

} // namespace

std::string pump(const PumpEnds &ends, Role role, const QByteArray &early)
{
    // Non-blocking while pumping; the flags come back afterwards, as stdin and stdout may be
    // shared with other programs (a terminal).
    const int fds[] = {ends.webSocket, ends.rawIn, ends.rawOut};
    int flags[3];
    for (int i = 0; i < 3; ++i) {
        flags[i] = ::fcntl(fds[i], F_GETFL);
        ::fcntl(fds[i], F_SETFL, flags[i] | O_NONBLOCK);
    }
    Pump p(ends, role);
    std::string why = p.run(early);
    for (int i = 3; i-- > 0;)
        if (flags[i] >= 0)
            ::fcntl(fds[i], F_SETFL, flags[i]);
    return why;
}

} // namespace og::websocket
