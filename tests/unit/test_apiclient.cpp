// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient against a scripted HTTP peer: bearer header, JSON errors into messages, retries
// for idempotent methods only, timeouts, and connection failures.
#include "core/apiclient.h"

#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using og::ApiClient;
using og::ApiResult;

namespace {
// Answers each request with the next canned response; records what it received.
class ScriptedPeer final : public QObject
{
public:
    QList<QByteArray> responses; // an empty entry: read the request, never answer
    QList<QByteArray> requests;

    ScriptedPeer()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] {
                    QByteArray &buf = m_buffers[s];
                    buf += s->readAll();
                    const qsizetype end = buf.indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const qsizetype lengthAt = buf.toLower().indexOf("content-length: ");
                    const int length = lengthAt < 0 ? 0 : buf.mid(lengthAt + 16, buf.indexOf("\r\n", lengthAt) - lengthAt - 16).toInt();
                    if (buf.size() < end + 4 + length)
                        return;
                    requests.append(buf.left(end + 4 + length));
                    buf.remove(0, end + 4 + length);
                    const QByteArray answer = responses.isEmpty() ? QByteArray() : responses.takeFirst();
                    if (!answer.isEmpty())
                        s->write(answer);
                });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    static QByteArray reply(int status, const QByteArray &json)
    {
        return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\nContent-Length: "
               + QByteArray::number(json.size()) + "\r\n\r\n" + json;
    }

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
} // namespace

class TestApiClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendsBearerAndParsesJson()
    {
        ScriptedPeer peer;
        peer.responses = {ScriptedPeer::reply(200, R"({"user":{"username":"alice"}})")};
        ApiClient client;
        client.setBaseUrl(peer.url());
        client.setToken(QStringLiteral("grid_abc"));
        const ApiResult r = client.call("GET", QStringLiteral("/user"));
        QVERIFY(r.ok());
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(r.object().value(QStringLiteral("user")).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(peer.requests.size(), 1);
        QVERIFY(peer.requests[0].startsWith("GET /api/v1/user HTTP/1.1"));
        QVERIFY(peer.requests[0].contains("Authorization: Bearer grid_abc"));
    }

    void errorBodiesBecomeMessages()
    {
        ScriptedPeer peer;
        peer.responses = {ScriptedPeer::reply(400, R"({"error":{"code":"invalid_request","message":"name is missing"}})"),
                          ScriptedPeer::reply(404, "<html>nope</html>")};
        ApiClient client;
        client.setBaseUrl(peer.url());
        ApiResult r = client.call("POST", QStringLiteral("/api-keys"), QJsonObject{{QStringLiteral("x"), 1}});
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(r.errorCode, QStringLiteral("invalid_request"));
        QCOMPARE(r.message, QStringLiteral("name is missing"));
        QVERIFY(peer.requests[0].contains("Content-Type: application/json"));
        QVERIFY(peer.requests[0].endsWith("{\"x\":1}"));
        // Not our JSON: still a readable sentence with the status.
        r = client.call("GET", QStringLiteral("/missing"));
        QCOMPARE(r.httpStatus, 404);
        QCOMPARE(r.errorCode, QStringLiteral("http_404"));
        QVERIFY2(r.message.contains(QStringLiteral("404")), qPrintable(r.message));
    }

    void idempotentRequestsAreRetried()
    {
        ScriptedPeer peer;
        peer.responses = {ScriptedPeer::reply(503, "{}"), ScriptedPeer::reply(502, "{}"), ScriptedPeer::reply(200, "{}")};
        ApiClient client;
        client.setBaseUrl(peer.url());
        const ApiResult r = client.call("GET", QStringLiteral("/runs"));
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(peer.requests.size(), 3);
    }

    void postIsNeverRetried()
    {
        ScriptedPeer peer;
        peer.responses = {ScriptedPeer::reply(503, "{}"), ScriptedPeer::reply(201, "{}")};
        ApiClient client;
        client.setBaseUrl(peer.url());
        const ApiResult r = client.call("POST", QStringLiteral("/api-keys"), QJsonObject{{QStringLiteral("name"), QStringLiteral("k")}});
        QCOMPARE(r.httpStatus, 503);
        QCOMPARE(peer.requests.size(), 1);
    }

    void timeoutIsReported()
    {
        ScriptedPeer peer;
        peer.responses = {QByteArray(), QByteArray()};
        ApiClient client;
        client.setBaseUrl(peer.url());
        client.setTimeout(std::chrono::milliseconds(300));
        client.setMaxAttempts(1);
        const ApiResult r = client.call("GET", QStringLiteral("/user"));
        QCOMPARE(r.errorCode, QStringLiteral("timeout"));
        QVERIFY(r.message.contains(QStringLiteral("timed out")));
    }

    void connectionRefusedSaysWhatToDo()
    {
        quint16 freePort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            freePort = probe.serverPort();
        }
        ApiClient client;
        client.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(freePort)));
        client.setMaxAttempts(2);
        const ApiResult r = client.call("GET", QStringLiteral("/user"));
        QCOMPARE(r.errorCode, QStringLiteral("network"));
        QVERIFY2(r.message.contains(QStringLiteral("cannot reach")), qPrintable(r.message));
    }

    void urlsKeepABasePath()
    {
        ApiClient client;
        client.setBaseUrl(QUrl(QStringLiteral("https://grid.example.org/platform/")));
        QCOMPARE(client.endpointUrl(QStringLiteral("/user")).toString(), QStringLiteral("https://grid.example.org/platform/api/v1/user"));
        QCOMPARE(client.eventsUrl().toString(), QStringLiteral("wss://grid.example.org/platform/api/v1/events"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("status"), QStringLiteral("all"));
        QCOMPARE(client.endpointUrl(QStringLiteral("/runs"), query).toString(),
                 QStringLiteral("https://grid.example.org/platform/api/v1/runs?status=all"));
        QCOMPARE(client.endpointUrl(QStringLiteral("/runs?status=active&x=a%20b")).toString(QUrl::FullyEncoded),
                 QStringLiteral("https://grid.example.org/platform/api/v1/runs?status=active&x=a%20b"));
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "test_apiclient.moc"
