// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/connection.h"

#include "core/clientconfig.h"
#include "core/localplatform.h"

namespace og::cli {

CommandContext::CommandContext(const ParsedCommand &a, const Output &o)
    : args(a)
    , out(o)
{
}

ApiClient *CommandContext::api(QString *error)
{
    if (m_api)
        return m_api.get();
    const auto settings = clientconfig::loadSettings(error);
    if (!error->isEmpty())
        return nullptr;
    const auto credentials = clientconfig::loadCredentials(error);
    if (!error->isEmpty())
        return nullptr;

    auto client = std::make_unique<ApiClient>();
    if (!settings.gridUrl.isEmpty()) {
        if (!credentials) {
            *error = QStringLiteral("not logged in to %1; run `grid login --username USER --key KEY`")
                         .arg(settings.gridUrl);
            return nullptr;
        }
        client->setBaseUrl(QUrl(settings.gridUrl));
        client->setToken(credentials->apiKey);
        if (!settings.caFile.isEmpty())
            if (const QString e = client->addCaCertificatesFile(settings.caFile); !e.isEmpty()) {
                *error = e;
                return nullptr;
            }
    } else {
        // No platform configured: the user's own local gridd, started on first use.
        const auto endpoint = localplatform::ensureRunning(localplatform::findGriddProgram(),
                                                           localplatform::defaultDataDir(), error);
        if (!endpoint)
            return nullptr;
        client->setBaseUrl(endpoint->url);
        client->setToken(credentials ? credentials->apiKey : endpoint->apiKey);
        m_local = true;
    }
    m_api = std::move(client);
    return m_api.get();
}

} // namespace og::cli
