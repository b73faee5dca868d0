// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/uploadjob.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace og {

class ApiClient;

// "New datastore": a folder, a file or an archive (extracted on this machine first), or the
// URL of an archive that the platform downloads itself. Local sources go through the shared
// upload engine on a worker thread with progress and Cancel; the dialog stays open with the
// error when something fails, so nothing typed is lost.
class NewDatastoreDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewDatastoreDialog)
public:
    NewDatastoreDialog(ApiClient *api, ConnectionInfo connection, QWidget *parent = nullptr);
    ~NewDatastoreDialog() override;

    void setSource(const QString &source);
    void setName(const QString &name);
    QString name() const;
    QString errorText() const;
    bool isBusy() const { return m_job != nullptr || m_importing; }
    // Starts what the Upload button starts.
    void startUpload();

Q_SIGNALS:
    void progressChanged(const QString &name, int percent);
    void uploadFinished(const QString &name, bool ok);

protected:
    void reject() override;

private:
    void updateState();
    void showError(const QString &message);
    void onProgress(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void onFinished(const UploadResult &result, bool cancelled);
    void startImport(const QString &url);

    ApiClient *m_api;
    ConnectionInfo m_connection;
    QLineEdit *m_source;
    QLineEdit *m_name;
    QCheckBox *m_extract;
    QProgressBar *m_progress;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_upload;
    UploadJob *m_job = nullptr;
    bool m_importing = false;
    bool m_nameEdited = false;
};

} // namespace og
