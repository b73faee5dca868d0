// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace og {

// An OpenSSH public key line ("ssh-ed25519 AAAA… comment"), checked the way sshd would
// before we store it: a known, strong type; a blob whose own type matches; RSA of at least
// 2048 bits. The CLI checks before sending and gridd checks again before storing.
struct SshPublicKey
{
    QString type;        // ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, …
    QByteArray blob;     // the decoded key
    QString comment;
    int bits = 0;        // RSA modulus size; the curve size for ECDSA; 256 for Ed25519

    // "SHA256:…" as `ssh-keygen -l` prints it.
    QString fingerprint() const;
    // "type base64 comment", normalised to one line.
    QString toLine() const;

    // The key, or nothing with `error` saying what is wrong and what to do.
    static std::optional<SshPublicKey> parse(const QString &line, QString *error);
    // The public key for `path`: the file itself, or PATH.pub when PATH is a private key (Grid's
    // tutorial passes ~/.ssh/grid_ssh_creds, the private key ssh-keygen -f made). `error` names
    // the file and what is wrong.
    static std::optional<SshPublicKey> fromFile(const QString &path, QString *error);
};

} // namespace og
