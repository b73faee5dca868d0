// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshkeygenerator.h"

#include "core/securefile.h"

#include <QFileInfo>

#include <libssh/libssh.h>

#include <memory>

namespace og::sshkeygenerator {

namespace {
struct KeyFree
{
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
// libssh hands out malloc'ed base64 strings.
QByteArray takeString(char *text)
{
    QByteArray out(text);
    ssh_string_free_char(text);
    return out;
}
} // namespace

std::optional<QString> generateEd25519(const QString &privateKeyPath, const QString &comment, QString *error)
{
    const QString publicKeyPath = privateKeyPath + QStringLiteral(".pub");
    for (const QString &path : {privateKeyPath, publicKeyPath})
        if (QFileInfo::exists(path)) {
            *error = QStringLiteral("%1 already exists; add that key instead, or move it away first").arg(path);
            return std::nullopt;
        }
    ssh_key raw = nullptr;
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &raw) != SSH_OK || !raw) {
        *error = QStringLiteral("libssh could not generate an Ed25519 key");
        return std::nullopt;
    }
    const std::unique_ptr<ssh_key_struct, KeyFree> key(raw);
    char *privateText = nullptr;
    char *publicBase64 = nullptr;
    if (ssh_pki_export_privkey_base64(key.get(), nullptr, nullptr, nullptr, &privateText) != SSH_OK
        || ssh_pki_export_pubkey_base64(key.get(), &publicBase64) != SSH_OK) {
        if (privateText)
            ssh_string_free_char(privateText);
        *error = QStringLiteral("libssh could not export the new key");
        return std::nullopt;
    }
    const QByteArray privateKey = takeString(privateText);
    QString publicLine = QStringLiteral("ssh-ed25519 ") + QString::fromLatin1(takeString(publicBase64));
    if (!comment.isEmpty())
        publicLine += u' ' + comment;
    // The private key first: a .pub without its key would make fromFile() and ssh offer nothing.
    if (const QString e = writeFileAtomically(privateKeyPath, privateKey.endsWith('\n') ? privateKey : privateKey + '\n', true); !e.isEmpty()) {
        *error = e;
        return std::nullopt;
    }
    if (const QString e = writeFileAtomically(publicKeyPath, (publicLine + u'\n').toUtf8(), false); !e.isEmpty()) {
        *error = e;
        return std::nullopt;
    }
    return publicLine;
}

} // namespace og::sshkeygenerator
