// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/localintakeclient.h"

#include "core/apiclient.h"
#include "core/datastore/manifest.h"
#include "core/fdpass.h"
#include "core/unixsocket.h"

#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <sys/mman.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace og {

namespace {
Q_LOGGING_CATEGORY(lcLocalIntake, "opengrid.core.datastore.intake", QtInfoMsg)

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// The answer to the message just sent (gridd answers every message), waiting at most
// `timeoutMs` (-1: as long as gridd works — storing one large file from a slow disk may take
// many minutes, and gridd going away ends the wait with an empty answer). Empty on a timeout.
QByteArray receiveText(int fd, int timeoutMs = -1)
{
    pollfd readable{fd, POLLIN, 0};
    int ready;
    while ((ready = ::poll(&readable, 1, timeoutMs)) < 0 && errno == EINTR) {
    }
    if (ready <= 0)
        return {};
    QByteArray answer(64 * 1024, Qt::Uninitialized); // "OK <n>" and up to 250 names
    ssize_t n;
    while ((n = ::recv(fd, answer.data(), size_t(answer.size()), 0)) < 0 && errno == EINTR) {
    }
    answer.resize(qMax<ssize_t>(0, n));
    return answer;
}

// Connects to the intake at `path` and presents `token`; -1 with `why` set otherwise.
int connectIntake(const QString &path, const QString &token, QString *why)
{
    const int fd = connectUnixSocket(QFile::encodeName(path).constData(), SOCK_SEQPACKET);
    if (fd < 0) {
        *why = QStringLiteral("cannot connect to %1: %2").arg(path, errnoText());
        return -1;
    }
    auto fail = [fd, why](const QString &reason) {
        *why = reason;
        ::close(fd);
        return -1;
    };
    // Open files go only to a process that could open them itself: this user's, or root's.
    ucred peer{};
    socklen_t length = sizeof peer;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 ||
        (peer.uid != ::getuid() && peer.uid != 0))
        return fail(QStringLiteral("the process on %1 runs as another user").arg(path));
    // Sending never waits long (gridd reads each message whole); answers may (receiveText).
    const timeval timeout{120, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    const QByteArray hello = "OGFD1 " + token.toLatin1();
    if (::send(fd, hello.constData(), size_t(hello.size()), MSG_NOSIGNAL) != hello.size())
        return fail(QStringLiteral("cannot write to %1: %2").arg(path, errnoText()));
    const QByteArray answer = receiveText(fd, 30000); // the greeting: gridd checks a token
    if (answer != "OK")
        return fail(
            QStringLiteral("%1 refused the token: %2").arg(path, QString::fromUtf8(answer)));
    return fd;
}

// A descriptor holding `bytes` (the manifest, which is no file of the tree).
int memoryFile(const QByteArray &bytes)
{
    const int fd = ::memfd_create("opengrid-object", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    for (qsizetype done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return -1;
        }
        done += n;
    }
    return fd;
}

// Asks gridd for a token and connects up to `connections` sockets; none when the intake is
// not to be had here.
std::vector<int> connectAll(ApiClient &api, int connections)
{
    std::vector<int> fds;
    const ApiResult offer = api.call("POST", QStringLiteral("/objects/local"), QJsonObject());
    if (!offer.ok()) {
        qCDebug(lcLocalIntake).noquote() << "no local intake:" << offer.message;
        return fds;
    }
    const QString socketPath = offer.object().value(QStringLiteral("socket")).toString();
    const QString token = offer.object().value(QStringLiteral("token")).toString();
    for (int i = 0; i < qMax(1, connections); ++i) {
        QString why;
        const int fd = connectIntake(socketPath, token, &why);
        if (fd < 0) {
            qCDebug(lcLocalIntake).noquote() << "local intake connection" << i << "failed:" << why;
            break;
        }
        fds.push_back(fd);
    }
    return fds;
}

class LocalIntakeHasher final : public TreeScanner::RemoteHasher
{
public:
    explicit LocalIntakeHasher(std::vector<int> fds)
        : m_fds(std::move(fds))
    {
    }
    ~LocalIntakeHasher() override
    {
        for (const int fd : m_fds)
            ::close(fd);
    }
    int slotCount() const override { return int(m_fds.size()); }
    bool hash(int slot, const std::vector<int> &fds, const std::vector<qint64> &sizes,
              QStringList *hashes, QList<bool> *added) override
    {
        QByteArray text;
        for (const qint64 size : sizes)
            text += "- " + QByteArray::number(size) + '\n';
        if (sendWithDescriptors(m_fds[size_t(slot)], text.constData(), size_t(text.size()), fds.data(), fds.size()) != text.size())
            return false;
        const QByteArray answer = receiveText(m_fds[size_t(slot)]);
        const QList<QByteArray> lines = answer.split('\n');
        if (lines.value(0) != "OK " + QByteArray::number(qsizetype(fds.size())) ||
            lines.size() != qsizetype(fds.size()) + 1) {
            qCDebug(lcLocalIntake).noquote() << "local intake hashing failed:" << answer.left(300);
            return false;
        }
        hashes->clear();
        added->clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QString h = QString::fromLatin1(lines[i].left(64));
            if (lines[i].size() != 66 || !isSha256Hex(h) ||
                (!lines[i].endsWith(" +") && !lines[i].endsWith(" =")))
                return false;
            hashes->append(h);
            added->append(lines[i].endsWith('+'));
        }
        return true;
    }

private:
    std::vector<int> m_fds;
};

struct Group
{
    qsizetype first = 0;
    qsizetype end = 0;
};

// What one message achieved.
struct Outcome
{
    qint64 bytes = 0;
    int count = 0;
    QString error;
};

// Sends the objects of one group over `fd` and waits for gridd's answer.
Outcome sendGroup(int fd, const QList<LocalIntakeObject> &objects, const Group &group)
{
    Outcome outcome;
    std::vector<int> fds;
    auto closeAll = [&fds] {
        for (const int f : fds)
            ::close(f);
    };
    QByteArray text;
    for (qsizetype i = group.first; i < group.end; ++i) {
        const LocalIntakeObject &o = objects[i];
        // O_NONBLOCK: a file swapped for a FIFO since the scan must not hang the open.
        const int f = o.path.isEmpty()
                          ? memoryFile(o.bytes)
                          : ::open(QFile::encodeName(o.path).constData(),
                                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (f < 0) {
            outcome.error = QStringLiteral("cannot read '%1': %2").arg(o.label, errnoText());
            closeAll();
            return outcome;
        }
        fds.push_back(f);
        text += o.sha256.toLatin1() + ' ' + QByteArray::number(o.size) + '\n';
    }
    const ssize_t n = sendWithDescriptors(fd, text.constData(), size_t(text.size()), fds.data(), fds.size());
    closeAll(); // gridd holds its own copies now
    if (n != text.size()) {
        outcome.error = QStringLiteral("the local upload to gridd broke off: %1")
                            .arg(n < 0 ? errnoText() : QStringLiteral("short write"));
        return outcome;
    }
    const QByteArray answer = receiveText(fd);
    if (answer.startsWith("OK ")) {
        for (qsizetype i = group.first; i < group.end; ++i)
            outcome.bytes += objects[i].size;
        outcome.count = int(group.end - group.first);
        return outcome;
    }
    if (!answer.startsWith("ERR ")) {
        outcome.error =
            QStringLiteral("the local upload to gridd broke off (%1); run the command again")
                .arg(answer.isEmpty() ? QStringLiteral("no answer")
                                      : QString::fromUtf8(answer.left(200)));
        return outcome;
    }
    // "ERR <code> <index> <message>": the objects before <index> were stored.
    const QList<QByteArray> parts = answer.mid(4).split(' ');
    const QByteArray code = parts.value(0);
    const int index = qBound(0, parts.value(1).toInt(), int(group.end - group.first));
    for (qsizetype i = group.first; i < group.first + index; ++i)
        outcome.bytes += objects[i].size;
    outcome.count = index;
    const qsizetype messageAt = 4 + parts.value(0).size() + 1 + parts.value(1).size() + 1;
    outcome.error = QString::fromUtf8(answer.mid(messageAt));
    if (code == "hash_mismatch")
        outcome.error += QStringLiteral(" — '%1' changed during the upload; run the command again")
                             .arg(objects[group.first + index].label);
    return outcome;
}

// One connection and the thread that uses it; the calling thread hands it one group at a time.
struct Stream
{
    int fd = -1;
    std::thread thread;
    std::optional<Group> assigned; // guarded by the shared mutex
    std::optional<Outcome> result; // likewise
    bool quit = false;             // likewise
};
} // namespace

std::optional<QString>
sendThroughLocalIntake(ApiClient &api, const QList<LocalIntakeObject> &objects, int connections,
                       const std::function<void(qint64 bytes, int count)> &sent,
                       const std::function<bool()> &cancelled, bool *wasCancelled)
{
    *wasCancelled = false;
    std::vector<std::unique_ptr<Stream>> streams;
    for (const int fd : connectAll(api, connections)) {
        auto s = std::make_unique<Stream>();
        s->fd = fd;
        streams.push_back(std::move(s));
    }
    if (streams.empty())
        return std::nullopt;

    std::vector<Group> groups;
    for (qsizetype i = 0; i < objects.size();) {
        Group g{i, i};
        qint64 bytes = 0;
        while (g.end < objects.size() && g.end - g.first < kLocalIntakeObjectsPerMessage &&
               (g.end == g.first || bytes + objects[g.end].size <= kLocalIntakeBytesPerMessage))
            bytes += objects[g.end++].size;
        groups.push_back(g);
        i = g.end;
    }

    std::mutex mutex;
    std::condition_variable changed; // a stream got work or finished it
    for (auto &s : streams) {
        Stream *stream = s.get();
        stream->thread = std::thread([stream, &mutex, &changed, &objects] {
            std::unique_lock lock(mutex);
            for (;;) {
                changed.wait(lock,
                             [stream] { return stream->quit || stream->assigned.has_value(); });
                if (!stream->assigned)
                    return;
                const Group g = *stream->assigned;
                lock.unlock();
                Outcome outcome = sendGroup(stream->fd, objects, g);
                lock.lock();
                stream->assigned.reset();
                stream->result = std::move(outcome);
                changed.notify_all();
            }
        });
    }

    size_t next = 0;
    QString error;
    std::unique_lock lock(mutex);
    auto busy = [&] {
        for (const auto &s : streams)
            if (s->assigned || s->result)
                return true;
        return false;
    };
    auto assignIdle = [&] {
        for (auto &s : streams) {
            if (next >= groups.size() || !error.isEmpty() || *wasCancelled)
                break; // still notifies: a stream may have got work above
            if (!s->assigned && !s->result)
                s->assigned = groups[next++];
        }
        changed.notify_all();
    };
    auto askCancelled = [&] {
        if (*wasCancelled || !cancelled)
            return;
        lock.unlock();
        const bool stop = cancelled();
        lock.lock();
        *wasCancelled = stop;
    };
    askCancelled();
    assignIdle();
    while (busy()) {
        const bool woken = changed.wait_for(lock, std::chrono::milliseconds(50), [&] {
            for (const auto &s : streams)
                if (s->result)
                    return true;
            return false;
        });
        for (auto &s : streams) {
            if (!s->result)
                continue;
            const Outcome outcome = std::move(*s->result);
            s->result.reset();
            if (outcome.count > 0 && sent) {
                lock.unlock();
                sent(outcome.bytes, outcome.count);
                lock.lock();
            }
            if (!outcome.error.isEmpty() && error.isEmpty())
                error = outcome.error;
        }
        Q_UNUSED(woken);
        // After a cancellation the messages in hand are left to finish (a few megabytes each):
        // what gridd stores from them is counted, and the rest is resumable.
        askCancelled();
        assignIdle();
    }
    for (auto &s : streams)
        s->quit = true;
    changed.notify_all();
    lock.unlock();
    for (auto &s : streams) {
        s->thread.join();
        ::close(s->fd);
    }
    if (*wasCancelled)
        return QStringLiteral("cancelled");
    return error;
}

std::unique_ptr<TreeScanner::RemoteHasher> openLocalIntakeHasher(ApiClient &api, int connections)
{
    std::vector<int> fds = connectAll(api, connections);
    if (fds.empty())
        return nullptr;
    return std::make_unique<LocalIntakeHasher>(std::move(fds));
}

} // namespace og
