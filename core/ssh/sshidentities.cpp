// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshidentities.h"

#include "core/clientconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace og::sshidentities {

QStringList filesFrom(const QString &identitiesList, const QString &sshDir)
{
    QStringList candidates;
    QFile list(identitiesList);
    if (list.open(QIODevice::ReadOnly)) {
        for (const QByteArray &raw : list.readAll().split('\n')) {
            QString path = QString::fromUtf8(raw).trimmed();
            if (path.isEmpty() || path.startsWith(u'#'))
                continue;
            if (path.startsWith(QStringLiteral("~/")))
                path = QDir::homePath() + path.mid(1);
            candidates << path;
        }
    }
    // OpenSSH's order of default identities.
    for (const char *name : {"id_ed25519", "id_ecdsa", "id_rsa", "grid_ssh_creds"})
        candidates << QDir(sshDir).filePath(QString::fromLatin1(name));
    QStringList files;
    for (const QString &path : candidates) {
        const QString absolute = QFileInfo(path).absoluteFilePath();
        if (QFileInfo(absolute).isFile() && !files.contains(absolute))
            files << absolute;
    }
    return files;
}

QStringList defaultFiles()
{
    return filesFrom(clientconfig::gridDir() + QStringLiteral("/ssh_identities"),
                     QDir::homePath() + QStringLiteral("/.ssh"));
}

} // namespace og::sshidentities
