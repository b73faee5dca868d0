// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datadirlock.h"

#include <QByteArray>
#include <QCoreApplication>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace og {

DataDirLock::~DataDirLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

QString DataDirLock::acquire(const QString &dataDir)
{
    const QByteArray path = (dataDir + QStringLiteral("/gridd.lock")).toLocal8Bit();
    m_fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0)
        return QStringLiteral("cannot open %1: %2").arg(QString::fromLocal8Bit(path), QString::fromLocal8Bit(std::strerror(errno)));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        const ssize_t n = ::pread(m_fd, buf, sizeof buf - 1, 0);
        const QString pid = n > 0 ? QString::fromLatin1(buf, n).trimmed() : QStringLiteral("unknown");
        ::close(m_fd);
        m_fd = -1;
        return QStringLiteral("another gridd (pid %1) is already serving the data directory %2; "
                              "stop it first, or start this one with a different --data-dir")
            .arg(pid, dataDir);
    }
    const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid()) + '\n';
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, pid.constData(), pid.size(), 0) != pid.size())
        return QStringLiteral("cannot write %1").arg(QString::fromLocal8Bit(path));
    return {};
}

} // namespace og
