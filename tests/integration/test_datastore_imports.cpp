// SPDX-License-Identifier: GPL-3.0-or-later
// Datastores from URLs against a real gridd: a URL that 404s, one that never answers, archives
// that escape their root or expand past the limit (zip bombs), and a good one — all served by a
// tiny HTTP server inside the test.
#include "tests/support/datastorefixtures.h"
#include "tests/support/griddprocess.h"

using og::test::GriddProcess;
using namespace og::test;

class TestDatastoreImports final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    std::unique_ptr<GriddProcess> m_gridd; // download timeout 1 s, 50 MiB extracted
    TinyHttpServer m_http;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        m_gridd = startWithConfig(m_work.filePath(QStringLiteral("gridd.yaml")),
                                  "datastores:\n  download_timeout_seconds: 1\n  max_extracted: 50MiB\n", &error);
        QVERIFY2(m_gridd, qPrintable(error));
        QVERIFY(m_http.listen(QHostAddress::LocalHost));
    }

    void cleanupTestCase()
    {
        if (m_gridd)
            m_gridd->terminate();
    }

    void importOfAUrlThat404sFails()
    {
        const ApiResult r = m_gridd->call("POST", QStringLiteral("/datastores/gone/imports"),
                                          QJsonObject{{QStringLiteral("url"), m_http.url(QStringLiteral("/gone.tar.gz"))}});
        QCOMPARE(r.httpStatus, 202);
        QCOMPARE(versionOf(r).value(QStringLiteral("status")).toString(), QStringLiteral("uploading"));
        const QJsonObject v = versionOf(waitUntilFinal(*m_gridd, QStringLiteral("gone"), 1));
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY2(v.value(QStringLiteral("reason")).toString().contains(QStringLiteral("404")), qPrintable(v.value(QStringLiteral("reason")).toString()));
        QVERIFY(m_http.requests >= 1);
    }

    void importOfAUrlThatNeverAnswersTimesOut()
    {
        QElapsedTimer timer;
        timer.start();
        const ApiResult r = m_gridd->call("POST", QStringLiteral("/datastores/hang/imports"),
                                          QJsonObject{{QStringLiteral("url"), m_http.url(QStringLiteral("/hang/data.tar.gz"))}});
        QCOMPARE(r.httpStatus, 202);
        const QJsonObject v = versionOf(waitUntilFinal(*m_gridd, QStringLiteral("hang"), 1, {}, 15000));
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY2(v.value(QStringLiteral("reason")).toString().contains(QStringLiteral("timed out")), qPrintable(v.value(QStringLiteral("reason")).toString()));
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    }

    void importOfAnArchiveEscapingItsRootFails()
    {
        const QString path = m_work.filePath(QStringLiteral("evil.tar.gz"));
        TarGzBuilder b(path);
        b.file("fine.txt", "fine\n").file("../evil", "outside\n");
        QVERIFY(b.close());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_http.answers.insert("/evil.tar.gz", {200, f.readAll()});
        const ApiResult r = m_gridd->call("POST", QStringLiteral("/datastores/evil/imports"),
                                          QJsonObject{{QStringLiteral("url"), m_http.url(QStringLiteral("/evil.tar.gz"))}});
        QCOMPARE(r.httpStatus, 202);
        const QJsonObject v = versionOf(waitUntilFinal(*m_gridd, QStringLiteral("evil"), 1));
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QString reason = v.value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("../evil")) && reason.contains(QStringLiteral("escapes")), qPrintable(reason));
        // Nothing was written outside the import's directory.
        QDirIterator it(m_gridd->dataDir(), {QStringLiteral("evil")}, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QVERIFY2(!it.hasNext(), qPrintable(it.hasNext() ? it.next() : QString()));
        QVERIFY(!QFile::exists(m_gridd->dataDir() + QStringLiteral("/imports/evil")));
    }

    void importOfAZipBombFails()
    {
        const QString path = m_work.filePath(QStringLiteral("bomb.tar.gz"));
        TarGzBuilder b(path);
        b.zeros("zeros.bin", 200 * kMiB); // max_extracted is 50 MiB
        QVERIFY(b.close());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(bytes.size() < 2 * kMiB, qPrintable(QString::number(bytes.size())));
        m_http.answers.insert("/bomb.tar.gz", {200, bytes});
        const ApiResult r = m_gridd->call("POST", QStringLiteral("/datastores/bomb/imports"),
                                          QJsonObject{{QStringLiteral("url"), m_http.url(QStringLiteral("/bomb.tar.gz"))}});
        QCOMPARE(r.httpStatus, 202);
        const QJsonObject v = versionOf(waitUntilFinal(*m_gridd, QStringLiteral("bomb"), 1));
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QString reason = v.value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("limit of %1 bytes").arg(50 * kMiB)), qPrintable(reason));
        // The half-extracted tree is gone.
        QTRY_VERIFY_WITH_TIMEOUT(QDir(m_gridd->dataDir() + QStringLiteral("/imports")).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), 5000);
    }

    void importOfAGoodArchiveSucceeds()
    {
        // The counterpart of the failures above, through the same server.
        const QString path = m_work.filePath(QStringLiteral("good.tar.gz"));
        TarGzBuilder b(path);
        b.file("a.txt", "alpha\n").file("sub/b.txt", "beta\n");
        QVERIFY(b.close());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_http.answers.insert("/good.tar.gz", {200, f.readAll()});
        const ApiResult r = m_gridd->call("POST", QStringLiteral("/datastores/good/imports"),
                                          QJsonObject{{QStringLiteral("url"), m_http.url(QStringLiteral("/good.tar.gz"))}});
        QCOMPARE(r.httpStatus, 202);
        const QJsonObject v = versionOf(waitUntilFinal(*m_gridd, QStringLiteral("good"), 1));
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(v.value(QStringLiteral("file_count")).toInt(), 2);
        const auto files = listAllFiles(*m_gridd, QStringLiteral("good"), 1);
        QCOMPARE(files.value(QStringLiteral("sub/b.txt")).value(QStringLiteral("sha256")).toString(), sha("beta\n"));
    }
};

QTEST_GUILESS_MAIN(TestDatastoreImports)
#include "test_datastore_imports.moc"
