// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/uploader.h"

#include <QObject>
#include <QUrl>

#include <atomic>
#include <memory>

class QThread;

namespace og {

// Where a worker thread's own ApiClient connects: an ApiClient belongs to the thread it was
// made in, so a job copies the connection instead of sharing the GUI's client.
struct ConnectionInfo
{
    QUrl baseUrl;
    QString token;
    QString caFile; // extra PEM CA bundle, empty for the system store
};

// One datastore upload with the shared upload engine (the one `grid datastore create` uses),
// on a worker thread so the window stays responsive. Progress and the outcome arrive as
// queued signals in the GUI thread.
class UploadJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UploadJob)
public:
    UploadJob(ConnectionInfo connection, UploadRequest request, QObject *parent = nullptr);
    ~UploadJob() override;

    void start();
    // Asks the engine to stop (it checks between steps and within hashing and sending, so it
    // ends within a fraction of a second). The interrupted upload stays resumable: running
    // the same upload again continues it. After the commit only the waiting stops.
    void cancel();
    bool isRunning() const;
    const UploadRequest &request() const { return m_request; }

Q_SIGNALS:
    void progress(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void finished(const og::UploadResult &result, bool cancelled);

private:
    ConnectionInfo m_connection;
    UploadRequest m_request;
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancelled;
};

} // namespace og

Q_DECLARE_METATYPE(og::UploadResult)
