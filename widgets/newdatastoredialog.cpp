// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/newdatastoredialog.h"

#include "core/apiclient.h"
#include "core/archive/archiveextractor.h"
#include "core/names.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace og {

namespace {
bool isUrl(const QString &text)
{
    const QUrl url(text.trimmed());
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https");
}
} // namespace

NewDatastoreDialog::NewDatastoreDialog(ApiClient *api, ConnectionInfo connection, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_connection(std::move(connection))
    , m_source(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_extract(new QCheckBox(tr("Extract the archive and upload its contents"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New datastore"));
    m_source->setPlaceholderText(tr("A folder, a file, an archive, or an https:// URL of an archive"));
    auto *folder = new QToolButton(this);
    folder->setText(tr("Folder…"));
    auto *file = new QToolButton(this);
    file->setText(tr("File…"));
    connect(folder, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a folder to upload"));
        if (!dir.isEmpty())
            setSource(dir);
    });
    connect(file, &QToolButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Choose a file or an archive"));
        if (!f.isEmpty())
            setSource(f);
    });
    auto *sourceRow = new QHBoxLayout;
    sourceRow->addWidget(m_source, 1);
    sourceRow->addWidget(folder);
    sourceRow->addWidget(file);

    m_upload = m_buttons->addButton(tr("&Upload"), QDialogButtonBox::AcceptRole);
    connect(m_upload, &QPushButton::clicked, this, &NewDatastoreDialog::startUpload);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewDatastoreDialog::reject);

    m_progress->setVisible(false);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    auto *sourceLabel = new QLabel(tr("&Source:"), this);
    sourceLabel->setBuddy(m_source);
    form->addRow(sourceLabel, sourceRow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(QString(), m_extract);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(620, sizeHint().height());

    connect(m_source, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (!m_nameEdited && !text.trimmed().isEmpty()) {
            const QSignalBlocker block(m_name);
            m_name->setText(DatastoreUploader::nameFromSource(text.trimmed()));
        }
        updateState();
    });
    connect(m_name, &QLineEdit::textEdited, this, [this] {
        m_nameEdited = true;
        updateState();
    });
    updateState();
}

NewDatastoreDialog::~NewDatastoreDialog() = default;

void NewDatastoreDialog::setSource(const QString &source)
{
    m_source->setText(source);
}

void NewDatastoreDialog::setName(const QString &name)
{
    m_nameEdited = true;
    m_name->setText(name);
    updateState();
}

QString NewDatastoreDialog::name() const
{
    return m_name->text().trimmed();
}

QString NewDatastoreDialog::errorText() const
{
    return m_status->property("error").toBool() ? m_status->text() : QString();
}

void NewDatastoreDialog::updateState()
{
    const QString source = m_source->text().trimmed();
    const bool url = isUrl(source);
    const QFileInfo info(source);
    const bool archive = !url && info.isFile() && ArchiveExtractor::looksLikeArchive(info.absoluteFilePath());
    m_extract->setEnabled(archive);
    if (!archive)
        m_extract->setChecked(false);
    QString problem;
    if (source.isEmpty())
        problem = tr("Choose what to upload.");
    else if (!url && !info.exists())
        problem = tr("%1 does not exist.").arg(source);
    else if (const auto bad = names::validate(name(), tr("Datastore")))
        problem = *bad;
    m_upload->setEnabled(problem.isEmpty() && !isBusy());
    m_source->setEnabled(!isBusy());
    m_name->setEnabled(!isBusy());
    if (!isBusy()) {
        m_status->setProperty("error", false);
        m_status->setText(problem.isEmpty() && url ? tr("The platform downloads the archive and makes a version of its contents.") : problem);
    }
}

void NewDatastoreDialog::showError(const QString &message)
{
    m_status->setProperty("error", true);
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: palette(bright-text); background: #c62828; padding: 4px;"));
}

void NewDatastoreDialog::startUpload()
{
    if (isBusy() || !m_upload->isEnabled())
        return;
    m_status->setStyleSheet(QString());
    const QString source = m_source->text().trimmed();
    if (isUrl(source)) {
        startImport(source);
        return;
    }
    UploadRequest request;
    request.source = source;
    request.name = name();
    request.extract = m_extract->isChecked();
    request.wait = true;
    m_job = new UploadJob(m_connection, request, this);
    connect(m_job, &UploadJob::progress, this, &NewDatastoreDialog::onProgress);
    connect(m_job, &UploadJob::finished, this, &NewDatastoreDialog::onFinished);
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Scanning…"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("&Cancel upload"));
    updateState();
    m_job->start();
}

void NewDatastoreDialog::startImport(const QString &url)
{
    m_importing = true;
    updateState();
    m_status->setText(tr("Asking the platform to download %1…").arg(url));
    const QString ds = name();
    ApiReply *reply = m_api->post(QStringLiteral("/datastores/%1/imports").arg(ds), QJsonObject{{QStringLiteral("url"), url}});
    connect(reply, &ApiReply::finished, this, [this, ds](const ApiResult &r) {
        m_importing = false;
        updateState();
        if (!r.ok()) {
            showError(r.message);
            return;
        }
        // The download and its outcome show in the datastores table as status changes.
        Q_EMIT uploadFinished(ds, true);
        accept();
    });
}

void NewDatastoreDialog::onProgress(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)
{
    const int percent = bytesTotal > 0 ? int(bytesDone * 100 / bytesTotal) : -1;
    if (percent >= 0) {
        m_progress->setRange(0, 100);
        m_progress->setValue(percent);
    } else {
        m_progress->setRange(0, 0);
    }
    m_status->setText(tr("%1: %2 of %3 files, %4 of %5")
                          .arg(phase)
                          .arg(filesDone)
                          .arg(filesTotal)
                          .arg(QLocale().formattedDataSize(bytesDone), QLocale().formattedDataSize(bytesTotal)));
    Q_EMIT progressChanged(name(), percent);
}

void NewDatastoreDialog::onFinished(const UploadResult &result, bool cancelled)
{
    m_job->deleteLater();
    m_job = nullptr;
    m_progress->setVisible(false);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    updateState();
    Q_EMIT uploadFinished(name(), result.ok());
    if (cancelled) {
        showError(tr("Upload cancelled. Upload the same source again to continue where it stopped."));
        return;
    }
    if (!result.ok()) {
        showError(result.error);
        return;
    }
    accept();
}

void NewDatastoreDialog::reject()
{
    if (m_job) {
        // First press cancels the upload; the dialog closes once it has stopped.
        m_status->setText(tr("Cancelling…"));
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace og
