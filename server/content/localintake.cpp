// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/content/localintake.h"

#include "core/apitoken.h"
#include "core/fdpass.h"
#include "core/unixsocket.h"
#include "server/content/objectstore.h"
#include "server/datastores/datastorestore.h"
#include "server/store/database.h"

#include <cerrno>
#include <cstring>
#include <QDateTime>
#include <QFile>
#include <QList>
#include <QLoggingCategory>
#include <QPair>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace og {

Q_LOGGING_CATEGORY(lcIntake, "opengrid.server.intake", QtInfoMsg)

struct LocalIntake::Connection
{
    std::mutex mutex;
    int fd = -1; // -1 once the serving thread closed it
    std::thread thread;
    std::atomic<bool> done{false};
};

namespace {
constexpr size_t kMessageBytes = 32 * 1024; // 250 lines of "<64 hex> <size>\n"

bool sendText(int fd, const QByteArray &text)
{
    ssize_t n;
    while ((n = ::send(fd, text.constData(), size_t(text.size()), MSG_NOSIGNAL)) < 0 &&
           errno == EINTR) {
    }
    return n == text.size();
}

QByteArray errorText(const QString &code, int index, const QString &message)
{
    QString oneLine = message;
    oneLine.replace(u'\n', u' ');
    return "ERR " + code.toUtf8() + ' ' + QByteArray::number(index) + ' ' + oneLine.toUtf8();
}

void closeAll(const std::vector<int> &fds)
{
    for (const int fd : fds)
        ::close(fd);
}
} // namespace

LocalIntake::LocalIntake(QString socketPath, ObjectStore &objects, Database &database)
    : m_socketPath(std::move(socketPath))
    , m_objects(objects)
    , m_database(database)
{
}

LocalIntake::~LocalIntake()
{
    stop();
}

QString LocalIntake::start()
{
    const QByteArray path = QFile::encodeName(m_socketPath);
    ::unlink(path.constData()); // a leftover of a gridd that was killed; the data directory is locked
    const mode_t oldMask = ::umask(0177);
    m_listenFd = bindUnixSocket(path.constData(), SOCK_SEQPACKET);
    ::umask(oldMask);
    if (m_listenFd < 0 && errno == ENAMETOOLONG)
        return QStringLiteral("the path %1 is too long for a Unix socket").arg(m_socketPath);
    if (m_listenFd < 0 || ::listen(m_listenFd, kMaxConnections) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        if (m_listenFd >= 0)
            ::close(m_listenFd);
        m_listenFd = -1;
        return QStringLiteral("cannot listen on %1: %2").arg(m_socketPath, why);
    }
    m_stopping = false;
    m_acceptor = std::thread([this] { acceptLoop(); });
    return {};
}

void LocalIntake::stop()
{
    if (m_listenFd < 0)
        return;
    m_stopping = true;
    ::shutdown(m_listenFd, SHUT_RDWR); // wakes accept()
    if (m_acceptor.joinable())
        m_acceptor.join();
    ::close(m_listenFd);
    m_listenFd = -1;
    ::unlink(QFile::encodeName(m_socketPath).constData());
    std::vector<std::shared_ptr<Connection>> connections;
    {
        std::lock_guard lock(m_mutex);
        connections.swap(m_connections);
    }
    for (const auto &c : connections) {
        {
            std::lock_guard lock(c->mutex);
            if (c->fd >= 0)
                ::shutdown(c->fd, SHUT_RDWR); // wakes its recvmsg(); the object in hand is finished
        }
        if (c->thread.joinable())
            c->thread.join();
    }
}

QString LocalIntake::issueToken(const QString &userId)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString token = randomId(32);
    std::lock_guard lock(m_mutex);
    for (auto i = m_tokens.begin(); i != m_tokens.end();)
        i = i->expiresAtMs < now ? m_tokens.erase(i) : std::next(i);
    m_tokens.insert(token, {userId, now + kTokenSeconds * 1000LL});
    return token;
}

QString LocalIntake::userForToken(const QString &token)
{
    std::lock_guard lock(m_mutex);
    const auto i = m_tokens.constFind(token);
    if (i == m_tokens.cend() || i->expiresAtMs < QDateTime::currentMSecsSinceEpoch())
        return {};
    return i->userId;
}

void LocalIntake::acceptLoop()
{
    while (!m_stopping) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (m_stopping)
                break;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                ::usleep(100 *
                         1000); // out of descriptors for a moment: the clients wait in the backlog
                continue;
            }
            qCWarning(lcIntake) << "local intake stopped accepting:" << std::strerror(errno);
            break;
        }
        std::lock_guard lock(m_mutex);
        // Threads of connections that ended are joined here, so they never pile up.
        for (auto i = m_connections.begin(); i != m_connections.end();) {
            if ((*i)->done) {
                (*i)->thread.join();
                i = m_connections.erase(i);
            } else {
                ++i;
            }
        }
        if (m_stopping || int(m_connections.size()) >= kMaxConnections) {
            sendText(fd, errorText(QStringLiteral("busy"), 0,
                                   QStringLiteral("too many local uploads at once; use HTTP")));
            ::close(fd);
            continue;
        }
        auto c = std::make_shared<Connection>();
        c->fd = fd;
        try {
            c->thread = std::thread([this, c] {
                serve(c->fd);
                {
                    std::lock_guard lock(c->mutex);
                    ::close(c->fd);
                    c->fd = -1;
                }
                m_database.closeThreadConnection();
                c->done = true;
            });
        } catch (const std::system_error &) {
            ::close(fd);
            continue;
        }
        m_connections.push_back(c);
    }
}

void LocalIntake::serve(int fd)
{
    const timeval idle{kIdleSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof idle);
    QByteArray text(kMessageBytes, Qt::Uninitialized);
    QString userId;
    while (!m_stopping) {
        int passed[kMaxPassedDescriptors];
        size_t passedCount = 0;
        bool truncated = false;
        const ssize_t n = receiveWithDescriptors(fd, text.data(), kMessageBytes, passed, kMaxPassedDescriptors,
                                                 &passedCount, &truncated);
        std::vector<int> fds(passed, passed + passedCount);
        if (n <= 0) { // the client is done (or gone, or idle too long)
            closeAll(fds);
            return;
        }
        const QByteArray message = QByteArray::fromRawData(text.constData(), n);
        if (truncated) {
            closeAll(fds);
            sendText(fd, errorText(QStringLiteral("invalid_request"), 0,
                                   QStringLiteral("a message may describe at most %1 objects")
                                       .arg(kMaxObjectsPerMessage)));
            return;
        }
        if (userId.isEmpty()) { // the first message: who is this
            closeAll(fds);
            if (message.startsWith("OGFD1 "))
                userId = userForToken(QString::fromLatin1(message.mid(6).trimmed()));
            if (userId.isEmpty()) {
                sendText(fd, errorText(QStringLiteral("unauthorized"), 0,
                                       QStringLiteral("begin with 'OGFD1 <token>', the token from "
                                                      "POST /api/v1/objects/local (valid %1 s)")
                                           .arg(kTokenSeconds)));
                return;
            }
            if (!sendText(fd, "OK"))
                return;
            continue;
        }
        const QList<QByteArray> lines =
            message.endsWith('\n') ? message.chopped(1).split('\n') : QList<QByteArray>();
        if (lines.isEmpty() || lines.size() != qsizetype(fds.size()) ||
            lines.size() > kMaxObjectsPerMessage) {
            closeAll(fds);
            sendText(
                fd,
                errorText(
                    QStringLiteral("invalid_request"), 0,
                    QStringLiteral(
                        "send lines of '<sha256> <size>\\n', one per descriptor passed with them, "
                        "at most %1 in a message")
                        .arg(kMaxObjectsPerMessage)));
            return;
        }
        QList<QPair<QString, qint64>> stored;
        QByteArray answer;
        QByteArray names;
        for (qsizetype i = 0; i < lines.size() && answer.isEmpty(); ++i) {
            // "<sha256> <size>", or "- <size>": gridd hashes it and says under which name it stored
            // it.
            const qsizetype space = lines[i].indexOf(' ');
            bool sizeOk = false;
            const qint64 size = space == 64 || (space == 1 && lines[i][0] == '-')
                                    ? lines[i].mid(space + 1).toLongLong(&sizeOk)
                                    : -1;
            const QString hash = space == 64 ? QString::fromLatin1(lines[i].left(64)) : QString();
            if (!sizeOk || size < 0) {
                answer = errorText(
                    QStringLiteral("invalid_request"), int(i),
                    QStringLiteral("malformed line %1: expected '<sha256> <size>' or '- <size>'")
                        .arg(i));
                break;
            }
            // A stop (gridd shutting down) waits for no more than the file in hand.
            if (m_stopping) {
                answer = errorText(QStringLiteral("unavailable"), int(i),
                                   QStringLiteral("gridd is stopping; run the command again once it is back"));
                break;
            }
            QString name;
            bool wrote = false;
            const ObjectStore::PutResult r =
                m_objects.putFromDescriptor(hash, size, fds[size_t(i)], &name, &wrote);
            if (!r.ok()) {
                answer = errorText(r.errorCode, int(i), r.message);
                break;
            }
            stored.append({name, size});
            names += '\n' + name.toLatin1() + (wrote ? " +" : " =");
        }
        closeAll(fds);
        // What was verified and stored before a refused object is kept, as in a batch.
        try {
            DatastoreStore(m_database.connection()).recordObjects(userId, stored);
        } catch (const StoreError &e) {
            qCCritical(lcIntake).noquote() << "recording local uploads failed:" << e.what();
            sendText(
                fd,
                errorText(e.diskFull() ? QStringLiteral("storage_full")
                                       : QStringLiteral("storage_error"),
                          0,
                          e.diskFull()
                              ? QStringLiteral(
                                    "the platform's disk is full; free space on the gridd machine "
                                    "and run `grid datastore resume`")
                              : QStringLiteral("the platform could not record the objects; the "
                                               "reason is in gridd's log")));
            return;
        }
        if (!answer.isEmpty()) {
            sendText(fd, answer);
            return;
        }
        if (!sendText(fd, "OK " + QByteArray::number(stored.size()) + names))
            return;
    }
}

} // namespace og
