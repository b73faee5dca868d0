// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/runsubmitjob.h"

#include "core/datastore/objectuploader.h"
#include "core/runs/codesnapshot.h"
#include "core/runs/runrequest.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

namespace og {

RunSubmitJob::RunSubmitJob(ConnectionInfo connection, QString scriptPath, QStringList typedArgs, RunConfig config, QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_script(std::move(scriptPath))
    , m_args(std::move(typedArgs))
    , m_config(std::move(config))
{
    qRegisterMetaType<og::ApiResult>();
}

RunSubmitJob::~RunSubmitJob()
{
    if (m_thread)
        m_thread->wait();
}

void RunSubmitJob::start()
{
    if (m_thread)
        return;
    QPointer<RunSubmitJob> self(this);
    m_thread = QThread::create([self, connection = m_connection, script = m_script, typed = m_args, config = m_config] {
        const auto say = [self](const QString &text) {
            QMetaObject::invokeMethod(qApp, [self, text] {
                if (self)
                    Q_EMIT self->phase(text);
            });
        };
        const auto finish = [self](const ApiResult &r, const QStringList &warnings) {
            QMetaObject::invokeMethod(qApp, [self, r, warnings] {
                if (self)
                    Q_EMIT self->finished(r, warnings);
            });
        };
        ApiResult failed;
        failed.errorCode = QStringLiteral("client");
        ApiClient api;
        api.setBaseUrl(connection.baseUrl);
        api.setToken(connection.token);
        if (!connection.caFile.isEmpty())
            if (const QString e = api.addCaCertificatesFile(connection.caFile); !e.isEmpty()) {
                failed.message = e;
                finish(failed, {});
                return;
            }
        say(QCoreApplication::translate("og::RunSubmitJob", "Taking a snapshot of the code…"));
        // Outside a git repository the script's own folder is the code (the app has no
        // meaningful current directory, unlike a shell).
        const CodeSnapshot snap = takeCodeSnapshot(script, config.localdir.value_or(false), QFileInfo(script).absolutePath());
        if (!snap.ok()) {
            failed.message = snap.error;
            finish(failed, snap.warnings);
            return;
        }
        const QStringList args = config.scriptArguments(typed);
        // A sweep typo or an impossible instance type is refused before anything is uploaded.
        const ApiResult preview = api.call("POST", QStringLiteral("/runs"), runRequestBody(config, snap, args, true));
        if (!preview.ok()) {
            finish(preview, snap.warnings);
            return;
        }
        say(QCoreApplication::translate("og::RunSubmitJob", "Uploading the code…"));
        ObjectUploadStats stats;
        const QString error = uploadManifestObjects(api, snap.manifest, snap.manifest.toCanonicalBytes(), snap.sourceFiles, 4, {}, &stats);
        if (!error.isEmpty()) {
            failed.message = QCoreApplication::translate("og::RunSubmitJob", "cannot upload the code: %1").arg(error);
            finish(failed, snap.warnings);
            return;
        }
        say(QCoreApplication::translate("og::RunSubmitJob", "Submitting…"));
        finish(api.call("POST", QStringLiteral("/runs"), runRequestBody(config, snap, args, false)), snap.warnings);
    });
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    connect(m_thread, &QThread::destroyed, this, [this] { m_thread = nullptr; });
    m_thread->start();
}

} // namespace og
