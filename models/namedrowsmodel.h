// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/apiclient.h"
#include "core/eventsclient.h"

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QList>
#include <QSet>
#include <QTimer>

#include <functional>
#include <optional>

namespace og {

// A table of named API objects (runs, sessions) fed by GET /<topic> and kept current by the
// `<topic>` event topic: newest first by `createdAt`, each change one insert, one dataChanged or
// one removal (never a reset, so views keep their selection and scroll position), a reload
// that merges, and a duration column that ticks once a second for the rows still counting.
// `Item` needs `name`, `createdAt`, operator== and `static Item fromJson(const QJsonObject &)`.
template<typename Item>
class NamedRowsModel : public QAbstractTableModel
{
public:
    // Subscribes before the first load, so nothing that happens in between is missed.
    void attach(ApiClient *api, EventsClient *events)
    {
        m_api = api;
        QObject::connect(events, &EventsClient::eventReceived, this, [this](const QJsonObject &event) {
            if (event.value(QStringLiteral("topic")).toString() != m_topic)
                return;
            const Item item = Item::fromJson(event.value(QStringLiteral("object")).toObject());
            if (event.value(QStringLiteral("action")).toString() == u"deleted") {
                remove(item.name);
                return;
            }
            upsert(item);
            afterEvent(item);
        });
        events->subscribe(m_topic);
    }

    // The whole list again (after a reconnect), merged row by row.
    void reload()
    {
        if (!m_api)
            return;
        const quint64 generation = ++m_loadGeneration;
        ApiReply *reply = m_api->get(u'/' + m_topic);
        QObject::connect(reply, &ApiReply::finished, this, [this, generation](const ApiResult &r) {
            if (generation != m_loadGeneration)
                return; // a newer reload is under way
            if (!r.ok()) {
                loadFailedWith(r.message);
                return;
            }
            QList<Item> items;
            for (const QJsonValue &v : r.object().value(m_topic).toArray())
                items.append(Item::fromJson(v.toObject()));
            mergeAll(items);
        });
    }

    void upsert(const Item &item)
    {
        if (item.name.isEmpty())
            return;
        const int row = rowOf(item.name);
        if (row >= 0) {
            if (m_items[row] == item)
                return;
            m_items[row] = item;
            Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
            return;
        }
        // Newest first; equal times keep arrival order.
        int pos = 0;
        while (pos < m_items.size() && m_items[pos].createdAt >= item.createdAt)
            ++pos;
        beginInsertRows({}, pos, pos);
        m_items.insert(pos, item);
        endInsertRows();
    }

    void remove(const QString &name)
    {
        const int row = rowOf(name);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_items.removeAt(row);
        endRemoveRows();
    }

    // The whole list as the API gives it: rows not in it go, the others are updated or added.
    void mergeAll(const QList<Item> &items)
    {
        QSet<QString> present;
        for (const Item &i : items)
            present.insert(i.name);
        for (int row = int(m_items.size()) - 1; row >= 0; --row)
            if (!present.contains(m_items[row].name))
                remove(m_items[row].name);
        for (const Item &i : items)
            upsert(i);
    }

    int rowOf(const QString &name) const
    {
        for (int i = 0; i < m_items.size(); ++i)
            if (m_items[i].name == name)
                return i;
        return -1;
    }

    std::optional<Item> itemAt(int row) const
    {
        if (row < 0 || row >= m_items.size())
            return std::nullopt;
        return m_items[row];
    }

    const QList<Item> &items() const { return m_items; }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_items.size()); }

protected:
    // `topic` names the event topic, the list's path and its key ("runs"); `durationColumn`
    // ticks on the rows where `ticking` holds.
    NamedRowsModel(const QString &topic, int durationColumn, std::function<bool(const Item &)> ticking, QObject *parent)
        : QAbstractTableModel(parent)
        , m_topic(topic)
    {
        m_ticker.setInterval(1000);
        QObject::connect(&m_ticker, &QTimer::timeout, this, [this, durationColumn, ticking = std::move(ticking)] {
            // One range from the first to the last row still counting, not a signal per row.
            int first = -1, last = -1;
            for (int i = 0; i < m_items.size(); ++i)
                if (ticking(m_items[i])) {
                    if (first < 0)
                        first = i;
                    last = i;
                }
            if (first >= 0)
                Q_EMIT dataChanged(index(first, durationColumn), index(last, durationColumn), {Qt::DisplayRole});
        });
        m_ticker.start();
    }

    // Where the subclass's loadFailed signal goes out (a template cannot declare signals).
    virtual void loadFailedWith(const QString &message) = 0;
    // After an event updated or added `item`.
    virtual void afterEvent(const Item &) {}
    ApiClient *api() const { return m_api; }

    QList<Item> m_items;

private:
    QString m_topic;
    ApiClient *m_api = nullptr;
    QTimer m_ticker;
    quint64 m_loadGeneration = 0;
};

} // namespace og
