// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace og {

// One entry of a datastore version: a regular file, a directory or a symbolic link whose
// target stays inside the tree. Paths are relative, '/'-separated, without '.' or '..'.
struct ManifestEntry
{
    enum class Type { File, Directory, Symlink };

    QString path;
    Type type = Type::File;
    int mode = 0644;   // permission bits only
    qint64 size = 0;   // files only
    QString sha256;    // files only: lower-case hex of the content
    QString target;    // symlinks only, relative to the link's directory

    bool operator==(const ManifestEntry &) const = default;
};

// A datastore version's file list in canonical form. The canonical bytes are JSON lines,
// one entry per line, sorted by path (UTF-8 byte order), keys sorted, no spaces — so the
// same tree gives the same bytes on every machine, and its SHA-256 (the root hash) says
// whether anything changed. The manifest travels to gridd as an ordinary content object.
class Manifest final
{
public:
    Manifest() = default;
    explicit Manifest(QList<ManifestEntry> entries); // sorts

    const QList<ManifestEntry> &entries() const { return m_entries; }
    QByteArray toCanonicalBytes() const;
    QString rootHash() const; // SHA-256 hex of toCanonicalBytes()
    qint64 totalBytes() const;
    int fileCount() const;

    // Parses and validates canonical bytes from an untrusted source; on failure nothing and a
    // message naming the line and the problem.
    static std::optional<Manifest> parse(const QByteArray &bytes, QString *error);

    // Empty when `path` is a safe relative path, else why not (names the path).
    static QString validatePath(const QString &path);
    static QString typeName(ManifestEntry::Type type);
    static std::optional<ManifestEntry::Type> typeFromName(const QString &name);

    static constexpr int kMaxPathBytes = 4096;
    static constexpr int kMaxNameBytes = 255;

private:
    QList<ManifestEntry> m_entries;
};

// SHA-256 of a file's content as lower-case hex; empty with `error` set on failure.
QString sha256OfFile(const QString &path, QString *error);
bool isSha256Hex(const QString &text);

} // namespace og
