// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/jsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace og {

JsonReader::JsonReader(QJsonObject object, QString context)
    : m_object(std::move(object))
    , m_context(std::move(context))
{
}

std::optional<QJsonObject> JsonReader::parseObject(const QByteArray &bytes, QString *error,
                                                   const QString &context)
{
    if (bytes.trimmed().isEmpty()) {
        *error = QStringLiteral("%1 is empty; send a JSON object").arg(context);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                     .arg(context, parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 must be a JSON object").arg(context);
        return std::nullopt;
    }
    return doc.object();
}

void JsonReader::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

std::optional<QJsonValue> JsonReader::value(const QString &key, bool required)
{
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd() || it->isNull()) {
        if (required)
            fail(QStringLiteral("%1: missing required field '%2'").arg(m_context, key));
        return std::nullopt;
    }
    return *it;
}

void JsonReader::typeError(const QString &key, const char *expected)
{
    fail(QStringLiteral("%1: field '%2' must be %3").arg(m_context, key, QLatin1String(expected)));
}

QString JsonReader::requiredString(const QString &key)
{
    const auto v = value(key, true);
    if (!v)
        return {};
    if (!v->isString()) {
        typeError(key, "a string");
        return {};
    }
    return v->toString();
}

QString JsonReader::optionalString(const QString &key, const QString &fallback)
{
    const auto v = value(key, false);
    if (!v)
        return fallback;
    if (!v->isString()) {
        typeError(key, "a string");
        return fallback;
    }
    return v->toString();
}

qint64 JsonReader::optionalInteger(const QString &key, qint64 fallback, qint64 min, qint64 max)
{
    const auto v = value(key, false);
    if (!v)
        return fallback;
    const double d = v->toDouble(std::nan(""));
    if (!v->isDouble() || std::floor(d) != d) {
        typeError(key, "an integer");
        return fallback;
    }
    // Qt keeps integers that fit 64 bits exactly (toInteger); anything at or past ±2^63
    // only exists as a double and is out of every range we accept.
    constexpr double kTwoTo63 = 9223372036854775808.0;
    const bool representable = d >= -kTwoTo63 && d < kTwoTo63;
    const qint64 n = representable ? v->toInteger(qint64(d)) : 0;
    if (!representable || n < min || n > max) {
        fail(QStringLiteral("%1: field '%2' must be between %3 and %4")
                 .arg(m_context, key)
                 .arg(min)
                 .arg(max));
        return fallback;
    }
    return n;
}

bool JsonReader::optionalBool(const QString &key, bool fallback)
{
    const auto v = value(key, false);
    if (!v)
        return fallback;
    if (!v->isBool()) {
        typeError(key, "true or false");
        return fallback;
    }
    return v->toBool();
}

QStringList JsonReader::optionalStringList(const QString &key)
{
    const auto v = value(key, false);
    if (!v)
        return {};
    if (!v->isArray()) {
        typeError(key, "an array of strings");
        return {};
    }
    QStringList out;
    for (const QJsonValue &item : v->toArray()) {
        if (!item.isString()) {
            typeError(key, "an array of strings");
            return {};
        }
        out.append(item.toString());
    }
    return out;
}

QMap<QString, QString> JsonReader::optionalStringMap(const QString &key)
{
    const auto v = value(key, false);
    if (!v)
        return {};
    if (!v->isObject()) {
        typeError(key, "an object of strings");
        return {};
    }
    QMap<QString, QString> out;
    const QJsonObject o = v->toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isString()) {
            typeError(key, "an object of strings");
            return {};
        }
        out.insert(it.key(), it.value().toString());
    }
    return out;
}

void JsonReader::rejectUnknown(const QStringList &known)
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!known.contains(it.key())) {
            fail(QStringLiteral("%1: unknown field '%2' (accepted: %3)")
                     .arg(m_context, it.key(), known.join(QStringLiteral(", "))));
            return;
        }
    }
}

} // namespace og
