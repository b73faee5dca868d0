// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/apiclient.h"
#include "core/runs/runconfig.h"
#include "models/uploadjob.h"

#include <QObject>

namespace og {

// Submits a run as `grid run` does, on a worker thread: snapshot the script's code (git HEAD
// or its folder), check the sweep with a dry run before any upload, send the code objects the
// platform lacks, then post the run. The outcome arrives as a queued signal.
class RunSubmitJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunSubmitJob)
public:
    RunSubmitJob(ConnectionInfo connection, QString scriptPath, QStringList typedArgs, RunConfig config,
                 QObject *parent = nullptr);
    ~RunSubmitJob() override;
    void start();

Q_SIGNALS:
    void phase(const QString &text);
    // `result` is the API's answer to the submission (or the first failure); `warnings` are
    // the snapshot's (uncommitted files and the like).
    void finished(const og::ApiResult &result, const QStringList &warnings);

private:
    ConnectionInfo m_connection;
    QString m_script;
    QStringList m_args;
    RunConfig m_config;
    QThread *m_thread = nullptr;
};

} // namespace og
