// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace og {

// One experiment of a run: the script with one concrete set of arguments.
struct Experiment
{
    QString name;    // <run>-exp<N>
    QString runName;
    int index = 0;
    QString status;  // pending, queued, running, succeeded, failed, cancelled
    QString command; // as shown in tables: the script and its concrete arguments
    QStringList args;
    QList<QPair<QString, QString>> params; // swept flag → value, for one column each
    int exitCode = -1;
    QString reason;  // why it failed or was cancelled
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;

    bool isActive() const { return status == u"pending" || status == u"queued" || status == u"running"; }
    QJsonObject toJson() const;
    static Experiment fromJson(const QJsonObject &json);
    bool operator==(const Experiment &) const = default;
};

} // namespace og
