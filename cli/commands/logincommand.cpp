// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "core/clientconfig.h"
#include "core/domain/user.h"
#include "core/localplatform.h"

#include <QFileInfo>
#include <QTextStream>

#include <unistd.h>

namespace og::cli {

namespace {
QString prompt(const QString &question)
{
    QTextStream(stdout) << question << ": " << Qt::flush;
    QTextStream in(stdin);
    return in.readLine().trimmed();
}

int login(CommandContext &ctx)
{
    QString username = ctx.args.value(QStringLiteral("username"));
    QString key = ctx.args.value(QStringLiteral("key"));
    const QString url = ctx.args.value(QStringLiteral("url"));
    QString caFile = ctx.args.value(QStringLiteral("ca-file"));
    if (!caFile.isEmpty())
        caFile = QFileInfo(caFile).absoluteFilePath();

    if (username.isEmpty() != key.isEmpty() && (!isatty(STDIN_FILENO) || ctx.out.isJson()))
        return ctx.out.fail(QStringLiteral("give both --username and --key"), 2);
    if (username.isEmpty() && key.isEmpty() && !url.isEmpty()) {
        if (!isatty(STDIN_FILENO))
            return ctx.out.fail(QStringLiteral("--username and --key are needed to log in to %1").arg(url), 2);
        username = prompt(QStringLiteral("Please provide your Grid username"));
        key = prompt(QStringLiteral("Please provide your Grid API key"));
    }

    ApiClient client;
    clientconfig::Settings settings;
    if (!url.isEmpty()) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != u"http" && parsed.scheme() != u"https") || parsed.host().isEmpty())
            return ctx.out.fail(QStringLiteral("--url must be an http:// or https:// address, e.g. https://grid.example.org:7411"), 2);
        client.setBaseUrl(parsed);
        settings.gridUrl = url;
        settings.caFile = caFile;
        if (!caFile.isEmpty())
            if (const QString e = client.addCaCertificatesFile(caFile); !e.isEmpty())
                return ctx.out.fail(e);
    } else {
        // No URL: log in to the local platform (started if needed) with its own key unless
        // one was given.
        QString error;
        const auto endpoint = localplatform::ensureRunning(localplatform::findGriddProgram(),
                                                           localplatform::defaultDataDir(), &error);
        if (!endpoint)
            return ctx.out.fail(error);
        client.setBaseUrl(endpoint->url);
        if (key.isEmpty()) {
            username = endpoint->username;
            key = endpoint->apiKey;
        }
    }
    client.setToken(key);
    const ApiResult r = client.call("GET", QStringLiteral("/user"));
    if (!r.ok())
        return ctx.out.fail(QStringLiteral("login failed: %1").arg(r.message));
    const User user = User::fromJson(r.object().value(QStringLiteral("user")).toObject());
    if (user.username != username)
        return ctx.out.fail(QStringLiteral("login failed: that API key belongs to '%1', not '%2'")
                                .arg(user.username, username));
    if (const QString e = clientconfig::saveCredentials({username, key}); !e.isEmpty())
        return ctx.out.fail(e);
    if (const QString e = clientconfig::saveSettings(settings); !e.isEmpty())
        return ctx.out.fail(e);
    if (ctx.out.isJson())
        ctx.out.json(QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("url"), client.baseUrl().toString()}});
    else
        ctx.out.line(QStringLiteral("Login successful. Welcome to Grid."));
    return 0;
}
} // namespace

QList<CommandSpec> loginCommands()
{
    CommandSpec spec;
    spec.path = {QStringLiteral("login")};
    spec.summary = QStringLiteral("Log in to an OpenGrid platform (without --url: your local one).");
    spec.usage = QStringLiteral("[--username USERNAME --key API_KEY] [--url URL] [--ca-file PEM]");
    spec.options = {{QStringLiteral("username"), QStringLiteral("USERNAME"), QStringLiteral("Your username"), {}},
                    {QStringLiteral("key"), QStringLiteral("API_KEY"), QStringLiteral("Your API key (grid_…)"), {}},
                    {QStringLiteral("url"), QStringLiteral("URL"), QStringLiteral("Platform address, e.g. https://grid.example.org:7411"), {}},
                    {QStringLiteral("ca-file"), QStringLiteral("PEM"), QStringLiteral("Trust this CA/certificate (self-signed gridd)"), {}}};
    spec.run = login;
    return {spec};
}

} // namespace og::cli
