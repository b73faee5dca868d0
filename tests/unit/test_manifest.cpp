// SPDX-License-Identifier: GPL-3.0-or-later
// The canonical manifest: identical trees give identical bytes and root hashes; untrusted
// manifests are validated line by line.
#include "core/datastore/manifest.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
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

    // UTF-8 byte order, not QString's UTF-16 order: they differ for a character beyond U+FFFF
    // (a surrogate pair, 0xD83D…) against one from U+E000, and the sort takes the slower path
    // for such names only.
    void entriesAreSortedByUtf8Bytes()
    {
        const QString emoji = QString::fromUtf8("\xf0\x9f\x98\x80");  // U+1F600
        const QString privateUse = QString(QChar(0xe000));
        const Manifest m({file(emoji, "1"), file(privateUse, "2"), file(QStringLiteral("z"), "3"), file(QStringLiteral("a"), "4")});
        QStringList paths;
        for (const ManifestEntry &e : m.entries())
            paths.append(e.path);
        QCOMPARE(paths, (QStringList{QStringLiteral("a"), QStringLiteral("z"), privateUse, emoji}));
        const Manifest ascii({file(QStringLiteral("b/c"), "1"), file(QStringLiteral("b-c"), "2"), file(QStringLiteral("B"), "3")});
        paths.clear();
        for (const ManifestEntry &e : ascii.entries())
            paths.append(e.path);
        QCOMPARE(paths, (QStringList{QStringLiteral("B"), QStringLiteral("b-c"), QStringLiteral("b/c")}));
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

    // The bytes are the canonical form whichever way they are written: common paths take a
    // hand-written fast path, the rest QJsonDocument, and both must give what QJsonDocument
    // gives (the root hashes of existing versions depend on it).
    void canonicalBytesAreWhatQJsonDocumentWrites_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << QStringLiteral("f000");
        QTest::newRow("punctuation") << QStringLiteral("a b~!#$%&'()*+,-.:;<=>?@[]^_`{|}");
        QTest::newRow("quote") << QStringLiteral("say \"hi\"");
        QTest::newRow("backslash") << QStringLiteral("back\\slash");
        QTest::newRow("control") << QStringLiteral("tab\there\nline\x01");
        QTest::newRow("DEL") << QStringLiteral("del\x7f");
        QTest::newRow("unicode") << QStringLiteral("é ü 日本 🙂");
    }

    void canonicalBytesAreWhatQJsonDocumentWrites()
    {
        QFETCH(QString, name);
        auto jsonLine = [](const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n'; };
        const ManifestEntry f = file(QStringLiteral("d/") + name, "content", 0640);
        const ManifestEntry l = link(f.path + QStringLiteral("-link"), name);
        const ManifestEntry d = dir(QStringLiteral("d"));
        const QByteArray expected =
            jsonLine({{QStringLiteral("path"), d.path}, {QStringLiteral("type"), QStringLiteral("dir")}, {QStringLiteral("mode"), d.mode}})
            + jsonLine({{QStringLiteral("path"), f.path}, {QStringLiteral("type"), QStringLiteral("file")}, {QStringLiteral("mode"), f.mode},
                        {QStringLiteral("size"), f.size}, {QStringLiteral("sha256"), f.sha256}})
            + jsonLine({{QStringLiteral("path"), l.path}, {QStringLiteral("type"), QStringLiteral("symlink")}, {QStringLiteral("mode"), l.mode},
                        {QStringLiteral("target"), l.target}});
        const Manifest m({l, f, d}); // sorted: d, d/<name>, d/<name>-link
        QCOMPARE(m.toCanonicalBytes(), expected);
        QString error;
        const auto parsed = Manifest::parse(expected, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->entries(), m.entries());
    }

    // Lines in canonical form take the fast reader; what it accepts must still be checked.
    void canonicalLinesAreCheckedToo_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        const QByteArray hash(64, 'a');
        auto fileLine = [&hash](const QByteArray &path, const QByteArray &mode = "420", const QByteArray &size = "1",
                                const QByteArray &sha = QByteArray()) {
            return "{\"mode\":" + mode + ",\"path\":\"" + path + "\",\"sha256\":\"" + (sha.isNull() ? hash : sha) + "\",\"size\":" + size
                   + ",\"type\":\"file\"}\n";
        };
        QTest::newRow("dot-dot") << fileLine("../x") << QStringLiteral("line 1: path '../x'");
        QTest::newRow("absolute") << fileLine("/etc/passwd") << QStringLiteral("absolute");
        QTest::newRow("duplicate") << fileLine("a") + fileLine("a") << QStringLiteral("line 2: path 'a' appears twice");
        QTest::newRow("missing parent") << fileLine("a/b") << QStringLiteral("without its directory");
        QTest::newRow("mode too large") << fileLine("a", "4096") << QStringLiteral("mode");
        QTest::newRow("leading zero") << fileLine("a", "0420") << QStringLiteral("line 1");
        QTest::newRow("size too large") << fileLine("a", "420", "1125899906842625") << QStringLiteral("size");
        QTest::newRow("upper-case hash") << fileLine("a", "420", "1", QByteArray(64, 'A')) << QStringLiteral("sha256");
        QTest::newRow("link outside") << QByteArray("{\"mode\":511,\"path\":\"l\",\"target\":\"../x\",\"type\":\"symlink\"}\n")
                                      << QStringLiteral("line 1: symbolic link 'l' points outside");
        QTest::newRow("trailing bytes") << QByteArray("{\"mode\":493,\"path\":\"a\",\"type\":\"dir\"}x\n") << QStringLiteral("line 1");
    }

    void canonicalLinesAreCheckedToo()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!Manifest::parse(bytes, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
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
