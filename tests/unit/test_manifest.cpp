// SPDX-License-Identifier: GPL-3.0-or-later
// The canonical manifest: identical trees give identical bytes and root hashes; untrusted
// manifests are validated line by line.
#include "core/datastore/manifest.h"

#include <QCryptographicHash>
#include <QTest>

using og::Manifest;
using og::ManifestEntry;

namespace {
ManifestEntry file(const QString &path, const QByteArray &content, int mode = 0644)
{
    return {path, ManifestEntry::Type::File, mode, content.size(),
            QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()), {}};
}
ManifestEntry dir(const QString &path)
{
    return {path, ManifestEntry::Type::Directory, 0755, 0, {}, {}};
}
ManifestEntry link(const QString &path, const QString &target)
{
    return {path, ManifestEntry::Type::Symlink, 0777, 0, {}, target};
}
} // namespace

class TestManifest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void canonicalBytesAreSortedAndStable()
    {
        const Manifest a({file(QStringLiteral("b.txt"), "b"), dir(QStringLiteral("a")), file(QStringLiteral("a/x"), "x")});
        const Manifest b({file(QStringLiteral("a/x"), "x"), file(QStringLiteral("b.txt"), "b"), dir(QStringLiteral("a"))});
        QCOMPARE(a.toCanonicalBytes(), b.toCanonicalBytes());
        QCOMPARE(a.rootHash(), b.rootHash());
        const QList<QByteArray> lines = a.toCanonicalBytes().split('\n');
        QCOMPARE(lines.size(), 4); // three entries and the final newline
        QCOMPARE(lines[0], QByteArray("{\"mode\":493,\"path\":\"a\",\"type\":\"dir\"}"));
        QVERIFY(lines[1].startsWith("{\"mode\":420,\"path\":\"a/x\",\"sha256\":\""));
        QCOMPARE(a.rootHash(), QString::fromLatin1(QCryptographicHash::hash(a.toCanonicalBytes(), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(a.fileCount(), 2);
        QCOMPARE(a.totalBytes(), 2);
    }

    void anyChangeChangesTheRootHash()
    {
        const Manifest base({file(QStringLiteral("f"), "one")});
        QVERIFY(base.rootHash() != Manifest({file(QStringLiteral("f"), "two")}).rootHash());
        QVERIFY(base.rootHash() != Manifest({file(QStringLiteral("f"), "one", 0755)}).rootHash());
        QVERIFY(base.rootHash() != Manifest({file(QStringLiteral("g"), "one")}).rootHash());
    }

    void parseRoundTrip()
    {
        const Manifest m({dir(QStringLiteral("d")), file(QStringLiteral("d/é ü.bin"), "data"), link(QStringLiteral("d/l"), QStringLiteral("é ü.bin")),
                          link(QStringLiteral("up"), QStringLiteral("d/l")), link(QStringLiteral("d/back"), QStringLiteral("../d/l"))});
        QString error;
        const auto parsed = Manifest::parse(m.toCanonicalBytes(), &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->entries(), m.entries());
        QCOMPARE(parsed->rootHash(), m.rootHash());
    }

    void parseRejects_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        const QByteArray hash(64, 'a');
        QTest::newRow("dot-dot") << QByteArray("{\"path\":\"../x\",\"type\":\"file\",\"mode\":420,\"size\":1,\"sha256\":\"" + hash + "\"}\n") << QStringLiteral("'../x'");
        QTest::newRow("absolute") << QByteArray("{\"path\":\"/etc/passwd\",\"type\":\"file\",\"mode\":420,\"size\":1,\"sha256\":\"" + hash + "\"}\n") << QStringLiteral("absolute");
        QTest::newRow("NUL") << QByteArray("{\"path\":\"a\\u0000b\",\"type\":\"file\",\"mode\":420,\"size\":1,\"sha256\":\"" + hash + "\"}\n") << QStringLiteral("NUL");
        QTest::newRow("empty component") << QByteArray("{\"path\":\"a//b\",\"type\":\"dir\"}" "\n") << QStringLiteral("'a//b'");
        QTest::newRow("missing parent") << QByteArray("{\"path\":\"a/b\",\"type\":\"dir\"}" "\n") << QStringLiteral("without its directory");
        QTest::newRow("file as parent") << QByteArray("{\"path\":\"a\",\"type\":\"file\",\"size\":1,\"sha256\":\"" + hash + "\"}\n"
                                                      "{\"path\":\"a/b\",\"type\":\"dir\"}" "\n") << QStringLiteral("not a directory");
        QTest::newRow("duplicate") << QByteArray("{\"path\":\"a\",\"type\":\"dir\"}" "\n" "{\"path\":\"a\",\"type\":\"dir\"}" "\n") << QStringLiteral("twice");
        QTest::newRow("bad hash") << QByteArray("{\"path\":\"a\",\"type\":\"file\",\"size\":1,\"sha256\":\"ABC\"}" "\n") << QStringLiteral("sha256");
        QTest::newRow("no size") << QByteArray("{\"path\":\"a\",\"type\":\"file\",\"sha256\":\"" + hash + "\"}\n") << QStringLiteral("size");
        QTest::newRow("bad type") << QByteArray("{\"path\":\"a\",\"type\":\"fifo\"}" "\n") << QStringLiteral("type must be");
        QTest::newRow("unknown field") << QByteArray("{\"path\":\"a\",\"type\":\"dir\",\"owner\":\"root\"}" "\n") << QStringLiteral("unknown field 'owner'");
        QTest::newRow("absolute link") << QByteArray("{\"path\":\"l\",\"type\":\"symlink\",\"target\":\"/etc\"}" "\n") << QStringLiteral("outside");
        QTest::newRow("escaping link") << QByteArray("{\"path\":\"l\",\"type\":\"symlink\",\"target\":\"../x\"}" "\n") << QStringLiteral("outside");
        QTest::newRow("link chain trick") << QByteArray("{\"path\":\"d\",\"type\":\"dir\"}" "\n" "{\"path\":\"d/y\",\"type\":\"symlink\",\"target\":\"x/../..\"}" "\n") << QStringLiteral("outside");
        QTest::newRow("not json") << QByteArray("hello\n") << QStringLiteral("line 1");
    }

    void parseRejects()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!Manifest::parse(bytes, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void validatePath()
    {
        QVERIFY(Manifest::validatePath(QStringLiteral("a/b c/d.txt")).isEmpty());
        QVERIFY(!Manifest::validatePath(QString()).isEmpty());
        QVERIFY(!Manifest::validatePath(QStringLiteral("./a")).isEmpty());
        QVERIFY(!Manifest::validatePath(QString(300, u'x')).isEmpty());
        QVERIFY(!Manifest::validatePath(QString(5000, u'x').replace(100, 1, u'/')).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestManifest)
#include "test_manifest.moc"
