// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>

#include <mutex>
#include <optional>

namespace og {

// The content-addressed object store: every file of every datastore version, once, named by
// the SHA-256 of its bytes, under <data>/objects/ab/cdef…. Bytes are verified against their
// name before they are stored, written to an unnamed file (or a temporary name) and linked
// (or renamed) into place only when whole, and read-only (versions are trees of hard links
// to these files). Durability is established in
// bulk with sync() before a version that uses them is committed, not per object; large
// objects start their write-back as soon as they are stored, so that sync() finds little left.
// Thread-safe: concurrent writers of the same object race benignly to the same bytes.
class ObjectStore final
{
    Q_DISABLE_COPY_MOVE(ObjectStore)

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

    // Stores object `sha256` of `size` bytes from a regular file the uploader opened and passed
    // over the local intake socket (SCM_RIGHTS): gridd reads only through that descriptor, so
    // it reads nothing the uploader could not. The bytes are hashed as they are read and must
    // hash to `sha256` (else 400 hash_mismatch, nothing stored), also when the object is already
    // stored (the uploader proves it holds them). Large objects are read, hashed and written
    // past the page cache chunk by chunk, never held whole in memory. With `sha256` empty the
    // object is stored under the hash of what was read (there is nothing to check it against).
    // `stored` (may be null) receives the name it is stored under.
    // `wrote` (may be null) says whether this call added it to the store.
    PutResult putFromDescriptor(const QString &sha256, qint64 size, int fd, QString *stored = nullptr, bool *wrote = nullptr);

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
    // Whether this gridd process stored the object itself, from bytes it hashed as it wrote
    // them. Such an object needs no re-read before it is flushed: its bytes were checked
    // on the way in, and only a crash of the machine — which also ends this process and
    // empties this record — could lose them before sync(). Objects from before a restart
    // are not in it and are verified the slow way.
    bool storedByThisProcess(const QString &sha256) const;
    // Drops objects from that record once they are marked verified in the database.
    void forgetStoredByThisProcess(const QStringList &hashes);
    bool remove(const QString &sha256);
    // Flushes everything written so far to stable storage (syncfs of the store's filesystem).
    QString sync() const;
    // Flushes the given objects, the directory entries that name them and `alsoPaths`, all at
    // once; empty on success.
    QString syncObjects(const QStringList &hashes, const QStringList &alsoPaths = {}) const;
    // fsync of each path, file or directory; empty on success, else which failed and why.
    static QString syncPaths(const QStringList &paths);
    const QString &root() const { return m_root; }

private:
    // put() without a temporary name; nothing when this filesystem cannot do that.
    std::optional<PutResult> putUnnamed(const QString &sha256, const QByteArray &bytes);
    // put() once the bytes are known to hash to `sha256`.
    PutResult storeChecked(const QString &sha256, const QByteArray &bytes);
    void rememberFresh(const QString &sha256);
    PutResult storeFile(const QString &tempPath, const QString &sha256, bool hashedByThisProcess);
    QString partialPath(const QString &owner, const QString &sha256) const;
    QString m_root;
    mutable std::mutex m_freshMutex;
    QSet<QString> m_fresh; // see storedByThisProcess()
};

} // namespace og
