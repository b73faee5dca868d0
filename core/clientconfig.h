// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace og::clientconfig {

// Grid's client files: ~/.grid/credentials.json {"UserID", "APIKey"} and ~/.grid/settings.json
// {"grid_url", ...}; the same environment overrides Grid honoured.
QString gridDir();         // $GRID_DIR, else ~/.grid
QString credentialsPath(); // $GRID_CREDENTIAL_PATH, else <gridDir>/credentials.json
QString settingsPath();    // $GRID_SETTINGS_PATH, else <gridDir>/settings.json

struct Credentials
{
    QString userId; // the username
    QString apiKey;
};

struct Settings
{
    QString gridUrl; // empty: use the local platform
    QString caFile;  // extra PEM CA bundle for a self-signed gridd
    bool debug = false;
};

// $GRID_USER_ID + $GRID_API_KEY win over the file. Nothing when neither exists; `error` is set
// when a file exists but cannot be used.
std::optional<Credentials> loadCredentials(QString *error);
QString saveCredentials(const Credentials &credentials);

// $GRID_URL wins over the file's grid_url.
Settings loadSettings(QString *error);
QString saveSettings(const Settings &settings);

} // namespace og::clientconfig
