// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/router.h"

#include <QJsonObject>
#include <QTest>

using og::Access;
using og::HttpRequest;
using og::HttpResponse;
using og::RequestContext;
using og::Router;

namespace {

og::Handler okHandler()
{
    return [](const HttpRequest &, RequestContext &) {
        return HttpResponse::json(200, QJsonObject());
    };
}

// Which route matched: its method and pattern, e.g. "GET /api/v1/runs/{run}".
QString routeOf(const Router::Match &m)
{
    if (!m.route)
        return QStringLiteral("(none)");
    return QString::fromLatin1(m.route->method) + QStringLiteral(" /") +
           m.route->segments.join(u'/');
}

} // namespace

class TestRouter final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void exactMatch();
    void pathParameters();
    void trailingAndDoubleSlashes();
    void unknownPathIs404();
    void wrongMethodIs405WithAllowed();
    void headFallsBackToGet();
    void headWithoutGetIs405();
    void firstMatchingRouteWins();
    void accessIsKept();
    void webSocketRoute();
    void braceSegmentsNeedAName();

private:
    Router m_router;
};

void TestRouter::init()
{
    m_router = Router();
    m_router.add("GET", QStringLiteral("/api/v1/health"), okHandler(), Access::Public);
    m_router.add("GET", QStringLiteral("/api/v1/api-keys"), okHandler());
    m_router.add("POST", QStringLiteral("/api/v1/api-keys"), okHandler());
    m_router.add("DELETE", QStringLiteral("/api/v1/api-keys/{id}"), okHandler());
    m_router.add("GET", QStringLiteral("/api/v1/runs/{run}/experiments/{ordinal}"), okHandler());
    m_router.add("PUT", QStringLiteral("/api/v1/runs/{run}"), okHandler());
    m_router.add("PATCH", QStringLiteral("/api/v1/runs/{run}"), okHandler());
    m_router.addWebSocket(QStringLiteral("/api/v1/events"), {});
}

void TestRouter::exactMatch()
{
    const Router::Match m = m_router.match("GET", QStringLiteral("/api/v1/health"));
    QCOMPARE(m.status, 200);
    QVERIFY(m.route);
    QCOMPARE(routeOf(m), QStringLiteral("GET /api/v1/health"));
    QVERIFY(m.params.isEmpty());
    QCOMPARE(m.route->method, QByteArray("GET"));
    QVERIFY(m.route->handler);
    QVERIFY(!m.route->webSocket);

    QCOMPARE(routeOf(m_router.match("GET", QStringLiteral("/api/v1/api-keys"))),
             QStringLiteral("GET /api/v1/api-keys"));
    QCOMPARE(routeOf(m_router.match("POST", QStringLiteral("/api/v1/api-keys"))),
             QStringLiteral("POST /api/v1/api-keys"));
}

void TestRouter::pathParameters()
{
    Router::Match m = m_router.match("DELETE", QStringLiteral("/api/v1/api-keys/abc123def456"));
    QCOMPARE(m.status, 200);
    QCOMPARE(routeOf(m), QStringLiteral("DELETE /api/v1/api-keys/{id}"));
    QCOMPARE(m.params.size(), 1);
    QCOMPARE(m.params.value(QStringLiteral("id")), QStringLiteral("abc123def456"));

    m = m_router.match("GET", QStringLiteral("/api/v1/runs/sweep-1/experiments/7"));
    QCOMPARE(m.status, 200);
    QCOMPARE(routeOf(m), QStringLiteral("GET /api/v1/runs/{run}/experiments/{ordinal}"));
    QCOMPARE(m.params.size(), 2);
    QCOMPARE(m.params.value(QStringLiteral("run")), QStringLiteral("sweep-1"));
    QCOMPARE(m.params.value(QStringLiteral("ordinal")), QStringLiteral("7"));

    // A parameter is one whole segment: it does not swallow the rest of the path.
    m = m_router.match("DELETE", QStringLiteral("/api/v1/api-keys/abc/extra"));
    QCOMPARE(m.status, 404);
    QVERIFY(!m.route);
    // Values arrive already percent-decoded from the parser and are passed on as they are.
    m = m_router.match("PUT", QStringLiteral("/api/v1/runs/my run"));
    QCOMPARE(m.params.value(QStringLiteral("run")), QStringLiteral("my run"));
}

void TestRouter::trailingAndDoubleSlashes()
{
    QCOMPARE(routeOf(m_router.match("GET", QStringLiteral("/api/v1/health/"))),
             QStringLiteral("GET /api/v1/health"));
    QCOMPARE(routeOf(m_router.match("GET", QStringLiteral("//api/v1//health"))),
             QStringLiteral("GET /api/v1/health"));
}

void TestRouter::unknownPathIs404()
{
    for (const QString &path :
         {QStringLiteral("/"), QStringLiteral("/api"), QStringLiteral("/api/v1/healthz"),
          QStringLiteral("/api/v2/health"), QStringLiteral("/API/v1/health"),
          QStringLiteral("/api/v1/api-keys/a/b")}) {
        const Router::Match m = m_router.match("GET", path);
        QCOMPARE(m.status, 404);
        QVERIFY(!m.route);
        QVERIFY(m.allowed.isEmpty());
        QVERIFY(m.params.isEmpty());
    }
    QCOMPARE(Router().match("GET", QStringLiteral("/")).status, 404);
}

void TestRouter::wrongMethodIs405WithAllowed()
{
    Router::Match m = m_router.match("DELETE", QStringLiteral("/api/v1/api-keys"));
    QCOMPARE(m.status, 405);
    QVERIFY(!m.route);
    QCOMPARE(m.allowed, QByteArray("GET, POST"));

    m = m_router.match("GET", QStringLiteral("/api/v1/runs/r1"));
    QCOMPARE(m.status, 405);
    QCOMPARE(m.allowed, QByteArray("PUT, PATCH"));

    m = m_router.match("POST", QStringLiteral("/api/v1/health"));
    QCOMPARE(m.status, 405);
    QCOMPARE(m.allowed, QByteArray("GET"));

    // Methods are case-sensitive, as HTTP says.
    m = m_router.match("get", QStringLiteral("/api/v1/health"));
    QCOMPARE(m.status, 405);
}

void TestRouter::headFallsBackToGet()
{
    const Router::Match m = m_router.match("HEAD", QStringLiteral("/api/v1/runs/r/experiments/3"));
    QCOMPARE(m.status, 200);
    QCOMPARE(routeOf(m), QStringLiteral("GET /api/v1/runs/{run}/experiments/{ordinal}"));
    QCOMPARE(m.route->method, QByteArray("GET"));
    QCOMPARE(m.params.value(QStringLiteral("ordinal")), QStringLiteral("3"));
}

void TestRouter::headWithoutGetIs405()
{
    const Router::Match m = m_router.match("HEAD", QStringLiteral("/api/v1/runs/r"));
    QCOMPARE(m.status, 405);
    QCOMPARE(m.allowed, QByteArray("PUT, PATCH"));
}

void TestRouter::firstMatchingRouteWins()
{
    // A literal segment registered before a parameter at the same place takes precedence.
    Router router;
    router.add("GET", QStringLiteral("/api/v1/api-keys/current"), okHandler());
    router.add("GET", QStringLiteral("/api/v1/api-keys/{id}"), okHandler());
    Router::Match m = router.match("GET", QStringLiteral("/api/v1/api-keys/current"));
    QCOMPARE(routeOf(m), QStringLiteral("GET /api/v1/api-keys/current"));
    QVERIFY(m.params.isEmpty());
    m = router.match("GET", QStringLiteral("/api/v1/api-keys/k1"));
    QCOMPARE(routeOf(m), QStringLiteral("GET /api/v1/api-keys/{id}"));
    QCOMPARE(m.params.value(QStringLiteral("id")), QStringLiteral("k1"));

    // A route for another method on the same path does not hide a later one that fits.
    Router mixed;
    mixed.add("POST", QStringLiteral("/x/{a}"), okHandler());
    mixed.add("GET", QStringLiteral("/x/{b}"), okHandler());
    m = mixed.match("GET", QStringLiteral("/x/1"));
    QCOMPARE(m.status, 200);
    QCOMPARE(routeOf(m), QStringLiteral("GET /x/{b}"));
    QCOMPARE(m.params.value(QStringLiteral("b")), QStringLiteral("1"));
    QVERIFY(!m.params.contains(QStringLiteral("a")));
}

void TestRouter::accessIsKept()
{
    QCOMPARE(m_router.match("GET", QStringLiteral("/api/v1/health")).route->access, Access::Public);
    QCOMPARE(m_router.match("GET", QStringLiteral("/api/v1/api-keys")).route->access,
             Access::Authenticated);
}

void TestRouter::webSocketRoute()
{
    Router::Match m = m_router.match("GET", QStringLiteral("/api/v1/events"));
    QCOMPARE(m.status, 200);
    QVERIFY(m.route);
    QVERIFY(m.route->webSocket);
    QVERIFY(!m.route->handler);
    QCOMPARE(m.route->access, Access::Authenticated);

    QVERIFY(!m_router.match("GET", QStringLiteral("/api/v1/health")).route->webSocket);

    m = m_router.match("POST", QStringLiteral("/api/v1/events"));
    QCOMPARE(m.status, 405);
    QCOMPARE(m.allowed, QByteArray("GET"));
}

void TestRouter::braceSegmentsNeedAName()
{
    // "{}" is a literal segment, not a nameless parameter.
    Router router;
    router.add("GET", QStringLiteral("/a/{}"), okHandler());
    QCOMPARE(router.match("GET", QStringLiteral("/a/x")).status, 404);
    QCOMPARE(routeOf(router.match("GET", QStringLiteral("/a/{}"))), QStringLiteral("GET /a/{}"));
}

QTEST_APPLESS_MAIN(TestRouter)
#include "test_router.moc"
