// SPDX-License-Identifier: GPL-3.0-or-later
// Passing descriptors over a Unix socket (core/fdpass.h): one, many with a text, and more than
// the receiver takes (closed, and said so), on a real socket pair.
#include "core/fdpass.h"

#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
// A pipe's read end: something whose identity survives the passing (same inode).
struct Pipe
{
    int ends[2] = {-1, -1};
    Pipe() { QVERIFY(::pipe2(ends, O_CLOEXEC) == 0); }
    ~Pipe()
    {
        ::close(ends[0]);
        ::close(ends[1]);
    }
};

ino_t inodeOf(int fd)
{
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

bool isOpen(int fd)
{
    return ::fcntl(fd, F_GETFD) != -1;
}
} // namespace

class TestFdPass final : public QObject
{
    Q_OBJECT

    int m_pair[2] = {-1, -1};

private Q_SLOTS:
    void init() { QCOMPARE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, m_pair), 0); }
    void cleanup()
    {
        ::close(m_pair[0]);
        ::close(m_pair[1]);
    }

    void oneDescriptorWithItsByte()
    {
        Pipe p;
        QVERIFY(og::sendDescriptor(m_pair[0], p.ends[0]));
        const int got = og::receiveDescriptor(m_pair[1], 1000);
        QVERIFY(got >= 0);
        QCOMPARE(inodeOf(got), inodeOf(p.ends[0]));
        QVERIFY(::fcntl(got, F_GETFD) & FD_CLOEXEC);
        ::close(got);
        QCOMPARE(og::receiveDescriptor(m_pair[1], 50), -1); // nothing more: a timeout, not a hang
    }

    void manyWithATextAndNone()
    {
        Pipe a, b, c;
        const int fds[3] = {a.ends[0], b.ends[1], c.ends[0]};
        const QByteArray text = "three\n";
        QCOMPARE(og::sendWithDescriptors(m_pair[0], text.constData(), size_t(text.size()), fds, 3), text.size());
        char data[64];
        int got[8];
        size_t count = 0;
        bool truncated = true;
        QCOMPARE(og::receiveWithDescriptors(m_pair[1], data, sizeof data, got, 8, &count, &truncated), text.size());
        QCOMPARE(QByteArray(data, text.size()), text);
        QCOMPARE(count, size_t(3));
        QVERIFY(!truncated);
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(inodeOf(got[i]), inodeOf(fds[i]));
            ::close(got[i]);
        }
        // A text alone.
        QCOMPARE(og::sendWithDescriptors(m_pair[0], "x", 1, nullptr, 0), 1);
        QCOMPARE(og::receiveWithDescriptors(m_pair[1], data, sizeof data, got, 8, &count, &truncated), 1);
        QCOMPARE(count, size_t(0));
        QVERIFY(!truncated);
    }

    // More descriptors than the receiver takes: it keeps what fits, the rest are closed (no
    // leak), and it is told; more than the kernel takes are refused before sending.
    void extraDescriptorsAreClosedAndReported()
    {
        Pipe a, b, c;
        const int fds[3] = {a.ends[0], b.ends[0], c.ends[0]};
        QCOMPARE(og::sendWithDescriptors(m_pair[0], "t", 1, fds, 3), 1);
        const int before = ::fcntl(0, F_DUPFD_CLOEXEC, 0); // the lowest free number now
        ::close(before);
        char data[8];
        int got[2] = {-1, -1};
        size_t count = 0;
        bool truncated = false;
        QCOMPARE(og::receiveWithDescriptors(m_pair[1], data, sizeof data, got, 2, &count, &truncated), 1);
        QCOMPARE(count, size_t(2));
        QVERIFY(truncated);
        ::close(got[0]);
        ::close(got[1]);
        // The third arrived as the next free number and was closed again.
        QVERIFY(!isOpen(before + 2));
        std::vector<int> many(og::kMaxPassedDescriptors + 1, a.ends[0]);
        QCOMPARE(og::sendWithDescriptors(m_pair[0], "t", 1, many.data(), many.size()), ssize_t(-1));
        QCOMPARE(errno, EINVAL);
    }

    void aClosedPeerIsTheEnd()
    {
        ::close(m_pair[0]);
        m_pair[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC); // for cleanup()
        char data[8];
        int got[1];
        size_t count = 7;
        bool truncated = true;
        QCOMPARE(og::receiveWithDescriptors(m_pair[1], data, sizeof data, got, 1, &count, &truncated), ssize_t(0));
        QCOMPARE(count, size_t(0));
        QVERIFY(!truncated);
    }
};

QTEST_GUILESS_MAIN(TestFdPass)
#include "test_fdpass.moc"
