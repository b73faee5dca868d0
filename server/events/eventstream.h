// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

class QWebSocket;

namespace og {

class EventHub;

// One client's /api/v1/events WebSocket. The client sends
//   {"type": "subscribe" | "unsubscribe", "topics": ["runs", "sessions:my-session"]}
// and receives {"type": "subscribed", "topics": [...]} and batches
//   {"type": "events", "events": [{topic, action, object, seq, at}, ...]}
// at most every 200 ms (≤ 5 messages a second), so a burst of changes costs one frame.
// Memory per client stays bounded: a message carries at most kMaxMessageBytes of events (the
// rest wait for the next flush), while more than kMaxInFlightBytes sent are not yet written to
// the socket nothing more is sent, and past kMaxPendingEvents or kMaxPendingBytes waiting
// events are dropped (the next message says "dropped": true).
class EventStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventStream)
public:
    EventStream(std::unique_ptr<QWebSocket> socket, QString userId, EventHub *hub);
    ~EventStream() override;

    const QString &userId() const { return m_userId; }
    // Called on this object's thread by the hub.
    // `event`: the event as compact JSON.
    void deliver(const QString &topic, const QString &objectName, const QByteArray &event);

    static constexpr int kFlushIntervalMs = 200;
    static constexpr int kMaxPendingEvents = 10000;
    static constexpr qint64 kMaxPendingBytes = 256 << 20;
    static constexpr qint64 kMaxInFlightBytes = 64 << 20;
    static constexpr qint64 kMaxMessageBytes = 32 << 20;

private:
    void onMessage(const QString &text);
    void sendError(const QString &message);
    void send(const QJsonObject &message);
    void flush();

    std::unique_ptr<QWebSocket> m_socket;
    QString m_userId;
    EventHub *m_hub;
    QSet<QString> m_topics;
    QList<QByteArray> m_pending;
    qint64 m_pendingBytes = 0;
    qint64 m_inFlightBytes = 0; // sent, not yet written to the socket
    QTimer m_flushTimer;
    bool m_overflowed = false;
};

} // namespace og
