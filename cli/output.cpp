// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/output.h"

#include "cli/table.h"
#include "core/apiclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace og::cli {

namespace {
void write(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

void Output::table(const Table &t) const
{
    write(stdout, t.render(terminalWidth()));
}

void Output::json(const QJsonValue &value) const
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    write(stdout, QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
}

void Output::warn(const QString &message) const
{
    std::fprintf(stderr, "warning: %s\n", message.toUtf8().constData());
}

void Output::line(const QString &text) const
{
    write(stdout, text + u'\n');
}

int Output::fail(const QString &message, int exitCode) const
{
    QString oneLine = message;
    oneLine.replace(u'\n', u' ');
    write(stderr, QStringLiteral("error: ") + oneLine + u'\n');
    return exitCode;
}

int Output::fail(const ApiResult &result) const
{
    return fail(result.message);
}

} // namespace og::cli
