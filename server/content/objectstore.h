// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace og {

// The content-addressed object store: every file of every datastore version, once, named by
// the SHA-256 of its bytes, under <data>/objects/ab/cdef…. Bytes are verified against their
// name before they are stored, written to a temporary name and renamed into place, and made
// read-only (versions are trees of hard links to these files). Durability is established in
// bulk with sync() before a version that uses them is committed, not per object.
// Thread-safe: concurrent writers of the same object race benignly to the same bytes.
class ObjectStore final
{
public:
    explicit ObjectStore(QString root);

    QString prepare(); // creates the directories; empty on success

    QString pathOf(const QString &sha256) const;
    bool contains(const QString &sha256) const;
    qint64 sizeOf(const QString &sha256) const; // -1 when absent

    struct PutResult
    {
        int httpStatus = 201; // 201 stored, 400 hash mismatch, 507 disk full, 500 other
        QString errorCode;
        QString message;
        bool ok() const { return errorCode.isEmpty(); }
    };
    // Stores `bytes` as object `sha256` after checking that they hash to it.
    PutResult put(const QString &sha256, const QByteArray &bytes);

    // Moves a file gridd produced itself (an extracted archive entry, already hashed) into the
    // store; the file must be on the store's filesystem. A duplicate is simply deleted.
    PutResult adoptFile(const QString &path, const QString &sha256);

    // Resumable upload of a large object in parts, kept per uploader (`owner`).
    qint64 partialSize(const QString &owner, const QString &sha256) const;
    // Appends a part at `offset`; when `offset + bytes` reaches `totalSize` the whole object is
    // verified and stored. `received` is the partial size after the call.
    PutResult putPart(const QString &owner, const QString &sha256, qint64 offset, qint64 totalSize,
                      const QByteArray &bytes, qint64 *received, bool *complete);

    // Re-reads an object and checks its hash (the "optimizing" step); empty when it is intact.
    QString verify(const QString &sha256) const;
    bool remove(const QString &sha256);
    // Flushes everything written so far to stable storage (syncfs of the store's filesystem).
    QString sync() const;
    const QString &root() const { return m_root; }

private:
    PutResult storeFile(const QString &tempPath, const QString &sha256);
    QString partialPath(const QString &owner, const QString &sha256) const;
    QString m_root;
};

} // namespace og
