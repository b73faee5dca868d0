// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datastores/sparetrees.h"

#include "core/datastore/manifest.h"
#include "server/content/objectstore.h"
#include "server/content/treematerializer.h"

#include <QDir>

namespace og {

SpareTrees::SpareTrees(QString root)
    : m_root(std::move(root))
{
}

QString SpareTrees::reset()
{
    m_spares.clear();
    removeReadOnlyTree(m_root);
    return QDir().mkpath(m_root) ? QString() : QStringLiteral("cannot create %1").arg(m_root);
}

QString SpareTrees::prepare(const ObjectStore &objects, const QString &datastoreId, const QString &versionId,
                            const Manifest &manifest, QList<DirListing> listings)
{
    discard(datastoreId);
    const QString path = m_root + u'/' + datastoreId;
    QString error = buildTree(objects, manifest, path);
    if (error.isEmpty()) {
        // Read-only like the tree it becomes, and on disk before anything relies on it: the
        // optimize that takes it then flushes only what it changes (see DatastoreWorker).
        makeTreeReadOnly(manifest, path);
        error = objects.sync();
    }
    if (!error.isEmpty()) {
        removeReadOnlyTree(path);
        return error;
    }
    m_spares.insert(datastoreId, Spare{path, versionId, std::move(listings)});
    return {};
}

std::optional<SpareTrees::Spare> SpareTrees::take(const QString &datastoreId)
{
    if (!m_spares.contains(datastoreId))
        return std::nullopt;
    return m_spares.take(datastoreId);
}

void SpareTrees::discard(const QString &datastoreId)
{
    m_spares.remove(datastoreId);
    removeReadOnlyTree(m_root + u'/' + datastoreId);
}

} // namespace og
