// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/localplatform.h"

#include "core/apiclient.h"
#include "core/jsonreader.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <cerrno>
#include <signal.h>

namespace og::localplatform {

using namespace std::chrono_literals;

QString defaultDataDir()
{
    const QString fromEnv = qEnvironmentVariable("OPENGRID_DATA_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString xdg = qEnvironmentVariable("XDG_DATA_HOME");
    return (xdg.isEmpty() ? QDir::homePath() + QStringLiteral("/.local/share") : xdg)
           + QStringLiteral("/opengrid");
}

QString endpointFile(const QString &dataDir)
{
    return dataDir + QStringLiteral("/endpoint.json");
}

QString credentialsFile(const QString &dataDir)
{
    return dataDir + QStringLiteral("/local-credentials.json");
}

bool processAlive(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

namespace {
std::optional<QJsonObject> readJson(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return JsonReader::parseObject(f.readAll(), error, path);
}

bool healthy(const QUrl &url)
{
    ApiClient client;
    client.setBaseUrl(url);
    client.setTimeout(2s);
    client.setMaxAttempts(1);
    return client.call("GET", QStringLiteral("/health")).ok();
}
} // namespace

std::optional<Endpoint> readEndpoint(const QString &dataDir, QString *error)
{
    const auto ep = readJson(endpointFile(dataDir), error);
    if (!ep)
        return std::nullopt;
    const auto creds = readJson(credentialsFile(dataDir), error);
    if (!creds)
        return std::nullopt;
    Endpoint e;
    e.url = QUrl(ep->value(QStringLiteral("url")).toString());
    e.pid = ep->value(QStringLiteral("pid")).toInteger();
    e.username = creds->value(QStringLiteral("UserID")).toString();
    e.apiKey = creds->value(QStringLiteral("APIKey")).toString();
    if (!e.url.isValid() || e.apiKey.isEmpty()) {
        *error = QStringLiteral("%1 is incomplete").arg(dataDir);
        return std::nullopt;
    }
    return e;
}

std::optional<Endpoint> ensureRunning(const QString &griddProgram, const QString &dataDir,
                                      QString *error, std::chrono::milliseconds timeout)
{
    if (!QDir().mkpath(dataDir)) {
        *error = QStringLiteral("cannot create the local platform's directory %1").arg(dataDir);
        return std::nullopt;
    }
    QLockFile lock(dataDir + QStringLiteral("/autostart.lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(int(timeout.count()))) {
        *error = QStringLiteral("another program is starting the local platform in %1 and did "
                                "not finish; try again")
                     .arg(dataDir);
        return std::nullopt;
    }
    QString ignored;
    if (auto e = readEndpoint(dataDir, &ignored); e && processAlive(e->pid) && healthy(e->url))
        return e;

    if (griddProgram.isEmpty()) {
        *error = QStringLiteral("cannot find the gridd program to start the local platform; "
                                "install OpenGrid or run `grid login --url URL`");
        return std::nullopt;
    }
    QFile::remove(endpointFile(dataDir)); // a stale file must not be mistaken for the new one
    QProcess process;
    process.setProgram(griddProgram);
    process.setArguments({QStringLiteral("--data-dir"), dataDir, QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0")});
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(dataDir + QStringLiteral("/gridd.log"), QIODevice::Append);
    process.setStandardErrorFile(dataDir + QStringLiteral("/gridd.log"), QIODevice::Append);
    qint64 pid = 0;
    if (!process.startDetached(&pid)) {
        *error = QStringLiteral("cannot start %1: %2").arg(griddProgram, process.errorString());
        return std::nullopt;
    }
    QDeadlineTimer deadline(timeout);
    while (!deadline.hasExpired()) {
        QThread::msleep(50);
        if (auto e = readEndpoint(dataDir, &ignored); e && e->pid == pid && healthy(e->url))
            return e;
        if (!processAlive(pid))
            break;
    }
    *error = QStringLiteral("the local platform did not start; see %1/gridd.log").arg(dataDir);
    return std::nullopt;
}

QString findGriddProgram()
{
    const QString besideUs = QCoreApplication::applicationDirPath() + QStringLiteral("/gridd");
    if (QFileInfo::exists(besideUs))
        return besideUs;
    return QStandardPaths::findExecutable(QStringLiteral("gridd"));
}

} // namespace og::localplatform
