// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/terminal/terminaltabs.h"

#include "widgets/terminal/terminaltab.h"

#include <QTabBar>

namespace og {

TerminalTabs::TerminalTabs(QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(QStringLiteral("terminalTabs"));
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    connect(this, &QTabWidget::tabCloseRequested, this, [this](int index) {
        TerminalTab *tab = tabAt(index);
        if (!tab)
            return;
        const QString session = tab->sessionName();
        removeTab(index);
        tab->hide();
        tab->closeLater(); // closes its connection
        emit connectionsChanged(session);
    });
}

void TerminalTabs::setApiClient(const ApiClient *api)
{
    m_api = api;
}

void TerminalTabs::openSession(const QString &sessionName)
{
    auto *tab = new TerminalTab(m_api, sessionName, this);
    const int index = addTab(tab, sessionName);
    setTabToolTip(index, tr("Terminal in session %1").arg(sessionName));
    connect(tab, &TerminalTab::titleChanged, this, [this, tab](const QString &title) {
        const int i = indexOf(tab);
        if (i >= 0)
            setTabText(i, title);
    });
    connect(tab, &TerminalTab::resumeRequested, this, &TerminalTabs::resumeRequested);
    connect(tab, &TerminalTab::openSettingsRequested, this, &TerminalTabs::openSettingsRequested);
    connect(tab, &TerminalTab::shellReady, this, [this, sessionName] { emit shellReady(sessionName); });
    connect(tab, &TerminalTab::connectionChanged, this,
            [this, sessionName] { emit connectionsChanged(sessionName); });
    setCurrentIndex(index);
    tab->setFocus();
    tab->connectToSession();
}

int TerminalTabs::connectedCount(const QString &sessionName) const
{
    int count = 0;
    for (int i = 0; i < this->count(); ++i)
        if (TerminalTab *tab = tabAt(i); tab && tab->sessionName() == sessionName && tab->isConnected())
            ++count;
    return count;
}

TerminalTab *TerminalTabs::tabAt(int index) const
{
    return qobject_cast<TerminalTab *>(widget(index));
}

} // namespace og
