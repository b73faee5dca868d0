// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace og {

// Strict reader for JSON objects that come from outside (API request bodies, files a user
// edited). Every accessor checks presence and type; the first problem is kept as a sentence
// that names the field, so callers can answer "what is wrong" without a chain of ifs.
class JsonReader final
{
public:
    explicit JsonReader(QJsonObject object, QString context = QStringLiteral("request body"));

    // Parses `bytes` as one JSON object; on failure returns nothing and sets `error`.
    static std::optional<QJsonObject> parseObject(const QByteArray &bytes, QString *error,
                                                  const QString &context
                                                  = QStringLiteral("request body"));

    QString requiredString(const QString &key);
    QString optionalString(const QString &key, const QString &fallback = {});
    qint64 optionalInteger(const QString &key, qint64 fallback, qint64 min, qint64 max);
    bool optionalBool(const QString &key, bool fallback);
    QStringList optionalStringList(const QString &key);
    // An object whose values must all be strings (environment variables); empty when absent.
    QMap<QString, QString> optionalStringMap(const QString &key);

    // Fails on any key not in `known`: a typo in a field name must not be silently ignored.
    void rejectUnknown(const QStringList &known);

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    void fail(const QString &message);

private:
    std::optional<QJsonValue> value(const QString &key, bool required);
    void typeError(const QString &key, const char *expected);

    QJsonObject m_object;
    QString m_context;
    QString m_error;
};

} // namespace og
