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

} // namespace og::sshknownhosts
