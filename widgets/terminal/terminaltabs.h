// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTabWidget>

namespace og {

class ApiClient;
class TerminalTab;

// The terminals of the desktop app, one closable, movable tab per SSH shell into a session.
// The Sessions panel opens them (double-click, Enter, "Open terminal"); each tab reports its
// own faults (connection lost, key refused, session not running) inside itself.
class TerminalTabs final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalTabs)

public:
    explicit TerminalTabs(QWidget *parent = nullptr);

    // The platform connection to open tunnels with; must outlive the tabs' connections.
    void setApiClient(const ApiClient *api);
    // A new tab for `sessionName` that connects at once (a second tab for the same session
    // is a second shell, as a second `ssh` would be).
    void openSession(const QString &sessionName);
    // How many tabs of this session have an open shell now.
    int connectedCount(const QString &sessionName) const;

signals:
    void resumeRequested(const QString &sessionName);
    void openSettingsRequested();
    // The first bytes of a tab's shell arrived (its prompt): the panel times "double-click to
    // prompt" with it.
    void shellReady(const QString &sessionName);
    // A tab connected or lost its shell; connectedCount() has the new figure.
    void connectionsChanged(const QString &sessionName);

private:
    TerminalTab *tabAt(int index) const;

    const ApiClient *m_api = nullptr;
};

} // namespace og
