// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/backends/local/localbackend.h"

#include "core/localplatform.h"
#include "core/securefile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>

#include <csignal>

namespace og {

namespace {
qint64 supervisorPid(const QString &dir)
{
    QFile f(experimentfiles::pidFile(dir));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
}
} // namespace

LocalBackend::LocalBackend(QString supervisorProgram)
    : m_program(std::move(supervisorProgram))
{
}

QString LocalBackend::launch(const ExperimentLaunch &launch)
{
    const QString dir = launch.experimentDir;
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create %1").arg(dir);
    QFile::remove(experimentfiles::exitFile(dir));
    QFile::remove(experimentfiles::pidFile(dir));
    if (const QString e = writeFileAtomically(experimentfiles::specFile(dir), QJsonDocument(launch.toJson()).toJson(), true);
        !e.isEmpty())
        return e;
    QProcess process;
    process.setProgram(m_program);
    process.setArguments({QStringLiteral("supervise"), dir});
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(dir + QStringLiteral("/supervisor.log"), QIODevice::Append);
    process.setStandardErrorFile(dir + QStringLiteral("/supervisor.log"), QIODevice::Append);
    if (!process.startDetached())
        return QStringLiteral("cannot start the experiment's supervisor: %1").arg(process.errorString());
    return {};
}

void LocalBackend::stop(const QString &experimentDir)
{
    if (const qint64 pid = supervisorPid(experimentDir); pid > 0)
        ::kill(pid_t(pid), SIGTERM);
}

std::optional<ExitStatus> LocalBackend::poll(const QString &experimentDir)
{
    QFile exit(experimentfiles::exitFile(experimentDir));
    if (exit.open(QIODevice::ReadOnly))
        return ExitStatus::fromJson(QJsonDocument::fromJson(exit.readAll()).object());
    const qint64 pid = supervisorPid(experimentDir);
    if (pid <= 0) {
        // A supervisor writes its pid first thing; one that has not after this long never
        // started (or died at once), and the experiment must not hold its resources forever.
        const QFileInfo launched(experimentfiles::specFile(experimentDir));
        if (launched.exists() && launched.lastModified().secsTo(QDateTime::currentDateTimeUtc()) > kStartTimeoutSeconds) {
            ExitStatus never;
            never.error = QStringLiteral("the experiment's supervisor did not start; see %1/supervisor.log").arg(experimentDir);
            never.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
            return never;
        }
        return std::nullopt;
    }
    if (!localplatform::processAlive(pid)) {
        // Gone without recording an end (killed with SIGKILL, machine reboot): the
        // experiment is lost; say so instead of leaving it running forever.
        if (QFile(experimentfiles::exitFile(experimentDir)).exists())
            return poll(experimentDir);
        ExitStatus lost;
        lost.signal = SIGKILL;
        lost.error = QStringLiteral("the experiment's supervisor disappeared without recording an end (killed, or the machine restarted)");
        lost.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        return lost;
    }
    return std::nullopt;
}

} // namespace og
