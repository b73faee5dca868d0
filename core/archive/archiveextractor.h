// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace og {

// Archives are untrusted input (a user's upload, a URL gridd downloads): these bound what one
// may cost before extraction stops.
struct ExtractLimits
{
    qint64 maxTotalBytes = 64LL << 30;
    qint64 maxEntries = 1'000'000;
    qint64 maxEntryBytes = 64LL << 30;
    // Expanded bytes / archive file size, checked as data is written and only once more than
    // 1 MiB has been written, so that small archives of small, very compressible files pass.
    double maxCompressionRatio = 1000.0;
};

struct ExtractResult
{
    QString error;    // empty on success; otherwise one sentence naming the entry and the problem
    qint64 files = 0; // regular files written, hard-link copies included
    qint64 bytes = 0; // bytes written (holes of sparse entries count)
    QStringList warnings; // skipped entries (devices, FIFOs, sockets), replaced duplicates, …
};

// Extracts a .zip or .tar (uncompressed, gzip, bzip2, xz or zstd) into a directory that holds
// exactly what the archive describes and nothing outside it: every entry name is validated
// here rather than trusted to libarchive's disk writer, no path is ever created through a
// symbolic link, links may only point inside the tree, and only regular files, directories
// and such links are created (modes 0644/0755). On any error the destination is left empty
// (or absent, when extract() created it) so a half-extracted tree is never used.
class ArchiveExtractor final
{
public:
    // By name only: .zip, .tar, .tar.gz, .tgz, in any letter case.
    static bool looksLikeArchive(const QString &path);

    // `destinationDir` is created if missing and must otherwise be empty.
    static ExtractResult extract(const QString &archivePath, const QString &destinationDir,
                                 const ExtractLimits &limits = {});

private:
    ArchiveExtractor() = delete;
};

} // namespace og
