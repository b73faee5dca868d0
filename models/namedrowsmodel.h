// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

#include <functional>
#include <optional>

namespace og {

// The row bookkeeping of a table of named API objects (runs, sessions) that an event stream keeps
// current: newest first by `createdAt`, each change one insert, one dataChanged or one removal
// (never a reset, so views keep their selection and scroll position), and a reload that merges.
// `Item` needs `name`, `createdAt` and operator==.
template<typename Item>
class NamedRowsModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    void upsert(const Item &item)
    {
        if (item.name.isEmpty())
            return;
        const int row = rowOf(item.name);
        if (row >= 0) {
            if (m_items[row] == item)
                return;
            m_items[row] = item;
            Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
            return;
        }
        // Newest first; equal times keep arrival order.
        int pos = 0;
        while (pos < m_items.size() && m_items[pos].createdAt >= item.createdAt)
            ++pos;
        beginInsertRows({}, pos, pos);
        m_items.insert(pos, item);
        endInsertRows();
    }

    void remove(const QString &name)
    {
        const int row = rowOf(name);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_items.removeAt(row);
        endRemoveRows();
    }

    // The whole list as the API gives it: rows not in it go, the others are updated or added.
    void mergeAll(const QList<Item> &items)
    {
        QSet<QString> present;
        for (const Item &i : items)
            present.insert(i.name);
        for (int row = int(m_items.size()) - 1; row >= 0; --row)
            if (!present.contains(m_items[row].name))
                remove(m_items[row].name);
        for (const Item &i : items)
            upsert(i);
    }

    int rowOf(const QString &name) const
    {
        for (int i = 0; i < m_items.size(); ++i)
            if (m_items[i].name == name)
                return i;
        return -1;
    }

    std::optional<Item> itemAt(int row) const
    {
        if (row < 0 || row >= m_items.size())
            return std::nullopt;
        return m_items[row];
    }

    const QList<Item> &items() const { return m_items; }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_items.size()); }

protected:
    // One dataChanged over `column`, from the first to the last row where `ticking` holds: a
    // duration column once a second.
    void emitTick(int column, const std::function<bool(const Item &)> &ticking)
    {
        int first = -1, last = -1;
        for (int i = 0; i < m_items.size(); ++i)
            if (ticking(m_items[i])) {
                if (first < 0)
                    first = i;
                last = i;
            }
        if (first >= 0)
            Q_EMIT dataChanged(index(first, column), index(last, column), {Qt::DisplayRole});
    }

    QList<Item> m_items;
};

} // namespace og
