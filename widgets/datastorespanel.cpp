// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/datastorespanel.h"

#include "core/apiclient.h"
#include "models/datastoremodel.h"
#include "widgets/emptyhint.h"
#include "widgets/filteredview.h"
#include "widgets/messagebanner.h"
#include "widgets/newdatastoredialog.h"
#include "widgets/progressdelegate.h"
#include "widgets/versionbrowser.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace og {

DatastoresPanel::DatastoresPanel(ApiClient *api, DatastoreModel *model, ConnectionFn connection, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_model(model)
    , m_connection(std::move(connection))
    , m_banner(new MessageBanner(this))
    , m_table(new FilteredView(QStringLiteral("datastores/table"), model, this))
    , m_browser(new VersionBrowser(api, this))
    , m_split(new QSplitter(Qt::Horizontal, this))
{
    m_new = new QAction(QIcon::fromTheme(QStringLiteral("list-add")), tr("&New datastore…"), this);
    m_new->setShortcut(QKeySequence::New);
    m_delete = new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refresh = new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Refresh"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_new, &QAction::triggered, this, &DatastoresPanel::openNewDialog);
    connect(m_delete, &QAction::triggered, this, &DatastoresPanel::deleteSelected);
    connect(m_refresh, &QAction::triggered, m_model, &DatastoreModel::reload);
    addAction(m_delete);
    addAction(m_refresh);

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_new);
    bar->addAction(m_delete);
    bar->addAction(m_refresh);

    m_table->setPlaceholder(tr("Filter datastores…"));
    m_table->view()->setItemDelegateForColumn(DatastoreModel::StatusColumn,
                                              new ProgressDelegate(DatastoreModel::BusyRole, DatastoreModel::ProgressRole, this));
    // Defaults that fit the table's first-start width (the splitter's share below) without a
    // horizontal scroll bar; Created, the last column, stretches. Saved widths win.
    QHeaderView *header = m_table->view()->header();
    header->resizeSection(DatastoreModel::NameColumn, 170);
    header->resizeSection(DatastoreModel::StatusColumn, 150);
    header->resizeSection(DatastoreModel::SizeColumn, 80);
    header->resizeSection(DatastoreModel::FilesColumn, 60);
    header->resizeSection(DatastoreModel::SourceColumn, 130);
    m_table->restoreState();
    m_emptyHint = new EmptyHint(m_table->view(),
                                tr("<p><b>No datastores yet.</b></p><p>Click <b>New datastore</b> to upload a folder, a file or an "
                                   "archive,<br>or run <code>grid datastore create --source DIR</code> in a terminal.</p>"),
                                tr("No datastore matches the filter."));
    connect(m_table, &FilteredView::currentSourceChanged, this, &DatastoresPanel::onCurrentChanged);
    connect(m_model, &DatastoreModel::loadFailed, this, [this](const QString &m) { m_banner->showMessage(m); });
    // A version that finishes optimizing while it is shown becomes browsable.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &tl, const QModelIndex &br) {
        const QModelIndex current = m_table->currentSourceIndex();
        if (current.isValid() && current.parent() == tl.parent() && current.row() >= tl.row() && current.row() <= br.row())
            onCurrentChanged(current);
    });

    m_split->setObjectName(QStringLiteral("datastoresSplitter"));
    m_split->addWidget(m_table);
    m_split->addWidget(m_browser);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    // First start: about two thirds for the table, whose columns want more room than the file
    // tree's (QSplitter scales these to the width it gets).
    if (!m_split->restoreState(QSettings().value(QStringLiteral("datastores/splitter")).toByteArray()))
        m_split->setSizes({680, 320});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_split, 1);

    confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Delete"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
               == QMessageBox::Yes;
    };
}

DatastoresPanel::~DatastoresPanel()
{
    QSettings().setValue(QStringLiteral("datastores/splitter"), m_split->saveState());
}

void DatastoresPanel::onCurrentChanged(const QModelIndex &source)
{
    const auto v = m_model->versionAt(source);
    if (!v) {
        m_browser->clear();
        return;
    }
    const QString key = QStringLiteral("%1/%2/%3").arg(v->name).arg(v->version).arg(v->status);
    if (key == m_browser->property("shown").toString())
        return; // the same version in the same state: keep the expanded tree
    m_browser->setProperty("shown", key);
    m_browser->showVersion(v->name, v->version, v->status);
}

void DatastoresPanel::openNewDialog()
{
    auto *dialog = new NewDatastoreDialog(m_api, m_connection(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewDatastoreDialog::progressChanged, m_model, &DatastoreModel::setLocalProgress);
    connect(dialog, &NewDatastoreDialog::uploadFinished, m_model, [this](const QString &name) { m_model->clearLocalProgress(name); });
    dialog->open();
}

void DatastoresPanel::deleteSelected()
{
    QList<QPair<QString, int>> targets;
    for (const QModelIndex &row : m_table->selectedSourceRows()) {
        if (row.data(DatastoreModel::IsVersionRole).toBool()) {
            targets.append({row.data(DatastoreModel::NameRole).toString(), row.data(DatastoreModel::VersionRole).toInt()});
            continue;
        }
        for (int i = 0; i < m_model->rowCount(row); ++i) {
            const QModelIndex child = m_model->index(i, 0, row);
            targets.append({child.data(DatastoreModel::NameRole).toString(), child.data(DatastoreModel::VersionRole).toInt()});
        }
    }
    if (targets.isEmpty())
        return;
    QStringList listed;
    for (const auto &[name, version] : std::as_const(targets))
        listed.append(tr("%1 version %2").arg(name).arg(version));
    if (!confirm(tr("Delete %1? Their files are removed from the platform; this cannot be undone.").arg(listed.join(QStringLiteral(", ")))))
        return;
    m_banner->clear();
    for (const auto &[name, version] : std::as_const(targets)) {
        ApiReply *reply = m_api->del(QStringLiteral("/datastores/%1/versions/%2").arg(name).arg(version));
        connect(reply, &ApiReply::finished, this, [this, name, version](const ApiResult &r) {
            if (!r.ok())
                m_banner->showMessage(tr("Cannot delete %1 version %2: %3").arg(name).arg(version).arg(r.message));
            // Success shows as the row going away (the `deleted` event).
        });
    }
}

} // namespace og
