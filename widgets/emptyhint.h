// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

class QAbstractItemView;

namespace og {

// A centred hint over an empty table that says what goes there and how to get it, instead of
// a blank grid. It shows while the view's model has no rows; when a filter hides every row the
// hint says that instead (the source model is then not empty).
class EmptyHint final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyHint)
public:
    EmptyHint(QAbstractItemView *view, const QString &emptyText, const QString &filteredText);
    void setEmptyText(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void sync();

    QAbstractItemView *m_view;
    QString m_emptyText;
    QString m_filteredText;
};

} // namespace og
