// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace og::sshidentities {

// The private keys to offer a session, in order: those listed in <gridDir>/ssh_identities
// (one path per line, `#` comments; the keys the user registered with the platform), then
// OpenSSH's default names under ~/.ssh that exist. No duplicates; only existing files.
QStringList defaultFiles();
// The same from explicit places, for tests and for a settings page.
QStringList filesFrom(const QString &identitiesList, const QString &sshDir);

} // namespace og::sshidentities
