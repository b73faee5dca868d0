// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace og {

class ApiClient;

// Settings → SSH keys: the public keys the user's sessions accept (name, type, fingerprint),
// as `grid ssh-keys` manages them. Add from file takes a public key or a private key's path
// (its .pub beside it), as the CLI does; Generate makes ~/.ssh/grid_ed25519 for a user who has
// no key; both register the key with the platform and remember the private key in
// ~/.grid/ssh_identities, so terminals and `grid session ssh` offer it. Remove asks first.
class SshKeysPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshKeysPage)
public:
    explicit SshKeysPage(ApiClient *api, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    QString messageText() const;
    static QString generatedKeyPath(); // ~/.ssh/grid_ed25519
    static QString suggestedName(const QString &hint);

    void reload();
    void addFromFile(const QString &path, const QString &name);
    void generateKey(const QString &name);
    void removeSelected();

    // Replaced in tests: the file picker, the key-name prompt (empty: cancelled), the question.
    std::function<QString()> choosePath;
    std::function<QString(const QString &suggested)> askName;
    std::function<bool(const QString &question)> confirm;

Q_SIGNALS:
    void loaded(); // the list shows the platform's keys (after every change too)

private:
    void registerKey(const QString &name, const QString &publicLine, const QString &privateKeyPath, const QString &done);
    void showMessage(const QString &text, bool error);
    void updateButtons();

    ApiClient *m_api;
    QTreeWidget *m_list;
    QLabel *m_message;
    QPushButton *m_add;
    QPushButton *m_generate;
    QPushButton *m_remove;
};

} // namespace og
