// SPDX-License-Identifier: GPL-3.0-or-later
// The hand-made HTTP upgrade: the request's head, reading an answer's head without passing its
// blank line (sshd's banner follows it on the same socket), and judging the answer.
#include "core/httpupgrade.h"

#include <QTest>
#include <QUrl>

namespace up = og::httpupgrade;

class TestHttpUpgrade final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestHeadNamesPathHostAndKey()
    {
        const QByteArray head = up::requestHead(QUrl(QStringLiteral("http://127.0.0.1:4242/api/v1/sessions/a%20b/ssh?x=1")),
                                                QStringLiteral("Bearer k"), "Upgrade: opengrid-ssh\r\nConnection: Upgrade\r\n");
        QCOMPARE(head, QByteArray("GET /api/v1/sessions/a%20b/ssh?x=1 HTTP/1.1\r\nHost: 127.0.0.1:4242\r\n"
                                  "Upgrade: opengrid-ssh\r\nConnection: Upgrade\r\nAuthorization: Bearer k\r\n\r\n"));
        // IPv6 literals keep their brackets; the port defaults to 80.
        QVERIFY(up::requestHead(QUrl(QStringLiteral("http://[::1]/x")), QString(), {}).contains("\r\nHost: [::1]:80\r\n"));
    }

    // Reading byte counts as bytesBeforePossibleEnd allows never passes "\r\n\r\n", wherever
    // the answer's pieces end, and stops exactly at it.
    void readsNeverPassTheBlankLine()
    {
        const QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: opengrid-ssh\r\n\r\n";
        const QByteArray wire = answer + "SSH-2.0-OpenSSH_9.2\r\n";
        for (qsizetype cap = 1; cap <= 8; ++cap) { // the socket gives at most `cap` bytes a read
            QByteArray got;
            while (!got.endsWith("\r\n\r\n")) {
                const qsizetype want = std::min(up::bytesBeforePossibleEnd(got), cap);
                QVERIFY(want >= 1);
                got += wire.mid(got.size(), want);
                QVERIFY2(got.size() <= answer.size(), qPrintable(QString::number(cap)));
            }
            QCOMPARE(got, answer);
        }
    }

    void judgesTheAnswer()
    {
        const QByteArray switched = "HTTP/1.1 101 Switching Protocols\r\nUPGRADE:  OpenGrid-SSH \r\nConnection: Upgrade";
        QCOMPARE(up::statusLine(switched), QByteArray("HTTP/1.1 101 Switching Protocols"));
        QCOMPARE(up::headerOf(switched, "upgrade"), QByteArray("OpenGrid-SSH"));
        QVERIFY(up::switchedTo(switched, up::kSshProtocol));
        QVERIFY(!up::switchedTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket", up::kSshProtocol));
        QVERIFY(!up::switchedTo("HTTP/1.1 426 Upgrade Required\r\nUpgrade: opengrid-ssh", up::kSshProtocol));
        QVERIFY(up::headerOf("HTTP/1.1 400 Bad Request", "upgrade").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpUpgrade)
#include "test_httpupgrade.moc"
