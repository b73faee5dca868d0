// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshhostentries.h"

#include "core/clientconfig.h"
#include "core/securefile.h"
#include "core/ssh/sshidentities.h"
#include "core/sshconfigblock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <pwd.h>
#include <unistd.h>

namespace og::sshhostentries {

namespace {
QList<sshconfig::SessionHost> runningHosts(const QList<SessionSummary> &sessions)
{
    QList<sshconfig::SessionHost> hosts;
    for (const SessionSummary &s : sessions)
        if (s.status == u"running" && !s.hostKey.isEmpty())
            hosts.append({s.name, s.sshUser, s.hostKey});
    return hosts;
}

// The login's home inside the session: its home path on the gridd machine, where the session's
// home is bound. In local mode that machine is this one; elsewhere Linux's usual place.
QString homeOf(const QString &user)
{
    if (const passwd *pw = ::getpwuid(::getuid()); pw && QString::fromLocal8Bit(pw->pw_name) == user)
        return QDir::homePath();
    return user == u"root" ? QStringLiteral("/root") : QStringLiteral("/home/") + user;
}
} // namespace

QString sshConfigPath()
{
    return qEnvironmentVariable("GRID_SSH_CONFIG", QDir::homePath() + QStringLiteral("/.ssh/config"));
}

QString knownHostsPath()
{
    return clientconfig::gridDir() + QStringLiteral("/known_hosts");
}

QString writeSshConfig(const QList<SessionSummary> &sessions, const QString &gridProgram)
{
    const QList<sshconfig::SessionHost> hosts = runningHosts(sessions);
    QDir().mkpath(clientconfig::gridDir());
    if (const QString e = writeFileAtomically(knownHostsPath(), sshconfig::renderKnownHosts(hosts).toUtf8(), true); !e.isEmpty())
        return e;
    const QString path = sshConfigPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile::setPermissions(QFileInfo(path).absolutePath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QString config;
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read %1: %2").arg(path, existing.errorString());
        config = QString::fromUtf8(existing.readAll());
    }
    const QString block = sshconfig::renderBlock(hosts, gridProgram, knownHostsPath(), sshidentities::registeredFiles());
    const QString updated = sshconfig::replaceBlock(config, block);
    if (updated == config)
        return {};
    return writeFileAtomically(path, updated.toUtf8(), true);
}

QString findGridProgram()
{
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/grid");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("grid"));
}

QStringList vsCodeArguments(const SessionSummary &session)
{
    return {QStringLiteral("--remote"), QStringLiteral("ssh-remote+") + session.name, homeOf(session.sshUser)};
}

} // namespace og::sshhostentries
