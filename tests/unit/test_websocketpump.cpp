// SPDX-License-Identifier: GPL-3.0-or-later
// websocket::pump over socket pairs: the RFC 6455 framing both ends of the SSH tunnel rely on
// (masking, fragments split anywhere, pings, closes, protocol errors) and its handshake key.
#include "core/websocketpump.h"

#include <QTest>

#include <cstring>
#include <future>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using og::websocket::Role;

namespace {

// A frame as a peer would send it; `mask` empty for an unmasked (server) frame.
QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, const QByteArray &mask = "\x11\x22\x33\x44")
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | opcode));
    const char maskBit = mask.isEmpty() ? 0 : char(0x80);
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        f.append(char(maskBit | char(n)));
    } else if (n < 65536) {
        f.append(char(maskBit | 126));
        f.append(char(n >> 8)).append(char(n & 0xff));
    } else {
        f.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            f.append(char((n >> (8 * i)) & 0xff));
    }
    f.append(mask);
    for (qsizetype i = 0; i < payload.size(); ++i)
        f.append(mask.isEmpty() ? payload[i] : char(payload[i] ^ mask[i % 4]));
    return f;
}

struct Decoded
{
    quint8 opcode = 0;
    bool masked = false;
    QByteArray payload;
};

// Reads exactly `n` bytes from `fd` (5 s at most).
QByteArray readExactly(int fd, qsizetype n)
{
    QByteArray out;
    while (out.size() < n) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) != 1)
            break;
        char buffer[65536];
        const ssize_t got = ::read(fd, buffer, size_t(qMin<qsizetype>(n - out.size(), qsizetype(sizeof buffer))));
        if (got <= 0)
            break;
        out.append(buffer, got);
    }
    return out;
}

Decoded readFrame(int fd)
{
    Decoded d;
    const QByteArray head = readExactly(fd, 2);
    if (head.size() < 2)
        return d;
    d.opcode = quint8(head[0]) & 0x0f;
    d.masked = quint8(head[1]) & 0x80;
    quint64 n = quint8(head[1]) & 0x7f;
    if (n >= 126) {
        const QByteArray ext = readExactly(fd, n == 126 ? 2 : 8);
        n = 0;
        for (char c : ext)
            n = (n << 8) | quint8(c);
    }
    const QByteArray key = d.masked ? readExactly(fd, 4) : QByteArray();
    d.payload = readExactly(fd, qsizetype(n));
    if (d.masked)
        for (qsizetype i = 0; i < d.payload.size(); ++i)
            d.payload[i] = char(d.payload[i] ^ key[i % 4]);
    return d;
}

void writeAll(int fd, const QByteArray &bytes)
{
    for (qsizetype done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n <= 0)
            return;
        done += n;
    }
}

// A pump between two socket pairs, on its own thread: the test holds the peer ends.
class Fixture
{
public:
    explicit Fixture(Role role)
    {
        int ws[2], raw[2];
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, ws) == 0);
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, raw) == 0);
        m_pumpWs = ws[0];
        peerWs = ws[1];
        m_pumpRaw = raw[0];
        peerRaw = raw[1];
        result = std::async(std::launch::async, [this, role] {
            return og::websocket::pump({m_pumpWs, m_pumpRaw, m_pumpRaw}, role);
        });
    }
    ~Fixture()
    {
        ::close(peerWs);
        ::close(peerRaw);
        if (result.valid())
            result.wait();
        ::close(m_pumpWs);
        ::close(m_pumpRaw);
    }
    bool ended(int ms = 5000) { return result.wait_for(std::chrono::milliseconds(ms)) == std::future_status::ready; }

    int peerWs = -1, peerRaw = -1;
    std::future<std::string> result;

private:
    int m_pumpWs = -1, m_pumpRaw = -1;
};

} // namespace

class TestWebSocketPump final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void handshakeKeyIsTheRfcs()
    {
        // RFC 6455 §1.3's example.
        QCOMPARE(og::websocket::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QCOMPARE(QByteArray::fromBase64(og::websocket::newClientKey()).size(), 16);
    }

    void serverUnmasksFragmentsSplitAnywhere()
    {
        Fixture f(Role::Server);
        QByteArray big(300 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char(i * 7);
        // One message in three fragments (binary, continuation, continuation), sent a few bytes
        // at a time so headers and masks are cut everywhere.
        const QByteArray wire = frame(0x2, big.left(5), false) + frame(0x0, big.mid(5, 70000), false) + frame(0x0, big.mid(70005), true);
        // Written from another thread: the pump reads the WebSocket only as fast as the raw
        // side takes its output (flow control), and this thread reads that output.
        auto writer = std::async(std::launch::async, [&] {
            for (qsizetype i = 0; i < 64; i += 3)
                writeAll(f.peerWs, wire.mid(i, 3));
            writeAll(f.peerWs, wire.mid(66));
        });
        QCOMPARE(readExactly(f.peerRaw, big.size()), big);
        writer.wait();
    }

    void serverSendsUnmaskedMessagesAndAnswersPings()
    {
        Fixture f(Role::Server);
        writeAll(f.peerRaw, "SSH-2.0-OpenSSH\r\n");
        Decoded d = readFrame(f.peerWs);
        QCOMPARE(d.opcode, quint8(0x2));
        QVERIFY(!d.masked);
        QCOMPARE(d.payload, QByteArray("SSH-2.0-OpenSSH\r\n"));
        writeAll(f.peerWs, frame(0x9, "latency?"));
        d = readFrame(f.peerWs);
        QCOMPARE(d.opcode, quint8(0xA));
        QCOMPARE(d.payload, QByteArray("latency?"));
    }

    void clientMasksWhatItSends()
    {
        Fixture f(Role::Client);
        const QByteArray bytes(70000, 'k');
        writeAll(f.peerRaw, bytes);
        QByteArray got;
        while (got.size() < bytes.size()) {
            const Decoded d = readFrame(f.peerWs);
            QVERIFY(d.masked);
            QCOMPARE(d.opcode, quint8(0x2));
            QVERIFY(!d.payload.isEmpty());
            got += d.payload;
        }
        QCOMPARE(got, bytes);
        // The server's frames are unmasked.
        writeAll(f.peerWs, frame(0x2, "from sshd", true, QByteArray()));
        QCOMPARE(readExactly(f.peerRaw, 9), QByteArray("from sshd"));
    }

    void aCloseIsAnsweredAndEndsThePump()
    {
        Fixture f(Role::Server);
        writeAll(f.peerWs, frame(0x8, QByteArray("\x03\xe8", 2)));
        const Decoded d = readFrame(f.peerWs);
        QCOMPARE(d.opcode, quint8(0x8));
        QCOMPARE(d.payload.left(2), QByteArray("\x03\xe8", 2));
        QVERIFY(f.ended());
        QCOMPARE(f.result.get(), std::string());
    }

    void theRawSideEndingSendsAClose()
    {
        Fixture f(Role::Server);
        ::shutdown(f.peerRaw, SHUT_WR);
        const Decoded d = readFrame(f.peerWs);
        QCOMPARE(d.opcode, quint8(0x8));
        QVERIFY(f.ended());
    }

    void protocolErrorsCloseWithTheirCode_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked client frame") << frame(0x2, "x", true, QByteArray()) << 1002;
        QTest::newRow("text message") << frame(0x1, "hello") << 1003;
        QTest::newRow("long control frame") << frame(0x9, QByteArray(200, 'p')) << 1002;
        QTest::newRow("reserved bit") << QByteArray("\xc2\x81\x00\x00\x00\x00x", 7) << 1002;
    }
    void protocolErrorsCloseWithTheirCode()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, code);
        Fixture f(Role::Server);
        writeAll(f.peerWs, wire);
        const Decoded d = readFrame(f.peerWs);
        QCOMPARE(d.opcode, quint8(0x8));
        QCOMPARE(int(quint8(d.payload[0])) << 8 | quint8(d.payload[1]), code);
        QVERIFY(f.ended());
        QVERIFY(!f.result.get().empty());
    }
};

QTEST_GUILESS_MAIN(TestWebSocketPump)
#include "test_websocketpump.moc"
