// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QDialog;
class QLabel;
class QPushButton;

namespace og {

class ApiClient;
class SshClient;
class TerminalScreen;
class TerminalView;
enum class SshError;

// One terminal tab: an SSH shell in one session (SshClient over the platform's tunnel), its
// screen model and its view, a banner for what went wrong with a way out (Reconnect, Resume,
// Settings) and a status line with the state and the tunnel's latency. The view and its
// scrollback stay when the connection drops; Reconnect opens a new shell under them.
class TerminalTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalTab)

public:
    TerminalTab(const ApiClient *api, const QString &sessionName, QWidget *parent = nullptr);
    ~TerminalTab() override;

    QString sessionName() const { return m_session; }
    bool isConnected() const;
    // Looks the session up, pins its host key, then opens a shell; a running connection is
    // closed first (Reconnect).
    void connectToSession();

    // Deletes the tab (and closes its connection) once it is safe: not while a passphrase
    // dialog runs inside libssh's call.
    void closeLater();

    TerminalScreen *screen() const { return m_screen; }
    TerminalView *view() const { return m_view; }
    SshClient *client() const { return m_client; }
    QString bannerText() const;
    QString statusText() const;

signals:
    void titleChanged(const QString &title);
    void resumeRequested(const QString &sessionName);
    void openSettingsRequested();
    void shellReady();
    void connectionChanged(bool connected);

private:
    enum class Action { None, Reconnect, Resume, Settings };
    void onSessionLooked(int httpStatus, const QString &message, const QJsonObject &session);
    void onError(SshError error, const QString &message);
    void onClosed();
    void showBanner(const QString &text, Action action);
    void hideBanner();
    void updateStatus();
    QString askPassphrase(const QString &keyFile);

    QPointer<const ApiClient> m_api;
    QString m_session;
    TerminalScreen *m_screen;
    TerminalView *m_view;
    SshClient *m_client;
    QWidget *m_banner;
    QLabel *m_bannerLabel;
    QPushButton *m_bannerButton;
    QLabel *m_status;
    Action m_action = Action::None;
    QTimer m_resumeWait;       // after Resume: looks again until the session runs
    int m_resumePolls = 0;
    bool m_awaitingResume = false; // Resume pressed, no shell yet: tunnel errors retry
    int m_lookup = 0;          // generation of the pending session look-up
    bool m_firstBytes = false; // shellReady not emitted yet for this shell
    bool m_errorShown = false; // the banner already says why closed() came
    bool m_wasOpen = false;
    QDialog *m_passphraseDialog = nullptr; // while asking, inside libssh's key import
    bool m_closeWhenAsked = false;
};

} // namespace og
