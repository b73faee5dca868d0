// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QJsonObject;

namespace og {

class ApiClient;
class EmptyHint;
class FilteredView;
class MessageBanner;
class SessionModel;
struct SessionRow;

// Sessions: the table of the user's sessions (live from the event stream) with what can be done
// to the selected one, each action enabled by its status — New, Pause, Resume, Delete, Change
// instance type (paused only), Open terminal (double-click or Enter; a session that is not
// running offers Resume and opens the terminal once it runs), Open in VS Code (through the same
// managed ~/.ssh/config block as `grid session ssh`), Copy ssh command. The terminals themselves
// live beside the panel: it asks for one with terminalRequested().
class SessionsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionsPanel)
public:
    SessionsPanel(ApiClient *api, SessionModel *model, QWidget *parent = nullptr);

    QAction *newAction() const { return m_new; }
    QAction *pauseAction() const { return m_pause; }
    QAction *resumeAction() const { return m_resume; }
    QAction *deleteAction() const { return m_delete; }
    QAction *changeTypeAction() const { return m_changeType; }
    QAction *terminalAction() const { return m_terminal; }
    QAction *vsCodeAction() const { return m_vsCode; }
    QAction *copySshAction() const { return m_copySsh; }
    QList<QAction *> sessionActions() const;
    FilteredView *table() const { return m_table; }
    MessageBanner *banner() const { return m_banner; }
    QLabel *emptyHint() const;

    QString currentSession() const;
    void selectSession(const QString &name);

    void openNewDialog();
    void pauseSelected();
    void resumeSelected();
    void deleteSelected();
    void changeInstanceType();
    void openTerminal();
    void openInVsCode();
    void copySshCommand();
    // Resumes `name` (for a terminal tab's Resume button) and opens a terminal when it runs
    // if `thenOpenTerminal`.
    void resume(const QString &name, bool thenOpenTerminal = false);

    // Replaced in tests: the yes/no question, the instance-type choice (empty: cancelled) and
    // the message with VS Code's steps.
    std::function<bool(const QString &question)> confirm;
    std::function<QString(const QStringList &choices, int current, const QString &session)> chooseInstanceType;
    std::function<void(const QString &text)> inform;

Q_SIGNALS:
    void terminalRequested(const QString &sessionName);

private:
    void updateActions();
    void onModelRowsChanged();
    const SessionRow *current() const;
    // POSTs `body`; a refusal shows as "<failure>: <the platform's reason>".
    void act(const QString &path, const QJsonObject &body, const QString &failure);

    ApiClient *m_api;
    SessionModel *m_model;
    MessageBanner *m_banner;
    FilteredView *m_table;
    EmptyHint *m_emptyHint;
    QAction *m_new;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_delete;
    QAction *m_changeType;
    QAction *m_terminal;
    QAction *m_vsCode;
    QAction *m_copySsh;
    QStringList m_terminalWhenRunning; // resumed from Open terminal: open one once running
};

} // namespace og
