// SPDX-License-Identifier: GPL-3.0-or-later
// Server mode: a TLS gridd, users created with `gridd user add`, each logging in with the
// real `grid` CLI and seeing none of the other's objects.
#include "tests/support/griddprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using og::test::CliResult;
using og::test::GriddProcess;
using og::test::onlyOwnerCanRead;

class TestServerModeTls final : public QObject
{
    Q_OBJECT

    CliResult grid(const QString &home, const QStringList &args)
    {
        return og::test::runGrid(args, og::test::cliEnvironment(home));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cert = m_dir.filePath(QStringLiteral("cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                       QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), m_cert,
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                       QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);
        const QString config = m_dir.filePath(QStringLiteral("gridd.yaml"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("mode: server\ntls:\n  certificate: " + m_cert.toUtf8() + "\n  key: " + key.toUtf8() + "\n");
        f.close();
        m_configArgs = {QStringLiteral("--config"), config};
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")), m_configArgs);
        m_gridd->caFile = m_cert;
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        QCOMPARE(m_gridd->url().scheme(), QStringLiteral("https"));
    }

    void serverModeCreatesNoLocalUser()
    {
        QVERIFY(!QFile::exists(m_gridd->dataDir() + QStringLiteral("/local-credentials.json")));
        QString out;
        QCOMPARE(GriddProcess::runGridd({QStringLiteral("--data-dir"), m_gridd->dataDir(), QStringLiteral("user"), QStringLiteral("list")}, &out), 0);
        QVERIFY(out.trimmed().isEmpty());
    }

    void plainHttpToTlsPortGetsNoAnswer()
    {
        QUrl url = m_gridd->url();
        const QByteArray raw = og::test::rawExchange(url, "GET /api/v1/health HTTP/1.1\r\n\r\n", 2000);
        QVERIFY(!raw.startsWith("HTTP/1.1 200"));
    }

    void twoUsersLogInAndSeeOnlyTheirOwn()
    {
        const QString aliceKey = GriddProcess::addUser(m_gridd->dataDir(), QStringLiteral("alice"), m_configArgs);
        const QString bobKey = GriddProcess::addUser(m_gridd->dataDir(), QStringLiteral("bob@example.org"), m_configArgs);
        QVERIFY(!aliceKey.isEmpty() && !bobKey.isEmpty());
        const QString url = m_gridd->url().toString();
        const QString aliceHome = m_dir.filePath(QStringLiteral("alice-home"));
        const QString bobHome = m_dir.filePath(QStringLiteral("bob-home"));

        CliResult r = grid(aliceHome, {QStringLiteral("login"), QStringLiteral("--username"), QStringLiteral("alice"),
                                       QStringLiteral("--key"), aliceKey, QStringLiteral("--url"), url,
                                       QStringLiteral("--ca-file"), m_cert});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("Login successful")));
        QVERIFY(onlyOwnerCanRead(aliceHome + QStringLiteral("/.grid/credentials.json")));
        r = grid(bobHome, {QStringLiteral("login"), QStringLiteral("--username"), QStringLiteral("bob@example.org"),
                           QStringLiteral("--key"), bobKey, QStringLiteral("--url"), url, QStringLiteral("--ca-file"), m_cert});
        QVERIFY2(r.code == 0, qPrintable(r.err));

        r = grid(aliceHome, {QStringLiteral("user")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("Username: alice")));
        QVERIFY(r.out.contains(QStringLiteral("Cluster context: server")));
        r = grid(aliceHome, {QStringLiteral("status")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.count(QStringLiteral("None Active.")), 2);
        // No local gridd was started: the configured URL is used.
        QVERIFY(!QFile::exists(aliceHome + QStringLiteral("/platform/endpoint.json")));

        // Alice's key objects are invisible to Bob.
        const auto aliceKeys = m_gridd->call("GET", QStringLiteral("/api-keys"), {}, aliceKey).object().value(QStringLiteral("api_keys")).toArray();
        QCOMPARE(aliceKeys.size(), 1);
        const QString aliceKeyId = aliceKeys.at(0).toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(m_gridd->call("GET", QStringLiteral("/api-keys/") + aliceKeyId, {}, bobKey).httpStatus, 404);
        QCOMPARE(m_gridd->call("DELETE", QStringLiteral("/api-keys/") + aliceKeyId, {}, bobKey).httpStatus, 404);
        const auto bobKeys = m_gridd->call("GET", QStringLiteral("/api-keys"), {}, bobKey).object().value(QStringLiteral("api_keys")).toArray();
        QCOMPARE(bobKeys.size(), 1);
        QVERIFY(bobKeys.at(0).toObject().value(QStringLiteral("id")).toString() != aliceKeyId);
        QVERIFY(m_gridd->call("GET", QStringLiteral("/user"), {}, aliceKey).ok());
    }

    void loginFailuresAreOneLine()
    {
        const QString home = m_dir.filePath(QStringLiteral("eve-home"));
        const QString url = m_gridd->url().toString();
        CliResult r = grid(home, {QStringLiteral("login"), QStringLiteral("--username"), QStringLiteral("eve"),
                                  QStringLiteral("--key"), QStringLiteral("grid_aaaaaaaaaaaa_") + QString(64, u'0'),
                                  QStringLiteral("--url"), url, QStringLiteral("--ca-file"), m_cert});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("error: login failed")), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY(!QFile::exists(home + QStringLiteral("/.grid/credentials.json")));

        // Without the CA the self-signed certificate is not trusted, and the message says what to do.
        r = grid(home, {QStringLiteral("login"), QStringLiteral("--username"), QStringLiteral("eve"),
                        QStringLiteral("--key"), QStringLiteral("grid_aaaaaaaaaaaa_") + QString(64, u'0'), QStringLiteral("--url"), url});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--ca-file")), qPrintable(r.err));
    }

    void nonLoopbackWithoutTlsIsRefused()
    {
        QString out;
        const int code = GriddProcess::runGridd({QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("other")),
                                                 QStringLiteral("--mode"), QStringLiteral("server"),
                                                 QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")}, &out);
        QCOMPARE(code, 1);
        QVERIFY2(out.contains(QStringLiteral("without TLS")), qPrintable(out));
    }

private:
    QTemporaryDir m_dir;
    QString m_cert;
    QStringList m_configArgs;
    std::unique_ptr<GriddProcess> m_gridd;
};

QTEST_GUILESS_MAIN(TestServerModeTls)
#include "test_server_mode_tls.moc"
