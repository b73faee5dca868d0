// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QWebSocket>

namespace og {

class ApiClient;

// Client of gridd's /api/v1/events WebSocket. Keeps the set of subscribed topics, reconnects
// with exponential backoff (0.5 s doubling to 30 s, with jitter so many clients don't
// reconnect in lock-step after a gridd restart) and subscribes to them again on every connect.
class EventsClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsClient)
public:
    explicit EventsClient(ApiClient *api, QObject *parent = nullptr);
    ~EventsClient() override;

    void start();
    void stop();
    void subscribe(const QString &topic);
    void unsubscribe(const QString &topic);
    bool isConnected() const { return m_connected; }
    QSet<QString> topics() const { return m_topics; }

Q_SIGNALS:
    void eventReceived(const QJsonObject &event);
    void connectedChanged(bool connected);
    void subscribed(const QStringList &topics);
    void serverError(const QString &message);

private:
    void open();
    void onConnected();
    void onDisconnected();
    void onMessage(const QString &text);
    void sendTopics(const char *type, const QStringList &topics);
    void scheduleReconnect();

    ApiClient *m_api;
    QWebSocket m_socket;
    QTimer m_reconnectTimer;
    QSet<QString> m_topics;
    int m_attempt = 0;
    bool m_running = false;
    bool m_connected = false;
};

} // namespace og
