// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace og::localplatform {

// The user's own gridd in local mode: where its data lives and the files it leaves there for
// clients. Used by the CLI and the desktop app to find (and if needed start) it.
QString defaultDataDir(); // $OPENGRID_DATA_DIR, else ~/.local/share/opengrid
QString endpointFile(const QString &dataDir);    // written by gridd once it listens
QString credentialsFile(const QString &dataDir); // the local user's key, 0600

struct Endpoint
{
    QUrl url;
    qint64 pid = 0;
    QString username;
    QString apiKey;
};

// Reads the endpoint and the local credentials; nothing if gridd has not written them.
std::optional<Endpoint> readEndpoint(const QString &dataDir, QString *error);

// Returns the running local gridd for `dataDir`, starting it (detached, log in
// <dataDir>/gridd.log) when none answers. A lock file makes concurrent callers start it once.
std::optional<Endpoint> ensureRunning(const QString &griddProgram, const QString &dataDir,
                                      QString *error,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

// gridd next to the running executable, else on PATH.
QString findGriddProgram();

// True when `pid` is a live process (signal 0).
bool processAlive(qint64 pid);

} // namespace og::localplatform
