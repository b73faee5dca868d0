// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/emptyhint.h"

#include <QAbstractItemView>
#include <QAbstractProxyModel>
#include <QEvent>

namespace og {

EmptyHint::EmptyHint(QAbstractItemView *view, const QString &emptyText, const QString &filteredText)
    : QLabel(view->viewport())
    , m_view(view)
    , m_emptyText(emptyText)
    , m_filteredText(filteredText)
{
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setMargin(24);
    setTextFormat(Qt::RichText);
    setForegroundRole(QPalette::PlaceholderText);
    setAttribute(Qt::WA_TransparentForMouseEvents); // clicks still reach the view
    view->viewport()->installEventFilter(this);
    QAbstractItemModel *model = view->model();
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &EmptyHint::sync);
    connect(model, &QAbstractItemModel::modelReset, this, &EmptyHint::sync);
    connect(model, &QAbstractItemModel::layoutChanged, this, &EmptyHint::sync);
    setGeometry(view->viewport()->rect());
    sync();
}

void EmptyHint::setEmptyText(const QString &text)
{
    m_emptyText = text;
    sync();
}

bool EmptyHint::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        setGeometry(m_view->viewport()->rect());
    return QLabel::eventFilter(watched, event);
}

void EmptyHint::sync()
{
    const QAbstractItemModel *model = m_view->model();
    const bool empty = model->rowCount() == 0;
    const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model);
    const bool filtered = proxy && proxy->sourceModel() && proxy->sourceModel()->rowCount() > 0;
    setText(filtered ? m_filteredText : m_emptyText);
    setVisible(empty);
}

} // namespace og
