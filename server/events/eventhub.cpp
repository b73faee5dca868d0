// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/events/eventhub.h"

#include "server/events/eventstream.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>

namespace og {

EventHub::EventHub() = default;

void EventHub::registerTopic(const QString &kind)
{
    QMutexLocker lock(&m_mutex);
    m_topics.insert(kind);
}

QStringList EventHub::knownTopics() const
{
    QMutexLocker lock(&m_mutex);
    QStringList list = m_topics.values();
    list.sort();
    return list;
}

QString EventHub::validateTopic(const QString &topic) const
{
    static const QRegularExpression re(QStringLiteral(R"(^([a-z][a-z-]*)(:[A-Za-z0-9._:-]{1,128})?$)"));
    const auto m = re.match(topic);
    if (!m.hasMatch() || !knownTopics().contains(m.captured(1)))
        return QStringLiteral("unknown topic '%1'; topics are %2, optionally followed by "
                              "':<name>' for one object")
            .arg(topic, knownTopics().join(QStringLiteral(", ")));
    return {};
}

void EventHub::publish(const ResourceEvent &event)
{
    const QByteArray object = event.objectJson.isEmpty() ? QJsonDocument(event.object).toJson(QJsonDocument::Compact)
                                                         : event.objectJson;
    const QString name = event.objectJson.isEmpty() ? event.object.value(QStringLiteral("name")).toString() : event.objectName;
    QMutexLocker lock(&m_mutex);
    const QJsonObject envelope{{QStringLiteral("topic"), event.topic},
                               {QStringLiteral("action"), event.action},
                               {QStringLiteral("seq"), ++m_sequence},
                               {QStringLiteral("at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    // {"topic":…,"at":…} + ,"object":{…}} — the object spliced in as it is.
    QByteArray message = QJsonDocument(envelope).toJson(QJsonDocument::Compact);
    message.chop(1);
    message.reserve(message.size() + object.size() + 12);
    message.append(",\"object\":").append(object).append('}');
    for (EventStream *stream : std::as_const(m_streams)) {
        if (stream->userId() != event.userId)
            continue;
        // Queued: the stream lives on its connection's thread. Qt drops posted calls for
        // objects deleted meanwhile, and detach() runs in the destructor under this mutex.
        QMetaObject::invokeMethod(stream, [stream, message, topic = event.topic, name] {
            stream->deliver(topic, name, message);
        }, Qt::QueuedConnection);
    }
}

void EventHub::attach(EventStream *stream)
{
    QMutexLocker lock(&m_mutex);
    m_streams.insert(stream);
}

void EventHub::detach(EventStream *stream)
{
    QMutexLocker lock(&m_mutex);
    m_streams.remove(stream);
}

} // namespace og
