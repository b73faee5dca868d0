// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metrics/metricsevent.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace og {

namespace {
QByteArray jsonString(const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    QByteArray out;
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
    return out;
}

// Writes at p, which has room (kMaxNumber); returns the end.
constexpr qsizetype kMaxNumber = 32;
char *writeNumber(char *p, double n)
{
    if (!std::isfinite(n)) {
        std::memcpy(p, "null", 4);
        return p + 4;
    }
    return std::to_chars(p, p + kMaxNumber, n).ptr; // the shortest form that reads back exactly
}

char *writeNumber(char *p, qint64 n)
{
    return std::to_chars(p, p + kMaxNumber, n).ptr;
}

char *write(char *p, QByteArrayView text)
{
    std::memcpy(p, text.data(), size_t(text.size()));
    return p + text.size();
}

bool sameKey(const QString &a, const QString &b)
{
    return a.constData() == b.constData() || a == b;
}

struct Entry
{
    QString key;
    double time = 0;
    std::vector<quint32> points; // indexes into the input
};
} // namespace

QByteArray metricsEventJson(const QString &experiment, const QString &run, const QList<MetricPoint> &points)
{
    // Group first (indexes only), then write once into a buffer sized for the worst case: no
    // piece is copied twice.
    std::vector<Entry> entries;
    std::vector<size_t> lastOfKey; // per distinct key: its latest entry
    size_t previous = 0;           // the entry of the previous point
    for (qsizetype n = 0; n < points.size(); ++n) {
        const MetricPoint &p = points[n];
        if (entries.empty() || !sameKey(entries[previous].key, p.key) || entries[previous].time != p.wallTime) {
            bool found = false;
            for (size_t &i : lastOfKey) {
                if (!sameKey(entries[i].key, p.key))
                    continue;
                if (entries[i].time != p.wallTime) {
                    entries.push_back(Entry{p.key, p.wallTime, {}});
                    i = entries.size() - 1;
                }
                previous = i;
                found = true;
                break;
            }
            if (!found) {
                entries.push_back(Entry{p.key, p.wallTime, {}});
                previous = entries.size() - 1;
                lastOfKey.push_back(previous);
            }
        }
        entries[previous].points.push_back(quint32(n));
    }

    const QByteArray name = jsonString(experiment), runName = jsonString(run);
    std::vector<QByteArray> keys;
    qsizetype size = 64 + name.size() + runName.size() + points.size() * 2 * (kMaxNumber + 1);
    for (const Entry &e : entries) {
        keys.push_back(jsonString(e.key));
        size += keys.back().size() + kMaxNumber + 64;
    }
    QByteArray out(size, Qt::Uninitialized);
    char *w = out.data();
    w = write(w, "{\"name\":");
    w = write(w, name);
    w = write(w, ",\"run\":");
    w = write(w, runName);
    w = write(w, ",\"series\":[");
    for (size_t i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        w = write(w, i ? ",{\"key\":" : "{\"key\":");
        w = write(w, keys[i]);
        w = write(w, ",\"time\":");
        w = writeNumber(w, e.time);
        w = write(w, ",\"steps\":[");
        for (size_t k = 0; k < e.points.size(); ++k) {
            if (k)
                *w++ = ',';
            w = writeNumber(w, points[e.points[k]].step);
        }
        w = write(w, "],\"values\":[");
        for (size_t k = 0; k < e.points.size(); ++k) {
            if (k)
                *w++ = ',';
            w = writeNumber(w, points[e.points[k]].value);
        }
        w = write(w, "]}");
    }
    w = write(w, "]}");
    out.truncate(w - out.constData());
    return out;
}

} // namespace og
