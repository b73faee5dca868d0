// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/content/treematerializer.h"

#include "core/datastore/manifest.h"
#include "server/content/objectstore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace og {

namespace {
QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace

bool removeReadOnlyTree(const QString &path)
{
    if (!QFileInfo::exists(path) && !QFileInfo(path).isSymLink())
        return true;
    ::chmod(native(path).constData(), 0755);
    QDirIterator it(path, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString dir = it.next();
        if (!QFileInfo(dir).isSymLink())
            ::chmod(native(dir).constData(), 0755);
    }
    return QDir(path).removeRecursively();
}

QString materializeTree(const ObjectStore &objects, const Manifest &manifest, const QString &building,
                        const QString &finalPath)
{
    removeReadOnlyTree(building);
    if (!QDir().mkpath(building))
        return QStringLiteral("cannot create %1: %2").arg(building, errnoText());
    QStringList directories;
    // Sorted by path, so every directory comes before what it contains.
    for (const ManifestEntry &e : manifest.entries()) {
        const QByteArray target = native(building + u'/' + e.path);
        switch (e.type) {
        case ManifestEntry::Type::Directory:
            if (::mkdir(target.constData(), 0755) != 0)
                return QStringLiteral("cannot create directory '%1': %2").arg(e.path, errnoText());
            directories.append(building + u'/' + e.path);
            break;
        case ManifestEntry::Type::File:
            if (::link(native(objects.pathOf(e.sha256)).constData(), target.constData()) != 0) {
                // One inode has a link limit (65000 on ext4): many identical files can hit it.
                if (errno != EMLINK || !QFile::copy(objects.pathOf(e.sha256), building + u'/' + e.path))
                    return QStringLiteral("cannot place '%1': %2").arg(e.path, errnoText());
                ::chmod(target.constData(), 0444);
            }
            break;
        case ManifestEntry::Type::Symlink:
            if (::symlink(native(e.target).constData(), target.constData()) != 0)
                return QStringLiteral("cannot create link '%1': %2").arg(e.path, errnoText());
            break;
        }
    }
    // Read-only from the leaves up: sessions and experiments mount this tree as it is.
    for (auto it = directories.crbegin(); it != directories.crend(); ++it)
        ::chmod(native(*it).constData(), 0555);
    ::chmod(native(building).constData(), 0555);
    if (!QDir().mkpath(QFileInfo(finalPath).absolutePath()))
        return QStringLiteral("cannot create %1").arg(QFileInfo(finalPath).absolutePath());
    removeReadOnlyTree(finalPath); // a tree left by a crash before the commit
    if (::rename(native(building).constData(), native(finalPath).constData()) != 0)
        return QStringLiteral("cannot move the tree into place: %1").arg(errnoText());
    return {};
}

} // namespace og
