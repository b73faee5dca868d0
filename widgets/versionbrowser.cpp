// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/versionbrowser.h"

#include "core/apiclient.h"
#include "models/displayformat.h"
#include "widgets/filepreview.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace og {

namespace {
enum Role { PathRole = Qt::UserRole + 1, TypeRole, LoadedRole, SizeRole, HashRole, TargetRole };
}

VersionBrowser::VersionBrowser(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_title(new QLabel(this))
    , m_model(new QStandardItemModel(this))
    , m_tree(new QTreeView(this))
    , m_preview(new FilePreview(this))
{
    m_model->setHorizontalHeaderLabels({tr("File"), tr("Size")});
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex &i) {
        QStandardItem *item = m_model->itemFromIndex(i.siblingAtColumn(0));
        if (item && !item->data(LoadedRole).toBool())
            loadDirectory(item->data(PathRole).toString());
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &VersionBrowser::onCurrentChanged);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("versionSplitter"));
    split->addWidget(m_tree);
    split->addWidget(m_preview);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(split);
    clear();
}

void VersionBrowser::clear()
{
    ++m_generation;
    m_name.clear();
    m_model->removeRows(0, m_model->rowCount());
    m_title->setText(tr("Select a datastore version to browse its files."));
    m_preview->showMessage(QString());
}

void VersionBrowser::showVersion(const QString &name, int version, const QString &status)
{
    clear();
    m_name = name;
    m_version = version;
    if (status != u"succeeded") {
        m_title->setText(tr("%1 version %2 is %3; its files can be browsed once it has succeeded.").arg(name).arg(version).arg(status));
        return;
    }
    m_title->setText(tr("Files of %1 version %2").arg(name).arg(version));
    loadDirectory(QString());
}

void VersionBrowser::loadDirectory(const QString &path)
{
    const quint64 generation = m_generation;
    QUrlQuery query;
    if (!path.isEmpty())
        query.addQueryItem(QStringLiteral("path"), path);
    ApiReply *reply = m_api->get(QStringLiteral("/datastores/%1/versions/%2/files").arg(m_name).arg(m_version), query);
    // The item may be gone when the answer comes (another version shown): find it by path.
    connect(reply, &ApiReply::finished, this, [this, generation, path](const ApiResult &r) {
        if (generation != m_generation)
            return;
        QStandardItem *parent = m_model->invisibleRootItem();
        if (!path.isEmpty()) {
            const QModelIndexList found = m_model->match(m_model->index(0, 0), PathRole, path, 1,
                                                         Qt::MatchExactly | Qt::MatchRecursive);
            if (found.isEmpty())
                return;
            parent = m_model->itemFromIndex(found.first());
        }
        parent->removeRows(0, parent->rowCount());
        parent->setData(true, LoadedRole);
        if (!r.ok()) {
            m_preview->showMessage(r.message);
            return;
        }
        for (const QJsonValue &v : r.object().value(QStringLiteral("entries")).toArray()) {
            const QJsonObject e = v.toObject();
            const QString type = e.value(QStringLiteral("type")).toString();
            auto *name = new QStandardItem(e.value(QStringLiteral("name")).toString());
            name->setData(e.value(QStringLiteral("path")).toString(), PathRole);
            name->setData(type, TypeRole);
            name->setData(e.value(QStringLiteral("size_bytes")).toInteger(), SizeRole);
            name->setData(e.value(QStringLiteral("sha256")).toString(), HashRole);
            name->setData(e.value(QStringLiteral("target")).toString(), TargetRole);
            auto *size = new QStandardItem(type == u"file" ? displayformat::bytes(e.value(QStringLiteral("size_bytes")).toInteger()) : QString());
            size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (type == u"dir")
                name->appendRow(new QStandardItem(tr("loading…"))); // makes it expandable
            parent->appendRow({name, size});
        }
        Q_EMIT directoryLoaded(path);
    });
}

void VersionBrowser::onCurrentChanged(const QModelIndex &index)
{
    const QModelIndex first = index.siblingAtColumn(0);
    const QString type = first.data(TypeRole).toString();
    const QString path = first.data(PathRole).toString();
    if (type == u"dir") {
        m_preview->showMessage(tr("Folder %1").arg(path));
    } else if (type == u"symlink") {
        m_preview->showMessage(tr("%1 is a link to %2").arg(path, first.data(TargetRole).toString()));
    } else if (type == u"file") {
        showFile(path, first.data(SizeRole).toLongLong());
    }
}

void VersionBrowser::showFile(const QString &path, qint64 size)
{
    // A newer selection, or another version, makes this answer stale.
    const quint64 request = ++m_previewRequest;
    const quint64 generation = m_generation;
    m_preview->showMessage(tr("Loading %1…").arg(path));
    // One piece (the platform sends at most 1 MiB per answer) is all a preview shows; a text
    // file cut there says so.
    ApiReply *reply = m_api->datastoreFile(m_name, m_version, path);
    connect(reply, &ApiReply::finished, this, [this, request, generation, path, size](const ApiResult &r) {
        if (request == m_previewRequest && generation == m_generation)
            m_preview->showFetched(path, r, size);
    });
}

} // namespace og
