// SPDX-License-Identifier: GPL-3.0-or-later
// The /api/v1/events WebSocket with the real core EventsClient: subscribe, receive the
// owner's events only, reject bad input, reconnect and re-subscribe after a gridd restart.
#include "core/eventsclient.h"
#include "tests/support/griddprocess.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using og::EventsClient;
using og::test::GriddProcess;

class TestEvents final : public QObject
{
    Q_OBJECT

    static QJsonObject createKey(GriddProcess &gridd, const QString &name, const QString &token = {})
    {
        return gridd.call("POST", QStringLiteral("/api-keys"), QJsonObject{{QStringLiteral("name"), name}}, token).object();
    }

private Q_SLOTS:
    void subscribeReceiveAndReconnect()
    {
        QTemporaryDir dir;
        const QString dataDir = dir.path() + QStringLiteral("/data");
        auto gridd = std::make_unique<GriddProcess>(dataDir);
        QString error;
        QVERIFY2(gridd->start(&error), qPrintable(error));
        const QString bobToken = GriddProcess::addUser(dataDir, QStringLiteral("bob"));

        auto api = gridd->client();
        api->setMaxAttempts(3);
        EventsClient events(api.get());
        QSignalSpy connected(&events, &EventsClient::connectedChanged);
        QSignalSpy subscribed(&events, &EventsClient::subscribed);
        QSignalSpy received(&events, &EventsClient::eventReceived);
        QSignalSpy serverErrors(&events, &EventsClient::serverError);
        events.subscribe(QStringLiteral("api-keys"));
        events.start();
        QTRY_VERIFY_WITH_TIMEOUT(events.isConnected(), 10000);
        QTRY_COMPARE(subscribed.size(), 1);

        createKey(*gridd, QStringLiteral("laptop"));
        createKey(*gridd, QStringLiteral("bobs-key"), bobToken); // another user's: never delivered
        QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 1, 5000);
        QTest::qWait(500);
        QCOMPARE(received.size(), 1);
        const QJsonObject event = received.at(0).at(0).toJsonObject();
        QCOMPARE(event.value(QStringLiteral("topic")).toString(), QStringLiteral("api-keys"));
        QCOMPARE(event.value(QStringLiteral("action")).toString(), QStringLiteral("created"));
        QCOMPARE(event.value(QStringLiteral("object")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("laptop"));
        QVERIFY(!event.value(QStringLiteral("object")).toObject().contains(QStringLiteral("token")));

        // Unknown topics are refused with a message; the stream stays up.
        events.subscribe(QStringLiteral("no-such-topic"));
        QTRY_COMPARE(serverErrors.size(), 1);
        QVERIFY(serverErrors.at(0).at(0).toString().contains(QStringLiteral("unknown topic")));
        events.unsubscribe(QStringLiteral("no-such-topic"));
        QVERIFY(events.isConnected());

        // Restart gridd on the same port: the client reconnects and subscribes again.
        const QUrl url = gridd->url();
        gridd->terminate();
        QTRY_VERIFY_WITH_TIMEOUT(!events.isConnected(), 10000);
        gridd = std::make_unique<GriddProcess>(dataDir, QStringList{QStringLiteral("--listen"),
                                               QStringLiteral("127.0.0.1:%1").arg(url.port())});
        QVERIFY2(gridd->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(events.isConnected(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(subscribed.size() >= 2, 5000);
        received.clear();
        createKey(*gridd, QStringLiteral("after-restart"));
        QTRY_VERIFY_WITH_TIMEOUT(received.size() == 1, 5000);
        QCOMPARE(received.at(0).at(0).toJsonObject().value(QStringLiteral("object")).toObject()
                     .value(QStringLiteral("name")).toString(), QStringLiteral("after-restart"));
        events.stop();
    }

    void handshakeWithoutTokenIsRefused()
    {
        GriddProcess gridd;
        QString error;
        QVERIFY2(gridd.start(&error), qPrintable(error));
        QWebSocket socket;
        // Qt 6.4 names the signal error(); errorOccurred() arrived in 6.5.
        QSignalSpy errors(&socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error));
        QUrl url = gridd.url();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/api/v1/events"));
        socket.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 5000);
        QVERIFY(socket.state() != QAbstractSocket::ConnectedState);
        QVERIFY(gridd.call("GET", QStringLiteral("/health")).ok());
    }

    void badMessagesGetErrorsNotDisconnects()
    {
        GriddProcess gridd;
        QString error;
        QVERIFY2(gridd.start(&error), qPrintable(error));
        QWebSocket socket;
        QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
        QUrl url = gridd.url();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/api/v1/events"));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + gridd.localToken().toLatin1());
        socket.open(request);
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
        for (const char *bad : {"not json", "[]", "{\"type\":\"subscribe\"}", "{\"type\":\"dance\",\"topics\":[\"runs\"]}",
                                "{\"type\":\"subscribe\",\"topics\":[5]}", "{\"type\":\"subscribe\",\"topics\":[\"runs\"],\"x\":1}"})
            socket.sendTextMessage(QString::fromLatin1(bad));
        socket.sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 7, 5000);
        for (int i = 0; i < 6; ++i)
            QVERIFY2(messages.at(i).at(0).toString().contains(QStringLiteral("\"type\":\"error\"")),
                     qPrintable(messages.at(i).at(0).toString()));
        QVERIFY(messages.at(6).at(0).toString().contains(QStringLiteral("pong")));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "test_events.moc"
