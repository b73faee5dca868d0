// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/settingsdialog.h"

#include "core/apitoken.h"
#include "widgets/sshkeyspage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QTabWidget>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace og {

SettingsDialog::SettingsDialog(ApiClient *api, QWidget *parent)
    : QDialog(parent)
    , m_local(new QRadioButton(tr("&Local platform on this computer (started when needed)"), this))
    , m_server(new QRadioButton(tr("&Server:"), this))
    , m_url(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_ca(new QLineEdit(this))
    , m_language(new QComboBox(this))
    , m_error(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    setWindowTitle(tr("Settings"));
    m_url->setPlaceholderText(QStringLiteral("https://grid.example.org:7411"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(QStringLiteral("grid_…"));
    m_ca->setPlaceholderText(tr("only for a self-signed certificate"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("CA certificates (PEM)"));
        if (!f.isEmpty())
            m_ca->setText(f);
    });
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_ca, 1);
    caRow->addWidget(browse);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f;"));

    auto *server = new QFormLayout;
    server->addRow(tr("&URL:"), m_url);
    server->addRow(tr("API &key:"), m_key);
    auto *caLabel = new QLabel(tr("&CA file:"), this);
    caLabel->setBuddy(m_ca);
    server->addRow(caLabel, caRow);
    auto *form = new QFormLayout;
    form->addRow(tr("&Language:"), m_language);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *platformPage = new QWidget(this);
    auto *platform = new QVBoxLayout(platformPage);
    platform->addWidget(new QLabel(tr("<b>Platform</b>"), this));
    platform->addWidget(m_local);
    platform->addWidget(m_server);
    platform->addLayout(server);
    platform->addSpacing(8);
    platform->addLayout(form);
    platform->addWidget(m_error);
    platform->addStretch();
    m_tabs->addTab(platformPage, tr("&Platform"));
    if (api) {
        m_sshKeys = new SshKeysPage(api, this);
        m_tabs->addTab(m_sshKeys, tr("SSH &keys"));
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    resize(720, qMax(420, sizeHint().height())); // room for a key's whole SHA256 fingerprint
    m_local->setChecked(true);
    connect(m_local, &QRadioButton::toggled, this, &SettingsDialog::updateState);
    updateState();
}

void SettingsDialog::showPage(Page page)
{
    if (page == Page::SshKeys && m_sshKeys)
        m_tabs->setCurrentWidget(m_sshKeys);
    else
        m_tabs->setCurrentIndex(0);
}

void SettingsDialog::updateState()
{
    for (QWidget *w : {static_cast<QWidget *>(m_url), static_cast<QWidget *>(m_key), static_cast<QWidget *>(m_ca)})
        w->setEnabled(m_server->isChecked());
}

void SettingsDialog::setServer(const QString &url, const QString &caFile)
{
    (url.isEmpty() ? m_local : m_server)->setChecked(true);
    m_url->setText(url);
    m_ca->setText(caFile);
    updateState();
    m_initialPlatform = platformFields();
}

void SettingsDialog::setApiKey(const QString &key)
{
    m_key->setText(key);
    // The key arrives from the keyring after the dialog opened: only its own field is the baseline.
    if (m_initialPlatform.size() == 4)
        m_initialPlatform[2] = apiKey();
    else
        m_initialPlatform = platformFields();
}

QStringList SettingsDialog::platformFields() const
{
    return {useLocal() ? QStringLiteral("local") : QStringLiteral("server"), url(), apiKey(), caFile()};
}

bool SettingsDialog::platformChanged() const
{
    return platformFields() != m_initialPlatform;
}

void SettingsDialog::setLanguage(const QString &code)
{
    const int i = m_language->findData(code);
    m_language->setCurrentIndex(i >= 0 ? i : 0);
}

void SettingsDialog::setConnectionError(const QString &message)
{
    m_error->setText(message);
}

bool SettingsDialog::useLocal() const
{
    return m_local->isChecked();
}

QString SettingsDialog::url() const
{
    return m_url->text().trimmed();
}

QString SettingsDialog::apiKey() const
{
    return m_key->text().trimmed();
}

QString SettingsDialog::caFile() const
{
    return m_ca->text().trimmed();
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

QString SettingsDialog::validationError() const
{
    if (useLocal())
        return {};
    const QUrl u(url());
    if (!u.isValid() || (u.scheme() != u"https" && u.scheme() != u"http") || u.host().isEmpty())
        return tr("The URL must look like https://host:port.");
    if (u.scheme() == u"http" && u.host() != u"127.0.0.1" && u.host() != u"localhost")
        return tr("A server away from this computer needs https://: the API key must not travel in clear text.");
    if (!ApiToken::parse(apiKey()))
        return tr("The API key looks like grid_<12 letters or digits>_<64 hex digits>.");
    return {};
}

void SettingsDialog::accept()
{
    const QString problem = validationError();
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        showPage(Page::Platform);
        return; // nothing typed is lost
    }
    QDialog::accept();
}

} // namespace og
