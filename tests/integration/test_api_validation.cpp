// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input against a real gridd: each gets a 4xx JSON error that says what is wrong, and
// gridd keeps serving.
#include "tests/support/griddprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using og::test::GriddProcess;
using og::test::rawExchange;
using og::test::statusOf;

class TestApiValidation final : public QObject
{
    Q_OBJECT

    QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                       const QByteArray &contentType = "application/json", const QByteArray &extra = {})
    {
        QByteArray r = method + ' ' + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Authorization: Bearer " + m_gridd.localToken().toLatin1() + "\r\n";
        if (!contentType.isEmpty())
            r += "Content-Type: " + contentType + "\r\n";
        r += extra;
        r += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        return r;
    }

    static QJsonObject errorOf(const QByteArray &raw)
    {
        const QByteArray body = raw.mid(raw.indexOf("\r\n\r\n") + 4);
        return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_gridd.start(&error), qPrintable(error));
    }

    void badBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed json") << QByteArray("{\"name\": ") << 400 << QStringLiteral("not valid JSON");
        QTest::newRow("not an object") << QByteArray("[1,2]") << 400 << QStringLiteral("must be a JSON object");
        QTest::newRow("empty") << QByteArray("") << 400 << QStringLiteral("empty");
        QTest::newRow("wrong type") << QByteArray("{\"name\": 5}") << 400 << QStringLiteral("'name' must be a string");
        QTest::newRow("missing field") << QByteArray("{}") << 400 << QStringLiteral("missing required field 'name'");
        QTest::newRow("unknown field") << QByteArray("{\"name\":\"ok\",\"admin\":true}") << 400 << QStringLiteral("unknown field 'admin'");
        QTest::newRow("upper case name") << QByteArray("{\"name\":\"MyKey\"}") << 400 << QStringLiteral("lower case");
        QTest::newRow("slash in name") << QByteArray("{\"name\":\"a/b\"}") << 400 << QStringLiteral("lower case");
        QTest::newRow("NUL in name") << QByteArray("{\"name\":\"a\\u0000b\"}") << 400 << QStringLiteral("lower case");
        QTest::newRow("dash at end") << QByteArray("{\"name\":\"key-\"}") << 400 << QStringLiteral("end with an alphanumeric");
        QTest::newRow("too long") << QByteArray("{\"name\":\"" + QByteArray(100, 'a') + "\"}") << 400 << QStringLiteral("limit is 63");
        QTest::newRow("invalid utf8") << QByteArray("{\"name\":\"\xff\xfe\"}") << 400 << QStringLiteral("JSON");
    }

    void badBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const QByteArray raw = rawExchange(m_gridd.url(), request("POST", "/api/v1/api-keys", body,
                                                                  body.isEmpty() ? QByteArray() : QByteArray("application/json")));
        QCOMPARE(statusOf(raw), status);
        const QJsonObject error = errorOf(raw);
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_request"));
        QVERIFY2(error.value(QStringLiteral("message")).toString().contains(mentions),
                 qPrintable(error.value(QStringLiteral("message")).toString()));
    }

    void nothingWasCreatedByBadBodies()
    {
        const auto keys = m_gridd.call("GET", QStringLiteral("/api-keys")).object().value(QStringLiteral("api_keys")).toArray();
        QCOMPARE(keys.size(), 1); // only the local key from the first start
    }

    void oversizeBodyIs413WithoutReadingIt()
    {
        // Announce 2 MiB but send nothing: gridd must refuse on the header alone.
        QByteArray head = request("POST", "/api/v1/api-keys", {});
        head.replace("Content-Length: 0", "Content-Length: 2097152");
        const QByteArray raw = rawExchange(m_gridd.url(), head);
        QCOMPARE(statusOf(raw), 413);
        QVERIFY(errorOf(raw).value(QStringLiteral("message")).toString().contains(QStringLiteral("exceeds")));
    }

    void oversizeHeadersAre431()
    {
        const QByteArray raw = rawExchange(m_gridd.url(), request("GET", "/api/v1/user", {}, {},
                                                                  "X-Filler: " + QByteArray(40000, 'x') + "\r\n"));
        QCOMPARE(statusOf(raw), 431);
    }

    void wrongContentTypeIs415()
    {
        const QByteArray raw = rawExchange(m_gridd.url(), request("POST", "/api/v1/api-keys", "name=x", "application/x-www-form-urlencoded"));
        QCOMPARE(statusOf(raw), 415);
    }

    void chunkedBodyIs411()
    {
        const QByteArray raw = rawExchange(m_gridd.url(), "POST /api/v1/api-keys HTTP/1.1\r\nHost: x\r\n"
                                                          "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        QCOMPARE(statusOf(raw), 411);
    }

    void unknownEndpointAndMethod()
    {
        QByteArray raw = rawExchange(m_gridd.url(), request("GET", "/api/v1/nothing-here", {}));
        QCOMPARE(statusOf(raw), 404);
        QCOMPARE(errorOf(raw).value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
        raw = rawExchange(m_gridd.url(), request("PATCH", "/api/v1/api-keys", "{}"));
        QCOMPARE(statusOf(raw), 405);
        QVERIFY(raw.contains("Allow: GET, POST"));
        raw = rawExchange(m_gridd.url(), request("GET", "/api/v1/events", {}));
        QCOMPARE(statusOf(raw), 400);
        QCOMPARE(errorOf(raw).value(QStringLiteral("code")).toString(), QStringLiteral("websocket_required"));
    }

    void garbageOnTheWire()
    {
        QCOMPARE(statusOf(rawExchange(m_gridd.url(), QByteArray("\x00\x01\x02 garbage\r\n\r\n", 19))), 400);
        QCOMPARE(statusOf(rawExchange(m_gridd.url(), "GET /api/v1/health HTTP/2.0\r\n\r\n")), 505);
        QCOMPARE(statusOf(rawExchange(m_gridd.url(), "GET /api/v1/health HTTP/1.1\r\nContent-Length: -5\r\n\r\n")), 400);
        QCOMPARE(statusOf(rawExchange(m_gridd.url(), "GET /api/v1/health HTTP/1.1\r\nno colon here\r\n\r\n")), 400);
        // A client that connects and sends half a request, then hangs up.
        rawExchange(m_gridd.url(), "POST /api/v1/api-keys HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"na", 300);
    }

    void unsatisfiableInstanceTypeNamesWhatTheClusterHas()
    {
        const auto r = m_gridd.call("GET", QStringLiteral("/instance-types/p3dn.24xlarge"));
        QCOMPARE(r.httpStatus, 422);
        QVERIFY2(r.message.contains(QStringLiteral("this cluster has")), qPrintable(r.message));
        const auto unknown = m_gridd.call("GET", QStringLiteral("/instance-types/no-such-type"));
        QCOMPARE(unknown.httpStatus, 404);
        QVERIFY(unknown.message.contains(QStringLiteral("grid instance-types")));
        QVERIFY(m_gridd.call("GET", QStringLiteral("/instance-types/cpu-1")).ok());
        // Grid nicknames resolve case-insensitively (fitting or not depends on the machine).
        const auto nickname = m_gridd.call("GET", QStringLiteral("/instance-types/2_CPU_4GB"));
        QVERIFY2(nickname.httpStatus == 200 || nickname.httpStatus == 422, qPrintable(nickname.message));
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        const QByteArray one = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray raw = rawExchange(m_gridd.url(), one + one + "GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n");
        QCOMPARE(raw.count("HTTP/1.1 200 OK"), 3);
    }

    void stillServingAfterAllOfIt()
    {
        QVERIFY2(m_gridd.isRunning(), qPrintable(m_gridd.readLog()));
        QVERIFY(m_gridd.call("GET", QStringLiteral("/user")).ok());
    }

private:
    GriddProcess m_gridd;
};

QTEST_GUILESS_MAIN(TestApiValidation)
#include "test_api_validation.moc"
