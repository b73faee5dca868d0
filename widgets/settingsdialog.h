// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QTabWidget;

namespace og {

class ApiClient;
class SshKeysPage;

// Which platform the app uses: the local one it starts itself (the default), or a server with
// its URL, an API key (kept in the keyring by the caller) and optionally a CA bundle for a
// self-signed certificate. Also the language of the interface, and (with a platform connection)
// the user's SSH keys on its own page.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)
public:
    enum class Page { Platform, SshKeys };
    // `api`: the platform the SSH keys page manages; without one there is no such page.
    explicit SettingsDialog(ApiClient *api = nullptr, QWidget *parent = nullptr);

    void showPage(Page page);
    SshKeysPage *sshKeysPage() const { return m_sshKeys; }

    void setServer(const QString &url, const QString &caFile);
    void setApiKey(const QString &key);
    void setLanguage(const QString &code); // "" = the system's
    void setConnectionError(const QString &message);

    bool useLocal() const;
    QString url() const;
    QString apiKey() const;
    QString caFile() const;
    QString language() const;
    QString validationError() const;
    // Whether the platform fields differ from what setServer()/setApiKey() put there: only then
    // does OK need to reconnect (managing SSH keys alone must not).
    bool platformChanged() const;

    void accept() override;

private:
    void updateState();

    QRadioButton *m_local;
    QRadioButton *m_server;
    QLineEdit *m_url;
    QLineEdit *m_key;
    QLineEdit *m_ca;
    QComboBox *m_language;
    QLabel *m_error;
    QTabWidget *m_tabs;
    SshKeysPage *m_sshKeys = nullptr;
    QStringList m_initialPlatform;
    QStringList platformFields() const;
};

} // namespace og
