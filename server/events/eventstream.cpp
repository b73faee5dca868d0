// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/events/eventstream.h"

#include "core/jsonreader.h"
#include "server/events/eventhub.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>

namespace og {

Q_LOGGING_CATEGORY(lcEvents, "opengrid.server.events", QtInfoMsg)

EventStream::EventStream(std::unique_ptr<QWebSocket> socket, QString userId, EventHub *hub)
    : m_socket(std::move(socket))
    , m_userId(std::move(userId))
    , m_hub(hub)
{
    m_socket->setParent(nullptr);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventStream::flush);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &EventStream::onMessage);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this,
            [this] { sendError(QStringLiteral("send JSON text messages, not binary ones")); });
    connect(m_socket.get(), &QWebSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket.get(), &QWebSocket::bytesWritten, this,
            [this](qint64 bytes) { m_inFlightBytes = std::max<qint64>(0, m_inFlightBytes - bytes); });
    m_hub->attach(this);
    qCDebug(lcEvents) << "event stream opened for user" << m_userId;
}

EventStream::~EventStream()
{
    m_hub->detach(this);
    m_socket->disconnect(this);
}

void EventStream::send(const QJsonObject &message)
{
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void EventStream::sendError(const QString &message)
{
    send({{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("message"), message}});
}

void EventStream::onMessage(const QString &text)
{
    QString error;
    const auto object = JsonReader::parseObject(text.toUtf8(), &error, QStringLiteral("message"));
    if (!object) {
        sendError(error);
        return;
    }
    JsonReader reader(*object, QStringLiteral("message"));
    const QString type = reader.requiredString(QStringLiteral("type"));
    if (type == u"ping") {
        send({{QStringLiteral("type"), QStringLiteral("pong")}});
        return;
    }
    const QStringList topics = reader.optionalStringList(QStringLiteral("topics"));
    reader.rejectUnknown({QStringLiteral("type"), QStringLiteral("topics")});
    if (reader.ok() && type != u"subscribe" && type != u"unsubscribe")
        reader.fail(QStringLiteral("message: type must be subscribe, unsubscribe or ping, not '%1'").arg(type));
    if (reader.ok() && topics.isEmpty())
        reader.fail(QStringLiteral("message: 'topics' must list at least one topic"));
    for (const QString &topic : topics)
        if (reader.ok())
            if (const QString problem = m_hub->validateTopic(topic); !problem.isEmpty())
                reader.fail(problem);
    if (!reader.ok()) {
        sendError(reader.error());
        return;
    }
    for (const QString &topic : topics) {
        if (type == u"subscribe")
            m_topics.insert(topic);
        else
            m_topics.remove(topic);
    }
    QStringList now = m_topics.values();
    now.sort();
    send({{QStringLiteral("type"), QStringLiteral("subscribed")},
          {QStringLiteral("topics"), QJsonArray::fromStringList(now)}});
}

void EventStream::deliver(const QString &topic, const QString &objectName, const QByteArray &event)
{
    if (!m_topics.contains(topic) && !m_topics.contains(topic + u':' + objectName))
        return;
    if (m_pending.size() >= kMaxPendingEvents || m_pendingBytes + event.size() > kMaxPendingBytes) {
        // A client that does not read must not grow gridd's memory without bound.
        if (!m_overflowed)
            qCWarning(lcEvents) << "event stream of user" << m_userId << "is not keeping up; dropping events";
        m_overflowed = true;
        return;
    }
    m_pending.append(event);
    m_pendingBytes += event.size();
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventStream::flush()
{
    if (m_pending.isEmpty())
        return;
    if (m_inFlightBytes > kMaxInFlightBytes) {
        m_flushTimer.start(); // the client reads slower than events come: wait for the socket
        return;
    }
    // As many events as fit in one message (at least one), put together by hand: the events are
    // JSON already.
    qsizetype count = 0;
    qint64 bytes = 0;
    while (count < m_pending.size() && (count == 0 || bytes + m_pending[count].size() <= kMaxMessageBytes))
        bytes += m_pending[count++].size() + 1;
    QByteArray message;
    message.reserve(bytes + 64);
    message.append("{\"type\":\"events\",\"events\":[");
    for (qsizetype i = 0; i < count; ++i) {
        if (i > 0)
            message.append(',');
        message.append(m_pending[i]);
        m_pendingBytes -= m_pending[i].size();
    }
    message.append(']');
    if (m_overflowed)
        message.append(",\"dropped\":true");
    message.append('}');
    m_overflowed = false;
    m_pending.remove(0, count);
    if (!m_pending.isEmpty())
        m_flushTimer.start();
    m_inFlightBytes += message.size();
    m_socket->sendTextMessage(QString::fromUtf8(message));
}

} // namespace og
