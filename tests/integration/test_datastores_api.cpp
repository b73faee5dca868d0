// SPDX-License-Identifier: GPL-3.0-or-later
// Datastores through the REST API of a real gridd, with bad input and faults: objects whose
// bytes do not match their name, malformed batches and parts, crafted manifests, other users'
// objects, deletes of versions in use, garbage collection, quotas, kill -9 while a version is
// optimizing. URL imports are tested in test_datastore_imports.cpp; uploads through the upload
// engine and the local intake, and a full disk, in test_datastores_uploads.cpp.
#include "core/apiclient.h"
#include "core/datastore/manifest.h"
#include "core/datastore/uploader.h"
#include "tests/support/datastorefixtures.h"
#include "tests/support/griddprocess.h"

#include <archive.h>
#include <archive_entry.h>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <unistd.h>

using og::ApiReply;
using og::ApiResult;
using og::Manifest;
using og::ManifestEntry;
using og::test::GriddProcess;

using namespace og::test;


namespace {
ManifestEntry link(const QString &path, const QString &target)
{
    return {path, ManifestEntry::Type::Symlink, 0777, 0, {}, target};
}

Manifest withLinks(const Files &files, const QList<ManifestEntry> &links)
{
    QList<ManifestEntry> entries = manifestOf(files).entries();
    entries.append(links);
    return Manifest(entries);
}

QJsonObject makeVersionWithLinks(const GriddProcess &g, const QString &name, const Files &files, const QList<ManifestEntry> &links)
{
    const ApiResult created = upload(g, name, files, withLinks(files, links).toCanonicalBytes());
    if (created.httpStatus != 201) {
        qWarning("creating %s: %s", qPrintable(name), qPrintable(message(created)));
        return {};
    }
    const int number = versionOf(created).value(QStringLiteral("version")).toInt();
    if (const ApiResult c = commit(g, name, number); c.httpStatus != 202) {
        qWarning("committing %s: %s", qPrintable(name), qPrintable(message(c)));
        return {};
    }
    return versionOf(waitUntilFinal(g, name, number));
}

// The directory holding the version trees of the only datastore under `dataDir`.
QString treesOf(const QString &dataDir)
{
    const QDir root(dataDir + QStringLiteral("/datastores"));
    const QStringList ids = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    return ids.size() == 1 ? root.filePath(ids.first()) : QString();
}

// A tree on disk as "path → what": "dir", "file <sha256>", "link <target>".
QMap<QString, QString> treeOnDisk(const QString &root)
{
    QMap<QString, QString> out;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        const QString rel = QDir(root).relativeFilePath(path);
        if (info.isSymLink()) {
            char target[4096];
            const ssize_t n = ::readlink(QFile::encodeName(path).constData(), target, sizeof target);
            out.insert(rel, QStringLiteral("link ") + (n < 0 ? QStringLiteral("?") : QString::fromUtf8(target, n)));
        } else if (info.isDir()) {
            out.insert(rel, QStringLiteral("dir"));
        } else {
            QFile f(path);
            out.insert(rel, f.open(QIODevice::ReadOnly) ? QStringLiteral("file ") + sha(f.readAll()) : QStringLiteral("unreadable"));
        }
    }
    return out;
}

QMap<QString, QString> expectedTree(const Manifest &manifest, const Files &files)
{
    QMap<QString, QString> out;
    for (const ManifestEntry &e : manifest.entries()) {
        switch (e.type) {
        case ManifestEntry::Type::Directory: out.insert(e.path, QStringLiteral("dir")); break;
        case ManifestEntry::Type::File: out.insert(e.path, QStringLiteral("file ") + sha(files.value(e.path))); break;
        case ManifestEntry::Type::Symlink: out.insert(e.path, QStringLiteral("link ") + e.target); break;
        }
    }
    return out;
}

// A listing from the files endpoint as "path → type mode size sha256 target".
QMap<QString, QString> listed(const QHash<QString, QJsonObject> &entries)
{
    QMap<QString, QString> out;
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        const QJsonObject &e = it.value();
        out.insert(it.key(), QStringLiteral("%1 %2 %3 %4 %5").arg(e.value(QStringLiteral("type")).toString())
                                 .arg(e.value(QStringLiteral("mode")).toInt())
                                 .arg(e.value(QStringLiteral("size_bytes")).toInteger())
                                 .arg(e.value(QStringLiteral("sha256")).toString(), e.value(QStringLiteral("target")).toString()));
    }
    return out;
}

QMap<QString, QString> expectedListing(const Manifest &manifest)
{
    QMap<QString, QString> out;
    for (const ManifestEntry &e : manifest.entries())
        out.insert(e.path, QStringLiteral("%1 %2 %3 %4 %5").arg(Manifest::typeName(e.type)).arg(e.mode).arg(e.size).arg(e.sha256, e.target));
    return out;
}
} // namespace

class TestDatastoresApi final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    std::unique_ptr<GriddProcess> m_gridd; // datastores: download timeout 1 s, 50 MiB extracted, no GC grace

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        m_gridd = startWithConfig(m_work.filePath(QStringLiteral("gridd.yaml")),
                                  "datastores:\n  download_timeout_seconds: 1\n  max_extracted: 50MiB\n  gc_grace_seconds: 0\n", &error);
        QVERIFY2(m_gridd, qPrintable(error));
    }

    void cleanupTestCase()
    {
        if (m_gridd)
            m_gridd->terminate();
    }

    // --- content objects -------------------------------------------------------------------

    void objectWithWrongBytesIsRejected()
    {
        auto client = m_gridd->client();
        const QByteArray real = "the real content\n";
        const QByteArray forged = "something else entirely\n";
        const ApiResult put = sendBytes(*client, "PUT", QStringLiteral("/objects/") + sha(real), forged);
        QCOMPARE(put.httpStatus, 400);
        QCOMPARE(put.errorCode, QStringLiteral("hash_mismatch"));
        QVERIFY2(put.message.contains(sha(real)), qPrintable(put.message));
        QVERIFY(!QFile::exists(m_gridd->dataDir() + QStringLiteral("/objects/") + sha(real).left(2) + u'/' + sha(real).mid(2)));
        QVERIFY(!QFile::exists(m_gridd->dataDir() + QStringLiteral("/objects/") + sha(forged).left(2) + u'/' + sha(forged).mid(2)));
        const ApiResult missing = client->call("POST", QStringLiteral("/objects/missing"),
                                               QJsonObject{{QStringLiteral("hashes"), QJsonArray{sha(real), sha(forged)}}});
        QVERIFY2(missing.ok(), qPrintable(message(missing)));
        QCOMPARE(missing.object().value(QStringLiteral("missing")).toArray(), (QJsonArray{sha(real), sha(forged)}));
        // The right bytes are accepted.
        const ApiResult good = sendBytes(*client, "PUT", QStringLiteral("/objects/") + sha(real), real);
        QCOMPARE(good.httpStatus, 201);
        QCOMPARE(good.object().value(QStringLiteral("size")).toInt(), real.size());
    }

    void batchStopsAtABadFrameAndKeepsWhatCameBefore()
    {
        auto client = m_gridd->client();
        const QByteArray a = "batch object a\n", b = "batch object b\n", c = "batch object c\n";
        auto missingOf = [&](const QStringList &hashes) {
            return client->call("POST", QStringLiteral("/objects/missing"),
                                QJsonObject{{QStringLiteral("hashes"), QJsonArray::fromStringList(hashes)}})
                .object().value(QStringLiteral("missing")).toArray();
        };
        // Malformed header after a good frame.
        ApiResult r = sendBytes(*client, "POST", QStringLiteral("/objects/batch"), frame(sha(a), a) + "not-a-hash 5\nhello");
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(r.errorCode, QStringLiteral("invalid_request"));
        QVERIFY2(r.message.contains(QStringLiteral("malformed batch frame at byte %1").arg(frame(sha(a), a).size())), qPrintable(r.message));
        QCOMPARE(missingOf({sha(a)}), QJsonArray());
        // A frame that claims more bytes than the body holds.
        r = sendBytes(*client, "POST", QStringLiteral("/objects/batch"), sha(b).toLatin1() + " 1000\nshort");
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(r.errorCode, QStringLiteral("invalid_request"));
        QCOMPARE(missingOf({sha(b)}), QJsonArray{sha(b)});
        // A frame whose bytes do not match its hash: the frame before it is kept, the one after is not.
        r = sendBytes(*client, "POST", QStringLiteral("/objects/batch"), frame(sha(b), b) + frame(sha(c), "forged!") + frame(sha(c), c));
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(r.errorCode, QStringLiteral("hash_mismatch"));
        QCOMPARE(missingOf({sha(b), sha(c)}), QJsonArray{sha(c)});
    }

    void partsMustFollowOnAndAreVerified()
    {
        auto client = m_gridd->client();
        const QByteArray object = randomBytes(3 * kMiB + 17, 1);
        const QString h = sha(object);
        const QByteArray size = QByteArray::number(object.size());
        const QString parts = QStringLiteral("/objects/%1/parts/").arg(h);
        ApiResult r = sendBytes(*client, "PUT", parts + u'0', object.left(kMiB), {{"X-Object-Size", size}});
        QCOMPARE(r.httpStatus, 202);
        QCOMPARE(r.object().value(QStringLiteral("received")).toInteger(), kMiB);
        QCOMPARE(r.object().value(QStringLiteral("complete")).toBool(), false);
        // The same part again, and a part with a gap: 409 with what was received.
        for (qint64 offset : {qint64(0), 2 * kMiB}) {
            r = sendBytes(*client, "PUT", parts + QString::number(offset), object.mid(offset, kMiB), {{"X-Object-Size", size}});
            QCOMPARE(r.httpStatus, 409);
            QCOMPARE(r.errorCode, QStringLiteral("offset_mismatch"));
            QCOMPARE(r.object().value(QStringLiteral("received")).toInteger(), kMiB);
        }
        r = client->call("GET", QStringLiteral("/objects/%1/parts").arg(h));
        QCOMPARE(r.object().value(QStringLiteral("received")).toInteger(), kMiB);
        // A last part with wrong bytes: the whole object is rejected and the partial discarded.
        QByteArray corrupt = object.mid(kMiB);
        corrupt[100] = char(corrupt[100] ^ 1);
        r = sendBytes(*client, "PUT", parts + QString::number(kMiB), corrupt, {{"X-Object-Size", size}});
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(r.errorCode, QStringLiteral("hash_mismatch"));
        r = client->call("GET", QStringLiteral("/objects/%1/parts").arg(h));
        QCOMPARE(r.object().value(QStringLiteral("received")).toInteger(), 0);
        QCOMPARE(client->call("POST", QStringLiteral("/objects/missing"), QJsonObject{{QStringLiteral("hashes"), QJsonArray{h}}})
                     .object().value(QStringLiteral("missing")).toArray(), QJsonArray{h});
        // Done right, in two parts.
        r = sendBytes(*client, "PUT", parts + u'0', object.left(2 * kMiB), {{"X-Object-Size", size}});
        QCOMPARE(r.httpStatus, 202);
        r = sendBytes(*client, "PUT", parts + QString::number(2 * kMiB), object.mid(2 * kMiB), {{"X-Object-Size", size}});
        QCOMPARE(r.httpStatus, 201);
        QCOMPARE(r.object().value(QStringLiteral("complete")).toBool(), true);
        QCOMPARE(client->call("POST", QStringLiteral("/objects/missing"), QJsonObject{{QStringLiteral("hashes"), QJsonArray{h}}})
                     .object().value(QStringLiteral("missing")).toArray(), QJsonArray());
    }

    // --- manifests ---------------------------------------------------------------------------

    void craftedManifestsAreRefusedNamingThePath_data()
    {
        const QByteArray h = sha("x").toLatin1();
        const QByteArray file = "\"sha256\":\"" + h + "\",\"size\":1,\"type\":\"file\"}\n";
        QTest::addColumn<QByteArray>("manifest");
        QTest::addColumn<QString>("names");
        QTest::newRow("dot-dot") << QByteArray("{\"mode\":420,\"path\":\"../x\"," + file) << QStringLiteral("'../x'");
        QTest::newRow("dot-dot inside") << QByteArray("{\"mode\":493,\"path\":\"a\",\"type\":\"dir\"}\n{\"mode\":420,\"path\":\"a/../../x\"," + file)
                                        << QStringLiteral("'a/../../x'");
        QTest::newRow("absolute") << QByteArray("{\"mode\":420,\"path\":\"/abs\"," + file) << QStringLiteral("'/abs'");
        QTest::newRow("NUL in a name") << QByteArray("{\"mode\":420,\"path\":\"a\\u0000b\"," + file) << QStringLiteral("NUL");
        QTest::newRow("empty component") << QByteArray("{\"mode\":493,\"path\":\"a\",\"type\":\"dir\"}\n{\"mode\":420,\"path\":\"a//b\"," + file)
                                         << QStringLiteral("'a//b'");
        QTest::newRow("dot component") << QByteArray("{\"mode\":420,\"path\":\"./x\"," + file) << QStringLiteral("'./x'");
        QTest::newRow("missing parent") << QByteArray("{\"mode\":420,\"path\":\"nodir/x\"," + file) << QStringLiteral("'nodir/x'");
        QTest::newRow("file as parent") << QByteArray("{\"mode\":420,\"path\":\"f\"," + file + "{\"mode\":420,\"path\":\"f/x\"," + file)
                                        << QStringLiteral("'f/x'");
        QTest::newRow("symlink escaping") << QByteArray("{\"mode\":511,\"path\":\"link\",\"target\":\"../../etc/passwd\",\"type\":\"symlink\"}\n")
                                          << QStringLiteral("'link'");
        QTest::newRow("absolute symlink") << QByteArray("{\"mode\":511,\"path\":\"link\",\"target\":\"/etc/passwd\",\"type\":\"symlink\"}\n")
                                          << QStringLiteral("'/etc/passwd'");
        QTest::newRow("duplicate") << QByteArray("{\"mode\":420,\"path\":\"x\"," + file + "{\"mode\":420,\"path\":\"x\"," + file)
                                   << QStringLiteral("'x'");
    }

    void craftedManifestsAreRefusedNamingThePath()
    {
        QFETCH(QByteArray, manifest);
        QFETCH(QString, names);
        const QString name = QStringLiteral("crafted-%1").arg(QTest::currentDataTag()).toLower().replace(u' ', u'-');
        const ApiResult created = upload(*m_gridd, name, {}, manifest);
        QCOMPARE(created.httpStatus, 201);
        const ApiResult r = commit(*m_gridd, name, 1);
        QCOMPARE(r.httpStatus, 422);
        QCOMPARE(r.errorCode, QStringLiteral("invalid_manifest"));
        QVERIFY2(r.message.contains(names), qPrintable(r.message));
        // Nothing became visible: the version is still uploading and has no files.
        const ApiResult v = m_gridd->call("GET", QStringLiteral("/datastores/%1/versions/1").arg(name));
        QCOMPARE(versionOf(v).value(QStringLiteral("status")).toString(), QStringLiteral("uploading"));
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/%1/versions/1/files").arg(name)).httpStatus, 409);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/%1/versions/latest").arg(name)).httpStatus, 404);
    }

    void manifestMustMatchTheObjectSizes()
    {
        // A file listed with fewer bytes than its object holds would make sizes and quotas lie.
        const QByteArray content = randomBytes(64 * 1024, 2);
        Files files{{QStringLiteral("data.bin"), content}};
        QByteArray manifest = manifestOf(files).toCanonicalBytes();
        manifest.replace("\"size\":65536", "\"size\":1");
        QVERIFY(manifest.contains("\"size\":1,"));
        const ApiResult created = upload(*m_gridd, QStringLiteral("liar"), files, manifest);
        QCOMPARE(created.httpStatus, 201);
        const ApiResult r = commit(*m_gridd, QStringLiteral("liar"), 1);
        if (r.httpStatus == 202) {
            const QJsonObject v = versionOf(waitUntilFinal(*m_gridd, QStringLiteral("liar"), 1));
            QVERIFY2(v.value(QStringLiteral("status")).toString() == u"failed",
                     qPrintable(QStringLiteral("a manifest that lists data.bin with 1 byte (its object has 65536) was accepted: %1")
                                    .arg(QString::fromUtf8(QJsonDocument(v).toJson(QJsonDocument::Compact)))));
            return;
        }
        QCOMPARE(r.httpStatus, 422);
        QCOMPARE(r.errorCode, QStringLiteral("invalid_manifest"));
        QVERIFY2(r.message.contains(QStringLiteral("data.bin")), qPrintable(r.message));
    }

    void datastoreNamesWithSlashOrNulAreRefused_data()
    {
        QTest::addColumn<QByteArray>("encodedName");
        QTest::newRow("slash") << QByteArray("a%2Fb");
        QTest::newRow("NUL") << QByteArray("a%00b");
        QTest::newRow("dot-dot") << QByteArray("..");
    }

    void datastoreNamesWithSlashOrNulAreRefused()
    {
        QFETCH(QByteArray, encodedName);
        const qsizetype before = m_gridd->call("GET", QStringLiteral("/datastores")).object().value(QStringLiteral("datastores")).toArray().size();
        const QByteArray body = "{\"root_hash\":\"" + sha("m").toLatin1() + "\",\"size_bytes\":1,\"file_count\":1}";
        const QByteArray raw = og::test::rawExchange(
            m_gridd->url(), "POST /api/v1/datastores/" + encodedName + "/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            "Authorization: Bearer " + m_gridd->localToken().toLatin1() + "\r\nContent-Type: application/json\r\n"
                            "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        const int status = og::test::statusOf(raw);
        QVERIFY2(status == 400 || status == 404, raw.constData());
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores")).object().value(QStringLiteral("datastores")).toArray().size(), before);
    }

    // --- users -------------------------------------------------------------------------------

    void anotherUsersObjectCannotBeReferenced()
    {
        const Files secret{{QStringLiteral("secret.txt"), "alice's secret data\n"}};
        const QJsonObject v = makeVersion(*m_gridd, QStringLiteral("secret"), secret);
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));

        const QString bob = GriddProcess::addUser(m_gridd->dataDir(), QStringLiteral("bob"));
        QVERIFY(!bob.isEmpty());
        // Bob knows the hash, uploads only a manifest that references it, and commits.
        const QByteArray manifest = manifestOf(secret).toCanonicalBytes();
        const ApiResult created = upload(*m_gridd, QStringLiteral("stolen"), {}, manifest, bob);
        QCOMPARE(created.httpStatus, 201);
        const ApiResult r = commit(*m_gridd, QStringLiteral("stolen"), 1, bob);
        QCOMPARE(r.httpStatus, 409);
        QCOMPARE(r.errorCode, QStringLiteral("objects_missing"));
        QCOMPARE(r.object().value(QStringLiteral("missing")).toArray(), QJsonArray{sha(secret.first())});
        const ApiResult missing = m_gridd->call("POST", QStringLiteral("/objects/missing"),
                                                QJsonObject{{QStringLiteral("hashes"), QJsonArray{sha(secret.first())}}}, bob);
        QCOMPARE(missing.object().value(QStringLiteral("missing")).toArray(), QJsonArray{sha(secret.first())});
        // Nor can Bob see Alice's datastore.
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/secret"), {}, bob).httpStatus, 404);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/secret/versions/1"), {}, bob).httpStatus, 404);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/secret/versions/1/files"), {}, bob).httpStatus, 404);
        QCOMPARE(m_gridd->call("DELETE", QStringLiteral("/datastores/secret/versions/1"), {}, bob).httpStatus, 404);
        const QJsonArray bobs = m_gridd->call("GET", QStringLiteral("/datastores"), {}, bob).object().value(QStringLiteral("datastores")).toArray();
        QCOMPARE(bobs.size(), 1);
        QCOMPARE(bobs[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("stolen"));
        QCOMPARE(bobs[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("uploading"));
        // Alice's version is untouched.
        QCOMPARE(versionOf(m_gridd->call("GET", QStringLiteral("/datastores/secret/versions/1"))).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
    }

    // --- a version's file bytes --------------------------------------------------------------

    // GET …/versions/{v}/file serves a file's bytes in pieces of at most 1 MiB, to the owner
    // only, and refuses bad paths, directories, links and offsets with a reason.
    void fileBytesAreServedInPiecesToTheOwnerOnly()
    {
        const QByteArray big = randomBytes(2 * kMiB + 12345, 4242);
        const QString odd = QStringLiteral("docs/odd name &%#+=?.txt");
        const Files files{{QStringLiteral("docs/readme.txt"), "hello, datastore\n"},
                          {odd, "odd\n"},
                          {QStringLiteral("empty"), QByteArray()},
                          {QStringLiteral("big.bin"), big}};
        const QJsonObject v = makeVersionWithLinks(*m_gridd, QStringLiteral("served"), files,
                                                   {link(QStringLiteral("docs/link"), QStringLiteral("readme.txt"))});
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        auto client = m_gridd->client();
        auto fetch = [&client](const QString &path, qint64 offset = 0, const QString &name = QStringLiteral("served"),
                               int version = 1) {
            ApiResult result;
            QEventLoop loop;
            QObject::connect(client->datastoreFile(name, version, path, offset), &ApiReply::finished, &loop,
                             [&](const ApiResult &r) {
                                 result = r;
                                 loop.quit();
                             });
            loop.exec();
            return result;
        };

        ApiResult r = fetch(QStringLiteral("docs/readme.txt"));
        QVERIFY2(r.ok(), qPrintable(message(r)));
        QCOMPARE(r.raw, QByteArray("hello, datastore\n"));
        QCOMPARE(r.headers.value("x-total-size"), QByteArray("17"));
        QCOMPARE(fetch(odd).raw, QByteArray("odd\n")); // &, %, #, +, = and ? in a name
        r = fetch(QStringLiteral("empty"));
        QVERIFY2(r.ok(), qPrintable(message(r)));
        QCOMPARE(r.raw.size(), 0);

        // A file larger than a piece, read to its end from the offsets the answers give.
        QByteArray whole;
        int pieces = 0;
        for (qint64 offset = 0; offset < big.size(); ++pieces) {
            r = fetch(QStringLiteral("big.bin"), offset);
            QVERIFY2(r.ok(), qPrintable(message(r)));
            QCOMPARE(r.headers.value("x-total-size").toLongLong(), big.size());
            QCOMPARE(r.headers.value("x-offset").toLongLong(), offset);
            QVERIFY(r.raw.size() > 0 && r.raw.size() <= kMiB);
            whole += r.raw;
            offset += r.raw.size();
        }
        QCOMPARE(pieces, 3);
        QVERIFY(whole == big);
        r = fetch(QStringLiteral("big.bin"), big.size()); // the end: nothing, but fine
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(r.raw.size(), 0);

        // Bad offsets, bad paths, things that are not files.
        for (const QString &offset : {QStringLiteral("-1"), QStringLiteral("x"), QString::number(big.size() + 1)}) {
            r = m_gridd->call("GET", QStringLiteral("/datastores/served/versions/1/file?path=big.bin&offset=") + offset);
            QCOMPARE(r.httpStatus, 400);
            QVERIFY2(r.message.contains(QStringLiteral("offset")), qPrintable(r.message));
        }
        const QList<QPair<QString, QString>> badPaths{{QString(), QStringLiteral("?path=")},
                                                     {QStringLiteral(".."), QStringLiteral("'..'")},
                                                     {QStringLiteral("docs/../big.bin"), QStringLiteral("'..'")},
                                                     {QStringLiteral("/etc/passwd"), QStringLiteral("absolute")},
                                                     {QStringLiteral("docs/readme.txt") + QChar(0), QStringLiteral("NUL")}};
        for (const auto &[path, why] : badPaths) {
            r = fetch(path);
            QCOMPARE(r.httpStatus, 400);
            QVERIFY2(r.message.contains(why), qPrintable(r.message));
        }
        r = fetch(QStringLiteral("docs/nothing.txt"));
        QCOMPARE(r.httpStatus, 404);
        QVERIFY2(r.message.contains(QStringLiteral("docs/nothing.txt in served:1")), qPrintable(r.message));
        r = fetch(QStringLiteral("docs"));
        QCOMPARE(r.httpStatus, 404);
        QVERIFY2(r.message.contains(QStringLiteral("is a directory")), qPrintable(r.message));
        r = fetch(QStringLiteral("docs/link"));
        QCOMPARE(r.httpStatus, 404);
        QVERIFY2(r.message.contains(QStringLiteral("symbolic link to 'readme.txt'")), qPrintable(r.message));
        QCOMPARE(fetch(QStringLiteral("big.bin"), 0, QStringLiteral("served"), 2).httpStatus, 404);
        QCOMPARE(fetch(QStringLiteral("big.bin"), 0, QStringLiteral("nonesuch")).httpStatus, 404);

        // Not before the version has succeeded.
        const Files later{{QStringLiteral("later.txt"), "later\n"}};
        const ApiResult opened = upload(*m_gridd, QStringLiteral("served"), later, manifestOf(later).toCanonicalBytes());
        QCOMPARE(opened.httpStatus, 201);
        r = fetch(QStringLiteral("later.txt"), 0, QStringLiteral("served"), 2);
        QCOMPARE(r.httpStatus, 409);
        QCOMPARE(r.errorCode, QStringLiteral("not_ready"));
        QCOMPARE(m_gridd->call("DELETE", QStringLiteral("/datastores/served/versions/2")).httpStatus, 200);

        // Another user: the datastore does not exist for them, whatever they know of it.
        const QString carol = GriddProcess::addUser(m_gridd->dataDir(), QStringLiteral("carol"));
        QVERIFY(!carol.isEmpty());
        r = m_gridd->call("GET", QStringLiteral("/datastores/served/versions/1/file?path=docs/readme.txt"), {}, carol);
        QCOMPARE(r.httpStatus, 404);
        QVERIFY(r.raw.isEmpty());
        QVERIFY2(!r.message.contains(QStringLiteral("hello")), qPrintable(r.message));
    }

    // --- deletes, garbage collection, quotas ------------------------------------------------

    void deleteIsRefusedWhileASessionUsesTheVersion()
    {
        const QJsonObject v = makeVersion(*m_gridd, QStringLiteral("inuse"), {{QStringLiteral("f.txt"), "in use\n"}});
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inuse"));
            db.setDatabaseName(m_gridd->dataDir() + QStringLiteral("/gridd.db"));
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT v.id, d.user_id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id"
                                          " WHERE d.name = 'inuse' AND v.version = 1")));
            QVERIFY(q.next());
            const QString versionId = q.value(0).toString(), userId = q.value(1).toString();
            QVERIFY(q.prepare(QStringLiteral("INSERT INTO sessions (id, user_id, name, status, instance_type, created_at, datastore_version_id)"
                                             " VALUES ('sess1', ?, 'gentle-otter-7', 'running', 'cpu-1', '2026-01-01T00:00:00.000Z', ?)")));
            q.addBindValue(userId);
            q.addBindValue(versionId);
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("inuse"));

        ApiResult r = m_gridd->call("DELETE", QStringLiteral("/datastores/inuse/versions/1"));
        QCOMPARE(r.httpStatus, 409);
        QCOMPARE(r.errorCode, QStringLiteral("in_use"));
        QVERIFY2(r.message.contains(QStringLiteral("session gentle-otter-7")), qPrintable(r.message));
        QCOMPARE(versionOf(m_gridd->call("GET", QStringLiteral("/datastores/inuse/versions/1"))).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));

        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inuse2"));
            db.setDatabaseName(m_gridd->dataDir() + QStringLiteral("/gridd.db"));
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DELETE FROM sessions WHERE id = 'sess1'")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("inuse2"));
        r = m_gridd->call("DELETE", QStringLiteral("/datastores/inuse/versions/1"));
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/datastores/inuse")).httpStatus, 404);
    }

    void deleteCollectsObjectsNoVersionUses()
    {
        // A gridd of its own: with no grace period, the collection after another test's delete
        // (gridd's worker runs it in the background) would take this test's objects between
        // their upload and the commit.
        QString error;
        const auto gridd = startWithConfig(m_work.filePath(QStringLiteral("gc.yaml")), "datastores:\n  gc_grace_seconds: 0\n", &error);
        QVERIFY2(gridd, qPrintable(error));
        const QByteArray onlyV1 = "only in version 1\n", shared = "in both versions\n", onlyV2 = "only in version 2\n";
        const QJsonObject v1 = makeVersion(*gridd, QStringLiteral("gc"), {{QStringLiteral("a.txt"), onlyV1}, {QStringLiteral("b.txt"), shared}});
        const QJsonObject v2 = makeVersion(*gridd, QStringLiteral("gc"), {{QStringLiteral("b.txt"), shared}, {QStringLiteral("c.txt"), onlyV2}});
        QCOMPARE(v1.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(v2.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(v2.value(QStringLiteral("version")).toInt(), 2);
        auto objectPath = [&gridd](const QByteArray &bytes) {
            const QString h = sha(bytes);
            return gridd->dataDir() + QStringLiteral("/objects/") + h.left(2) + u'/' + h.mid(2);
        };
        QVERIFY(QFile::exists(objectPath(onlyV1)));
        QDir trees(gridd->dataDir() + QStringLiteral("/datastores"));
        QString v1Tree;
        for (const QString &d : trees.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (QFile::exists(trees.filePath(d + QStringLiteral("/1/a.txt"))) && QFile::exists(trees.filePath(d + QStringLiteral("/2/c.txt"))))
                v1Tree = trees.filePath(d + QStringLiteral("/1"));
        QVERIFY2(!v1Tree.isEmpty(), "the trees of gc:1 and gc:2 are not on disk");

        const ApiResult r = gridd->call("DELETE", QStringLiteral("/datastores/gc/versions/1"));
        QCOMPARE(r.httpStatus, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(objectPath(onlyV1)), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(v1Tree), 5000);
        QVERIFY(QFile::exists(objectPath(shared)));
        QVERIFY(QFile::exists(objectPath(onlyV2)));
        QCOMPARE(gridd->call("POST", QStringLiteral("/objects/missing"),
                               QJsonObject{{QStringLiteral("hashes"), QJsonArray{sha(onlyV1), sha(shared), sha(onlyV2)}}})
                     .object().value(QStringLiteral("missing")).toArray(), QJsonArray{sha(onlyV1)});
        // Version 2 is whole: listed, browsable, its tree readable.
        const auto files = listAllFiles(*gridd, QStringLiteral("gc"), 2);
        QCOMPARE(files.size(), 2);
        QFile b(QFileInfo(v1Tree).absolutePath() + QStringLiteral("/2/b.txt"));
        QVERIFY(b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), shared);
        const QJsonArray versions = gridd->call("GET", QStringLiteral("/datastores/gc")).object().value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 1);
        QCOMPARE(versions[0].toObject().value(QStringLiteral("version")).toInt(), 2);
        // Its number is never reused.
        const QJsonObject v3 = makeVersion(*gridd, QStringLiteral("gc"), {{QStringLiteral("a.txt"), onlyV1}});
        QCOMPARE(v3.value(QStringLiteral("version")).toInt(), 3);
    }

    void quotaIsEnforced()
    {
        QString error;
        const auto quotaGridd = startWithConfig(m_work.filePath(QStringLiteral("quota.yaml")), "datastores:\n  quota: 1MiB\n", &error);
        QVERIFY2(quotaGridd, qPrintable(error));
        GriddProcess &gridd = *quotaGridd;

        // A version announced larger than the quota.
        const Files big{{QStringLiteral("big.bin"), randomBytes(2 * kMiB, 3)}};
        const QByteArray manifest = manifestOf(big).toCanonicalBytes();
        ApiResult r = gridd.call("POST", QStringLiteral("/datastores/big/versions"),
                                 QJsonObject{{QStringLiteral("root_hash"), sha(manifest)}, {QStringLiteral("size_bytes"), 2 * kMiB},
                                             {QStringLiteral("file_count"), 1}});
        QCOMPARE(r.httpStatus, 422);
        QCOMPARE(r.errorCode, QStringLiteral("quota_exceeded"));
        QVERIFY2(r.message.contains(QStringLiteral("quota")), qPrintable(r.message));
        QCOMPARE(gridd.call("GET", QStringLiteral("/datastores")).object().value(QStringLiteral("datastores")).toArray().size(), 0);

        // Versions that fit are fine, until together they do not.
        const QJsonObject small = makeVersion(gridd, QStringLiteral("small"), {{QStringLiteral("s.bin"), randomBytes(600 * 1024, 4)}});
        QCOMPARE(small.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        r = upload(gridd, QStringLiteral("more"), {{QStringLiteral("m.bin"), randomBytes(600 * 1024, 5)}},
                   manifestOf({{QStringLiteral("m.bin"), randomBytes(600 * 1024, 5)}}).toCanonicalBytes());
        QCOMPARE(r.httpStatus, 422);
        QCOMPARE(r.errorCode, QStringLiteral("quota_exceeded"));

        // A client that announces 0 bytes and then commits a 2 MiB manifest is held to the quota too.
        const ApiResult objects = sendBytes(*gridd.client(), "POST", QStringLiteral("/objects/batch"), frame(sha(big.first()), big.first()));
        QCOMPARE(objects.httpStatus, 201);
        QCOMPARE(sendBytes(*gridd.client(), "PUT", QStringLiteral("/objects/") + sha(manifest), manifest).httpStatus, 201);
        r = gridd.call("POST", QStringLiteral("/datastores/sneaky/versions"),
                       QJsonObject{{QStringLiteral("root_hash"), sha(manifest)}, {QStringLiteral("size_bytes"), 0}, {QStringLiteral("file_count"), 0}});
        QCOMPARE(r.httpStatus, 201);
        r = commit(gridd, QStringLiteral("sneaky"), 1);
        if (r.httpStatus == 202) {
            const QJsonObject v = versionOf(waitUntilFinal(gridd, QStringLiteral("sneaky"), 1));
            QVERIFY2(v.value(QStringLiteral("status")).toString() != u"succeeded",
                     "a version of 2 MiB succeeded past a 1 MiB quota because its creation announced 0 bytes");
        } else {
            QCOMPARE(r.httpStatus, 422);
            QCOMPARE(r.errorCode, QStringLiteral("quota_exceeded"));
        }
        for (const QJsonValue &v : gridd.call("GET", QStringLiteral("/datastores")).object().value(QStringLiteral("datastores")).toArray())
            QVERIFY(v.toObject().value(QStringLiteral("name")).toString() != u"big");
    }

    // --- incremental versions ------------------------------------------------------------------

    // A version built from the previous one (its spare tree and its directory listings) is
    // exactly what a full build gives: every kind of change, in the tree on disk and in the
    // listing, and the previous version's tree is untouched.
    void incrementalVersionHasExactlyTheRightTreeAndFiles()
    {
        QTemporaryDir dir;
        GriddProcess gridd(dir.path() + QStringLiteral("/data"));
        QString error;
        QVERIFY2(gridd.start(&error), qPrintable(error));
        QString logText; // readLog() hands out each line once
        auto log = [&]() -> const QString & { return logText += gridd.readLog(); };

        Files v1Files;
        for (int i = 0; i < 30; ++i)
            v1Files.insert(QStringLiteral("same/f%1").arg(i), randomBytes(100 + i, quint32(7000 + i)));
        v1Files.insert(QStringLiteral("edit/keep.txt"), "kept\n");
        v1Files.insert(QStringLiteral("edit/change.txt"), "before\n");
        v1Files.insert(QStringLiteral("edit/gone.txt"), "removed in v2\n");
        v1Files.insert(QStringLiteral("edit/becomes-dir"), "a file in v1\n");
        v1Files.insert(QStringLiteral("edit/sub/deep.txt"), "a directory in v1, a file in v2\n");
        v1Files.insert(QStringLiteral("dropped/x/y.txt"), "a whole directory removed in v2\n");
        const QList<ManifestEntry> v1Links{link(QStringLiteral("edit/link"), QStringLiteral("keep.txt")),
                                           link(QStringLiteral("edit/retarget"), QStringLiteral("keep.txt"))};
        QCOMPARE(makeVersionWithLinks(gridd, QStringLiteral("inc"), v1Files, v1Links).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        const Manifest v1 = withLinks(v1Files, v1Links);
        // The next version's starting point is made in the background once version 1 succeeded.
        QTRY_VERIFY2_WITH_TIMEOUT(log().contains(QStringLiteral("next version's tree prepared")), qPrintable(logText), 10000);

        Files v2Files = v1Files;
        v2Files.insert(QStringLiteral("edit/change.txt"), "after\n");
        v2Files.remove(QStringLiteral("edit/gone.txt"));
        v2Files.remove(QStringLiteral("edit/becomes-dir"));
        v2Files.insert(QStringLiteral("edit/becomes-dir/inside.txt"), "a directory in v2\n");
        v2Files.remove(QStringLiteral("edit/sub/deep.txt"));
        v2Files.insert(QStringLiteral("edit/sub"), "a file now\n");
        v2Files.remove(QStringLiteral("dropped/x/y.txt"));
        v2Files.insert(QStringLiteral("new/dir/n.txt"), "a new directory\n");
        const QList<ManifestEntry> v2Links{link(QStringLiteral("edit/link"), QStringLiteral("keep.txt")),
                                           link(QStringLiteral("edit/retarget"), QStringLiteral("change.txt"))};
        QCOMPARE(makeVersionWithLinks(gridd, QStringLiteral("inc"), v2Files, v2Links).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        const Manifest v2 = withLinks(v2Files, v2Links);
        QVERIFY2(log().contains(QStringLiteral("inc version 2 succeeded")) && logText.contains(QStringLiteral("tree updated from version")),
                 qPrintable(logText));

        const QString trees = treesOf(gridd.dataDir());
        QVERIFY(!trees.isEmpty());
        QCOMPARE(treeOnDisk(trees + QStringLiteral("/2")), expectedTree(v2, v2Files));
        QCOMPARE(treeOnDisk(trees + QStringLiteral("/1")), expectedTree(v1, v1Files));
        QCOMPARE(listed(listAllFiles(gridd, QStringLiteral("inc"), 2)), expectedListing(v2));
        QCOMPARE(listed(listAllFiles(gridd, QStringLiteral("inc"), 1)), expectedListing(v1));
        // Read-only, as a full build leaves it.
        QVERIFY(!QFileInfo(trees + QStringLiteral("/2/edit")).isWritable() || ::geteuid() == 0);
        QCOMPARE(QFileInfo(trees + QStringLiteral("/2/edit")).permissions() & QFile::WriteOwner, QFile::Permissions());
        QCOMPARE(QFileInfo(trees + QStringLiteral("/2/new/dir")).permissions() & QFile::WriteOwner, QFile::Permissions());
        // Only trees live among the trees: the spare is kept elsewhere.
        QCOMPARE(QDir(trees).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), (QStringList{QStringLiteral("1"), QStringLiteral("2")}));

        // Deleting version 1 keeps every byte version 2 needs; the listings it shared stay.
        QCOMPARE(gridd.call("DELETE", QStringLiteral("/datastores/inc/versions/1")).httpStatus, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(trees + QStringLiteral("/1")), 5000);
        QCOMPARE(listed(listAllFiles(gridd, QStringLiteral("inc"), 2)), expectedListing(v2));
        QCOMPARE(treeOnDisk(trees + QStringLiteral("/2")), expectedTree(v2, v2Files));

        // After a restart there is no spare: the next version is built in full, and right.
        gridd.terminate();
        QVERIFY2(gridd.start(&error), qPrintable(error));
        Files v3Files = v2Files;
        v3Files.insert(QStringLiteral("same/f0"), "changed in v3\n");
        QCOMPARE(makeVersionWithLinks(gridd, QStringLiteral("inc"), v3Files, v2Links).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        logText.clear(); // the new process's log only
        QVERIFY2(log().contains(QStringLiteral("inc version 3 succeeded")) && logText.contains(QStringLiteral("tree built in full")), qPrintable(logText));
        QCOMPARE(treeOnDisk(trees + QStringLiteral("/3")), expectedTree(withLinks(v3Files, v2Links), v3Files));
        QCOMPARE(listed(listAllFiles(gridd, QStringLiteral("inc"), 3)), expectedListing(withLinks(v3Files, v2Links)));
    }

    // kill -9 while a version is being built from the previous one: after the restart it
    // exists complete or not at all, and the previous version is whole.
    void killDuringIncrementalOptimizeLeavesAllOrNothing_data()
    {
        QTest::addColumn<int>("delayMs");
        QTest::newRow("at the commit") << 0;
        QTest::newRow("2 ms later") << 2;
        QTest::newRow("10 ms later") << 10;
    }

    void killDuringIncrementalOptimizeLeavesAllOrNothing()
    {
        QFETCH(int, delayMs);
        QTemporaryDir dir;
        const QString dataDir = dir.path() + QStringLiteral("/data");
        Files v1Files;
        for (int i = 0; i < 2000; ++i)
            v1Files.insert(QStringLiteral("d%1/f%2").arg(i % 20).arg(i), randomBytes(64 + i % 100, quint32(20000 + i)));
        Files v2Files = v1Files;
        for (int i = 0; i < 2000; i += 100) // one changed file in each directory
            v2Files.insert(QStringLiteral("d%1/f%2").arg(i % 20).arg(i), randomBytes(50, quint32(90000 + i)));
        v2Files.insert(QStringLiteral("added/new.bin"), randomBytes(1000, 5));
        {
            GriddProcess first(dataDir);
            QString error;
            QVERIFY2(first.start(&error), qPrintable(error));
            QCOMPARE(makeVersion(first, QStringLiteral("crash2"), v1Files).value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
            QString logText;
            QTRY_VERIFY2_WITH_TIMEOUT((logText += first.readLog()).contains(QStringLiteral("next version's tree prepared")), qPrintable(logText), 10000);
            QCOMPARE(upload(first, QStringLiteral("crash2"), v2Files, manifestOf(v2Files).toCanonicalBytes()).httpStatus, 201);
            QCOMPARE(commit(first, QStringLiteral("crash2"), 2).httpStatus, 202);
            if (delayMs > 0)
                QThread::msleep(delayMs);
            first.kill();
        }
        GriddProcess second(dataDir);
        QString error;
        QVERIFY2(second.start(&error), qPrintable(error));
        const QString trees = treesOf(dataDir);
        QCOMPARE(treeOnDisk(trees + QStringLiteral("/1")), expectedTree(manifestOf(v1Files), v1Files));
        QCOMPARE(listed(listAllFiles(second, QStringLiteral("crash2"), 1)), expectedListing(manifestOf(v1Files)));
        const ApiResult r = waitUntilFinal(second, QStringLiteral("crash2"), 2);
        QVERIFY2(r.ok(), qPrintable(message(r)));
        const QJsonObject v = versionOf(r);
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        qInfo("version 2 %s", second.readLog().contains(QStringLiteral("crash2 version 2 succeeded"))
                                  ? "was finished by the restarted gridd" : "had succeeded before the kill");
        QCOMPARE(treeOnDisk(trees + QStringLiteral("/2")), expectedTree(manifestOf(v2Files), v2Files));
        QCOMPARE(listed(listAllFiles(second, QStringLiteral("crash2"), 2)), expectedListing(manifestOf(v2Files)));
        QCOMPARE(QDir(trees).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
        QVERIFY(QDir(dataDir + QStringLiteral("/datastores")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size() == 1);
    }

    // --- crashes -------------------------------------------------------------------

    void killDuringOptimizingLeavesAllOrNothing_data()
    {
        QTest::addColumn<int>("delayMs");
        QTest::newRow("at the commit") << 0;
        QTest::newRow("20 ms later") << 20;
        QTest::newRow("60 ms later") << 60;
    }

    void killDuringOptimizingLeavesAllOrNothing()
    {
        QFETCH(int, delayMs);
        QTemporaryDir dir;
        const QString dataDir = dir.path() + QStringLiteral("/data");
        Files files;
        for (int i = 0; i < 800; ++i)
            files.insert(QStringLiteral("d%1/f%2.bin").arg(i % 10).arg(i), randomBytes(512 + i, quint32(1000 + i)));
        for (int i = 0; i < 3; ++i)
            files.insert(QStringLiteral("large%1.bin").arg(i), randomBytes(2 * kMiB, quint32(50 + i)));
        {
            GriddProcess first(dataDir);
            QString error;
            QVERIFY2(first.start(&error), qPrintable(error));
            const ApiResult created = upload(first, QStringLiteral("crash"), files, manifestOf(files).toCanonicalBytes());
            QCOMPARE(created.httpStatus, 201);
            const ApiResult committed = commit(first, QStringLiteral("crash"), 1);
            QCOMPARE(committed.httpStatus, 202);
            QCOMPARE(versionOf(committed).value(QStringLiteral("status")).toString(), QStringLiteral("optimizing"));
            if (delayMs > 0)
                QThread::msleep(delayMs);
            first.kill();
        }
        GriddProcess second(dataDir);
        QString error;
        QVERIFY2(second.start(&error), qPrintable(error));
        ApiResult r = waitUntilFinal(second, QStringLiteral("crash"), 1);
        if (r.httpStatus == 404) { // not there at all: allowed, but then without a tree either
            QVERIFY(QDir(dataDir + QStringLiteral("/datastores")).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden));
            return;
        }
        QVERIFY2(r.ok(), qPrintable(message(r)));
        const QJsonObject v = versionOf(r);
        QVERIFY2(v.value(QStringLiteral("status")).toString() == u"succeeded",
                 qPrintable(QStringLiteral("after the restart the version is %1: %2")
                                .arg(v.value(QStringLiteral("status")).toString(), v.value(QStringLiteral("reason")).toString())));
        QCOMPARE(v.value(QStringLiteral("file_count")).toInt(), files.size());
        qInfo("the version %s", second.readLog().contains(QStringLiteral("crash version 1 succeeded"))
                                    ? "was finished by the restarted gridd" : "had succeeded before the kill");
        // Every file listed, with its size and hash, and in the materialised tree on disk.
        const auto listed = listAllFiles(second, QStringLiteral("crash"), 1);
        int fileEntries = 0;
        for (auto it = listed.cbegin(); it != listed.cend(); ++it)
            if (it.value().value(QStringLiteral("type")).toString() == u"file")
                ++fileEntries;
        QCOMPARE(fileEntries, files.size());
        const QStringList trees = QDir(dataDir + QStringLiteral("/datastores")).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
        QCOMPARE(trees.size(), 1); // no .building-* left behind
        const QString tree = dataDir + QStringLiteral("/datastores/") + trees.first() + QStringLiteral("/1/");
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            const QJsonObject e = listed.value(it.key());
            QVERIFY2(!e.isEmpty(), qPrintable(it.key()));
            QCOMPARE(e.value(QStringLiteral("sha256")).toString(), sha(it.value()));
            QCOMPARE(e.value(QStringLiteral("size_bytes")).toInteger(), it.value().size());
            QFile f(tree + it.key());
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(tree + it.key()));
            QVERIFY2(f.readAll() == it.value(), qPrintable(it.key()));
        }
    }
};

QTEST_GUILESS_MAIN(TestDatastoresApi)
#include "test_datastores_api.moc"
