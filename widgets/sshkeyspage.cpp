// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/sshkeyspage.h"

#include "core/apiclient.h"
#include "core/ssh/sshidentities.h"
#include "core/ssh/sshkeygenerator.h"
#include "core/sshpublickey.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace og {

namespace {
enum { IdRole = Qt::UserRole + 1 };
}

SshKeysPage::SshKeysPage(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_list(new QTreeWidget(this))
    , m_message(new QLabel(this))
    , m_add(new QPushButton(tr("&Add from file…"), this))
    , m_generate(new QPushButton(tr("&Generate a new key"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
{
    m_list->setHeaderLabels({tr("Name"), tr("Type"), tr("Fingerprint")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    // Name and type as wide as they need (with room to breathe); the fingerprint gets the rest.
    m_list->header()->setMinimumSectionSize(110);
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_generate->setToolTip(tr("Makes an Ed25519 key pair at %1 and registers it").arg(QDir::toNativeSeparators(generatedKeyPath())));

    auto *intro = new QLabel(tr("Sessions accept SSH connections signed by these keys: terminals in this app, "
                                "<code>grid session ssh</code> and VS Code."), this);
    intro->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_generate);
    buttons->addStretch();
    buttons->addWidget(m_remove);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_message);

    choosePath = [this] {
        return QFileDialog::getOpenFileName(this, tr("SSH public key (or its private key)"), QDir::homePath() + QStringLiteral("/.ssh"),
                                            tr("Public keys (*.pub);;All files (*)"));
    };
    askName = [this](const QString &suggested) {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Key name"), tr("Name of the key on the platform:"), QLineEdit::Normal,
                                                   suggested, &ok);
        return ok ? name.trimmed() : QString();
    };
    confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("SSH keys"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
               == QMessageBox::Yes;
    };
    connect(m_add, &QPushButton::clicked, this, [this] {
        const QString path = choosePath();
        if (path.isEmpty())
            return;
        const QString name = askName(suggestedName(QFileInfo(path).completeBaseName()));
        if (!name.isEmpty())
            addFromFile(path, name);
    });
    connect(m_generate, &QPushButton::clicked, this, [this] {
        const QString name = askName(suggestedName(QStringLiteral("opengrid-") + QSysInfo::machineHostName()));
        if (!name.isEmpty())
            generateKey(name);
    });
    connect(m_remove, &QPushButton::clicked, this, &SshKeysPage::removeSelected);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &SshKeysPage::updateButtons);
    updateButtons();
    reload();
}

QString SshKeysPage::generatedKeyPath()
{
    return QDir::homePath() + QStringLiteral("/.ssh/grid_ed25519");
}

QString SshKeysPage::suggestedName(const QString &hint)
{
    // The platform's rule for key names: letters, digits, '.', '_', '-'; at most 64.
    QString name = hint;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    return name.left(64);
}

QString SshKeysPage::messageText() const
{
    return m_message->text();
}

void SshKeysPage::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("color: #d32f2f;") : QString());
    m_message->setText(text);
}

void SshKeysPage::updateButtons()
{
    m_remove->setEnabled(m_list->currentItem() != nullptr);
    // Never over an existing key: that one is added from file instead.
    m_generate->setEnabled(!QFileInfo::exists(generatedKeyPath()));
}

void SshKeysPage::reload()
{
    ApiReply *reply = m_api->get(QStringLiteral("/ssh-keys"));
    connect(reply, &ApiReply::finished, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            showMessage(tr("Cannot list the SSH keys: %1").arg(r.message), true);
            return;
        }
        const QString selected = m_list->currentItem() ? m_list->currentItem()->data(0, IdRole).toString() : QString();
        m_list->clear();
        for (const QJsonValue &v : r.object().value(QStringLiteral("ssh_keys")).toArray()) {
            const QJsonObject k = v.toObject();
            auto *item = new QTreeWidgetItem(m_list, {k.value(QStringLiteral("name")).toString(),
                                                      tr("%1 (%2 bits)").arg(k.value(QStringLiteral("type")).toString())
                                                          .arg(k.value(QStringLiteral("bits")).toInt()),
                                                      k.value(QStringLiteral("fingerprint")).toString()});
            item->setData(0, IdRole, k.value(QStringLiteral("id")).toString());
            item->setToolTip(2, k.value(QStringLiteral("public_key")).toString());
            if (item->data(0, IdRole).toString() == selected)
                m_list->setCurrentItem(item);
        }
        if (m_list->topLevelItemCount() == 0 && m_message->text().isEmpty())
            showMessage(tr("You have no SSH keys yet: generate one, or add the public key you use with ssh "
                           "(for example ~/.ssh/id_ed25519.pub)."), false);
        updateButtons();
        Q_EMIT loaded();
    });
}

void SshKeysPage::registerKey(const QString &name, const QString &publicLine, const QString &privateKeyPath, const QString &done)
{
    ApiReply *reply = m_api->post(QStringLiteral("/ssh-keys"),
                                  QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("public_key"), publicLine}});
    connect(reply, &ApiReply::finished, this, [this, privateKeyPath, done](const ApiResult &r) {
        if (!r.ok()) {
            showMessage(r.message, true);
            reload();
            return;
        }
        QString text = done.arg(r.object().value(QStringLiteral("ssh_key")).toObject().value(QStringLiteral("fingerprint")).toString());
        // Remembered so that terminals and the managed ssh config offer this key first.
        if (const QString e = sshidentities::remember(privateKeyPath); !e.isEmpty())
            text += u' ' + tr("It could not be remembered for terminals: %1").arg(e);
        showMessage(text, false);
        reload();
    });
}

void SshKeysPage::addFromFile(const QString &path, const QString &name)
{
    QString error;
    const auto key = SshPublicKey::fromFile(path, &error);
    if (!key) {
        showMessage(error, true);
        return;
    }
    registerKey(name, key->toLine(), path, tr("Added key %1 (%2).").arg(name, QStringLiteral("%1")));
}

void SshKeysPage::generateKey(const QString &name)
{
    QString error;
    const QString path = generatedKeyPath();
    const auto publicLine = sshkeygenerator::generateEd25519(path, QStringLiteral("opengrid@") + QSysInfo::machineHostName(), &error);
    updateButtons();
    if (!publicLine) {
        showMessage(tr("Cannot generate a key: %1").arg(error), true);
        return;
    }
    registerKey(name, *publicLine, path,
                tr("Generated %1 and registered it as %2 (%3).").arg(QDir::toNativeSeparators(path), name, QStringLiteral("%1")));
}

void SshKeysPage::removeSelected()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->text(0);
    if (!confirm(tr("Remove the SSH key %1? Sessions stop accepting it at the next connection.").arg(name)))
        return;
    ApiReply *reply = m_api->del(QStringLiteral("/ssh-keys/") + item->data(0, IdRole).toString());
    connect(reply, &ApiReply::finished, this, [this, name](const ApiResult &r) {
        showMessage(r.ok() ? tr("Removed key %1.").arg(name) : tr("Cannot remove %1: %2").arg(name, r.message), !r.ok());
        reload();
    });
}

} // namespace og
