// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ssh/sshknownhosts.h"

#include "core/securefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <libssh/libssh.h>

namespace og::sshknownhosts {

QString fingerprint(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t hashLength = 0;
    if (!key || ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hashLength) != 0)
        return {};
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hashLength);
    const QString out = text ? QString::fromLatin1(text) : QString();
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
    return out;
}

QStringList pinnedFingerprints(const QString &file, const QString &host)
{
    QStringList out;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : in.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 3 || !fields[0].split(',').contains(host.toUtf8()))
            continue;
        ssh_key key = nullptr;
        if (ssh_pki_import_pubkey_base64(fields[2].constData(), ssh_key_type_from_name(fields[1].constData()),
                                         &key) != SSH_OK)
            continue;
        if (const QString f = fingerprint(key); !f.isEmpty())
            out << f;
        ssh_key_free(key);
    }
    return out;
}

QString pin(const QString &file, const QString &host, const QString &keyLine)
{
    const QByteArray hostBytes = host.toUtf8();
    QByteArray out;
    QFile in(file);
    if (in.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : in.readAll().split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (line.trimmed().isEmpty() || fields[0].split(',').contains(hostBytes))
                continue;
            out += line + '\n';
        }
    }
    out += hostBytes + ' ' + keyLine.trimmed().toUtf8() + '\n';
    QDir().mkpath(QFileInfo(file).absolutePath());
    return writeFileAtomically(file, out, true);
}

} // namespace og::sshknownhosts
