// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/datastoremodel.h"

#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "models/colors.h"
#include "models/displayformat.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QPalette>

#include <algorithm>

namespace og {

namespace {
bool isBusy(const QString &status)
{
    return status == u"uploading" || status == u"optimizing";
}

bool darkPalette()
{
    return QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
}
} // namespace

DatastoreModel::DatastoreModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

DatastoreModel::~DatastoreModel() = default;

void DatastoreModel::attach(ApiClient *api, EventsClient *events)
{
    m_api = api;
    connect(events, &EventsClient::eventReceived, this, &DatastoreModel::onEvent);
    events->subscribe(QStringLiteral("datastores"));
}

void DatastoreModel::reload()
{
    if (!m_api)
        return;
    const quint64 generation = ++m_loadGeneration;
    ApiReply *reply = m_api->get(QStringLiteral("/datastores"));
    connect(reply, &ApiReply::finished, this, [this, generation](const ApiResult &r) {
        if (generation != m_loadGeneration)
            return; // a newer reload is on its way
        if (!r.ok()) {
            Q_EMIT loadFailed(r.message);
            return;
        }
        QList<DatastoreVersion> versions;
        for (const QJsonValue &v : r.object().value(QStringLiteral("datastores")).toArray())
            versions.append(DatastoreVersion::fromJson(v.toObject()));
        mergeAll(versions);
    });
}

void DatastoreModel::onEvent(const QJsonObject &event)
{
    if (event.value(QStringLiteral("topic")).toString() != u"datastores")
        return;
    const DatastoreVersion v = DatastoreVersion::fromJson(event.value(QStringLiteral("object")).toObject());
    if (event.value(QStringLiteral("action")).toString() == u"deleted")
        removeVersion(v.name, v.version);
    else
        upsertVersion(v);
}

int DatastoreModel::rowOf(const Node *node) const
{
    for (size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].get() == node)
            return int(i);
    return -1;
}

int DatastoreModel::insertPosition(const QString &name) const
{
    const auto it = std::lower_bound(m_nodes.begin(), m_nodes.end(), name,
                                     [](const std::unique_ptr<Node> &n, const QString &key) { return n->name < key; });
    return int(it - m_nodes.begin());
}

QModelIndex DatastoreModel::indexOfDatastore(const QString &name) const
{
    const int pos = insertPosition(name);
    if (pos < int(m_nodes.size()) && m_nodes[size_t(pos)]->name == name)
        return index(pos, 0);
    return {};
}

void DatastoreModel::emitRowChanged(int row, const QModelIndex &parent)
{
    Q_EMIT dataChanged(index(row, 0, parent), index(row, ColumnCount - 1, parent));
}

void DatastoreModel::upsertVersion(const DatastoreVersion &v)
{
    if (v.name.isEmpty())
        return;
    const int pos = insertPosition(v.name);
    if (pos >= int(m_nodes.size()) || m_nodes[size_t(pos)]->name != v.name) {
        beginInsertRows({}, pos, pos);
        auto node = std::make_unique<Node>();
        node->name = v.name;
        node->versions.append(v);
        m_nodes.insert(m_nodes.begin() + pos, std::move(node));
        endInsertRows();
        return;
    }
    Node &node = *m_nodes[size_t(pos)];
    const QModelIndex parentIndex = index(pos, 0);
    int at = 0;
    while (at < node.versions.size() && node.versions[at].version > v.version)
        ++at;
    if (at < node.versions.size() && node.versions[at].version == v.version) {
        if (node.versions[at] == v)
            return;
        node.versions[at] = v;
        emitRowChanged(at, parentIndex);
    } else {
        beginInsertRows(parentIndex, at, at);
        node.versions.insert(at, v);
        endInsertRows();
    }
    emitRowChanged(pos, {}); // the datastore row shows the newest version and the count
}

void DatastoreModel::removeVersion(const QString &name, int version)
{
    const int pos = insertPosition(name);
    if (pos >= int(m_nodes.size()) || m_nodes[size_t(pos)]->name != name)
        return;
    Node &node = *m_nodes[size_t(pos)];
    for (int i = 0; i < node.versions.size(); ++i) {
        if (node.versions[i].version != version)
            continue;
        if (node.versions.size() == 1) {
            beginRemoveRows({}, pos, pos);
            m_nodes.erase(m_nodes.begin() + pos);
            endRemoveRows();
            return;
        }
        const QModelIndex parentIndex = index(pos, 0);
        beginRemoveRows(parentIndex, i, i);
        node.versions.removeAt(i);
        endRemoveRows();
        emitRowChanged(pos, {});
        return;
    }
}

void DatastoreModel::mergeAll(const QList<DatastoreVersion> &versions)
{
    QHash<QString, QSet<int>> present;
    for (const DatastoreVersion &v : versions)
        present[v.name].insert(v.version);
    // Removals first (from the back so rows stay valid), then updates and inserts one by one:
    // views keep their selection and expanded rows.
    for (int row = int(m_nodes.size()) - 1; row >= 0; --row) {
        const Node &node = *m_nodes[size_t(row)];
        const auto it = present.constFind(node.name);
        for (int i = node.versions.size() - 1; i >= 0; --i)
            if (it == present.cend() || !it->contains(node.versions[i].version))
                removeVersion(node.name, node.versions[i].version);
    }
    for (const DatastoreVersion &v : versions)
        upsertVersion(v);
}

void DatastoreModel::setLocalProgress(const QString &name, int percent)
{
    if (m_localProgress.value(name, -2) == percent)
        return;
    m_localProgress.insert(name, percent);
    const QModelIndex i = indexOfDatastore(name);
    if (i.isValid())
        emitRowChanged(i.row(), {});
}

void DatastoreModel::clearLocalProgress(const QString &name)
{
    if (m_localProgress.remove(name) == 0)
        return;
    const QModelIndex i = indexOfDatastore(name);
    if (i.isValid())
        emitRowChanged(i.row(), {});
}

std::optional<DatastoreVersion> DatastoreModel::versionAt(const QModelIndex &i) const
{
    if (!i.isValid() || i.model() != this)
        return std::nullopt;
    if (const auto *node = static_cast<const Node *>(i.internalPointer()))
        return node->versions.value(i.row());
    return m_nodes[size_t(i.row())]->versions.first();
}

QModelIndex DatastoreModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    // A version row points at its datastore's node; datastore rows point at nothing.
    return createIndex(row, column, m_nodes[size_t(parent.row())].get());
}

QModelIndex DatastoreModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !child.internalPointer())
        return {};
    const int row = rowOf(static_cast<const Node *>(child.internalPointer()));
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
}

int DatastoreModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_nodes.size());
    if (parent.internalPointer() || parent.column() != 0)
        return 0;
    return int(m_nodes[size_t(parent.row())]->versions.size());
}

int DatastoreModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool DatastoreModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant DatastoreModel::cell(const DatastoreVersion &v, int column, bool datastoreRow, int versionCount) const
{
    switch (column) {
    case NameColumn:
        return datastoreRow ? v.name : tr("version %1").arg(v.version);
    case StatusColumn:
        if (datastoreRow)
            return versionCount == 1 ? tr("%1 (v%2)").arg(v.status).arg(v.version)
                                     : tr("%1 (v%2 of %n versions)", nullptr, versionCount).arg(v.status).arg(v.version);
        return v.status;
    case SizeColumn:
        return displayformat::bytes(v.sizeBytes);
    case FilesColumn:
        return v.fileCount;
    case SourceColumn:
        return v.source;
    case CreatedColumn:
        return displayformat::timestamp(v.createdAt);
    }
    return {};
}

QVariant DatastoreModel::data(const QModelIndex &i, int role) const
{
    if (!checkIndex(i, CheckIndexOption::IndexIsValid))
        return {};
    const auto *owner = static_cast<const Node *>(i.internalPointer());
    const bool datastoreRow = owner == nullptr;
    const Node &node = datastoreRow ? *m_nodes[size_t(i.row())] : *owner;
    const DatastoreVersion &v = datastoreRow ? node.versions.first() : node.versions[i.row()];
    switch (role) {
    case Qt::DisplayRole:
        return cell(v, i.column(), datastoreRow, int(node.versions.size()));
    case Qt::EditRole: // what sorting compares
        if (i.column() == SizeColumn)
            return v.sizeBytes;
        if (i.column() == CreatedColumn)
            return v.createdAt;
        return cell(v, i.column(), datastoreRow, int(node.versions.size()));
    case Qt::ToolTipRole:
        if (!v.reason.isEmpty())
            return tr("Version %1 failed: %2").arg(v.version).arg(v.reason);
        if (i.column() == SourceColumn)
            return v.source;
        return {};
    case Qt::ForegroundRole:
        if (i.column() == StatusColumn) {
            const QColor c = colors::forStatus(v.status, darkPalette());
            return c.isValid() ? QVariant(c) : QVariant();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (i.column() == SizeColumn || i.column() == FilesColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NameRole:
        return v.name;
    case VersionRole:
        return v.version;
    case StatusRole:
        return v.status;
    case BusyRole:
        return isBusy(v.status);
    case ProgressRole:
        return isBusy(v.status) ? m_localProgress.value(v.name, -1) : -1;
    case IsVersionRole:
        return !datastoreRow;
    }
    return {};
}

QVariant DatastoreModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case StatusColumn: return tr("Status");
    case SizeColumn: return tr("Size");
    case FilesColumn: return tr("Files");
    case SourceColumn: return tr("Source");
    case CreatedColumn: return tr("Created");
    }
    return {};
}

} // namespace og
