// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace og {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &MessageBanner::clear);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(close);
    hide();
}

void MessageBanner::showMessage(const QString &text, Kind kind)
{
    if (text.isEmpty()) {
        clear();
        return;
    }
    // Fixed tints that read on light and dark palettes alike, with the palette's text colour.
    const char *background = kind == Kind::Error ? "rgba(220, 50, 47, 60)" : kind == Kind::Warning ? "rgba(240, 180, 0, 60)" : "rgba(38, 139, 210, 50)";
    setStyleSheet(QStringLiteral("#messageBanner { background: %1; border-radius: 4px; }").arg(QLatin1String(background)));
    m_label->setText(text);
    show();
}

void MessageBanner::clear()
{
    m_label->clear();
    hide();
}

QString MessageBanner::text() const
{
    return m_label->text();
}

} // namespace og
