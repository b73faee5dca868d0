// SPDX-License-Identifier: GPL-3.0-or-later
// The managed block in ~/.ssh/config: put first, replaced in place, removed, and nothing of the
// user's own configuration changed.
#include "core/sshconfigblock.h"

#include <QTest>

namespace cfg = og::sshconfig;

class TestSshConfigBlock final : public QObject
{
    Q_OBJECT

    static QString block(const QString &session)
    {
        return cfg::renderBlock({{session, QStringLiteral("alice"), QStringLiteral("ssh-ed25519 AAAAKEY")}},
                                QStringLiteral("/usr/bin/grid"), QStringLiteral("/home/alice/.grid/known_hosts"));
    }

private Q_SLOTS:
    void rendersOneHostPerSession()
    {
        const QString b = cfg::renderBlock({{QStringLiteral("a"), QStringLiteral("u"), QStringLiteral("ssh-ed25519 K1")},
                                            {QStringLiteral("b"), QStringLiteral("u"), QStringLiteral("ssh-ed25519 K2")}},
                                           QStringLiteral("/opt/my tools/grid"), QStringLiteral("/k"));
        QVERIFY(b.startsWith(cfg::kBeginMarker + u'\n'));
        QVERIFY(b.endsWith(QStringLiteral("Host *\n") + cfg::kEndMarker + u'\n'));
        QCOMPARE(b.count(QStringLiteral("\nHost ")), 3);
        QVERIFY(b.contains(QStringLiteral("    ProxyCommand \"/opt/my tools/grid\" session proxy --fdpass %n\n    ProxyUseFdpass yes\n")));
        QVERIFY(b.contains(QStringLiteral("    StrictHostKeyChecking yes\n")));
        QCOMPARE(cfg::renderBlock({}, QStringLiteral("/g"), QStringLiteral("/k")), QString());
        const QString withKey = cfg::renderBlock({{QStringLiteral("a"), QStringLiteral("u"), QStringLiteral("ssh-ed25519 K1")}},
                                                 QStringLiteral("/g"), QStringLiteral("/k"), {QStringLiteral("/home/u/.ssh/grid_ssh_creds")});
        QVERIFY(withKey.contains(QStringLiteral("    IdentityFile /home/u/.ssh/grid_ssh_creds\nHost *\n")));
    }

    void insertsFirstAndKeepsTheRest()
    {
        const QString user = QStringLiteral("Host *\n    ForwardAgent no\n\nHost work\n    HostName work.example\n");
        const QString once = cfg::replaceBlock(user, block(QStringLiteral("dev")));
        QVERIFY(once.startsWith(cfg::kBeginMarker));
        QVERIFY(once.endsWith(user));
        // Replaced in place, never duplicated.
        const QString twice = cfg::replaceBlock(once, block(QStringLiteral("other")));
        QCOMPARE(twice.count(cfg::kBeginMarker), 1);
        QVERIFY(twice.contains(QStringLiteral("Host other")));
        QVERIFY(!twice.contains(QStringLiteral("Host dev")));
        QVERIFY(twice.endsWith(user));
        // No running session: the block goes, the user's lines stay as they were.
        QCOMPARE(cfg::replaceBlock(twice, QString()), QStringLiteral("\n") + user);
        QCOMPARE(cfg::replaceBlock(QString(), block(QStringLiteral("dev"))), block(QStringLiteral("dev")));
    }

    void blockInTheMiddleIsReplacedWhereItIs()
    {
        const QString config = QStringLiteral("Host a\n") + block(QStringLiteral("dev")) + QStringLiteral("Host b\n");
        const QString out = cfg::replaceBlock(config, block(QStringLiteral("x")));
        QVERIFY(out.startsWith(QStringLiteral("Host a\n") + cfg::kBeginMarker));
        QVERIFY(out.endsWith(cfg::kEndMarker + QStringLiteral("\nHost b\n")));
    }

    void knownHostsHaveOneLinePerSession()
    {
        QCOMPARE(cfg::renderKnownHosts({{QStringLiteral("dev"), QStringLiteral("u"), QStringLiteral("ssh-ed25519 AAAAK1")},
                                        {QStringLiteral("bad"), QStringLiteral("u"), QStringLiteral("garbage")}}),
                 QStringLiteral("dev ssh-ed25519 AAAAK1\n"));
    }
};

QTEST_GUILESS_MAIN(TestSshConfigBlock)
#include "test_sshconfigblock.moc"
