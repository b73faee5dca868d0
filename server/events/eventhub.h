// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QStringList>

namespace og {

class EventStream;

// A change to one resource, for its owner's event streams.
struct ResourceEvent
{
    QString topic;  // resource kind: "api-keys", "runs", "sessions", …
    QString action; // "created", "updated", "deleted"
    QString userId; // only this user's streams receive it
    QJsonObject object;
    // Instead of `object`: the object already as compact JSON, and its name (for "topic:name"
    // subscriptions). For the metrics hot path, which writes its own JSON several times faster
    // than QJsonDocument can.
    QByteArray objectJson = {};
    QString objectName = {};
};

// Fans resource events out to the WebSocket streams of their owner. Thread-safe: handlers
// publish from any HTTP worker; each stream receives on its own thread (queued call). An event
// is serialized once, here, and its bytes shared by every stream that takes it.
class EventHub final
{
    Q_DISABLE_COPY_MOVE(EventHub)
public:
    EventHub();

    // Topics a client may subscribe to: a registered kind, optionally followed by
    // ":<name>" to narrow it to one object (e.g. "runs:gifted-seahorse-83").
    void registerTopic(const QString &kind);
    // Empty if `topic` is acceptable, else the reason.
    QString validateTopic(const QString &topic) const;
    QStringList knownTopics() const;

    void publish(const ResourceEvent &event);
    void attach(EventStream *stream);
    void detach(EventStream *stream);

private:
    mutable QMutex m_mutex;
    QSet<QString> m_topics;
    QSet<EventStream *> m_streams;
    qint64 m_sequence = 0;
};

} // namespace og
