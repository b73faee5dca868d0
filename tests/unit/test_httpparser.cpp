// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpparser.h"
#include "server/http/httpresponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using og::HttpParser;
using og::HttpRequest;
using og::HttpResponse;
using State = og::HttpParser::State;

namespace {

constexpr qint64 kMaxHeader = 1024;
constexpr qint64 kMaxBody = 100;

// Feeds until the parser stops asking to be fed again: Complete, Error or NeedMore.
State feedThrough(HttpParser &parser, QByteArray &buffer)
{
    State s = parser.feed(buffer);
    if (s == State::HeadersDone)
        s = parser.feed(buffer);
    return s;
}

} // namespace

class TestHttpParser final : public QObject
{
    Q_OBJECT

private slots:
    void completeGet();
    void postBodySplitByteByByte();
    void headersDoneBeforeBody();
    void pipelinedRequests();
    void strayCrlfBetweenRequests();
    void headerNamesAreLowerCasedAndValuesTrimmed();
    void oversizedHeadersWithoutEnd();
    void oversizedHeadersWithEnd();
    void headersAtTheLimitAreAccepted();
    void headersAtTheLimitByteByByte();
    void contentLengthOverLimitFailsBeforeBody();
    void conflictingContentLengths();
    void bodyAtTheLimitIsAccepted();
    void transferEncodingIsRefused();
    void badRequests_data();
    void badRequests();
    void httpVersions_data();
    void httpVersions();
    void errorIsSticky();
    void percentDecodingAndQuery();
    void keepAlive_data();
    void keepAlive();
    void webSocketUpgrade();

    void serializeFormat();
    void serializeNoContent();
    void serializeExtraHeadersAndClose();
    void errorJsonShape();
    void jsonArrayBody();
    void reasonPhrases();
};

void TestHttpParser::completeGet()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
    QCOMPARE(parser.feed(buffer), State::HeadersDone);
    QVERIFY(parser.headersParsed());
    QVERIFY(buffer.isEmpty());
    QCOMPARE(parser.feed(buffer), State::Complete);
    const HttpRequest r = parser.takeRequest();
    QCOMPARE(r.method, QByteArray("GET"));
    QCOMPARE(r.path, QStringLiteral("/api/v1/health"));
    QVERIFY(r.query.isEmpty());
    QCOMPARE(r.header("host"), QByteArray("localhost"));
    QCOMPARE(r.header("accept"), QByteArray("*/*"));
    QVERIFY(r.body.isEmpty());
    QVERIFY(!r.http10);
    QVERIFY(!parser.headersParsed());
    QCOMPARE(parser.errorStatus(), 0);
}

void TestHttpParser::postBodySplitByteByByte()
{
    const QByteArray body(R"({"name":"cifar5","size":12})");
    const QByteArray wire = "POST /api/v1/datastores HTTP/1.1\r\nContent-Type: application/json\r\n"
                            "Content-Length: " +
                            QByteArray::number(body.size()) + "\r\n\r\n" + body;
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer;
    int headersDone = 0;
    int complete = 0;
    qsizetype completeAt = -1;
    HttpRequest request;
    for (qsizetype i = 0; i < wire.size(); ++i) {
        buffer.append(wire[i]);
        State s = parser.feed(buffer);
        if (s == State::HeadersDone) {
            ++headersDone;
            // Head ends at the final LF of CRLFCRLF; nothing of the body has arrived yet.
            QCOMPARE(i, wire.indexOf("\r\n\r\n") + 3);
            QVERIFY(buffer.isEmpty());
            QCOMPARE(parser.current().header("content-length"), QByteArray::number(body.size()));
            s = parser.feed(buffer);
        }
        QVERIFY2(s != State::Error, qPrintable(parser.errorMessage()));
        if (s == State::Complete) {
            ++complete;
            completeAt = i;
            request = parser.takeRequest();
        }
    }
    QCOMPARE(headersDone, 1);
    QCOMPARE(complete, 1);
    QCOMPARE(completeAt, wire.size() - 1);
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QStringLiteral("/api/v1/datastores"));
    QCOMPARE(request.body, body);
    QVERIFY(buffer.isEmpty());
}

void TestHttpParser::headersDoneBeforeBody()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer("PUT /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123");
    QCOMPARE(parser.feed(buffer), State::HeadersDone);
    QCOMPARE(parser.current().method, QByteArray("PUT"));
    QCOMPARE(parser.current().path, QStringLiteral("/x"));
    QCOMPARE(buffer, QByteArray("0123")); // the body so far stays in the buffer
    QCOMPARE(parser.feed(buffer), State::NeedMore);
    QCOMPARE(parser.feed(buffer), State::NeedMore);
    buffer += "456789";
    QCOMPARE(parser.feed(buffer), State::Complete);
    QCOMPARE(parser.takeRequest().body, QByteArray("0123456789"));
}

void TestHttpParser::pipelinedRequests()
{
    QByteArray buffer("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                      "GET /b?x=1 HTTP/1.1\r\nConnection: close\r\n\r\n");
    HttpParser parser(kMaxHeader, kMaxBody);
    QCOMPARE(parser.feed(buffer), State::HeadersDone);
    QCOMPARE(parser.feed(buffer), State::Complete);
    const HttpRequest first = parser.takeRequest();
    QCOMPARE(first.method, QByteArray("POST"));
    QCOMPARE(first.path, QStringLiteral("/a"));
    QCOMPARE(first.body, QByteArray("abc"));
    QVERIFY(buffer.startsWith("GET /b"));

    QCOMPARE(parser.feed(buffer), State::HeadersDone);
    QCOMPARE(parser.feed(buffer), State::Complete);
    const HttpRequest second = parser.takeRequest();
    QCOMPARE(second.method, QByteArray("GET"));
    QCOMPARE(second.path, QStringLiteral("/b"));
    QCOMPARE(second.query.queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
    QVERIFY(second.body.isEmpty());
    // Nothing of the first request leaks into the second.
    QVERIFY(!second.headers.contains("content-length"));
    QVERIFY(!second.keepAlive());
    QVERIFY(buffer.isEmpty());
    QCOMPARE(parser.feed(buffer), State::NeedMore);
}

void TestHttpParser::strayCrlfBetweenRequests()
{
    QByteArray buffer("\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    HttpParser parser(kMaxHeader, kMaxBody);
    QCOMPARE(feedThrough(parser, buffer), State::Complete);
    QCOMPARE(parser.takeRequest().path, QStringLiteral("/"));
}

void TestHttpParser::headerNamesAreLowerCasedAndValuesTrimmed()
{
    QByteArray buffer(
        "GET / HTTP/1.1\r\nX-Custom-Header:   some value  \r\nAUTHORIZATION: Bearer t\r\n"
        "X-Colon: a:b\r\n\r\n");
    HttpParser parser(kMaxHeader, kMaxBody);
    QCOMPARE(feedThrough(parser, buffer), State::Complete);
    const HttpRequest r = parser.takeRequest();
    QCOMPARE(r.header("x-custom-header"), QByteArray("some value"));
    QCOMPARE(r.header("authorization"), QByteArray("Bearer t"));
    QCOMPARE(r.header("x-colon"), QByteArray("a:b"));
    QVERIFY(!r.headers.contains("AUTHORIZATION"));
}

void TestHttpParser::oversizedHeadersWithoutEnd()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(kMaxHeader, 'a');
    QCOMPARE(parser.feed(buffer), State::Error);
    QCOMPARE(parser.errorStatus(), 431);
    QVERIFY2(parser.errorMessage().contains(QString::number(kMaxHeader)),
             qPrintable(parser.errorMessage()));
}

void TestHttpParser::oversizedHeadersWithEnd()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(kMaxHeader, 'a') + "\r\n\r\n";
    QCOMPARE(parser.feed(buffer), State::Error);
    QCOMPARE(parser.errorStatus(), 431);
}

void TestHttpParser::headersAtTheLimitAreAccepted()
{
    QByteArray head = "GET / HTTP/1.1\r\nX-Fill: ";
    head += QByteArray(kMaxHeader - head.size(), 'a');
    QCOMPARE(head.size(), kMaxHeader);
    QByteArray buffer = head + "\r\n\r\n";
    HttpParser parser(kMaxHeader, kMaxBody);
    QCOMPARE(feedThrough(parser, buffer), State::Complete);

    QByteArray over = head + "a\r\n\r\n";
    HttpParser strict(kMaxHeader, kMaxBody);
    QCOMPARE(strict.feed(over), State::Error);
    QCOMPARE(strict.errorStatus(), 431);
}

void TestHttpParser::headersAtTheLimitByteByByte()
{
    // The same head that is accepted in one piece must be accepted however TCP splits it: the
    // limit is on the head, not on the head plus a partly received CRLFCRLF.
    QByteArray head = "GET / HTTP/1.1\r\nX-Fill: ";
    head += QByteArray(kMaxHeader - head.size(), 'a');
    const QByteArray wire = head + "\r\n\r\n";
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer;
    State s = State::NeedMore;
    for (qsizetype i = 0; i < wire.size(); ++i) {
        buffer.append(wire[i]);
        s = parser.feed(buffer);
        if (s == State::Error)
            QFAIL(qPrintable(QStringLiteral("byte %1 of %2: %3 %4")
                                 .arg(i + 1)
                                 .arg(wire.size())
                                 .arg(parser.errorStatus())
                                 .arg(parser.errorMessage())));
    }
    QCOMPARE(s, State::HeadersDone);
}

void TestHttpParser::conflictingContentLengths()
{
    // Two different lengths make the message boundary ambiguous (request smuggling through a
    // proxy that picks the other one): RFC 9112 §6.3 says reject.
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 10\r\n\r\nabcGET /x "
                      "HTTP/1.1\r\n\r\n");
    QCOMPARE(parser.feed(buffer), State::Error);
    QCOMPARE(parser.errorStatus(), 400);
}

void TestHttpParser::contentLengthOverLimitFailsBeforeBody()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    // Only the head has arrived: the parser must not wait for a body it would refuse.
    QByteArray buffer("POST /upload HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
    QCOMPARE(parser.feed(buffer), State::Error);
    QCOMPARE(parser.errorStatus(), 413);
    QVERIFY2(parser.errorMessage().contains(u"101") && parser.errorMessage().contains(u"100"),
             qPrintable(parser.errorMessage()));

    HttpParser huge(kMaxHeader, kMaxBody);
    QByteArray hugeBuffer("POST /upload HTTP/1.1\r\nContent-Length: 99999999999999\r\n\r\n");
    QCOMPARE(huge.feed(hugeBuffer), State::Error);
    QCOMPARE(huge.errorStatus(), 413);
}

void TestHttpParser::bodyAtTheLimitIsAccepted()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer =
        "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + QByteArray(kMaxBody, 'b');
    QCOMPARE(feedThrough(parser, buffer), State::Complete);
    QCOMPARE(parser.takeRequest().body.size(), kMaxBody);
}

void TestHttpParser::transferEncodingIsRefused()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    QCOMPARE(parser.feed(buffer), State::Error);
    QCOMPARE(parser.errorStatus(), 411);
    QVERIFY(parser.errorMessage().contains(u"Content-Length"));
}

void TestHttpParser::badRequests_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("garbage") << QByteArray("hello there\r\n\r\n");
    QTest::newRow("TLS client hello") << QByteArray("\x16\x03\x01\x02\x01\xfc\x03\x03\r\n\r\n");
    QTest::newRow("two words") << QByteArray("GET /\r\n\r\n");
    QTest::newRow("four words") << QByteArray("GET / x HTTP/1.1\r\n\r\n");
    QTest::newRow("empty target") << QByteArray("GET  HTTP/1.1\r\n\r\n");
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n");
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost localhost\r\n\r\n");
    QTest::newRow("header with empty name") << QByteArray("GET / HTTP/1.1\r\n: value\r\n\r\n");
    QTest::newRow("content-length not a number")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n");
    QTest::newRow("content-length negative")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
    QTest::newRow("content-length with junk")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n");
}

void TestHttpParser::badRequests()
{
    QFETCH(QByteArray, wire);
    HttpParser parser(kMaxHeader, kMaxBody);
    QCOMPARE(parser.feed(wire), State::Error);
    QCOMPARE(parser.errorStatus(), 400);
    QVERIFY(!parser.errorMessage().isEmpty());
}

void TestHttpParser::httpVersions_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<int>("status");
    QTest::newRow("1.1") << QByteArray("HTTP/1.1") << 0;
    QTest::newRow("1.0") << QByteArray("HTTP/1.0") << 0;
    QTest::newRow("2.0") << QByteArray("HTTP/2.0") << 505;
    QTest::newRow("0.9") << QByteArray("HTTP/0.9") << 505;
    QTest::newRow("3") << QByteArray("HTTP/3") << 505;
}

void TestHttpParser::httpVersions()
{
    QFETCH(QByteArray, version);
    QFETCH(int, status);
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer = "GET / " + version + "\r\n\r\n";
    const State s = feedThrough(parser, buffer);
    QCOMPARE(parser.errorStatus(), status);
    QCOMPARE(s, status == 0 ? State::Complete : State::Error);
    if (status == 0)
        QCOMPARE(parser.takeRequest().http10, version == "HTTP/1.0");
}

void TestHttpParser::errorIsSticky()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray bad("BROKEN\r\n\r\n");
    QCOMPARE(parser.feed(bad), State::Error);
    QByteArray good("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(parser.feed(good), State::Error);
    QCOMPARE(parser.errorStatus(), 400);
}

void TestHttpParser::percentDecodingAndQuery()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer(
        "GET /api/v1/data%20stores/caf%C3%A9?name=a%20b&limit=10&empty=&flag HTTP/1.1\r\n\r\n");
    QCOMPARE(feedThrough(parser, buffer), State::Complete);
    const HttpRequest r = parser.takeRequest();
    QCOMPARE(r.path, QStringLiteral("/api/v1/data stores/caf\u00e9"));
    QCOMPARE(r.query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded),
             QStringLiteral("a b"));
    QCOMPARE(r.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("10"));
    QVERIFY(r.query.hasQueryItem(QStringLiteral("empty")));
    QCOMPARE(r.query.queryItemValue(QStringLiteral("empty")), QString());
    QVERIFY(r.query.hasQueryItem(QStringLiteral("flag")));
    QVERIFY(!r.query.hasQueryItem(QStringLiteral("missing")));
    // The query never ends up in the path.
    QVERIFY(!r.path.contains(u'?'));

    HttpParser encodedQuestionMark(kMaxHeader, kMaxBody);
    QByteArray buffer2("GET /a%3Fb HTTP/1.1\r\n\r\n");
    QCOMPARE(feedThrough(encodedQuestionMark, buffer2), State::Complete);
    const HttpRequest r2 = encodedQuestionMark.takeRequest();
    QCOMPARE(r2.path, QStringLiteral("/a?b"));
    QVERIFY(r2.query.isEmpty());
}

void TestHttpParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << QByteArray("HTTP/1.1") << QByteArray() << true;
    QTest::newRow("1.1 close") << QByteArray("HTTP/1.1") << QByteArray("close") << false;
    QTest::newRow("1.1 Close") << QByteArray("HTTP/1.1") << QByteArray("Close") << false;
    QTest::newRow("1.1 keep-alive") << QByteArray("HTTP/1.1") << QByteArray("keep-alive") << true;
    QTest::newRow("1.0 default") << QByteArray("HTTP/1.0") << QByteArray() << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("HTTP/1.0") << QByteArray("keep-alive") << true;
    QTest::newRow("1.0 Keep-Alive") << QByteArray("HTTP/1.0") << QByteArray("Keep-Alive") << true;
    QTest::newRow("1.0 close") << QByteArray("HTTP/1.0") << QByteArray("close") << false;
}

void TestHttpParser::keepAlive()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, connection);
    QFETCH(bool, keepAlive);
    QByteArray buffer = "GET / " + version + "\r\n";
    if (!connection.isEmpty())
        buffer += "Connection: " + connection + "\r\n";
    buffer += "\r\n";
    HttpParser parser(kMaxHeader, kMaxBody);
    QCOMPARE(feedThrough(parser, buffer), State::Complete);
    QCOMPARE(parser.takeRequest().keepAlive(), keepAlive);
}

void TestHttpParser::webSocketUpgrade()
{
    HttpParser parser(kMaxHeader, kMaxBody);
    QByteArray buffer("GET /api/v1/events HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    QCOMPARE(parser.feed(buffer), State::HeadersDone);
    QVERIFY(parser.current().wantsWebSocket());
    QCOMPARE(parser.current().header("sec-websocket-key"), QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));

    HttpParser plain(kMaxHeader, kMaxBody);
    QByteArray buffer2("GET /api/v1/events HTTP/1.1\r\n\r\n");
    QCOMPARE(plain.feed(buffer2), State::HeadersDone);
    QVERIFY(!plain.current().wantsWebSocket());
}

void TestHttpParser::serializeFormat()
{
    HttpResponse r = HttpResponse::json(201, QJsonObject{{"id", "abc"}});
    QCOMPARE(r.body, QByteArray(R"({"id":"abc"})"));
    QCOMPARE(r.serialize(true), QByteArray("HTTP/1.1 201 Created\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: 12\r\n"
                                           "Cache-Control: no-store\r\n"
                                           "Connection: keep-alive\r\n"
                                           "\r\n"
                                           R"({"id":"abc"})"));
}

void TestHttpParser::serializeNoContent()
{
    HttpResponse r;
    r.status = 204;
    QCOMPARE(r.serialize(true), QByteArray("HTTP/1.1 204 No Content\r\n"
                                           "Content-Length: 0\r\n"
                                           "Cache-Control: no-store\r\n"
                                           "Connection: keep-alive\r\n"
                                           "\r\n"));
}

void TestHttpParser::serializeExtraHeadersAndClose()
{
    HttpResponse r;
    r.status = 200;
    r.contentType = "text/plain; charset=utf-8";
    r.body = "hi";
    r.headers.append(qMakePair(QByteArray("X-Request-Id"), QByteArray("42")));
    r.headers.append(qMakePair(QByteArray("Allow"), QByteArray("GET, POST")));
    QCOMPARE(r.serialize(false), QByteArray("HTTP/1.1 200 OK\r\n"
                                            "Content-Type: text/plain; charset=utf-8\r\n"
                                            "Content-Length: 2\r\n"
                                            "Cache-Control: no-store\r\n"
                                            "Connection: close\r\n"
                                            "X-Request-Id: 42\r\n"
                                            "Allow: GET, POST\r\n"
                                            "\r\n"
                                            "hi"));
}

void TestHttpParser::errorJsonShape()
{
    const HttpResponse r =
        HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no run named 'x'"));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.contentType, QByteArray("application/json"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QVERIFY(doc.isObject());
    const QJsonObject root = doc.object();
    QCOMPARE(root.keys(), QStringList{QStringLiteral("error")});
    const QJsonObject error = root.value(u"error").toObject();
    QCOMPARE(error.size(), 2);
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("not_found"));
    QCOMPARE(error.value(u"message").toString(), QStringLiteral("no run named 'x'"));
    QVERIFY(r.serialize(true).startsWith("HTTP/1.1 404 Not Found\r\n"));
}

void TestHttpParser::jsonArrayBody()
{
    const HttpResponse r = HttpResponse::json(200, QJsonArray{1, "two"});
    QCOMPARE(r.body, QByteArray(R"([1,"two"])"));
}

void TestHttpParser::reasonPhrases()
{
    QCOMPARE(HttpResponse::reasonPhrase(200), QByteArray("OK"));
    QCOMPARE(HttpResponse::reasonPhrase(405), QByteArray("Method Not Allowed"));
    QCOMPARE(HttpResponse::reasonPhrase(411), QByteArray("Length Required"));
    QCOMPARE(HttpResponse::reasonPhrase(413), QByteArray("Content Too Large"));
    QCOMPARE(HttpResponse::reasonPhrase(431), QByteArray("Request Header Fields Too Large"));
    QCOMPARE(HttpResponse::reasonPhrase(505), QByteArray("HTTP Version Not Supported"));
}

QTEST_APPLESS_MAIN(TestHttpParser)
#include "test_httpparser.moc"
