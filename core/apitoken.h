// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace og {

// An API token as users see it: `grid_<id>_<secret>`. The id is public (it names the key in
// listings and lets the server find the row); only SHA-256 of the secret is ever stored.
struct ApiToken
{
    QString id;       // 12 lower-case alphanumerics
    QByteArray secret; // 64 lower-case hex characters (256 random bits)

    static std::optional<ApiToken> parse(const QString &token);
    static ApiToken generate();
    QString toString() const;
    QByteArray secretSha256Hex() const;
};

inline constexpr int kApiKeyIdLength = 12;

// `length` random lower-case alphanumerics from the system CSPRNG: ids of stored objects.
QString randomId(int length);
inline constexpr int kApiKeySecretLength = 64;

} // namespace og
