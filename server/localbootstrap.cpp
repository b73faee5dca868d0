// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/localbootstrap.h"

#include "core/localplatform.h"
#include "core/securefile.h"
#include "opengrid/version.h"
#include "server/store/database.h"
#include "server/store/userstore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace og {

Q_LOGGING_CATEGORY(lcBootstrap, "opengrid.server.bootstrap", QtInfoMsg)

namespace {
QString localUsername()
{
    QString name = qEnvironmentVariable("USER");
    if (UserStore::validateUsername(name))
        name = QStringLiteral("local");
    return name;
}

std::optional<ApiToken> storedToken(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject obj = QJsonDocument::fromJson(f.readAll()).object();
    return ApiToken::parse(obj.value(QStringLiteral("APIKey")).toString());
}
} // namespace

QString ensureLocalUser(Database &database, const QString &dataDir)
{
    const QString path = localplatform::credentialsFile(dataDir);
    try {
        UserStore users(database.connection());
        if (const auto token = storedToken(path); token && users.authenticate(*token))
            return {};
        const QString username = localUsername();
        auto user = users.findUserByName(username);
        if (!user) {
            QString error;
            user = users.createUser(username, username, QString(), &error);
            if (!user)
                return error;
            qCInfo(lcBootstrap) << "created the local user" << username;
        }
        const auto key = users.createApiKey(user->id, QStringLiteral("local"));
        const QJsonObject creds{{QStringLiteral("UserID"), username},
                                {QStringLiteral("APIKey"), key.token}};
        if (const QString e = writeFileAtomically(path, QJsonDocument(creds).toJson(), true); !e.isEmpty())
            return e;
        qCInfo(lcBootstrap) << "wrote the local API key to" << path;
    } catch (const StoreError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString writeEndpointFile(const QString &dataDir, const QUrl &url)
{
    const QJsonObject obj{{QStringLiteral("url"), url.toString()},
                          {QStringLiteral("pid"), QCoreApplication::applicationPid()},
                          {QStringLiteral("version"), QStringLiteral(OPENGRID_VERSION)}};
    return writeFileAtomically(localplatform::endpointFile(dataDir), QJsonDocument(obj).toJson(), false);
}

void removeEndpointFile(const QString &dataDir)
{
    QFile::remove(localplatform::endpointFile(dataDir));
}

} // namespace og
