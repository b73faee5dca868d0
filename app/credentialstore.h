// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace og {

// Where the desktop app keeps the API key of a configured server: the desktop keyring
// through qtkeychain (Secret Service, KWallet, macOS Keychain…), else — no keyring running, as
// on a headless box or in tests — a 0600 JSON file in the app's config directory. The key is
// looked up by the server URL, so switching servers keeps each one's key.
class CredentialStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)
public:
    explicit CredentialStore(QObject *parent = nullptr);

    using ReadDone = std::function<void(const QString &key, const QString &where)>;
    using WriteDone = std::function<void(const QString &error, const QString &where)>;
    void read(const QString &url, ReadDone done);
    void write(const QString &url, const QString &key, WriteDone done);

    // Tests and headless use: skip the keyring and go to the file directly.
    void setKeyringEnabled(bool enabled) { m_keyring = enabled; }
    static QString fallbackFile(); // <config>/opengrid/api-keys.json

    static QString readFromFile(const QString &url);
    static QString writeToFile(const QString &url, const QString &key); // empty on success

private:
    bool m_keyring = true;
};

} // namespace og
