// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/datastore/manifest.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace og {

// The code a run executes, as a manifest plus where each file's bytes are, ready for
// uploadManifestObjects(). Grid ran the commit at HEAD of the script's git repository;
// `--localdir` (and a script outside any repository) sends the current directory instead.
struct CodeSnapshot
{
    Manifest manifest;
    QHash<QString, QString> sourceFiles; // manifest path → local file holding its bytes
    QString root;                        // the repository's top level or the current directory
    QString script;                      // relative to root: what gridd runs
    QString gitCommit;                   // HEAD's full hash; empty for --localdir
    QString project;                     // owner/repo from remote.origin.url, if any
    QStringList warnings;                // to show the user
    QStringList uncommittedFiles;        // `git status` paths: the reason to ask before going on
    QString error;                       // non-empty: nothing may be uploaded
    // Holds the extracted or mirrored tree that `sourceFiles` point into; it goes away with
    // the last copy of the snapshot.
    std::shared_ptr<QTemporaryDir> temp;

    bool ok() const { return error.isEmpty(); }
    bool fromGit() const { return !gitCommit.isEmpty(); }
};

// `scriptPath` as typed (relative to the current directory or absolute). Without git (or with
// `localdir`) the directory `localRoot` is sent — the current directory when it is empty, as
// the CLI does; the desktop app, which has no meaningful current directory, passes the script's.
CodeSnapshot takeCodeSnapshot(const QString &scriptPath, bool localdir, const QString &localRoot = {});

// "owner/repo" from a remote URL ("git@github.com:owner/repo.git",
// "https://github.com/owner/repo"); empty when it has no such two last components.
QString projectFromRemoteUrl(const QString &url);

// Grid's warning for files `git status` reports, listing at most `maxListed` of them.
QString uncommittedWarning(const QStringList &files, int maxListed = 20);

} // namespace og
