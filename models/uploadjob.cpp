// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/uploadjob.h"

#include "core/apiclient.h"

#include <QPointer>
#include <QCoreApplication>
#include <QThread>

namespace og {

UploadJob::UploadJob(ConnectionInfo connection, UploadRequest request, QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_request(std::move(request))
    , m_cancelled(std::make_shared<std::atomic_bool>(false))
{
    qRegisterMetaType<og::UploadResult>();
}

UploadJob::~UploadJob()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
    }
}

bool UploadJob::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void UploadJob::cancel()
{
    m_cancelled->store(true);
}

void UploadJob::start()
{
    if (m_thread)
        return;
    QPointer<UploadJob> self(this);
    m_thread = QThread::create([self, connection = m_connection, request = m_request, cancelled = m_cancelled] {
        ApiClient api;
        api.setBaseUrl(connection.baseUrl);
        api.setToken(connection.token);
        UploadResult result;
        if (!connection.caFile.isEmpty())
            result.error = api.addCaCertificatesFile(connection.caFile);
        if (result.error.isEmpty()) {
            DatastoreUploader uploader(
                api,
                [&](const UploadProgress &p) {
                    QMetaObject::invokeMethod(qApp, [self, p] {
                        if (self)
                            Q_EMIT self->progress(p.phase, p.bytesDone, p.bytesTotal, p.filesDone, p.filesTotal);
                    });
                },
                [&cancelled] { return cancelled->load(); });
            result = uploader.run(request);
        }
        // A cancel that came after the commit only stopped the waiting: the version is made,
        // and the job counts as done.
        const bool wasCancelled = !result.ok() && (result.cancelled || cancelled->load());
        QMetaObject::invokeMethod(qApp, [self, result, wasCancelled] {
            if (self)
                Q_EMIT self->finished(result, wasCancelled);
        });
    });
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    connect(m_thread, &QThread::destroyed, this, [this] { m_thread = nullptr; });
    m_thread->start();
}

} // namespace og
