// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"

#include <QHostAddress>
#include <QList>
#include <QString>

#include <optional>

namespace og {

// Limits of the datastore service (config key `datastores`).
struct DatastoreLimits
{
    qint64 quotaBytes = 0;                  // per user, over versions not failed; 0 = none
    qint64 maxDownloadBytes = 16LL << 30;   // URL sources
    int downloadTimeoutSeconds = 60;        // without progress
    qint64 maxExtractedBytes = 64LL << 30;  // archives (zip bombs stop here)
    qint64 maxArchiveEntries = 2'000'000;
    qint64 gcGraceSeconds = 24 * 3600;      // uploaded objects no version uses yet are kept this long
};

// gridd's settings: YAML file first, then command-line flags on top.
struct ServerConfig
{
    enum class Mode { Local, Server };

    Mode mode = Mode::Local;
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 7411;
    QString dataDir; // empty until resolved: local default or from config/flags
    QString tlsCertificate;
    QString tlsKey;
    qint64 maxBodyBytes = 1 << 20;   // JSON API bodies; bulk data moves in bounded parts
    qint64 maxHeaderBytes = 16 << 10;
    int requestTimeoutSeconds = 30;  // a client that stalls mid-request is dropped
    int workerThreads = 0;           // 0: one per CPU
    QString logRules;                // QLoggingCategory filter rules
    QList<InstanceType> instanceTypes; // named shapes added by the administrator
    DatastoreLimits datastores;
    int maxExperimentsPerRun = 1000; // config `runs: {max_experiments: N}`

    bool tlsEnabled() const { return !tlsCertificate.isEmpty(); }
    bool bindsLoopbackOnly() const;
    QString modeName() const { return mode == Mode::Local ? QStringLiteral("local") : QStringLiteral("server"); }

    // Parses YAML text; on failure returns nothing and a message naming the key or line.
    static std::optional<ServerConfig> fromYaml(const QByteArray &yaml, QString *error);
    static std::optional<ServerConfig> fromFile(const QString &path, QString *error);
    // "host:port", "[v6]:port" or ":port".
    QString setListen(const QString &spec);
    // Everything that makes a start unsafe or impossible, as one message; empty if fine.
    QString validate() const;
};

// "32GiB", "512 MiB", "16gb", "1073741824" → bytes; -1 when unreadable.
qint64 parseByteSize(const QString &text);

} // namespace og
