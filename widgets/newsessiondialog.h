// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QJsonObject>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace og {

class ApiClient;
class ComputeChoices;

// "New session": name (Grid's rule, checked as it is typed; generated when empty), instance
// type, optional datastore and version with its mount dir, disk size — what `grid session
// create` asks. Create stays disabled while the form is wrong; the platform's refusal (a
// name in use, a type it cannot supply) shows in the dialog, which stays open.
class NewSessionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewSessionDialog)
public:
    explicit NewSessionDialog(ApiClient *api, QWidget *parent = nullptr);

    void setName(const QString &name);
    ComputeChoices *choices() const { return m_choices; }
    void setMountDir(const QString &dir);
    // The POST /sessions body the form describes.
    QJsonObject requestBody() const;
    // What is wrong with the form, empty when Create may be pressed.
    QString problem() const;
    QString errorText() const;
    bool canCreate() const;
    void create();

Q_SIGNALS:
    void created(const QString &sessionName);

private:
    void updateState();
    void forgetPlatformError();

    ApiClient *m_api;
    QLineEdit *m_name;
    ComputeChoices *m_choices;
    QLineEdit *m_mountDir;
    QSpinBox *m_diskSize;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_create;
    bool m_busy = false;
    // What the platform said to the last Create; shown until the user edits the form, so that
    // the instance types or datastores arriving late (which refresh the form) do not wipe it.
    QString m_platformError;
};

} // namespace og
