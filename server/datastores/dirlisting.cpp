// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datastores/dirlisting.h"

#include "core/sha256.h"

#include <QHash>

namespace og {

QString entryName(const QString &path)
{
    return path.mid(path.lastIndexOf(u'/') + 1);
}

QString parentPath(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString(QStringLiteral("")) : path.left(slash);
}

QList<DirListing> dirListingsOf(const Manifest &manifest)
{
    QList<DirListing> listings;
    QHash<QString, qsizetype> byPath;
    auto listingOf = [&](const QString &path) -> DirListing & {
        auto it = byPath.constFind(path);
        if (it == byPath.cend()) {
            it = byPath.insert(path, listings.size());
            listings.append(DirListing{path, {}, {}});
        }
        return listings[*it];
    };
    listingOf(QStringLiteral(""));
    // Sorted by path, so a directory is met before what it contains.
    for (const ManifestEntry &e : manifest.entries()) {
        listingOf(parentPath(e.path)).entries.append(e);
        if (e.type == ManifestEntry::Type::Directory)
            listingOf(e.path);
    }
    // Names and link targets are length-prefixed, so no choice of them makes two different
    // listings produce the same bytes; the other fields are fixed words, numbers and hex.
    auto counted = [](const QString &text) {
        const QByteArray utf8 = text.toUtf8();
        return QByteArray::number(utf8.size()) + ':' + utf8;
    };
    for (DirListing &listing : listings) {
        Sha256 hash;
        for (const ManifestEntry &e : std::as_const(listing.entries)) {
            const QByteArray line = counted(entryName(e.path)) + ' ' + Manifest::typeName(e.type).toLatin1() + ' '
                                    + QByteArray::number(e.mode) + ' ' + QByteArray::number(e.size) + ' '
                                    + e.sha256.toLatin1() + ' ' + counted(e.target) + '\n';
            hash.add(line);
        }
        listing.hash = hash.hexResult();
    }
    return listings;
}

} // namespace og
