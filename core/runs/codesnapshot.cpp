// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/codesnapshot.h"

#include "core/archive/archiveextractor.h"
#include "core/datastore/treescanner.h"
#include "core/runs/ignorerules.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <unistd.h>

#include <cerrno>

namespace og {

namespace {
// Grid's advice for --localdir uploads (known issues page): keep them small.
constexpr qint64 kLargeLocaldirBytes = 50LL << 20;

struct GitResult
{
    int exitCode = -1; // -1: git did not run
    QByteArray out;
    QString err;
};

GitResult git(const QString &program, const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    // `git status` would otherwise refresh (write) the index: looking must not change anything.
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0"));
    p.setProcessEnvironment(env);
    p.start();
    GitResult r;
    if (!p.waitForStarted() || !p.waitForFinished(-1)) {
        r.err = p.errorString();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

QString gitFailure(const QStringList &args, const GitResult &r)
{
    return QStringLiteral("`git %1` failed: %2").arg(args.join(u' '), r.err.isEmpty() ? QStringLiteral("exit code %1").arg(r.exitCode) : r.err);
}

std::shared_ptr<QTemporaryDir> makeTemp(QString *error)
{
    auto temp = std::make_shared<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/grid-run-XXXXXX"));
    if (!temp->isValid()) {
        *error = QStringLiteral("cannot create a temporary directory: %1").arg(temp->errorString());
        return nullptr;
    }
    return temp;
}

// Scans `tree` into the snapshot; the script must be one of its regular files.
void scanTree(CodeSnapshot &s, const QString &tree, const QString &missingScript)
{
    TreeScanner::ScanResult scan = TreeScanner::scan(tree, nullptr);
    s.warnings += scan.warnings;
    if (!scan.error.isEmpty()) {
        s.error = scan.error;
        return;
    }
    if (!scan.sourceFiles.contains(s.script)) {
        s.error = missingScript;
        return;
    }
    s.manifest = std::move(scan.manifest);
    s.sourceFiles = std::move(scan.sourceFiles);
}

QStringList parsePorcelain(const QByteArray &out)
{
    QStringList files;
    const QList<QByteArray> entries = out.split('\0');
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QByteArray &e = entries[i];
        if (e.size() < 4)
            continue;
        files.append(QFile::decodeName(e.mid(3)));
        if (e[0] == 'R' || e[0] == 'C')
            ++i; // the next entry is where a renamed or copied file came from
    }
    return files;
}

// Copies what the rules keep from `from` into `to` (hard links where the filesystem allows),
// so the scanner sees exactly the code: ignored trees are never read, and a virtualenv's
// links to /usr/bin/python cannot fail the upload of a directory that ignores it.
bool mirror(const QString &from, const QString &to, const QString &relDir, const IgnoreRules &rules, CodeSnapshot &s)
{
    const QDir dir(from);
    if (!dir.isReadable()) {
        s.error = QStringLiteral("cannot read the directory '%1'").arg(from);
        return false;
    }
    const QFileInfoList entries = dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QFileInfo &fi : entries) {
        const QString rel = relDir.isEmpty() ? fi.fileName() : relDir + u'/' + fi.fileName();
        const QString src = fi.filePath();
        const QString dst = to + u'/' + fi.fileName();
        const QByteArray dstName = QFile::encodeName(dst);
        if (fi.isSymLink()) {
            if (rules.ignored(rel, false))
                continue;
            QByteArray target(4096, '\0');
            const ssize_t n = ::readlink(QFile::encodeName(src).constData(), target.data(), size_t(target.size()));
            if (n < 0 || ::symlink(QByteArray(target.constData(), n).constData(), dstName.constData()) != 0) {
                s.error = QStringLiteral("cannot copy the symbolic link '%1': %2").arg(src, qt_error_string(errno));
                return false;
            }
        } else if (fi.isDir()) {
            if (rules.ignored(rel, true))
                continue;
            if (!QDir().mkdir(dst) || !mirror(src, dst, rel, rules, s)) {
                if (s.error.isEmpty())
                    s.error = QStringLiteral("cannot create '%1'").arg(dst);
                return false;
            }
        } else if (fi.isFile()) {
            if (rules.ignored(rel, false))
                continue;
            if (::link(QFile::encodeName(src).constData(), dstName.constData()) != 0) {
                if (!QFile::copy(src, dst) || !QFile::setPermissions(dst, QFile::permissions(src))) {
                    s.error = QStringLiteral("cannot read '%1'").arg(src);
                    return false;
                }
            }
        } else if (!rules.ignored(rel, false)) {
            s.warnings.append(QStringLiteral("'%1' is left out: it is not a file, directory or symbolic link").arg(rel));
        }
    }
    return true;
}

CodeSnapshot localSnapshot(CodeSnapshot s, const QString &script, const QString &localRoot)
{
    s.root = QFileInfo(localRoot.isEmpty() ? QDir::currentPath() : localRoot).canonicalFilePath();
    s.script = QDir(s.root).relativeFilePath(script);
    if (s.script.startsWith(QStringLiteral("../")) || QDir::isAbsolutePath(s.script)) {
        s.error = QStringLiteral("the script '%1' is outside the current directory %2; with --localdir the current "
                                 "directory is uploaded, so run grid from a directory that holds the script")
                      .arg(script, s.root);
        return s;
    }
    const IgnoreRules rules = IgnoreRules::forDirectory(s.root);
    s.warnings += rules.warnings();
    if (rules.ignored(s.script, false)) {
        s.error = QStringLiteral("the script '%1' is excluded by %2").arg(s.script, rules.sources().join(QStringLiteral(" / ")));
        return s;
    }
    s.temp = makeTemp(&s.error);
    if (!s.temp)
        return s;
    const QString tree = s.temp->path() + QStringLiteral("/tree");
    if (!QDir().mkdir(tree)) {
        s.error = QStringLiteral("cannot create '%1'").arg(tree);
        return s;
    }
    if (!mirror(s.root, tree, QString(), rules, s))
        return s;
    scanTree(s, tree, QStringLiteral("the script '%1' is not a regular file").arg(s.script));
    if (s.ok() && s.manifest.totalBytes() > kLargeLocaldirBytes)
        s.warnings.append(QStringLiteral("the code to upload from %1 is %2 MiB; keep --localdir folders small (under 50 MiB) "
                                         "by listing data and outputs in a .gridignore")
                              .arg(s.root).arg(s.manifest.totalBytes() >> 20));
    return s;
}
} // namespace

QString projectFromRemoteUrl(const QString &url)
{
    QString path;
    if (const qsizetype scheme = url.indexOf(QStringLiteral("://")); scheme > 0) {
        const qsizetype slash = url.indexOf(u'/', scheme + 3);
        path = slash < 0 ? QString() : url.mid(slash + 1);
    } else if (const qsizetype colon = url.indexOf(u':'); colon > 0 && !url.left(colon).contains(u'/')) {
        path = url.mid(colon + 1); // scp-like: git@github.com:owner/repo.git
    } else {
        return {}; // a local path names no project
    }
    while (path.endsWith(u'/'))
        path.chop(1);
    if (path.endsWith(QStringLiteral(".git")))
        path.chop(4);
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return {};
    return parts[parts.size() - 2] + u'/' + parts.last();
}

QString uncommittedWarning(const QStringList &files, int maxListed)
{
    QString text = QStringLiteral("The following files are uncommitted. Changes made to these files will not be "
                                  "available to Grid when running an Experiment:");
    for (qsizetype i = 0; i < files.size() && i < maxListed; ++i)
        text += QStringLiteral("\n  ") + files[i];
    if (files.size() > maxListed)
        text += QStringLiteral("\n  … and %1 more").arg(files.size() - maxListed);
    return text;
}

CodeSnapshot takeCodeSnapshot(const QString &scriptPath, bool localdir, const QString &localRoot)
{
    CodeSnapshot s;
    const QFileInfo info(scriptPath);
    if (!info.exists()) {
        s.error = QStringLiteral("the script '%1' does not exist").arg(scriptPath);
        return s;
    }
    if (!info.isFile()) {
        s.error = QStringLiteral("the script '%1' is not a file").arg(scriptPath);
        return s;
    }
    const QString script = info.canonicalFilePath();
    if (localdir)
        return localSnapshot(s, script, localRoot);

    const QString program = QStandardPaths::findExecutable(QStringLiteral("git"));
    if (program.isEmpty()) {
        s.warnings.append(QStringLiteral("git is not installed, so the current directory is uploaded, as with --localdir"));
        return localSnapshot(s, script, localRoot);
    }
    const QString scriptDir = info.canonicalPath();
    const GitResult top = git(program, scriptDir, {QStringLiteral("rev-parse"), QStringLiteral("--show-toplevel")});
    if (top.exitCode != 0) {
        s.warnings.append(QStringLiteral("'%1' is not in a git repository, so the current directory is uploaded, as with --localdir")
                              .arg(scriptPath));
        return localSnapshot(s, script, localRoot);
    }
    s.root = QFileInfo(QString::fromLocal8Bit(top.out).trimmed()).canonicalFilePath();
    s.script = QDir(s.root).relativeFilePath(script);

    const QStringList headArgs{QStringLiteral("rev-parse"), QStringLiteral("--verify"), QStringLiteral("--quiet"), QStringLiteral("HEAD^{commit}")};
    const GitResult head = git(program, s.root, headArgs);
    if (head.exitCode != 0) {
        s.error = QStringLiteral("the git repository %1 has no commits yet: Grid runs the code committed at HEAD; "
                                 "commit it, or use --localdir")
                      .arg(s.root);
        return s;
    }
    const QString commit = QString::fromLatin1(head.out).trimmed();
    const GitResult tracked = git(program, s.root, {QStringLiteral("cat-file"), QStringLiteral("-e"), QStringLiteral("HEAD:") + s.script});
    if (tracked.exitCode != 0) {
        s.error = QStringLiteral("%1 is not committed; commit it, or use --localdir").arg(s.script);
        return s;
    }

    const QStringList statusArgs{QStringLiteral("status"), QStringLiteral("--porcelain"), QStringLiteral("-z")};
    const GitResult status = git(program, s.root, statusArgs);
    if (status.exitCode != 0) {
        s.error = gitFailure(statusArgs, status);
        return s;
    }
    s.uncommittedFiles = parsePorcelain(status.out);
    if (!s.uncommittedFiles.isEmpty())
        s.warnings.append(uncommittedWarning(s.uncommittedFiles));
    const GitResult remote = git(program, s.root, {QStringLiteral("config"), QStringLiteral("--get"), QStringLiteral("remote.origin.url")});
    if (remote.exitCode == 0)
        s.project = projectFromRemoteUrl(QString::fromUtf8(remote.out).trimmed());

    s.temp = makeTemp(&s.error);
    if (!s.temp)
        return s;
    const QString tar = s.temp->path() + QStringLiteral("/code.tar");
    const QStringList archiveArgs{QStringLiteral("archive"), QStringLiteral("--format=tar"), QStringLiteral("-o"), tar, commit};
    if (const GitResult archived = git(program, s.root, archiveArgs); archived.exitCode != 0) {
        s.error = gitFailure(archiveArgs, archived);
        return s;
    }
    const QString tree = s.temp->path() + QStringLiteral("/tree");
    const ExtractResult x = ArchiveExtractor::extract(tar, tree);
    QFile::remove(tar);
    s.warnings += x.warnings;
    if (!x.error.isEmpty()) {
        s.error = QStringLiteral("cannot unpack the committed code: %1").arg(x.error);
        return s;
    }
    scanTree(s, tree, QStringLiteral("%1 is committed as a symbolic link; gridd runs a regular file").arg(s.script));
    if (s.ok())
        s.gitCommit = commit;
    return s;
}

} // namespace og
