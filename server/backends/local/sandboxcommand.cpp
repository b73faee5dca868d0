// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/backends/local/sandboxcommand.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace og::sandbox {

QString bubblewrapProgram()
{
    return QStandardPaths::findExecutable(QStringLiteral("bwrap"));
}

QString cudaVisibleDevices(const QList<GpuDevice> &gpus)
{
    QStringList ids;
    for (const GpuDevice &g : gpus)
        ids.append(g.uuid.isEmpty() ? QString::number(g.index) : g.uuid);
    return ids.join(u',');
}

QStringList arguments(const ExperimentLaunch &l, QString *error)
{
    if (l.command.isEmpty()) {
        *error = QStringLiteral("no command to run");
        return {};
    }
    QStringList a;
    a << QStringLiteral("--die-with-parent") << QStringLiteral("--new-session") << QStringLiteral("--unshare-pid")
      << QStringLiteral("--unshare-ipc") << QStringLiteral("--unshare-uts") << QStringLiteral("--hostname") << l.experimentName;
    a << QStringLiteral("--ro-bind") << QStringLiteral("/usr") << QStringLiteral("/usr");
    a << QStringLiteral("--ro-bind") << QStringLiteral("/etc") << QStringLiteral("/etc");
    // Debian's merged /usr: /bin, /lib… are symlinks; recreate them, or bind real directories.
    for (const char *top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"}) {
        const QFileInfo info(QString::fromLatin1(top));
        if (info.isSymLink())
            a << QStringLiteral("--symlink") << info.symLinkTarget().replace(QStringLiteral("/usr/"), QStringLiteral("usr/"))
              << info.filePath();
        else if (info.isDir())
            a << QStringLiteral("--ro-bind") << info.filePath() << info.filePath();
    }
    a << QStringLiteral("--proc") << QStringLiteral("/proc") << QStringLiteral("--dev") << QStringLiteral("/dev")
      << QStringLiteral("--tmpfs") << QStringLiteral("/tmp");
    // Only this experiment's GPUs exist in its /dev.
    if (!l.gpus.isEmpty()) {
        for (const char *control : {"/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset"})
            if (QFileInfo::exists(QString::fromLatin1(control)))
                a << QStringLiteral("--dev-bind") << QString::fromLatin1(control) << QString::fromLatin1(control);
        for (const GpuDevice &g : l.gpus) {
            const QString node = QStringLiteral("/dev/nvidia%1").arg(g.index);
            if (QFileInfo::exists(node))
                a << QStringLiteral("--dev-bind") << node << node;
        }
        if (QFileInfo::exists(QStringLiteral("/proc/driver/nvidia")))
            a << QStringLiteral("--ro-bind") << QStringLiteral("/proc/driver/nvidia") << QStringLiteral("/proc/driver/nvidia");
    }
    a << QStringLiteral("--bind") << experimentfiles::workDir(l.experimentDir) << kProjectDir;
    a << QStringLiteral("--bind") << QFileInfo(experimentfiles::metricsFile(l.experimentDir)).absolutePath() << kGridDir;
    if (!l.datastorePath.isEmpty()) {
        if (!QDir::isAbsolutePath(l.mountDir) || QDir::cleanPath(l.mountDir) != l.mountDir || l.mountDir == u"/") {
            *error = QStringLiteral("the datastore mount dir '%1' must be an absolute, normalised path").arg(l.mountDir);
            return {};
        }
        a << QStringLiteral("--ro-bind") << l.datastorePath << l.mountDir;
    }
    const bool session = !l.homeDir.isEmpty();
    if (session) {
        if (!QDir::isAbsolutePath(l.homeTarget) || l.homeTarget == u"/") {
            *error = QStringLiteral("the session's home '%1' must be an absolute path").arg(l.homeTarget);
            return {};
        }
        // sshd (started per connection inside) wants /run/sshd; DNS may live under /run too.
        a << QStringLiteral("--tmpfs") << QStringLiteral("/run") << QStringLiteral("--dir") << QStringLiteral("/run/sshd");
        if (QFileInfo(QStringLiteral("/run/systemd/resolve")).isDir())
            a << QStringLiteral("--ro-bind") << QStringLiteral("/run/systemd/resolve") << QStringLiteral("/run/systemd/resolve");
        a << QStringLiteral("--bind") << l.homeDir << l.homeTarget;
    }
    for (const SandboxBind &b : l.binds)
        a << (b.writable ? QStringLiteral("--bind") : QStringLiteral("--ro-bind")) << b.source << b.target;
    a << QStringLiteral("--chdir") << (session ? l.homeTarget : kProjectDir) << QStringLiteral("--clearenv");
    QMap<QString, QString> env = l.environment;
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    env.insert(QStringLiteral("HOME"), session ? l.homeTarget : QStringLiteral("/tmp"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")); // logs arrive live
    env.insert(QStringLiteral("CUDA_VISIBLE_DEVICES"), cudaVisibleDevices(l.gpus));
    env.insert(QStringLiteral("GRID_METRICS_FILE"), kGridDir + QStringLiteral("/metrics.jsonl"));
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        a << QStringLiteral("--setenv") << it.key() << it.value();
    a << QStringLiteral("--");
    a += l.command;
    return a;
}

} // namespace og::sandbox
