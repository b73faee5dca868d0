// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/settingsdialog.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QSplitter;
class QStackedWidget;

namespace og {

class CredentialStore;
class DatastoreModel;
class DatastoresPanel;
class ExperimentModel;
class MessageBanner;
class MetricStore;
class PlatformSession;
class RunModel;
class RunsPanel;
class SessionModel;
class SessionsPanel;
class TerminalTabs;

// The dashboard: navigation (Datastores, Sessions, Runs) beside the selected panel, a toolbar,
// and a status bar with the platform, the user and the connection state. The window opens at
// once; the connection (and a local gridd start) happens behind it.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    PlatformSession *session() const { return m_session; }
    DatastoresPanel *datastoresPanel() const { return m_datastores; }
    RunsPanel *runsPanel() const { return m_runs; }
    SessionsPanel *sessionsPanel() const { return m_sessions; }
    TerminalTabs *terminals() const { return m_terminals; }
    MessageBanner *connectionBanner() const { return m_banner; }
    QString statusText() const;
    void showPage(int page); // 0 datastores, 1 sessions, 2 runs
    int currentPage() const;

    void openSettings(SettingsDialog::Page page = SettingsDialog::Page::Platform);
    void openNewRun();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildSessionsPage();
    void updateStatus();
    void applySettings(bool platformChanged, bool local, const QString &url, const QString &key, const QString &caFile,
                       const QString &language);

    CredentialStore *m_credentials;
    PlatformSession *m_session;
    DatastoreModel *m_datastoreModel;
    RunModel *m_runModel;
    SessionModel *m_sessionModel;
    MetricStore *m_metrics;
    ExperimentModel *m_experimentModel;
    MessageBanner *m_banner;
    QListWidget *m_nav;
    QStackedWidget *m_pages;
    DatastoresPanel *m_datastores;
    RunsPanel *m_runs;
    SessionsPanel *m_sessions;
    TerminalTabs *m_terminals;
    QSplitter *m_sessionsSplit; // the panel above, its terminals below
    QLabel *m_urlLabel;
    QLabel *m_userLabel;
    QLabel *m_stateLabel;
};

} // namespace og
