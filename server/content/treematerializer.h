// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace og {

class Manifest;
class ObjectStore;
struct DirListing;

// Builds the tree a manifest describes out of hard links to store objects — instant and
// without extra space — first under `buildingPath`, then renamed to `finalPath` (replacing a
// leftover of an interrupted attempt), with every directory made read-only. Used for
// datastore versions and for the code snapshots experiments start from. Empty on success.
QString materializeTree(const ObjectStore &objects, const Manifest &manifest, const QString &buildingPath,
                        const QString &finalPath);

// The parts of materializeTree. buildTree creates the manifest's tree under `dir` (replacing
// anything there), still writable; makeTreeReadOnly makes its directories read-only;
// moveTreeIntoPlace renames it to `finalPath` (replacing a leftover there); sealTree does both.
QString buildTree(const ObjectStore &objects, const Manifest &manifest, const QString &dir);
void makeTreeReadOnly(const Manifest &manifest, const QString &dir);
QString moveTreeIntoPlace(const QString &dir, const QString &finalPath);
QString sealTree(const Manifest &manifest, const QString &dir, const QString &finalPath);

// Turns the read-only tree under `dir`, built for the directory listings `from`, into the tree
// of the listings `to`, touching only the directories whose listing differs — for a version
// that changed a few files of many, a handful of links instead of one per file — and leaves
// it read-only. Appends the directories it changed (or created) to `changedDirs`.
QString updateTree(const ObjectStore &objects, const QString &dir, const QList<DirListing> &from,
                   const QList<DirListing> &to, QStringList *changedDirs);

// Removes a tree even when it was made read-only.
bool removeReadOnlyTree(const QString &path);

} // namespace og
