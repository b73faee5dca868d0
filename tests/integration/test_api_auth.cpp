// SPDX-License-Identifier: GPL-3.0-or-later
// Authentication and ownership against a real gridd: every API object is its owner's alone.
#include "tests/support/griddprocess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using og::ApiResult;
using og::test::GriddProcess;

class TestApiAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_gridd.start(&error), qPrintable(error));
        m_bobToken = GriddProcess::addUser(m_gridd.dataDir(), QStringLiteral("bob"));
        QVERIFY(!m_bobToken.isEmpty());
    }

    void healthIsPublic()
    {
        const ApiResult r = m_gridd.call("GET", QStringLiteral("/health"), {}, QStringLiteral("none"));
        QVERIFY(r.ok());
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    }

    void missingTokenIs401()
    {
        auto client = m_gridd.client();
        client->setToken(QString());
        const ApiResult r = client->call("GET", QStringLiteral("/user"));
        QCOMPARE(r.httpStatus, 401);
        QCOMPARE(r.errorCode, QStringLiteral("unauthorized"));
        QVERIFY(r.message.contains(QStringLiteral("grid login")));
    }

    void malformedAndWrongTokensAre401_data()
    {
        QTest::addColumn<QString>("token");
        const QString local = m_gridd.localToken();
        QString wrongSecret = local;
        wrongSecret[wrongSecret.size() - 1] = wrongSecret.back() == u'0' ? u'1' : u'0';
        QTest::newRow("garbage") << QStringLiteral("hello");
        QTest::newRow("wrong secret") << wrongSecret;
        QTest::newRow("unknown id") << QStringLiteral("grid_aaaaaaaaaaaa_") + QString(64, u'a');
        QTest::newRow("truncated") << local.left(local.size() - 1);
    }

    void malformedAndWrongTokensAre401()
    {
        QFETCH(QString, token);
        const ApiResult r = m_gridd.call("GET", QStringLiteral("/user"), {}, token);
        QCOMPARE(r.httpStatus, 401);
        QVERIFY(!r.message.isEmpty());
        QVERIFY2(!r.message.contains(token), "the offered token must not be echoed back");
    }

    void revokedTokenIs401()
    {
        const ApiResult created = m_gridd.call("POST", QStringLiteral("/api-keys"),
                                               QJsonObject{{QStringLiteral("name"), QStringLiteral("short-lived")}});
        QCOMPARE(created.httpStatus, 201);
        const QString token = created.object().value(QStringLiteral("token")).toString();
        const QString id = created.object().value(QStringLiteral("api_key")).toObject().value(QStringLiteral("id")).toString();
        QVERIFY(token.startsWith(QStringLiteral("grid_") + id + u'_'));
        QVERIFY(m_gridd.call("GET", QStringLiteral("/user"), {}, token).ok());

        const ApiResult revoked = m_gridd.call("DELETE", QStringLiteral("/api-keys/") + id);
        QVERIFY2(revoked.ok(), qPrintable(revoked.message));
        QVERIFY(!revoked.object().value(QStringLiteral("api_key")).toObject().value(QStringLiteral("revoked_at")).isNull());
        QCOMPARE(m_gridd.call("GET", QStringLiteral("/user"), {}, token).httpStatus, 401);
        // The key that revoked it keeps working.
        QVERIFY(m_gridd.call("GET", QStringLiteral("/user")).ok());
    }

    void keyUseIsRecorded()
    {
        const ApiResult r = m_gridd.call("GET", QStringLiteral("/user"));
        const QString id = r.object().value(QStringLiteral("api_key_id")).toString();
        const ApiResult key = m_gridd.call("GET", QStringLiteral("/api-keys/") + id);
        QVERIFY(key.ok());
        QVERIFY(key.object().value(QStringLiteral("api_key")).toObject().value(QStringLiteral("last_used_at")).isString());
    }

    void anotherUsersKeyIs404()
    {
        const ApiResult bobs = m_gridd.call("POST", QStringLiteral("/api-keys"),
                                            QJsonObject{{QStringLiteral("name"), QStringLiteral("bobs-laptop")}}, m_bobToken);
        QCOMPARE(bobs.httpStatus, 201);
        const QString bobKeyId = bobs.object().value(QStringLiteral("api_key")).toObject().value(QStringLiteral("id")).toString();

        // The local user can neither see nor revoke it, and is told it does not exist.
        const ApiResult get = m_gridd.call("GET", QStringLiteral("/api-keys/") + bobKeyId);
        QCOMPARE(get.httpStatus, 404);
        const ApiResult del = m_gridd.call("DELETE", QStringLiteral("/api-keys/") + bobKeyId);
        QCOMPARE(del.httpStatus, 404);
        QCOMPARE(get.message, m_gridd.call("GET", QStringLiteral("/api-keys/nosuchkey0000")).message.replace(QStringLiteral("nosuchkey0000"), bobKeyId));
        const QJsonArray localKeys = m_gridd.call("GET", QStringLiteral("/api-keys")).object().value(QStringLiteral("api_keys")).toArray();
        for (const QJsonValue &k : localKeys)
            QVERIFY(k.toObject().value(QStringLiteral("id")).toString() != bobKeyId);

        // Bob's key still works, and Bob sees only his own keys.
        const ApiResult bobList = m_gridd.call("GET", QStringLiteral("/api-keys"), {}, m_bobToken);
        QVERIFY(bobList.ok());
        QCOMPARE(bobList.object().value(QStringLiteral("api_keys")).toArray().size(), 2);
        const ApiResult bobUser = m_gridd.call("GET", QStringLiteral("/user"), {}, m_bobToken);
        QCOMPARE(bobUser.object().value(QStringLiteral("user")).toObject().value(QStringLiteral("username")).toString(),
                 QStringLiteral("bob"));
    }

    void adminRevokeTakesEffectWhileServing()
    {
        const QString token = GriddProcess::addUser(m_gridd.dataDir(), QStringLiteral("carol"));
        QVERIFY(m_gridd.call("GET", QStringLiteral("/user"), {}, token).ok());
        const QString id = token.mid(5, 12);
        QString out;
        QCOMPARE(GriddProcess::runGridd({QStringLiteral("--data-dir"), m_gridd.dataDir(), QStringLiteral("key"),
                                         QStringLiteral("revoke"), id}, &out), 0);
        // Another process's revocation reaches the workers' key caches within a second.
        QTRY_COMPARE_WITH_TIMEOUT(m_gridd.call("GET", QStringLiteral("/user"), {}, token).httpStatus, 401, 3000);
    }

    void duplicateUserIsRefused()
    {
        QString out;
        QCOMPARE(GriddProcess::runGridd({QStringLiteral("--data-dir"), m_gridd.dataDir(), QStringLiteral("user"),
                                         QStringLiteral("add"), QStringLiteral("bob")}, &out), 1);
        QVERIFY2(out.contains(QStringLiteral("already exists")), qPrintable(out));
        QCOMPARE(GriddProcess::runGridd({QStringLiteral("--data-dir"), m_gridd.dataDir(), QStringLiteral("user"),
                                         QStringLiteral("add"), QStringLiteral("bad name/")}, &out), 1);
        QVERIFY2(out.contains(QStringLiteral("invalid username")), qPrintable(out));
    }

private:
    GriddProcess m_gridd;
    QString m_bobToken;
};

QTEST_GUILESS_MAIN(TestApiAuth)
#include "test_api_auth.moc"
