// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

struct ssh_key_struct;

namespace og::sshknownhosts {

// "SHA256:…" of a libssh key, as OpenSSH prints it; empty when it cannot be hashed.
QString fingerprint(ssh_key_struct *key);

// SHA256 fingerprints ("SHA256:…", as OpenSSH prints them) of the keys `file` pins for
// `host`, in the platform-managed format "NAME KEYTYPE BASE64" (OpenSSH's known_hosts
// format without hashing or markers). Lines that do not parse are skipped.
QStringList pinnedFingerprints(const QString &file, const QString &host);

// Pins `keyLine` ("TYPE BASE64", as the API's session host_key) for `host` in `file`: that
// host's old lines are replaced, every other line is kept, the file is replaced atomically
// (0600). What the desktop app does before each connection, the way `grid session ssh`
// rewrites the whole file. Empty on success, else why not.
QString pin(const QString &file, const QString &host, const QString &keyLine);

} // namespace og::sshknownhosts
