// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/datastores/dirlisting.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace og {

class Manifest;
class ObjectStore;

// Writable copies of datastores' latest version trees, made in idle time right after a version
// succeeds, so that the next version is built from one by changing only the directories that
// differ (updateTree) instead of hard-linking every file again: the hourly re-upload that
// changed one file of ten thousand then places one link, not ten thousand. A spare is never
// mounted or shown; the optimize that takes it moves it to its building path, so a crash
// leaves it where an interrupted full build would be. Spares are known in memory only: a
// restarted gridd removes their directory and builds its next tree in full.
// Used on the datastore worker's thread only.
class SpareTrees final
{
    Q_DISABLE_COPY_MOVE(SpareTrees)
public:
    explicit SpareTrees(QString root);

    QString reset(); // removes whatever an earlier process left; empty on success
    const QString &root() const { return m_root; }

    // Makes the spare of `datastoreId` a copy of version `versionId` (its manifest, and the
    // listings of that manifest), read-only and flushed to disk, replacing an older spare.
    // Empty on success.
    QString prepare(const ObjectStore &objects, const QString &datastoreId, const QString &versionId,
                    const Manifest &manifest, QList<DirListing> listings);

    struct Spare
    {
        QString path;
        QString versionId;            // the version it is a copy of
        QList<DirListing> listings;   // that version's
    };
    // Hands over the spare of `datastoreId`: its directory is the caller's to move or remove.
    std::optional<Spare> take(const QString &datastoreId);
    void discard(const QString &datastoreId);
    bool has(const QString &datastoreId) const { return m_spares.contains(datastoreId); }

private:
    QString m_root;
    QHash<QString, Spare> m_spares;
};

} // namespace og
