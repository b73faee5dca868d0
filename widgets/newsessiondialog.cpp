// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/newsessiondialog.h"

#include "core/apiclient.h"
#include "core/names.h"
#include "widgets/computechoices.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace og {

NewSessionDialog::NewSessionDialog(ApiClient *api, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_name(new QLineEdit(this))
    , m_choices(new ComputeChoices(api, this))
    , m_mountDir(new QLineEdit(this))
    , m_diskSize(new QSpinBox(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New session"));
    m_name->setPlaceholderText(tr("generated when empty, e.g. resnet-debugging"));
    m_name->setMaxLength(names::kMaxLength + 1); // one over, so the rule's message can say so
    m_diskSize->setRange(0, 1 << 20);
    m_diskSize->setSuffix(tr(" GB"));
    m_diskSize->setSpecialValueText(tr("default"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Instance type:"), m_choices->instanceTypeBox());
    auto *datastoreLabel = new QLabel(tr("&Datastore:"), this);
    datastoreLabel->setBuddy(m_choices->datastoreBox());
    form->addRow(datastoreLabel, m_choices->makeDatastoreRow());
    form->addRow(tr("&Mount dir:"), m_mountDir);
    form->addRow(tr("Dis&k size:"), m_diskSize);
    auto *hint = new QLabel(tr("The datastore is also at ~/datastore inside the session. Files in "
                               "the session's home are kept "
                               "when it is paused."),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    m_create = m_buttons->addButton(tr("&Create"), QDialogButtonBox::AcceptRole);
    m_create->setDefault(true);
    connect(m_create, &QPushButton::clicked, this, &NewSessionDialog::create);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_status);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(560, sizeHint().height());

    connect(m_name, &QLineEdit::textChanged, this, &NewSessionDialog::updateState);
    connect(m_mountDir, &QLineEdit::textChanged, this, &NewSessionDialog::updateState);
    connect(m_choices, &ComputeChoices::changed, this, &NewSessionDialog::updateState);
    // Only the user's own edits retire the platform's last answer (programmatic refreshes don't).
    connect(m_name, &QLineEdit::textEdited, this, &NewSessionDialog::forgetPlatformError);
    connect(m_mountDir, &QLineEdit::textEdited, this, &NewSessionDialog::forgetPlatformError);
    connect(m_diskSize, &QSpinBox::editingFinished, this, &NewSessionDialog::forgetPlatformError);
    for (QComboBox *box :
         {m_choices->instanceTypeBox(), m_choices->datastoreBox(), m_choices->versionBox()})
        connect(box, &QComboBox::activated, this, &NewSessionDialog::forgetPlatformError);
    connect(m_choices->instanceTypeBox()->lineEdit(), &QLineEdit::textEdited, this,
            &NewSessionDialog::forgetPlatformError);
    updateState();
}

void NewSessionDialog::setName(const QString &name)
{
    m_name->setText(name);
}

void NewSessionDialog::setMountDir(const QString &dir)
{
    m_mountDir->setText(dir);
}

QJsonObject NewSessionDialog::requestBody() const
{
    QJsonObject body;
    if (const QString name = m_name->text().trimmed(); !name.isEmpty())
        body.insert(QStringLiteral("name"), name);
    if (!m_choices->instanceType().isEmpty())
        body.insert(QStringLiteral("instance_type"), m_choices->instanceType());
    if (const QString ds = m_choices->datastore(); !ds.isEmpty()) {
        body.insert(QStringLiteral("datastore_name"), ds);
        if (m_choices->datastoreVersion() > 0)
            body.insert(QStringLiteral("datastore_version"), m_choices->datastoreVersion());
        if (const QString dir = m_mountDir->text().trimmed(); !dir.isEmpty())
            body.insert(QStringLiteral("datastore_mount_dir"), dir);
    }
    if (m_diskSize->value() > 0)
        body.insert(QStringLiteral("disk_size"), m_diskSize->value());
    return body;
}

QString NewSessionDialog::problem() const
{
    if (const QString name = m_name->text().trimmed(); !name.isEmpty())
        if (const auto bad = names::validate(name, tr("Session")))
            return *bad;
    const QString dir = m_mountDir->text().trimmed();
    if (m_mountDir->isEnabled() && !dir.isEmpty() && !dir.startsWith(u'/'))
        return tr("The mount dir must be an absolute path such as /datastores/%1.")
            .arg(m_choices->datastore());
    return {};
}

QString NewSessionDialog::errorText() const
{
    return m_status->text();
}

bool NewSessionDialog::canCreate() const
{
    return !m_busy && problem().isEmpty();
}

void NewSessionDialog::updateState()
{
    const QString ds = m_choices->datastore();
    m_mountDir->setEnabled(!ds.isEmpty());
    // The platform's default, shown where the user would type something else.
    m_mountDir->setPlaceholderText(ds.isEmpty() ? tr("choose a datastore first")
                                                : QStringLiteral("/datastores/") + ds);
    QString p = problem();
    if (p.isEmpty())
        p = m_platformError;
    m_status->setStyleSheet(p.isEmpty() ? QString() : QStringLiteral("color: #d32f2f;"));
    m_status->setText(m_busy ? tr("Creating…") : p);
    m_create->setEnabled(canCreate());
}

void NewSessionDialog::forgetPlatformError()
{
    if (m_platformError.isEmpty())
        return;
    m_platformError.clear();
    updateState();
}

void NewSessionDialog::create()
{
    if (!canCreate())
        return;
    m_busy = true;
    m_platformError.clear();
    updateState();
    ApiReply *reply = m_api->post(QStringLiteral("/sessions"), requestBody());
    connect(reply, &ApiReply::finished, this, [this](const ApiResult &r) {
        m_busy = false;
        if (!r.ok()) {
            m_platformError = r.message; // the dialog stays open with everything typed
            updateState();
            return;
        }
        Q_EMIT created(r.object()
                           .value(QStringLiteral("session"))
                           .toObject()
                           .value(QStringLiteral("name"))
                           .toString());
        accept();
    });
}

} // namespace og
