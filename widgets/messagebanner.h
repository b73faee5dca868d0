// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;

namespace og {

// A one-line message above a panel: an API error next to the action that caused it, or the
// connection state. Hidden when empty; the close button dismisses it.
class MessageBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)
public:
    enum class Kind { Info, Warning, Error };
    explicit MessageBanner(QWidget *parent = nullptr);
    void showMessage(const QString &text, Kind kind = Kind::Error);
    void clear();
    QString text() const;

private:
    QLabel *m_label;
};

} // namespace og
