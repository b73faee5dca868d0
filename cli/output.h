// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QString>

namespace og {
struct ApiResult;
}

namespace og::cli {

class Table;

// Where command output goes: tables and text on the console, or one JSON document with
// `-o json`. Errors are one line on stderr, so scripts can rely on stdout.
class Output final
{
public:
    explicit Output(bool json) : m_json(json) {}

    bool isJson() const { return m_json; }
    void table(const Table &table) const;
    void json(const QJsonValue &value) const;
    void line(const QString &text) const;
    // "warning: <message>" on stderr: something was accepted but has no effect.
    void warn(const QString &message) const;
    // Prints "error: <message>" and returns the exit code to use.
    int fail(const QString &message, int exitCode = 1) const;
    int fail(const ApiResult &result) const;

private:
    bool m_json;
};

} // namespace og::cli
