// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/filteredview.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace og {

FilteredView::FilteredView(const QString &settingsKey, QAbstractItemModel *source, QWidget *parent)
    : QWidget(parent)
    , m_key(settingsKey)
    , m_filter(new QLineEdit(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTreeView(this))
{
    m_filter->setPlaceholderText(tr("Filter…"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(source);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setSortRole(Qt::EditRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSortIndicator(-1, Qt::AscendingOrder); // the model's own order
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { Q_EMIT currentSourceChanged(m_proxy->mapToSource(current)); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);
    restoreState();
}

FilteredView::~FilteredView()
{
    saveState();
}

QModelIndex FilteredView::currentSourceIndex() const
{
    return m_proxy->mapToSource(m_view->currentIndex());
}

QModelIndexList FilteredView::selectedSourceRows() const
{
    QModelIndexList rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows.append(m_proxy->mapToSource(i));
    return rows;
}

void FilteredView::setPlaceholder(const QString &text)
{
    m_filter->setPlaceholderText(text);
}

void FilteredView::saveState() const
{
    QSettings().setValue(m_key + QStringLiteral("/header"), m_view->header()->saveState());
}

void FilteredView::restoreState()
{
    const QByteArray state = QSettings().value(m_key + QStringLiteral("/header")).toByteArray();
    if (!state.isEmpty())
        m_view->header()->restoreState(state);
}

} // namespace og
