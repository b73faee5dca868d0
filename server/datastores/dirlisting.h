// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/manifest.h"

#include <QList>
#include <QString>

namespace og {

// One directory of a datastore version with its direct entries. The listing is named by the
// SHA-256 of those entries (name, type, mode, size, content hash, link target), so a
// directory that did not change between two versions has the same listing in both: the
// database keeps it once, and committing and optimizing a new version skip its files — the
// hourly re-upload that changes a few files out of many then costs little more than the
// directories that changed.
struct DirListing
{
    QString path; // the directory's path in the version, "" for the root
    QString hash; // SHA-256 (lower-case hex) of the canonical bytes of `entries`
    QList<ManifestEntry> entries; // direct children, in manifest (path) order
};

// The manifest's directories, the root first, then in path order; every directory the
// manifest lists has one, empty or not.
QList<DirListing> dirListingsOf(const Manifest &manifest);

// The last component of a manifest path (its name inside its directory).
QString entryName(const QString &path);
// The directory a manifest path is in, "" for the root.
QString parentPath(const QString &path);

} // namespace og
