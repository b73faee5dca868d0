// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/apiclient.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace og::test {

// A real gridd for integration tests: started from the build tree on a free loopback port
// with its data in a temporary directory (or one the test passes, to restart on it).
class GriddProcess final
{
public:
    explicit GriddProcess(QString dataDir = {}, QStringList extraArgs = {});
    ~GriddProcess();

    // Starts and waits until the endpoint file names this process and /health answers.
    bool start(QString *error);
    void terminate(); // SIGTERM and wait: the graceful path
    void kill();      // SIGKILL: the crash path
    bool isRunning() const;

    const QString &dataDir() const { return m_dataDir; }
    QUrl url() const { return m_url; }
    QString localToken() const; // the local user's key from the credentials file
    QString readLog() const;
    QString caFile;             // set before start() for a TLS gridd
    // Set before start(): gridd runs as `launcher[0] launcher[1..] gridd ARGS…`, e.g.
    // {"unshare", "-m", "sh", "-c", "mount … && exec \"$@\"", "sh"}; the launcher must end
    // up exec-ing gridd in the same process.
    QStringList launcher;
    // Set before start() when the launcher gives gridd its own mount namespace: the data
    // directory is then read through /proc/<pid>/root, where gridd sees it.
    bool ownMountNamespace = false;
    // `path` as this process can read it (differs only with ownMountNamespace).
    QString visiblePath(const QString &path) const;
    qint64 processId() const { return m_process.processId(); }

    // A client on this gridd with `token` (default: the local user's).
    std::unique_ptr<ApiClient> client(const QString &token = {}) const;
    ApiResult call(const QByteArray &method, const QString &path, const QJsonValue &body = {},
                   const QString &token = {}) const;

    static QString griddProgram();
    static QString gridProgram();
    // Runs `gridd <args>` to completion (admin commands); returns exit code, output in `out`.
    static int runGridd(const QStringList &args, QString *out);
    // `gridd user add NAME` on a data dir; returns the printed token (empty on failure).
    static QString addUser(const QString &dataDir, const QString &name, const QStringList &extra = {});

private:
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dataDir;
    QStringList m_extraArgs;
    QProcess m_process;
    QUrl m_url;
};

// The real `grid` binary, run to completion.
struct CliResult
{
    int code = -1;
    QString out;
    QString err;
};
CliResult runGrid(const QStringList &args, const QProcessEnvironment &env);
// A clean environment for `grid` with its own home: HOME, OPENGRID_DATA_DIR=<home>/platform,
// COLUMNS=100 and none of the GRID_* variables of the calling environment.
QProcessEnvironment cliEnvironment(const QString &home);

// Sends raw bytes to host:port and returns everything received until the peer closes or
// `timeoutMs` passes: for requests no well-behaved client would send.
QByteArray rawExchange(const QUrl &url, const QByteArray &bytes, int timeoutMs = 5000);
int statusOf(const QByteArray &rawResponse);
// True when the file is readable and writable by its owner and by nobody else (0600).
bool onlyOwnerCanRead(const QString &path);

} // namespace og::test
