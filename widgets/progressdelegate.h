// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace og {

// Draws a progress bar in a status cell while its row is busy (uploading, optimizing): the
// percentage when this app knows it, a busy bar otherwise; plain text when it is not busy.
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)
public:
    ProgressDelegate(int busyRole, int progressRole, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_busyRole;
    int m_progressRole;
};

} // namespace og
