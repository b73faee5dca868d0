// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/sessions/sessionmanager.h"

#include "core/securefile.h"
#include "server/backends/computebackend.h"
#include "server/backends/experimentlaunch.h"
#include "server/backends/local/sandboxcommand.h"
#include "server/events/eventhub.h"
#include "server/resources/instancetyperegistry.h"
#include "server/sessions/sessionagent.h"
#include "server/store/database.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSessions, "opengrid.server.sessions")

namespace og {

namespace {
// Where the session's own files appear inside its sandbox.
const QString kInsideDir = QStringLiteral("/.opengrid");
const QString kInsideAgent = kInsideDir + QStringLiteral("/session-agent");
const QString kInsideSsh = kInsideDir + QStringLiteral("/ssh");
const QString kInsideRun = kInsideDir + QStringLiteral("/run");

QString instanceDir(const QString &sessionDir) { return sessionDir + QStringLiteral("/instance"); }

QString loginHome()
{
    const passwd *pw = ::getpwuid(::geteuid());
    return pw && pw->pw_dir ? QString::fromLocal8Bit(pw->pw_dir) : QStringLiteral("/root");
}

// sshd_config values are whitespace-separated; quote what could hold spaces.
QString setEnvValue(const QString &name, const QString &value)
{
    QString v = value;
    v.replace(u'"', QStringLiteral("\\\""));
    return QStringLiteral("\"%1=%2\"").arg(name, v);
}

// Makes `name` under the open directory `parent` a real directory — removing a symlink or file
// the session may have left in its place, since gridd must never follow a path the session
// controls — and returns it open, or -1.
int openOwnDirectoryAt(int parent, const char *name)
{
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    if (const int fd = ::openat(parent, name, kFlags); fd >= 0)
        return fd;
    if (errno != ENOENT && !((errno == ELOOP || errno == ENOTDIR) && ::unlinkat(parent, name, 0) == 0))
        return -1;
    if (::mkdirat(parent, name, 0755) != 0 && errno != EEXIST)
        return -1;
    return ::openat(parent, name, kFlags);
}

// The session's own /var (`<session>/var`, kept across pauses like its home): programs expect a
// writable /var/tmp, and sshd records each login in /var/log/lastlog, saying on the login's
// terminal that it "Couldn't stat" the file when there is none; /var/run is /run as on the
// host. Made at each start, so sessions from before it get one too. The session can change
// what is inside (it runs with gridd's uid), so everything below `var` is opened relative to it
// without following links. Returns what could not be set up: worth a warning, not a failed start.
QStringList prepareVar(const QString &var, bool *usable)
{
    const QByteArray path = QFile::encodeName(var);
    *usable = (::mkdir(path.constData(), 0755) == 0 || errno == EEXIST);
    const int varFd = *usable ? ::open(path.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    *usable = varFd >= 0; // `var` itself is in gridd's session directory, out of the session's reach
    if (!*usable)
        return {QStringLiteral("%1: %2").arg(var, QString::fromLocal8Bit(std::strerror(errno)))};
    QStringList problems;
    if (const int tmp = openOwnDirectoryAt(varFd, "tmp"); tmp >= 0) {
        if (::fchmod(tmp, 01777) != 0)
            problems << QStringLiteral("tmp: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        ::close(tmp);
    } else {
        problems << QStringLiteral("tmp: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    if (const int log = openOwnDirectoryAt(varFd, "log"); log >= 0) {
        // O_NONBLOCK: a FIFO left there must not hang gridd.
        constexpr int kFlags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
        int lastlog = ::openat(log, "lastlog", kFlags, 0644);
        if (lastlog < 0 && errno == ELOOP && ::unlinkat(log, "lastlog", 0) == 0)
            lastlog = ::openat(log, "lastlog", kFlags, 0644);
        if (lastlog >= 0)
            ::close(lastlog);
        else
            problems << QStringLiteral("log/lastlog: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        ::close(log);
    } else {
        problems << QStringLiteral("log: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    char target[8] = {};
    if (const ssize_t n = ::readlinkat(varFd, "run", target, sizeof target); !(n == 4 && std::memcmp(target, "/run", 4) == 0)) {
        if (n >= 0)
            ::unlinkat(varFd, "run", 0); // a link to somewhere else
        else if (errno == EINVAL && ::unlinkat(varFd, "run", AT_REMOVEDIR) != 0)
            ::unlinkat(varFd, "run", 0); // a file; a directory only while empty (else it stays, with a warning)
        if (::symlinkat("/run", varFd, "run") != 0)
            problems << QStringLiteral("run: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    ::close(varFd);
    return problems;
}
} // namespace

SessionManager::SessionManager(Database &database, EventHub &events, ComputeBackend &backend,
                               const InstanceTypeRegistry &types, QString root, QString agentProgram)
    : m_database(database)
    , m_events(events)
    , m_backend(backend)
    , m_types(types)
    , m_root(std::move(root))
    , m_agent(std::move(agentProgram))
    , m_connections(std::make_unique<SshConnections>([this](const SshSessionRef &s) { publish(s.userId, s.name); }))
{
}

SessionManager::~SessionManager() = default;

QString SessionManager::handOverSocket(const QString &id) const
{
    return QString::fromStdString(handOverSocketPath(agentSocket(id).toStdString()));
}

QString SessionManager::loginUser()
{
    const passwd *pw = ::getpwuid(::geteuid());
    return pw && pw->pw_name ? QString::fromLocal8Bit(pw->pw_name) : QStringLiteral("root");
}

QString SessionManager::sshdProgram()
{
    for (const QString &candidate : {QStringLiteral("/usr/sbin/sshd"), QStringLiteral("/usr/bin/sshd")})
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    return {};
}

QString SessionManager::prepare(const QString &id, const QString &name, QString *hostKey) const
{
    const QString dir = sessionDir(id);
    for (const char *sub : {"home", "ssh", "run", "instance"})
        if (!QDir().mkpath(dir + u'/' + QLatin1String(sub)))
            return QStringLiteral("cannot create the session's directory %1/%2").arg(dir, QLatin1String(sub));
    QFile::setPermissions(dir + QStringLiteral("/home"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QFile::setPermissions(dir + QStringLiteral("/ssh"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString key = dir + QStringLiteral("/ssh/ssh_host_ed25519_key");
    if (!QFile::exists(key)) {
        QProcess keygen;
        keygen.start(QStringLiteral("ssh-keygen"), {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                                                    QStringLiteral("-N"), QString(), QStringLiteral("-C"),
                                                    QStringLiteral("opengrid-session-") + name, QStringLiteral("-f"), key});
        if (!keygen.waitForFinished(30000) || keygen.exitStatus() != QProcess::NormalExit || keygen.exitCode() != 0)
            return QStringLiteral("cannot make the session's SSH host key (is ssh-keygen installed?): %1")
                .arg(QString::fromLocal8Bit(keygen.readAllStandardError()).trimmed() + keygen.errorString());
    }
    QFile pub(key + QStringLiteral(".pub"));
    if (!pub.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the session's SSH host key %1.pub").arg(key);
    const QStringList parts = QString::fromLatin1(pub.readAll()).split(u' ', Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return QStringLiteral("the session's SSH host key %1.pub is damaged").arg(key);
    *hostKey = parts.at(0) + u' ' + parts.at(1);
    return {};
}

QString SessionManager::writeAuthorizedKeys(const QString &id, const QString &keys) const
{
    return writeFileAtomically(sessionDir(id) + QStringLiteral("/ssh/authorized_keys"), keys.toUtf8(), true);
}

void SessionManager::stop(const QString &id) const
{
    m_backend.stop(instanceDir(sessionDir(id)));
}

void SessionManager::removeFiles(const QString &id) const
{
    const QString dir = sessionDir(id);
    // The home may hold read-only files a user made (pip caches, git objects).
    QProcess chmod;
    chmod.start(QStringLiteral("chmod"), {QStringLiteral("-R"), QStringLiteral("u+rwX"), dir});
    chmod.waitForFinished(60000);
    QDir(dir).removeRecursively();
}

std::optional<InstanceShape> SessionManager::shapeOf(const SessionRecord &s) const
{
    const auto resolved = m_types.resolve(s.info.instanceType);
    if (!resolved.type)
        return std::nullopt;
    return resolved.type->shape;
}

QString SessionManager::writeSshdConfig(const SessionRecord &s, const QList<GpuDevice> &gpus) const
{
    const bool root = ::geteuid() == 0;
    QStringList lines{
        QStringLiteral("# Written by gridd for session %1 at each start; sshd runs inside the session.").arg(s.info.name),
        QStringLiteral("HostKey %1/ssh_host_ed25519_key").arg(kInsideSsh),
        QStringLiteral("AuthorizedKeysFile %1/authorized_keys").arg(kInsideSsh),
        QStringLiteral("PubkeyAuthentication yes"),
        QStringLiteral("PasswordAuthentication no"),
        QStringLiteral("KbdInteractiveAuthentication no"),
        QStringLiteral("UsePAM no"),
        // The files are the platform's, not the login's, and the home is the session's.
        QStringLiteral("StrictModes no"),
        QStringLiteral("PermitRootLogin %1").arg(root ? QStringLiteral("prohibit-password") : QStringLiteral("no")),
        QStringLiteral("PidFile none"),
        QStringLiteral("PrintMotd no"),
        QStringLiteral("PrintLastLog no"),
        QStringLiteral("Subsystem sftp internal-sftp"),
        QStringLiteral("AllowTcpForwarding yes"),
        QStringLiteral("AllowStreamLocalForwarding yes"),
        QStringLiteral("X11Forwarding no"),
        QStringLiteral("AcceptEnv LANG LC_*"),
        QStringLiteral("ClientAliveInterval 30"),
    };
    QStringList env{setEnvValue(QStringLiteral("CUDA_VISIBLE_DEVICES"), sandbox::cudaVisibleDevices(gpus)),
                    setEnvValue(QStringLiteral("GRID_SESSION_NAME"), s.info.name),
                    setEnvValue(QStringLiteral("GRID_SESSION_ID"), s.id),
                    setEnvValue(QStringLiteral("GRID_USER_ID"), s.userId),
                    setEnvValue(QStringLiteral("GRID_CLUSTER_ID"), QStringLiteral("local")),
                    setEnvValue(QStringLiteral("GRID_INSTANCE_TYPE"), s.info.instanceType)};
    if (!s.info.datastore.isEmpty()) {
        env << setEnvValue(QStringLiteral("GRID_DATASTORE_NAME"), s.info.datastore)
            << setEnvValue(QStringLiteral("GRID_DATASTORE_VERSION"), QString::number(s.info.datastoreVersion))
            << setEnvValue(QStringLiteral("GRID_DATASTORE_MOUNT_DIR"), s.info.mountDir);
    }
    lines << QStringLiteral("SetEnv ") + env.join(u' ');
    return writeFileAtomically(sessionDir(s.id) + QStringLiteral("/ssh/sshd_config"), (lines.join(u'\n') + u'\n').toUtf8(), false);
}

void SessionManager::publish(const QString &userId, const QString &name, const QString &action)
{
    SessionStore store(m_database.connection());
    const auto s = store.find(userId, name);
    QJsonObject object = s ? s->info.toJson() : QJsonObject{{QStringLiteral("name"), name}};
    m_events.publish({QStringLiteral("sessions"), action, userId, object});
}

bool SessionManager::tryStart(const SessionRecord &s, int &freeCpus, qint64 &freeMemory, QList<int> &freeGpus)
{
    SessionStore store(m_database.connection());
    const auto shape = shapeOf(s);
    if (!shape) {
        if (store.transition(s.id, {QStringLiteral("pending")}, QStringLiteral("failed"),
                             QStringLiteral("instance type '%1' no longer exists on this cluster").arg(s.info.instanceType)))
            publish(s.userId, s.info.name);
        return false;
    }
    if (shape->cpus > freeCpus || shape->memoryBytes > freeMemory || shape->gpus > freeGpus.size())
        return false; // stays pending until experiments or other sessions free enough
    QList<GpuDevice> gpus;
    QList<int> indexes;
    for (int i = 0; i < shape->gpus; ++i) {
        const int index = freeGpus.takeFirst();
        indexes.append(index);
        for (const GpuDevice &g : m_types.cluster().gpus)
            if (g.index == index)
                gpus.append(g);
    }
    freeCpus -= shape->cpus;
    freeMemory -= shape->memoryBytes;

    const QString dir = sessionDir(s.id);
    auto fail = [&](const QString &why) {
        qCWarning(lcSessions).noquote() << "session" << s.info.name << "cannot start:" << why;
        if (store.transition(s.id, {QStringLiteral("pending")}, QStringLiteral("failed"), why))
            publish(s.userId, s.info.name);
        return true;
    };
    if (sshdProgram().isEmpty())
        return fail(QStringLiteral("openssh-server is not installed on the gridd machine (apt-get install openssh-server)"));
    if (!QFileInfo(m_agent).isExecutable())
        return fail(QStringLiteral("%1 is missing; it is built and installed with gridd").arg(m_agent));
    if (const QString e = writeSshdConfig(s, gpus); !e.isEmpty())
        return fail(e);
    bool varUsable = false;
    if (const QStringList problems = prepareVar(dir + QStringLiteral("/var"), &varUsable); !problems.isEmpty())
        qCWarning(lcSessions).noquote() << "session" << s.info.name << "/var not fully set up:" << problems.join(QStringLiteral("; "));
    QFile::remove(agentSocket(s.id));
    QFile::remove(handOverSocket(s.id));

    ExperimentLaunch launch;
    launch.experimentId = s.id;
    launch.experimentName = s.info.name;
    launch.userId = s.userId;
    launch.experimentDir = instanceDir(dir);
    launch.command = {kInsideAgent, kInsideRun + QStringLiteral("/agent.sock"),
                      kInsideSsh + QStringLiteral("/sshd_config"), sshdProgram()};
    launch.datastorePath = s.datastorePath;
    launch.mountDir = s.info.mountDir;
    launch.gpus = gpus;
    launch.shape = *shape;
    launch.stopGraceSeconds = 5;
    launch.homeDir = dir + QStringLiteral("/home");
    launch.homeTarget = loginHome();
    launch.binds = {{m_agent, kInsideAgent, false}, {dir + QStringLiteral("/ssh"), kInsideSsh, false},
                    {dir + QStringLiteral("/run"), kInsideRun, true}};
    if (varUsable)
        launch.binds.append({dir + QStringLiteral("/var"), QStringLiteral("/var"), true});
    if (!s.datastorePath.isEmpty())
        launch.binds.append({s.datastorePath, launch.homeTarget + QStringLiteral("/datastore"), false});
    launch.environment.insert(QStringLiteral("GRID_SESSION_NAME"), s.info.name);
    launch.environment.insert(QStringLiteral("USER"), loginUser());
    launch.environment.insert(QStringLiteral("LOGNAME"), loginUser());
    if (const QString e = m_backend.launch(launch); !e.isEmpty())
        return fail(e);
    if (!store.markRunning(s.id, indexes)) {
        m_backend.stop(launch.experimentDir); // paused or deleted meanwhile: the next pass settles it
        return true;
    }
    qCInfo(lcSessions).noquote() << "session" << s.info.name << "running";
    publish(s.userId, s.info.name);
    return true;
}

void SessionManager::pass(int &freeCpus, qint64 &freeMemory, QList<int> &freeGpus)
{
    SessionStore store(m_database.connection());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const SessionRecord &s : store.inStatus({QStringLiteral("running"), QStringLiteral("pausing"), QStringLiteral("deleting")})) {
        const QString instance = instanceDir(sessionDir(s.id));
        if (const auto ended = m_backend.poll(instance)) {
            m_stopSentAt.remove(s.id);
            QFile::remove(experimentfiles::exitFile(instance)); // the next start begins afresh
            if (s.info.status == u"deleting") {
                removeFiles(s.id);
                store.remove(s.id);
                qCInfo(lcSessions).noquote() << "session" << s.info.name << "deleted";
                m_events.publish({QStringLiteral("sessions"), QStringLiteral("deleted"), s.userId, s.info.toJson()});
            } else if (store.transition(s.id, {s.info.status}, s.info.status == u"pausing" ? QStringLiteral("paused") : QStringLiteral("failed"),
                                        s.info.status == u"pausing" ? QString() : QStringLiteral("the session ended by itself: %1").arg(ended->describe()))) {
                qCInfo(lcSessions).noquote() << "session" << s.info.name << (s.info.status == u"pausing" ? "paused" : "failed");
                publish(s.userId, s.info.name);
            }
            continue;
        }
        if (s.info.status != u"running" && now - m_stopSentAt.value(s.id, 0) > 5000) {
            m_backend.stop(instance); // repeated until the supervisor has it
            m_stopSentAt.insert(s.id, now);
        }
        if (const auto shape = shapeOf(s)) {
            freeCpus -= shape->cpus;
            freeMemory -= shape->memoryBytes;
        }
        for (int g : s.gpus)
            freeGpus.removeAll(g);
    }
    for (const SessionRecord &s : store.inStatus({QStringLiteral("pending")}))
        tryStart(s, freeCpus, freeMemory, freeGpus);
}

} // namespace og
