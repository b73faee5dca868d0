// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/griddprocess.h"

#include "core/localplatform.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

namespace og::test {

GriddProcess::GriddProcess(QString dataDir, QStringList extraArgs)
    : m_dataDir(std::move(dataDir))
    , m_extraArgs(std::move(extraArgs))
{
    if (m_dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->path() + QStringLiteral("/data");
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

GriddProcess::~GriddProcess()
{
    if (isRunning())
        terminate();
}

// OPENGRID_TEST_BIN_DIR runs the tests against binaries elsewhere: a bundle copied to a GPU
// machine, where the build tree's path does not exist (scripts/gpu-check.sh).
static QString binDir()
{
    return qEnvironmentVariable("OPENGRID_TEST_BIN_DIR", QStringLiteral(OPENGRID_BIN_DIR));
}

QString GriddProcess::griddProgram()
{
    return binDir() + QStringLiteral("/gridd");
}

QString GriddProcess::gridProgram()
{
    return binDir() + QStringLiteral("/grid");
}

QString GriddProcess::visiblePath(const QString &path) const
{
    if (!ownMountNamespace || m_process.processId() <= 0)
        return path;
    return QStringLiteral("/proc/%1/root%2").arg(m_process.processId()).arg(path);
}

bool GriddProcess::start(QString *error)
{
    if (!ownMountNamespace)
        QFile::remove(localplatform::endpointFile(m_dataDir));
    QStringList args{QStringLiteral("--data-dir"), m_dataDir};
    if (!m_extraArgs.contains(QStringLiteral("--listen")))
        args << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
    args += m_extraArgs;
    if (launcher.isEmpty())
        m_process.start(griddProgram(), args);
    else
        m_process.start(launcher.front(), launcher.mid(1) + QStringList{griddProgram()} + args);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("gridd did not start: %1").arg(m_process.errorString());
        return false;
    }
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("gridd exited: %1").arg(readLog());
            return false;
        }
        QFile f(visiblePath(localplatform::endpointFile(m_dataDir)));
        if (f.open(QIODevice::ReadOnly)) {
            const QJsonObject ep = QJsonDocument::fromJson(f.readAll()).object();
            if (ep.value(QStringLiteral("pid")).toInteger() == m_process.processId()) {
                m_url = QUrl(ep.value(QStringLiteral("url")).toString());
                if (call("GET", QStringLiteral("/health")).ok())
                    return true;
            }
        }
        m_process.waitForReadyRead(50);
    }
    *error = QStringLiteral("gridd did not become healthy: %1").arg(readLog());
    return false;
}

void GriddProcess::terminate()
{
    m_process.terminate();
    if (!m_process.waitForFinished(15000))
        kill();
}

void GriddProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(10000);
}

bool GriddProcess::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

QString GriddProcess::readLog() const
{
    auto *p = const_cast<QProcess *>(&m_process);
    return QString::fromUtf8(p->readAll());
}

QString GriddProcess::localToken() const
{
    QFile f(visiblePath(localplatform::credentialsFile(m_dataDir)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("APIKey")).toString();
}

std::unique_ptr<ApiClient> GriddProcess::client(const QString &token) const
{
    auto c = std::make_unique<ApiClient>();
    c->setBaseUrl(m_url);
    c->setToken(token.isEmpty() ? localToken() : token);
    c->setMaxAttempts(1);
    c->setTimeout(std::chrono::seconds(10));
    if (!caFile.isEmpty())
        c->addCaCertificatesFile(caFile);
    return c;
}

ApiResult GriddProcess::call(const QByteArray &method, const QString &path, const QJsonValue &body,
                             const QString &token) const
{
    return client(token)->call(method, path, body);
}

int GriddProcess::runGridd(const QStringList &args, QString *out)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(griddProgram(), args);
    p.waitForFinished(30000);
    *out = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QString GriddProcess::addUser(const QString &dataDir, const QString &name, const QStringList &extra)
{
    QString out;
    if (runGridd(QStringList{QStringLiteral("--data-dir"), dataDir} + extra
                     + QStringList{QStringLiteral("user"), QStringLiteral("add"), name},
                 &out)
        != 0)
        return {};
    static const QRegularExpression re(QStringLiteral("(grid_[a-z0-9]{12}_[0-9a-f]{64})"));
    return re.match(out).captured(1);
}

CliResult runGrid(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(GriddProcess::gridProgram(), args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QProcessEnvironment cliEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("OPENGRID_DATA_DIR"), home + QStringLiteral("/platform"));
    env.insert(QStringLiteral("COLUMNS"), QStringLiteral("100"));
    for (const char *var : {"GRID_URL", "GRID_USER_ID", "GRID_API_KEY", "GRID_DIR", "XDG_DATA_HOME",
                            "GRID_CREDENTIAL_PATH", "GRID_SETTINGS_PATH"})
        env.remove(QString::fromLatin1(var));
    return env;
}

QByteArray rawExchange(const QUrl &url, const QByteArray &bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(bytes);
    socket.waitForBytesWritten(timeoutMs);
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            received += socket.readAll();
    }
    received += socket.readAll();
    return received;
}

bool onlyOwnerCanRead(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    return (st.st_mode & 0777) == 0600;
}

int statusOf(const QByteArray &raw)
{
    const QList<QByteArray> parts = raw.left(raw.indexOf("\r\n")).split(' ');
    return parts.size() >= 2 ? parts[1].toInt() : 0;
}

} // namespace og::test
