// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/clientconfig.h"

#include "core/jsonreader.h"
#include "core/securefile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace og::clientconfig {

namespace {
QString env(const char *name)
{
    return qEnvironmentVariable(name);
}

// Reads a JSON object file; nothing (and no error) when the file does not exist.
std::optional<QJsonObject> readObject(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return JsonReader::parseObject(file.readAll(), error, path);
}
} // namespace

QString gridDir()
{
    const QString dir = env("GRID_DIR");
    return dir.isEmpty() ? QDir::homePath() + QStringLiteral("/.grid") : dir;
}

QString credentialsPath()
{
    const QString p = env("GRID_CREDENTIAL_PATH");
    return p.isEmpty() ? gridDir() + QStringLiteral("/credentials.json") : p;
}

QString settingsPath()
{
    const QString p = env("GRID_SETTINGS_PATH");
    return p.isEmpty() ? gridDir() + QStringLiteral("/settings.json") : p;
}

std::optional<Credentials> loadCredentials(QString *error)
{
    if (!env("GRID_USER_ID").isEmpty() && !env("GRID_API_KEY").isEmpty())
        return Credentials{env("GRID_USER_ID"), env("GRID_API_KEY")};
    const auto obj = readObject(credentialsPath(), error);
    if (!obj)
        return std::nullopt;
    JsonReader r(*obj, credentialsPath());
    Credentials c{r.requiredString(QStringLiteral("UserID")),
                  r.requiredString(QStringLiteral("APIKey"))};
    if (!r.ok()) {
        *error = r.error() + QStringLiteral("; run `grid login` again");
        return std::nullopt;
    }
    return c;
}

QString saveCredentials(const Credentials &c)
{
    const QJsonObject obj{{QStringLiteral("UserID"), c.userId}, {QStringLiteral("APIKey"), c.apiKey}};
    return writeFileAtomically(credentialsPath(), QJsonDocument(obj).toJson(), true);
}

Settings loadSettings(QString *error)
{
    Settings s;
    if (const auto obj = readObject(settingsPath(), error)) {
        s.gridUrl = obj->value(QStringLiteral("grid_url")).toString();
        s.caFile = obj->value(QStringLiteral("ca_file")).toString();
        s.debug = obj->value(QStringLiteral("debug")).toBool();
    }
    if (!env("GRID_URL").isEmpty())
        s.gridUrl = env("GRID_URL");
    return s;
}

QString saveSettings(const Settings &s)
{
    QJsonObject obj{{QStringLiteral("grid_url"), s.gridUrl},
                    {QStringLiteral("debug"), s.debug}};
    if (!s.caFile.isEmpty())
        obj.insert(QStringLiteral("ca_file"), s.caFile);
    return writeFileAtomically(settingsPath(), QJsonDocument(obj).toJson(), true);
}

} // namespace og::clientconfig
