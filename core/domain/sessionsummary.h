// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace og {

// A session as the API describes it: one row of `grid session` and `grid status`.
struct SessionSummary
{
    QString name;
    QString status; // pending, running, pausing, paused, resuming, failed, deleted
    QString instanceType;
    QDateTime createdAt;
    QDateTime startedAt; // start of the current running period, for the Duration column
    QString url;
    QString datastore;        // mounted datastore name, or empty
    int datastoreVersion = 0;
    QString mountDir;         // where the datastore appears (also at ~/datastore)
    QString reason;           // why it failed, when it did
    QString hostKey;          // the session's SSH host key line, for known_hosts
    QString sshUser;          // the login inside the session
    int sshConnections = 0;   // SSH connections open to it now
    int diskSizeGb = 0;       // as asked at create (0: not given); recorded, not enforced locally

    QJsonObject toJson() const;
    static SessionSummary fromJson(const QJsonObject &json);
    bool operator==(const SessionSummary &) const = default;
};

} // namespace og
