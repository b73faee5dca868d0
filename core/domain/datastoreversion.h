// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace og {

// One immutable version of a datastore, as listed by `grid datastore`.
struct DatastoreVersion
{
    QString name;
    int version = 0;
    QString status;   // uploading, optimizing, succeeded, failed
    QString reason;   // why it failed; empty otherwise
    QString rootHash; // SHA-256 of the canonical manifest
    qint64 sizeBytes = 0;
    int fileCount = 0;
    QString source;   // where it came from, as the user gave it (path or URL)
    QDateTime createdAt;
    QDateTime updatedAt;

    bool isFinal() const { return status == u"succeeded" || status == u"failed"; }
    QJsonObject toJson() const;
    static DatastoreVersion fromJson(const QJsonObject &json);
    bool operator==(const DatastoreVersion &) const = default;
};

} // namespace og
