// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runs/supervisor.h"

#include "core/securefile.h"
#include "server/backends/experimentlaunch.h"
#include "server/backends/local/sandboxcommand.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace og {

namespace {
int g_stopPipe[2] = {-1, -1};

void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(g_stopPipe[1], &byte, 1);
}

QString timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// Every process below `pid`, children before grandchildren.
QList<qint64> descendants(qint64 pid)
{
    QList<qint64> out;
    QList<qint64> frontier{pid};
    while (!frontier.isEmpty()) {
        const qint64 p = frontier.takeFirst();
        const QDir tasks(QStringLiteral("/proc/%1/task").arg(p));
        for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile children(tasks.filePath(tid) + QStringLiteral("/children"));
            if (!children.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &c : children.readAll().split(' ')) {
                bool ok = false;
                const qint64 child = c.trimmed().toLongLong(&ok);
                if (ok) {
                    out.append(child);
                    frontier.append(child);
                }
            }
        }
    }
    return out;
}

QString commandName(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    return f.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(f.readAll().trimmed()) : QString();
}

// Writes "[stream] [time] line" for each complete line; keeps a partial last line.
class LineLogger
{
public:
    LineLogger(QFile &log, const char *stream) : m_log(log), m_stream(stream) {}
    void add(const QByteArray &bytes)
    {
        m_pending += bytes;
        qsizetype nl;
        while ((nl = m_pending.indexOf('\n')) >= 0) {
            write(m_pending.left(nl));
            m_pending.remove(0, nl + 1);
        }
        // A line without an end (a progress bar redrawn with \r) must not grow without bound.
        if (m_pending.size() > 64 * 1024) {
            write(m_pending);
            m_pending.clear();
        }
    }
    void finish()
    {
        if (!m_pending.isEmpty())
            write(m_pending);
        m_pending.clear();
    }

private:
    void write(QByteArray line)
    {
        if (line.endsWith('\r'))
            line.chop(1);
        m_log.write("[" + QByteArray(m_stream) + "] [" + timestamp().toLatin1() + "] " + line + '\n');
        m_log.flush();
    }
    QFile &m_log;
    const char *m_stream;
    QByteArray m_pending;
};
} // namespace

int runSupervisor(const QString &experimentDir)
{
    QFile specFile(experimentfiles::specFile(experimentDir));
    if (!specFile.open(QIODevice::ReadOnly))
        return 2;
    const ExperimentLaunch launch = ExperimentLaunch::fromJson(QJsonDocument::fromJson(specFile.readAll()).object());
    writeFileAtomically(experimentfiles::pidFile(experimentDir), QByteArray::number(QCoreApplication::applicationPid()), false);

    ExitStatus status;
    status.startedAt = timestamp();
    QFile log(experimentfiles::logFile(experimentDir));
    log.open(QIODevice::WriteOnly | QIODevice::Append);
    auto finish = [&](const ExitStatus &s) {
        writeFileAtomically(experimentfiles::exitFile(experimentDir), QJsonDocument(s.toJson()).toJson(), false);
        return s.succeeded() ? 0 : 1;
    };
    auto failEarly = [&](const QString &message) {
        log.write("[grid] [" + timestamp().toLatin1() + "] " + message.toUtf8() + '\n');
        log.flush();
        ExitStatus s = status;
        s.exitCode = 127;
        s.finishedAt = timestamp();
        return finish(s);
    };

    // The working directory: the experiment's own writable copy of the code.
    const QString work = experimentfiles::workDir(experimentDir);
    QDir().mkpath(work);
    QDir().mkpath(QFileInfo(experimentfiles::metricsFile(experimentDir)).absolutePath());
    if (!launch.codeDir.isEmpty()) {
        QProcess copy;
        copy.start(QStringLiteral("cp"), {QStringLiteral("-a"), launch.codeDir + QStringLiteral("/."), work + u'/'});
        copy.waitForFinished(-1);
        QProcess chmod;
        chmod.start(QStringLiteral("chmod"), {QStringLiteral("-R"), QStringLiteral("u+w"), work});
        chmod.waitForFinished(-1);
        if (copy.exitCode() != 0)
            return failEarly(QStringLiteral("cannot copy the code into the working directory: %1")
                                 .arg(QString::fromLocal8Bit(copy.readAllStandardError()).trimmed()));
    }
    const QString bwrap = sandbox::bubblewrapProgram();
    if (bwrap.isEmpty())
        return failEarly(QStringLiteral("bubblewrap (bwrap) is not installed on the gridd machine"));
    QString error;
    const QStringList args = sandbox::arguments(launch, &error);
    if (!error.isEmpty())
        return failEarly(error);

    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_stopPipe);
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGHUP, SIG_IGN); // gridd's terminal going away must not end the experiment

    QProcess process;
    LineLogger out(log, "stdout");
    LineLogger err(log, "stderr");
    QObject::connect(&process, &QProcess::readyReadStandardOutput, [&] { out.add(process.readAllStandardOutput()); });
    QObject::connect(&process, &QProcess::readyReadStandardError, [&] { err.add(process.readAllStandardError()); });
    QTimer killTimer;
    killTimer.setSingleShot(true);
    QObject::connect(&killTimer, &QTimer::timeout, [&] { process.kill(); });
    QSocketNotifier stopNotifier(g_stopPipe[0], QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, [&] {
        char buf[16];
        [[maybe_unused]] auto n = ::read(g_stopPipe[0], buf, sizeof buf);
        if (status.stopped)
            return;
        status.stopped = true;
        // Ask the experiment's own processes to stop (the sandbox's bwrap helpers would
        // just kill them); whatever is left after the grace period is killed with the sandbox.
        for (qint64 pid : descendants(process.processId()))
            if (commandName(pid) != u"bwrap")
                ::kill(pid_t(pid), SIGTERM);
        killTimer.start(launch.stopGraceSeconds * 1000);
    });
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    process.start(bwrap, args);
    if (!process.waitForStarted(10000))
        return failEarly(QStringLiteral("cannot start the sandbox: %1").arg(process.errorString()));
    loop.exec();
    out.add(process.readAllStandardOutput());
    err.add(process.readAllStandardError());
    out.finish();
    err.finish();
    // bwrap reports a child killed by signal N as exit status 128 + N.
    const int code = process.exitStatus() == QProcess::CrashExit ? 128 + SIGKILL : process.exitCode();
    if (code > 128 && code < 128 + 65) {
        status.signal = code - 128;
        status.exitCode = -1;
    } else {
        status.exitCode = code;
    }
    status.finishedAt = timestamp();
    log.write("[grid] [" + status.finishedAt.toLatin1() + "] experiment ended: " + status.describe().toUtf8() + '\n');
    log.flush();
    return finish(status);
}

} // namespace og
