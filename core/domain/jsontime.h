// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonValue>

namespace og {

// All API timestamps are UTC, ISO 8601 with milliseconds ("2026-11-26T09:49:17.123Z");
// absent times are JSON null.
inline QJsonValue toJsonTime(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

inline QDateTime fromJsonTime(const QJsonValue &v)
{
    if (!v.isString())
        return {};
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : t;
}

} // namespace og
