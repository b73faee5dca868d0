// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace og {

// OpenGrid's block in the user's ~/.ssh/config: one `Host` per running session, reached
// through `grid session proxy` and checked against a platform-managed known_hosts. The CLI
// (`grid session ssh`) and the desktop app (Open in VS Code) write the same block.
namespace sshconfig {

struct SessionHost
{
    QString name;         // the session name, used as the ssh host name
    QString user;         // the login inside the session
    QString hostKeyLine;  // "ssh-ed25519 AAAA…" of the session's host key
};

// Grid's own markers, so a config Grid's CLI wrote is taken over rather than duplicated.
inline const QString kBeginMarker = QStringLiteral("### grid.ai managed BEGIN do not edit manually###");
inline const QString kEndMarker = QStringLiteral("### grid.ai managed END do not edit manually###");

// The block for `hosts`; `gridProgram` is the absolute path of the grid CLI; `identityFiles`
// are the private keys registered from this machine (`grid ssh-keys add`), offered first.
QString renderBlock(const QList<SessionHost> &hosts, const QString &gridProgram, const QString &knownHostsFile,
                    const QStringList &identityFiles = {});
// `config` with its OpenGrid block replaced by `block`, or the block put first when there
// was none (ssh takes the first value it finds, so ours must come before a user's `Host *`).
// Everything outside the markers is kept byte for byte. An empty block removes ours.
QString replaceBlock(const QString &config, const QString &block);
// known_hosts lines: "NAME KEYTYPE BASE64" per session.
QString renderKnownHosts(const QList<SessionHost> &hosts);

} // namespace sshconfig
} // namespace og
