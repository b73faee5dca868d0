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
    // Each listing's bytes are built in one reused buffer and hashed at once: a commit and
    // its optimize list every directory of the version, and line-by-line temporaries cost
    // more than the hashing.
    QByteArray bytes;
    auto counted = [&bytes](QStringView text) {
        const QByteArray utf8 = text.toUtf8();
        bytes += QByteArray::number(utf8.size());
        bytes += ':';
        bytes += utf8;
    };
    for (DirListing &listing : listings) {
        bytes.resize(0); // keeps the capacity
        for (const ManifestEntry &e : std::as_const(listing.entries)) {
            counted(QStringView(e.path).sliced(e.path.lastIndexOf(u'/') + 1));
            bytes += ' ';
            bytes += e.type == ManifestEntry::Type::File ? "file" : e.type == ManifestEntry::Type::Directory ? "dir" : "symlink";
            bytes += ' ';
            bytes += QByteArray::number(e.mode);
            bytes += ' ';
            bytes += QByteArray::number(e.size);
            bytes += ' ';
            bytes += e.sha256.toLatin1();
            bytes += ' ';
            counted(e.target);
            bytes += '\n';
        }
        listing.hash = Sha256::hex(bytes);
    }
    return listings;
}

} // namespace og
