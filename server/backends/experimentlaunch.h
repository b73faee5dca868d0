// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace og {

// One more path a sandbox sees: `source` on the gridd machine at `target` inside.
struct SandboxBind
{
    QString source;
    QString target;
    bool writable = false;
};

// Everything a compute backend needs to start one experiment (or one session: then
// experimentDir is the session's instance directory and homeDir its persistent home). Paths are on the gridd
// machine; the backend decides how they appear inside the sandbox.
struct ExperimentLaunch
{
    QString experimentId;
    QString experimentName; // <run>-exp<N>
    QString runName;
    QString userId;
    QString experimentDir;  // private to this experiment: work/, logs, exit status
    QString codeDir;        // the run's code snapshot, copied into the working directory
    QStringList command;    // interpreter, script (relative to the code root) and concrete args
    QString datastorePath;  // read-only tree to mount, or empty
    QString mountDir;       // where the datastore appears, e.g. /datastores/cifar5
    QList<GpuDevice> gpus;  // the GPUs given to this experiment
    InstanceShape shape;
    QMap<QString, QString> environment; // user variables plus Grid's GRID_* ones
    int stopGraceSeconds = 10;
    QString homeDir;            // sessions: bound read-write at homeTarget, the working directory
    QString homeTarget;
    QList<SandboxBind> binds;   // after the others, in order

    QJsonObject toJson() const;
    static ExperimentLaunch fromJson(const QJsonObject &json);
};

// How an experiment ended, as its supervisor recorded it.
struct ExitStatus
{
    int exitCode = -1;  // -1 when killed by a signal
    int signal = 0;
    bool stopped = false; // ended because it was asked to stop
    QString error;        // set when the experiment never ran (no supervisor, no sandbox)
    QString startedAt;
    QString finishedAt;

    bool succeeded() const { return exitCode == 0 && signal == 0 && !stopped && error.isEmpty(); }
    QString describe() const; // "exit code 3", "killed by signal 9 (SIGKILL: out of memory?)"
    QJsonObject toJson() const;
    static ExitStatus fromJson(const QJsonObject &json);
};

// Where an experiment's files live inside its directory.
namespace experimentfiles {
inline QString workDir(const QString &dir) { return dir + QStringLiteral("/work"); }
inline QString logFile(const QString &dir) { return dir + QStringLiteral("/output.log"); }
inline QString metricsFile(const QString &dir) { return dir + QStringLiteral("/grid/metrics.jsonl"); }
inline QString specFile(const QString &dir) { return dir + QStringLiteral("/launch.json"); }
inline QString pidFile(const QString &dir) { return dir + QStringLiteral("/supervisor.pid"); }
inline QString exitFile(const QString &dir) { return dir + QStringLiteral("/exit.json"); }
} // namespace experimentfiles

} // namespace og
