// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sshconfigblock.h"

#include <QStringList>

namespace og::sshconfig {

namespace {
// ssh_config values with spaces need quotes; our paths rarely have them, but a home dir may.
QString quoted(const QString &value)
{
    return value.contains(u' ') ? u'"' + value + u'"' : value;
}
} // namespace

QString renderBlock(const QList<SessionHost> &hosts, const QString &gridProgram, const QString &knownHostsFile,
                    const QStringList &identityFiles)
{
    if (hosts.isEmpty())
        return {};
    QStringList lines{kBeginMarker};
    for (const SessionHost &h : hosts) {
        lines << QStringLiteral("Host %1").arg(h.name)
              << QStringLiteral("    HostName %1").arg(h.name)
              << QStringLiteral("    User %1").arg(h.user)
              // ssh gets the connection itself from the proxy (no process stays in between
              // where gridd offers it); see `grid session proxy`.
              << QStringLiteral("    ProxyCommand %1 session proxy --fdpass %n").arg(quoted(gridProgram))
              << QStringLiteral("    ProxyUseFdpass yes")
              << QStringLiteral("    UserKnownHostsFile %1").arg(quoted(knownHostsFile))
              << QStringLiteral("    StrictHostKeyChecking yes")
              << QStringLiteral("    ServerAliveInterval 30");
        for (const QString &identity : identityFiles)
            lines << QStringLiteral("    IdentityFile %1").arg(quoted(identity));
    }
    // Whatever follows our block applies to every host again, as it did before it.
    lines << QStringLiteral("Host *") << kEndMarker;
    return lines.join(u'\n') + u'\n';
}

QString replaceBlock(const QString &config, const QString &block)
{
    const qsizetype begin = config.indexOf(kBeginMarker);
    const qsizetype endMarker = begin < 0 ? -1 : config.indexOf(kEndMarker, begin);
    if (begin >= 0 && endMarker >= 0) {
        qsizetype end = endMarker + kEndMarker.size();
        if (end < config.size() && config.at(end) == u'\n')
            ++end;
        return config.left(begin) + block + config.mid(end);
    }
    if (block.isEmpty())
        return config;
    return config.isEmpty() ? block : block + u'\n' + config;
}

QString renderKnownHosts(const QList<SessionHost> &hosts)
{
    QString out;
    for (const SessionHost &h : hosts) {
        const QStringList parts = h.hostKeyLine.split(u' ', Qt::SkipEmptyParts);
        if (parts.size() >= 2)
            out += QStringLiteral("%1 %2 %3\n").arg(h.name, parts.at(0), parts.at(1));
    }
    return out;
}

} // namespace og::sshconfig
