// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace og::sshidentities {

// The private keys to offer a session, in order: those listed in <gridDir>/ssh_identities
// (one path per line, `#` comments; the keys the user registered with the platform), then
// OpenSSH's default names under ~/.ssh that exist. No duplicates; only existing files.
QStringList defaultFiles();
// <gridDir>/ssh_identities, the list `grid ssh-keys add` keeps.
QString listPath();
// Only the keys in that list that still exist (what the managed ssh config offers; ssh tries
// its default names by itself).
QStringList registeredFiles();
// Adds the private key of `keyPath` (the key itself, or the one beside a .pub) to the list,
// once; nothing when there is no such private key. Empty on success, else why not.
QString remember(const QString &keyPath);
// The same from explicit places, for tests and for a settings page.
QStringList filesFrom(const QString &identitiesList, const QString &sshDir);

} // namespace og::sshidentities
