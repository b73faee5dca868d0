// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metrics/metricsevent.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace og {

namespace {
void appendJsonString(QByteArray &out, const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    for (const char c : text.toUtf8()) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (u < 0x20) {
            out.append("\\u00").append(hex[u >> 4]).append(hex[u & 15]);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

template<typename Number>
void appendNumber(QByteArray &out, Number n)
{
    if constexpr (std::is_floating_point_v<Number>) {
        if (!std::isfinite(n)) {
            out.append("null");
            return;
        }
    }
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, n); // shortest exact form
    out.append(buf, result.ptr - buf);
}

bool sameKey(const QString &a, const QString &b)
{
    return a.constData() == b.constData() || a == b;
}

struct Entry
{
    QString key;
    double time = 0;
    QByteArray steps;
    QByteArray values;
};
} // namespace

QByteArray metricsEventJson(const QString &experiment, const QString &run, const QList<MetricPoint> &points)
{
    std::vector<Entry> entries;
    std::vector<size_t> lastOfKey; // per distinct key seen: its latest entry
    size_t previous = 0;           // the entry of the previous point
    for (const MetricPoint &p : points) {
        Entry *entry = nullptr;
        // The readers share one QString per key, so the data pointer recognises a key.
        if (!entries.empty() && sameKey(entries[previous].key, p.key) && entries[previous].time == p.wallTime) {
            entry = &entries[previous];
        } else {
            for (size_t i : lastOfKey) {
                if (sameKey(entries[i].key, p.key)) {
                    if (entries[i].time == p.wallTime)
                        entry = &entries[i], previous = i;
                    break;
                }
            }
            if (!entry) {
                entries.push_back(Entry{p.key, p.wallTime, {}, {}});
                previous = entries.size() - 1;
                entry = &entries.back();
                bool known = false;
                for (size_t &i : lastOfKey)
                    if (sameKey(entries[i].key, p.key))
                        i = previous, known = true;
                if (!known)
                    lastOfKey.push_back(previous);
            }
        }
        if (!entry->steps.isEmpty()) {
            entry->steps.append(',');
            entry->values.append(',');
        }
        appendNumber(entry->steps, p.step);
        appendNumber(entry->values, p.value);
    }

    qsizetype size = 64;
    for (const Entry &e : entries)
        size += e.steps.size() + e.values.size() + e.key.size() + 64;
    QByteArray out;
    out.reserve(size);
    out.append("{\"name\":");
    appendJsonString(out, experiment);
    out.append(",\"run\":");
    appendJsonString(out, run);
    out.append(",\"series\":[");
    for (size_t i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        out.append(i ? ",{\"key\":" : "{\"key\":");
        appendJsonString(out, e.key);
        out.append(",\"time\":");
        appendNumber(out, e.time);
        out.append(",\"steps\":[").append(e.steps).append("],\"values\":[").append(e.values).append("]}");
    }
    out.append("]}");
    return out;
}

} // namespace og
