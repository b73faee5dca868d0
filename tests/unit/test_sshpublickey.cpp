// SPDX-License-Identifier: GPL-3.0-or-later
// SshPublicKey against keys made by the real ssh-keygen: types, sizes, fingerprints as
// `ssh-keygen -l` prints them, and what is refused with which advice.
#include "core/sshpublickey.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using og::SshPublicKey;

class TestSshPublicKey final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // A fresh key pair's public line and ssh-keygen's fingerprint of it.
    std::pair<QString, QString> makeKey(const QStringList &typeArgs, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QProcess keygen;
        keygen.start(QStringLiteral("ssh-keygen"), typeArgs + QStringList{QStringLiteral("-q"), QStringLiteral("-N"), QString(),
                                                                          QStringLiteral("-C"), QStringLiteral("me@laptop"),
                                                                          QStringLiteral("-f"), path});
        keygen.waitForFinished(60000);
        QFile pub(path + QStringLiteral(".pub"));
        if (!pub.open(QIODevice::ReadOnly))
            return {};
        QProcess fp;
        fp.start(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-f"), pub.fileName()});
        fp.waitForFinished(60000);
        return {QString::fromLatin1(pub.readAll()), QString::fromLatin1(fp.readAllStandardOutput()).section(u' ', 1, 1)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty())
            QSKIP("ssh-keygen is not installed (scripts/install-deps.sh installs openssh-client)");
    }

    void acceptsStrongKeys_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("bits");
        QTest::newRow("ed25519") << QStringList{QStringLiteral("-t"), QStringLiteral("ed25519")} << QStringLiteral("ssh-ed25519") << 256;
        QTest::newRow("rsa 2048") << QStringList{QStringLiteral("-t"), QStringLiteral("rsa"), QStringLiteral("-b"), QStringLiteral("2048")}
                                  << QStringLiteral("ssh-rsa") << 2048;
        QTest::newRow("ecdsa 384") << QStringList{QStringLiteral("-t"), QStringLiteral("ecdsa"), QStringLiteral("-b"), QStringLiteral("384")}
                                   << QStringLiteral("ecdsa-sha2-nistp384") << 384;
    }

    void acceptsStrongKeys()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, type);
        QFETCH(int, bits);
        const auto [line, fingerprint] = makeKey(args, QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
        QVERIFY(!line.isEmpty());
        QString error;
        const auto key = SshPublicKey::parse(line, &error);
        QVERIFY2(key, qPrintable(error));
        QCOMPARE(key->type, type);
        QCOMPARE(key->bits, bits);
        QCOMPARE(key->comment, QStringLiteral("me@laptop"));
        QCOMPARE(key->fingerprint(), fingerprint);
        QCOMPARE(key->toLine(), line.trimmed());
    }

    void refusesWeakAndBrokenKeys_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << QStringLiteral("not an OpenSSH public key");
        QTest::newRow("private") << QStringLiteral("-----BEGIN OPENSSH PRIVATE KEY-----") << QStringLiteral("this is a private key");
        QTest::newRow("bad base64") << QStringLiteral("ssh-ed25519 AAAA!!!!") << QStringLiteral("base64 part is damaged");
        QTest::newRow("type mismatch") << QStringLiteral("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")
                                       << QStringLiteral("says it is ssh-rsa but its data is not");
        QTest::newRow("truncated ed25519") << QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5")
                                           << QStringLiteral("damaged");
        QTest::newRow("dsa") << QStringLiteral("ssh-dss AAAAB3NzaC1kc3M=") << QStringLiteral("DSA keys are too weak");
        QTest::newRow("unknown") << QStringLiteral("ssh-foo AAAAB3NzaC1mb28=") << QStringLiteral("unknown key type 'ssh-foo'");
        QTest::newRow("two lines") << QStringLiteral("ssh-ed25519 AAAA\nssh-ed25519 AAAA") << QStringLiteral("several lines");
    }

    void refusesWeakAndBrokenKeys()
    {
        QFETCH(QString, line);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!SshPublicKey::parse(line, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void refusesShortRsa()
    {
        const auto [line, fingerprint] = makeKey({QStringLiteral("-t"), QStringLiteral("rsa"), QStringLiteral("-b"), QStringLiteral("1024")},
                                                 QStringLiteral("short"));
        QString error;
        QVERIFY(!SshPublicKey::parse(line, &error));
        QVERIFY2(error.contains(QStringLiteral("1024 bits, too weak (at least 2048)")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSshPublicKey)
#include "test_sshpublickey.moc"
