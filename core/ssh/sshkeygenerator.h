// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace og::sshkeygenerator {

// A new Ed25519 key pair made in-process with libssh (no ssh-keygen needed on the machine):
// the private key in OpenSSH's format at `privateKeyPath` (0600, unencrypted) and its public
// line at `privateKeyPath`.pub. Never overwrites an existing key. Returns the public line
// ("ssh-ed25519 AAAA… comment"), or nothing with `error` saying why.
std::optional<QString> generateEd25519(const QString &privateKeyPath, const QString &comment, QString *error);

} // namespace og::sshkeygenerator
