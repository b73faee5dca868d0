// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace og {

// Which platform the app uses: the local one it starts itself (the default), or a server with
// its URL, an API key (kept in the keyring by the caller) and optionally a CA bundle for a
// self-signed certificate. Also the language of the interface.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)
public:
    explicit SettingsDialog(QWidget *parent = nullptr);

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
};

} // namespace og
