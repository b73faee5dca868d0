// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace og {

class Manifest;
class ObjectStore;

// Builds the tree a manifest describes out of hard links to store objects — instant and
// without extra space — first under `buildingPath`, then renamed to `finalPath` (replacing a
// leftover of an interrupted attempt), with every directory made read-only. Used for
// datastore versions and for the code snapshots experiments start from. Empty on success.
QString materializeTree(const ObjectStore &objects, const Manifest &manifest, const QString &buildingPath,
                        const QString &finalPath);

// Removes a tree even when it was made read-only.
bool removeReadOnlyTree(const QString &path);

} // namespace og
