// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eventsclient.h"

#include "core/apiclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>

namespace og {

EventsClient::EventsClient(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &EventsClient::open);
    connect(&m_socket, &QWebSocket::connected, this, &EventsClient::onConnected);
    connect(&m_socket, &QWebSocket::disconnected, this, &EventsClient::onDisconnected);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &EventsClient::onMessage);
}

EventsClient::~EventsClient()
{
    // Members go in reverse order: the socket outlives the reconnect timer and reports its own
    // closing, which must not reach onDisconnected() (and the freed timer) any more.
    m_running = false;
    m_socket.disconnect(this);
}

void EventsClient::start()
{
    m_running = true;
    m_attempt = 0;
    open();
}

void EventsClient::stop()
{
    m_running = false;
    m_reconnectTimer.stop();
    m_socket.close();
}

void EventsClient::open()
{
    if (!m_running)
        return;
    QNetworkRequest request(m_api->eventsUrl());
    request.setRawHeader("Authorization", m_api->authorizationHeader().toLatin1());
    m_socket.setSslConfiguration(m_api->sslConfiguration());
    m_socket.open(request);
}

void EventsClient::onConnected()
{
    m_attempt = 0;
    m_connected = true;
    if (!m_topics.isEmpty())
        sendTopics("subscribe", m_topics.values());
    Q_EMIT connectedChanged(true);
}

void EventsClient::onDisconnected()
{
    const bool was = m_connected;
    m_connected = false;
    if (was)
        Q_EMIT connectedChanged(false);
    scheduleReconnect();
}

void EventsClient::scheduleReconnect()
{
    if (!m_running || m_reconnectTimer.isActive())
        return;
    const int base = qMin(30000, 500 * (1 << qMin(m_attempt, 6)));
    const int jitter = int(QRandomGenerator::global()->bounded(base / 5 + 1));
    ++m_attempt;
    m_reconnectTimer.start(base - base / 10 + jitter);
}

void EventsClient::subscribe(const QString &topic)
{
    if (m_topics.contains(topic))
        return;
    m_topics.insert(topic);
    if (m_connected)
        sendTopics("subscribe", {topic});
}

void EventsClient::unsubscribe(const QString &topic)
{
    if (!m_topics.remove(topic))
        return;
    if (m_connected)
        sendTopics("unsubscribe", {topic});
}

void EventsClient::sendTopics(const char *type, const QStringList &topics)
{
    const QJsonObject msg{{QStringLiteral("type"), QLatin1String(type)},
                          {QStringLiteral("topics"), QJsonArray::fromStringList(topics)}};
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
}

void EventsClient::onMessage(const QString &text)
{
    const QJsonObject msg = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = msg.value(QStringLiteral("type")).toString();
    if (type == u"events") {
        for (const QJsonValue &e : msg.value(QStringLiteral("events")).toArray())
            Q_EMIT eventReceived(e.toObject());
    } else if (type == u"subscribed") {
        QStringList topics;
        for (const QJsonValue &t : msg.value(QStringLiteral("topics")).toArray())
            topics.append(t.toString());
        Q_EMIT subscribed(topics);
    } else if (type == u"error") {
        Q_EMIT serverError(msg.value(QStringLiteral("message")).toString());
    }
}

} // namespace og
