// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A real gridd with one running session and a registered key, for the tests that open SSH
// shells into it (the core SSH client's and the desktop terminal's). Sessions outlive gridd
// by design, so stop() deletes the session before the test ends.
#include "core/apiclient.h"
#include "core/ssh/sshclient.h"
#include "tests/support/griddprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

namespace og::test {

inline int runProgram(const QString &program, const QStringList &args, QString *out = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.waitForFinished(60000);
    if (out)
        *out = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// An Ed25519 key pair at `path` (and path.pub), encrypted when `passphrase` is not empty.
inline bool makeSshKey(const QString &path, const QString &passphrase = {})
{
    return runProgram(QStringLiteral("ssh-keygen"),
                      {QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-f"), path,
                       QStringLiteral("-q"), QStringLiteral("-N"), passphrase})
           == 0;
}

// Spins the event loop until `condition` holds or `timeoutMs` passes.
inline bool waitFor(const std::function<bool()> &condition, int timeoutMs = 20000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QTest::qWait(20);
    }
    return condition();
}

// Why the session tests cannot run here, or empty.
inline QString sessionSkipReason()
{
    if (QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty())
        return QStringLiteral("bubblewrap is not installed (scripts/install-deps.sh installs it)");
    if (!QFileInfo::exists(QStringLiteral("/usr/sbin/sshd"))
        || QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty())
        return QStringLiteral("OpenSSH is not installed (scripts/install-deps.sh installs it)");
    return {};
}

class SessionFixture final
{
public:
    QTemporaryDir dir;
    std::unique_ptr<GriddProcess> gridd;
    std::unique_ptr<ApiClient> api;
    QString session;
    QString key;        // registered with the platform
    QString hostKey;    // "ssh-ed25519 AAAA…" from the API
    QString user;       // the login inside the session
    QString knownHosts; // the platform-managed file with the session's key pinned

    // Starts gridd, registers a new key, creates `name` and waits until its SSH server takes
    // connections. Empty on success, else what failed.
    QString start(const QString &name)
    {
        session = name;
        gridd = std::make_unique<GriddProcess>(dir.filePath(QStringLiteral("data")));
        QString error;
        if (!gridd->start(&error))
            return error;
        api = gridd->client();
        key = dir.filePath(QStringLiteral("id_ed25519"));
        if (!makeSshKey(key))
            return QStringLiteral("ssh-keygen failed");
        if (const QString e = registerKey(QStringLiteral("laptop"), key); !e.isEmpty())
            return e;
        const ApiResult r = gridd->call("POST", QStringLiteral("/sessions"),
                                        QJsonObject{{QStringLiteral("name"), session}});
        if (!r.ok())
            return r.message;
        QJsonObject json;
        if (!waitFor([&] {
                json = gridd->call("GET", path()).object().value(QStringLiteral("session")).toObject();
                return json.value(QStringLiteral("status")).toString() == u"running";
            }, 30000))
            return QStringLiteral("session %1 never ran: %2").arg(session, QString::fromUtf8(QJsonDocument(json).toJson()));
        hostKey = json.value(QStringLiteral("host_key")).toString();
        user = json.value(QStringLiteral("ssh_user")).toString();
        if (!hostKey.startsWith(QStringLiteral("ssh-")))
            return QStringLiteral("the session has no host key: %1").arg(hostKey);
        knownHosts = dir.filePath(QStringLiteral("known_hosts"));
        if (!writeKnownHosts(knownHosts, hostKey))
            return QStringLiteral("cannot write %1").arg(knownHosts);
        return waitUntilReachable();
    }

    // Deletes the session and waits until it is gone.
    void stop()
    {
        if (!gridd || !gridd->isRunning() || session.isEmpty())
            return;
        gridd->call("DELETE", path());
        waitFor([&] { return gridd->call("GET", path()).httpStatus == 404; }, 30000);
    }

    QString path() const { return QStringLiteral("/sessions/") + session; }

    SshConnectOptions options(const QString &identity) const
    {
        SshConnectOptions o;
        o.user = user;
        o.knownHostsFile = knownHosts;
        o.identityFiles = {identity};
        o.useAgent = false; // only the keys named here, whatever the machine's agent holds
        return o;
    }

    // Empty on success.
    QString registerKey(const QString &name, const QString &privateKey)
    {
        QFile pub(privateKey + QStringLiteral(".pub"));
        if (!pub.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read %1.pub").arg(privateKey);
        const ApiResult r = gridd->call(
            "POST", QStringLiteral("/ssh-keys"),
            QJsonObject{{QStringLiteral("name"), name},
                        {QStringLiteral("public_key"), QString::fromUtf8(pub.readAll())}});
        return r.ok() ? QString() : r.message;
    }

    bool writeKnownHosts(const QString &file, const QString &keyLine) const
    {
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        out.write(QStringLiteral("%1 %2\n").arg(session, keyLine).toUtf8());
        return true;
    }

private:
    // gridd marks a session running when its sandbox is launched, a moment before the SSH
    // server inside accepts connections (gridd then closes the tunnel saying it cannot reach
    // it). Wait for the first shell, as a user would press Reconnect.
    QString waitUntilReachable()
    {
        QString lastError;
        const bool reachable = waitFor([&] {
            SshClient probe;
            QSignalSpy opened(&probe, &SshClient::shellOpened);
            QSignalSpy closed(&probe, &SshClient::closed);
            QObject::connect(&probe, &SshClient::errorOccurred,
                             [&](SshError, const QString &message) { lastError = message; });
            probe.connectToSession(*api, session, options(key));
            if (!waitFor([&] { return opened.count() > 0 || closed.count() > 0; }, 10000))
                return false;
            if (opened.isEmpty()) {
                QTest::qWait(300);
                return false;
            }
            probe.close();
            return true;
        }, 30000);
        if (reachable)
            return {};
        return QStringLiteral("session %1 is not reachable over SSH: %2\n%3\n%4")
            .arg(session, lastError,
                 QString::fromUtf8(QJsonDocument(gridd->call("GET", path()).object()).toJson()),
                 gridd->readLog().right(4000));
    }
};

} // namespace og::test
