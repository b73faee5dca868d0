// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the datastore integration tests: content helpers, a version made through the API,
// archives written with libarchive (no binary fixtures) and a tiny HTTP server for URL imports.
#include "core/apiclient.h"
#include "core/datastore/manifest.h"
#include "tests/support/griddprocess.h"

#include <archive.h>
#include <archive_entry.h>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

namespace og::test {

using og::ApiReply;
using og::ApiResult;
using og::Manifest;
using og::ManifestEntry;


inline constexpr qint64 kMiB = 1LL << 20;
using Files = QMap<QString, QByteArray>; // path → content

inline QString sha(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

inline QByteArray randomBytes(qint64 size, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out(size, Qt::Uninitialized);
    const qsizetype words = size / 4;
    gen.fillRange(reinterpret_cast<quint32 *>(out.data()), words);
    for (qsizetype i = words * 4; i < size; ++i)
        out[i] = char(gen.generate());
    return out;
}

// A manifest for `files`, with every parent directory listed.
inline Manifest manifestOf(const Files &files)
{
    QList<ManifestEntry> entries;
    QSet<QString> dirs;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QStringList parts = it.key().split(u'/');
        for (int i = 1; i < parts.size(); ++i)
            dirs.insert(parts.mid(0, i).join(u'/'));
        ManifestEntry e;
        e.path = it.key();
        e.size = it.value().size();
        e.sha256 = sha(it.value());
        entries.append(e);
    }
    for (const QString &d : std::as_const(dirs)) {
        ManifestEntry e;
        e.path = d;
        e.type = ManifestEntry::Type::Directory;
        e.mode = 0755;
        entries.append(e);
    }
    return Manifest(entries);
}

// Blocking form of ApiClient::sendBytes.
inline ApiResult sendBytes(og::ApiClient &client, const QByteArray &method, const QString &path, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    ApiResult result;
    bool done = false;
    QEventLoop loop;
    ApiReply *reply = client.sendBytes(method, path, body, headers);
    QObject::connect(reply, &ApiReply::finished, &loop, [&](const ApiResult &r) {
        result = r;
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    return result;
}

inline QByteArray frame(const QString &hash, const QByteArray &bytes)
{
    return hash.toLatin1() + ' ' + QByteArray::number(bytes.size()) + '\n' + bytes;
}

inline QString message(const ApiResult &r)
{
    return QStringLiteral("HTTP %1 %2: %3").arg(r.httpStatus).arg(r.errorCode, r.message);
}

// Writes test archives with libarchive's write API, so that no binary fixture is committed.
class TarGzBuilder final
{
    Q_DISABLE_COPY_MOVE(TarGzBuilder)
public:
    explicit TarGzBuilder(const QString &path)
        : m_archive(archive_write_new())
    {
        archive_write_set_format_pax_restricted(m_archive);
        archive_write_add_filter_gzip(m_archive);
        check(archive_write_open_filename(m_archive, QFile::encodeName(path).constData()));
    }
    ~TarGzBuilder()
    {
        if (m_archive)
            close();
    }
    TarGzBuilder &file(const QByteArray &name, const QByteArray &data)
    {
        archive_entry *e = entry(name, data.size());
        check(archive_write_header(m_archive, e));
        if (archive_write_data(m_archive, data.constData(), size_t(data.size())) != data.size())
            m_ok = false;
        archive_entry_free(e);
        return *this;
    }
    TarGzBuilder &zeros(const QByteArray &name, qint64 size)
    {
        archive_entry *e = entry(name, size);
        check(archive_write_header(m_archive, e));
        const QByteArray chunk(kMiB, '\0');
        for (qint64 left = size; left > 0; left -= chunk.size())
            if (archive_write_data(m_archive, chunk.constData(), size_t(qMin<qint64>(left, chunk.size()))) < 0)
                m_ok = false;
        archive_entry_free(e);
        return *this;
    }
    TarGzBuilder &dir(const QByteArray &name)
    {
        archive_entry *e = entry(name, 0, AE_IFDIR, 0755);
        check(archive_write_header(m_archive, e));
        archive_entry_free(e);
        return *this;
    }
    TarGzBuilder &symlink(const QByteArray &name, const QByteArray &target)
    {
        archive_entry *e = entry(name, 0, AE_IFLNK, 0777);
        archive_entry_set_symlink(e, target.constData());
        check(archive_write_header(m_archive, e));
        archive_entry_free(e);
        return *this;
    }
    bool close()
    {
        check(archive_write_close(m_archive));
        archive_write_free(m_archive);
        m_archive = nullptr;
        return m_ok;
    }

private:
    archive_entry *entry(const QByteArray &name, qint64 size, unsigned type = AE_IFREG, int perm = 0644)
    {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name.constData()); // ASCII names only
        archive_entry_set_filetype(e, type);
        archive_entry_set_perm(e, mode_t(perm));
        archive_entry_set_size(e, size);
        archive_entry_set_mtime(e, 1'700'000'000, 0);
        return e;
    }
    void check(int status)
    {
        if (status != ARCHIVE_OK) {
            qWarning("libarchive (writing the test archive): %s", archive_error_string(m_archive));
            m_ok = false;
        }
    }
    archive *m_archive;
    bool m_ok = true;
};

// A tiny HTTP server for URL imports: fixed answers by path; "/hang" accepts and never answers.
class TinyHttpServer final : public QTcpServer
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body;
    };
    QHash<QByteArray, Answer> answers;
    int requests = 0;

    TinyHttpServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    m_pending[s] += s->readAll();
                    if (!m_pending[s].contains("\r\n\r\n"))
                        return;
                    const QByteArray path = m_pending[s].split(' ').value(1);
                    m_pending.remove(s);
                    ++requests;
                    if (path.startsWith("/hang"))
                        return; // keep the connection open, send nothing
                    const Answer a = answers.value(path, Answer{404, "not here\n"});
                    s->write("HTTP/1.1 " + QByteArray::number(a.status) + (a.status == 200 ? " OK" : " Not Found")
                             + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                             + QByteArray::number(a.body.size()) + "\r\nConnection: close\r\n\r\n");
                    s->write(a.body);
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path);
    }

private:
    QHash<QTcpSocket *, QByteArray> m_pending;
};


inline QString writeConfig(const QString &path, const QByteArray &yaml)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(yaml) != yaml.size())
        return {};
    return path;
}

// A gridd on a fresh data directory with `yaml` as its config (written to `configPath`);
// null with `error` set when it did not start.
inline std::unique_ptr<GriddProcess> startWithConfig(const QString &configPath, const QByteArray &yaml, QString *error)
{
    if (writeConfig(configPath, yaml).isEmpty()) {
        *error = QStringLiteral("cannot write %1").arg(configPath);
        return nullptr;
    }
    auto gridd = std::make_unique<GriddProcess>(QString(), QStringList{QStringLiteral("--config"), configPath});
    if (!gridd->start(error))
        return nullptr;
    return gridd;
}

inline ApiResult waitUntilFinal(const GriddProcess &g, const QString &name, int version, const QString &token = {},
                                int timeoutMs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    ApiResult r;
    do {
        r = g.call("GET", QStringLiteral("/datastores/%1/versions/%2").arg(name).arg(version), {}, token);
        const QString status = r.object().value(QStringLiteral("version")).toObject().value(QStringLiteral("status")).toString();
        if (!r.ok() || status == u"succeeded" || status == u"failed")
            return r;
        QTest::qWait(20);
    } while (timer.elapsed() < timeoutMs);
    return r;
}

inline QJsonObject versionOf(const ApiResult &r) { return r.object().value(QStringLiteral("version")).toObject(); }

// Uploads `files` and `manifest` (the objects in one batch, the manifest with PUT) and opens
// a version; returns the creation's result.
inline ApiResult upload(const GriddProcess &g, const QString &name, const Files &files, const QByteArray &manifestBytes,
                        const QString &token = {})
{
    auto client = g.client(token);
    QByteArray batch;
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        batch += frame(sha(it.value()), it.value());
    if (!batch.isEmpty()) {
        const ApiResult b = sendBytes(*client, "POST", QStringLiteral("/objects/batch"), batch);
        if (!b.ok())
            return b;
    }
    const ApiResult m = sendBytes(*client, "PUT", QStringLiteral("/objects/") + sha(manifestBytes), manifestBytes);
    if (!m.ok())
        return m;
    qint64 size = 0;
    for (const QByteArray &b : files)
        size += b.size();
    return client->call("POST", QStringLiteral("/datastores/%1/versions").arg(name),
                        QJsonObject{{QStringLiteral("root_hash"), sha(manifestBytes)},
                                    {QStringLiteral("size_bytes"), size},
                                    {QStringLiteral("file_count"), int(files.size())},
                                    {QStringLiteral("source"), QStringLiteral("test")}});
}

inline ApiResult commit(const GriddProcess &g, const QString &name, int version, const QString &token = {})
{
    return g.call("POST", QStringLiteral("/datastores/%1/versions/%2/commit").arg(name).arg(version), QJsonObject(), token);
}

// A whole version: upload, commit, wait; the final version object (empty on failure).
inline QJsonObject makeVersion(const GriddProcess &g, const QString &name, const Files &files, const QString &token = {})
{
    const ApiResult created = upload(g, name, files, manifestOf(files).toCanonicalBytes(), token);
    if (created.httpStatus != 201) {
        qWarning("creating %s: %s", qPrintable(name), qPrintable(message(created)));
        return {};
    }
    const int number = versionOf(created).value(QStringLiteral("version")).toInt();
    const ApiResult committed = commit(g, name, number, token);
    if (committed.httpStatus != 202) {
        qWarning("committing %s: %s", qPrintable(name), qPrintable(message(committed)));
        return {};
    }
    return versionOf(waitUntilFinal(g, name, number, token));
}

// Every entry of a version as the files endpoint lists it, walking directories.
inline QHash<QString, QJsonObject> listAllFiles(const GriddProcess &g, const QString &name, int version,
                                                const QString &dir = {})
{
    QHash<QString, QJsonObject> out;
    QUrlQuery q;
    if (!dir.isEmpty())
        q.addQueryItem(QStringLiteral("path"), dir);
    const ApiResult r = g.client()->call("GET", QStringLiteral("/datastores/%1/versions/%2/files").arg(name).arg(version), {}, q);
    if (!r.ok()) {
        qWarning("listing %s: %s", qPrintable(dir), qPrintable(message(r)));
        return out;
    }
    for (const QJsonValue &v : r.object().value(QStringLiteral("entries")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString path = e.value(QStringLiteral("path")).toString();
        out.insert(path, e);
        if (e.value(QStringLiteral("type")).toString() == u"dir")
            out.insert(listAllFiles(g, name, version, path));
    }
    return out;
}

inline QStringList objectFiles(const QString &dataDir)
{
    QStringList out;
    QDirIterator it(dataDir + QStringLiteral("/objects"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (!p.contains(QStringLiteral("/objects/tmp/")) && !p.contains(QStringLiteral("/objects/partial/")))
            out.append(p.section(u'/', -2, -2) + p.section(u'/', -1));
    }
    return out;
}

} // namespace og::test
