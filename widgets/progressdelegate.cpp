// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/progressdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace og {

ProgressDelegate::ProgressDelegate(int busyRole, int progressRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_busyRole(busyRole)
    , m_progressRole(progressRole)
{
}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (!index.data(m_busyRole).toBool()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const int percent = index.data(m_progressRole).toInt();
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 3, -2, -3);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = percent >= 0 ? percent : 50; // unknown: half a bar under the status word
    bar.textVisible = true;
    bar.text = percent >= 0 ? QStringLiteral("%1 %2%").arg(index.data().toString()).arg(percent) : index.data().toString();
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.highlight());
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

} // namespace og
