// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshidentities.h"

#include "core/clientconfig.h"
#include "core/securefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace og::sshidentities {

namespace {
// The paths listed in `identitiesList`, `~/` expanded, comments and blanks skipped.
QStringList listedPaths(const QString &identitiesList)
{
    QStringList paths;
    QFile list(identitiesList);
    if (list.open(QIODevice::ReadOnly)) {
        for (const QByteArray &raw : list.readAll().split('\n')) {
            QString path = QString::fromUtf8(raw).trimmed();
            if (path.isEmpty() || path.startsWith(u'#'))
                continue;
            if (path.startsWith(QStringLiteral("~/")))
                path = QDir::homePath() + path.mid(1);
            paths << path;
        }
    }
    return paths;
}
} // namespace

QStringList filesFrom(const QString &identitiesList, const QString &sshDir)
{
    QStringList candidates = listedPaths(identitiesList);
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
    return filesFrom(listPath(), QDir::homePath() + QStringLiteral("/.ssh"));
}

QString listPath()
{
    return clientconfig::gridDir() + QStringLiteral("/ssh_identities");
}

QStringList registeredFiles()
{
    QStringList files;
    for (const QString &path : listedPaths(listPath()))
        if (QFileInfo(path).isFile() && !files.contains(QFileInfo(path).absoluteFilePath()))
            files << QFileInfo(path).absoluteFilePath();
    return files;
}

QString remember(const QString &keyPath)
{
    QString privateKey = QFileInfo(keyPath).absoluteFilePath();
    if (privateKey.endsWith(QStringLiteral(".pub")))
        privateKey.chop(4);
    if (!QFileInfo(privateKey).isFile())
        return {};
    QStringList listed = listedPaths(listPath());
    if (listed.contains(privateKey))
        return {};
    listed << privateKey;
    QDir().mkpath(clientconfig::gridDir());
    return writeFileAtomically(listPath(), (listed.join(u'\n') + u'\n').toUtf8(), true);
}

} // namespace og::sshidentities
