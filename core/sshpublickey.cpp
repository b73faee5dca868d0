// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sshpublickey.h"

#include <QCryptographicHash>
#include <QFile>

#include <QStringList>

namespace og {

namespace {

// RFC 4251 "string" / "mpint": a big-endian uint32 length, then that many bytes.
class WireReader
{
public:
    explicit WireReader(const QByteArray &data) : m_data(data) {}
    std::optional<QByteArray> next()
    {
        if (m_data.size() - m_pos < 4)
            return std::nullopt;
        const auto *p = reinterpret_cast<const unsigned char *>(m_data.constData() + m_pos);
        const quint32 length = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
        m_pos += 4;
        if (length > quint32(m_data.size() - m_pos))
            return std::nullopt;
        QByteArray out = m_data.mid(m_pos, qsizetype(length));
        m_pos += qsizetype(length);
        return out;
    }
    bool atEnd() const { return m_pos == m_data.size(); }

private:
    const QByteArray &m_data;
    qsizetype m_pos = 0;
};

int mpintBits(const QByteArray &mpint)
{
    qsizetype i = 0;
    while (i < mpint.size() && mpint.at(i) == 0)
        ++i;
    if (i == mpint.size())
        return 0;
    int bits = int(mpint.size() - i - 1) * 8;
    for (unsigned char top = static_cast<unsigned char>(mpint.at(i)); top; top >>= 1)
        ++bits;
    return bits;
}

constexpr int kMinRsaBits = 2048;
} // namespace

QString SshPublicKey::fingerprint() const
{
    QByteArray b64 = QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toBase64();
    while (b64.endsWith('='))
        b64.chop(1);
    return QStringLiteral("SHA256:") + QString::fromLatin1(b64);
}

QString SshPublicKey::toLine() const
{
    QString line = type + u' ' + QString::fromLatin1(blob.toBase64());
    if (!comment.isEmpty())
        line += u' ' + comment;
    return line;
}

std::optional<SshPublicKey> SshPublicKey::parse(const QString &text, QString *error)
{
    const QString line = text.trimmed();
    if (line.contains(QStringLiteral("PRIVATE KEY"))) {
        *error = QStringLiteral("this is a private key; give the public key (the .pub file next to it)");
        return std::nullopt;
    }
    if (line.contains(u'\n') || line.contains(u'\r')) {
        *error = QStringLiteral("expected one public key line (\"ssh-ed25519 AAAA… comment\"), got several lines");
        return std::nullopt;
    }
    const QStringList parts = line.split(u' ', Qt::SkipEmptyParts);
    if (parts.size() < 2) {
        *error = QStringLiteral("not an OpenSSH public key: expected \"TYPE BASE64 [COMMENT]\", e.g. the content of ~/.ssh/id_ed25519.pub");
        return std::nullopt;
    }
    SshPublicKey key;
    key.type = parts.at(0);
    key.comment = parts.mid(2).join(u' ');
    const auto decoded = QByteArray::fromBase64Encoding(parts.at(1).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty()) {
        *error = QStringLiteral("the key's base64 part is damaged; copy the whole line of the .pub file again");
        return std::nullopt;
    }
    key.blob = decoded.decoded;
    WireReader reader(key.blob);
    const auto innerType = reader.next();
    if (!innerType || QString::fromLatin1(*innerType) != key.type) {
        *error = QStringLiteral("the key says it is %1 but its data is not; copy the whole line of the .pub file again").arg(key.type);
        return std::nullopt;
    }
    if (key.type == u"ssh-ed25519") {
        const auto pk = reader.next();
        if (!pk || pk->size() != 32 || !reader.atEnd()) {
            *error = QStringLiteral("the Ed25519 key's data is damaged");
            return std::nullopt;
        }
        key.bits = 256;
    } else if (key.type == u"ssh-rsa") {
        const auto exponent = reader.next();
        const auto modulus = reader.next();
        if (!exponent || !modulus || !reader.atEnd()) {
            *error = QStringLiteral("the RSA key's data is damaged");
            return std::nullopt;
        }
        key.bits = mpintBits(*modulus);
        if (key.bits < kMinRsaBits) {
            *error = QStringLiteral("the RSA key has %1 bits, too weak (at least %2); make a new key with "
                                    "`ssh-keygen -t ed25519`")
                         .arg(key.bits)
                         .arg(kMinRsaBits);
            return std::nullopt;
        }
    } else if (key.type.startsWith(u"ecdsa-sha2-nistp")) {
        const QString curve = key.type.mid(QStringLiteral("ecdsa-sha2-").size());
        const auto curveName = reader.next();
        const auto point = reader.next();
        if (!curveName || QString::fromLatin1(*curveName) != curve || !point || !reader.atEnd()
            || !(curve == u"nistp256" || curve == u"nistp384" || curve == u"nistp521")) {
            *error = QStringLiteral("the ECDSA key's data is damaged");
            return std::nullopt;
        }
        key.bits = curve.mid(5).toInt();
    } else if (key.type == u"ssh-dss") {
        *error = QStringLiteral("DSA keys are too weak and OpenSSH no longer accepts them; make a new key with `ssh-keygen -t ed25519`");
        return std::nullopt;
    } else if (key.type.startsWith(u"sk-")) {
        key.bits = 256; // FIDO security keys: sshd checks the signature's presence flag itself
    } else {
        *error = QStringLiteral("unknown key type '%1': use an ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa (≥ 2048 bits) key")
                     .arg(key.type.left(40));
        return std::nullopt;
    }
    return key;
}

std::optional<SshPublicKey> SshPublicKey::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray content = file.read(64 * 1024);
    if (content.contains("PRIVATE KEY")) {
        const QString pub = path + QStringLiteral(".pub");
        if (!QFile::exists(pub)) {
            *error = QStringLiteral("%1 is a private key and %2 does not exist; make it with: ssh-keygen -y -f %1 > %2").arg(path, pub);
            return std::nullopt;
        }
        return fromFile(pub, error);
    }
    QString why;
    auto key = parse(QString::fromUtf8(content), &why);
    if (!key)
        *error = QStringLiteral("%1: %2").arg(path, why);
    return key;
}

} // namespace og
