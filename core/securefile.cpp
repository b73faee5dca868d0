// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/securefile.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace og {

QString writeFileAtomically(const QString &path, const QByteArray &contents, bool privateFile)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create directory %1").arg(dir);
    if (privateFile)
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    // Restrict before any secret byte reaches the disk.
    if (privateFile && !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
        return QStringLiteral("cannot restrict permissions of %1").arg(path);
    if (file.write(contents) != contents.size())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    if (!file.commit()) // QSaveFile::commit flushes, fsyncs and renames over the old file
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace og
