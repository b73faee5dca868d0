// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QModelIndexList>
#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace og {

// A resource table: a filter box over a sortable view, through a QSortFilterProxyModel
// (matching any column, case-insensitively; in trees a parent stays when a child matches).
// Column widths and sort order persist under `settingsKey`.
class FilteredView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilteredView)
public:
    FilteredView(const QString &settingsKey, QAbstractItemModel *source, QWidget *parent = nullptr);
    ~FilteredView() override;

    QTreeView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    // The source index of the current row, or invalid.
    QModelIndex currentSourceIndex() const;
    QModelIndexList selectedSourceRows() const;
    void setPlaceholder(const QString &text);

    void saveState() const;
    void restoreState();

Q_SIGNALS:
    void currentSourceChanged(const QModelIndex &source);

private:
    QString m_key;
    QLineEdit *m_filter;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_view;
};

} // namespace og
