// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop terminal's SSH client end to end: a real gridd, a real session (bubblewrap
// sandbox, OpenSSH's sshd -i inside), libssh over the API's WebSocket tunnel, and the
// libvterm screen model showing what the shell printed.
#include "core/ssh/sshclient.h"
#include "core/terminal/terminalscreen.h"
#include "core/unixsocket.h"
#include "tests/support/sessionfixture.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using og::SshClient;
using og::SshConnectOptions;
using og::SshError;
using og::TerminalScreen;
using og::test::GriddProcess;
using og::test::makeSshKey;
using og::test::waitFor;

namespace {

constexpr auto kSession = "term-test";

// OpenSSH's own fingerprint of a public key line ("TYPE BASE64 …"), to check ours against.
QString fingerprintByOpenSsh(const QString &publicKeyLine, const QString &scratchDir)
{
    const QString file = scratchDir + QStringLiteral("/fp.pub");
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    out.write(publicKeyLine.toUtf8() + '\n');
    out.close();
    QString text;
    og::test::runProgram(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-f"), file}, &text);
    return text.section(u' ', 1, 1); // "256 SHA256:… comment (ED25519)"
}

// Screen and client wired together as the desktop terminal tab wires them.
struct Terminal
{
    TerminalScreen screen{24, 80};
    SshClient client;

    Terminal()
    {
        QObject::connect(&client, &SshClient::dataReceived, &screen,
                         [this](const QByteArray &bytes) { screen.feed(bytes); });
        QObject::connect(&screen, &TerminalScreen::outputReady, &client, &SshClient::write);
    }

    void type(const QString &text, unsigned modifiers = og::NoModifier)
    {
        screen.sendText(text, modifiers);
    }

    bool showsLine(const QString &line) const
    {
        for (int row = -screen.historyLineCount(); row < screen.rows(); ++row)
            if (screen.lineText(row) == line)
                return true;
        return false;
    }

    QString dump() const
    {
        QStringList lines;
        for (int row = -screen.historyLineCount(); row < screen.rows(); ++row)
            lines << screen.lineText(row);
        return lines.join(u'\n');
    }
};

} // namespace

class TestSshClient final : public QObject
{
    Q_OBJECT

    og::test::SessionFixture m_fixture;
    QTemporaryDir &m_dir = m_fixture.dir;
    QString m_otherKey; // never registered
    // From the fixture, set in initTestCase.
    GriddProcess *m_gridd = nullptr;
    og::ApiClient *m_api = nullptr;
    QString m_key;
    QString m_knownHosts;
    QString m_hostKey;

    SshConnectOptions options(const QString &key) const { return m_fixture.options(key); }

    void registerKey(const QString &name, const QString &privateKey)
    {
        const QString error = m_fixture.registerKey(name, privateKey);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void writeKnownHosts(const QString &file, const QString &keyLine)
    {
        QVERIFY(m_fixture.writeKnownHosts(file, keyLine));
    }

private slots:
    void initTestCase();
    void typesEchoAndReadsItFromTheScreen_data();
    void typesEchoAndReadsItFromTheScreen();
    void resizeReachesThePty();
    void vimOpensAndQuitsOnTheAlternateScreen();
    void floodStaysResponsiveAndCtrlCGetsThrough();
    void changedHostKeyIsAHardStop();
    void unregisteredKeyIsRefusedByName();
    void encryptedKeyAsksForItsPassphrase();
    void agentKeysAreOfferedFirst();
    void sessionNotRunningIsATunnelError();
    void brokenDirectHandOverFallsBackToTheWebSocket(); // last: it breaks the session's direct way
    void cleanupTestCase();
};

void TestSshClient::initTestCase()
{
    if (const QString skip = og::test::sessionSkipReason(); !skip.isEmpty())
        QSKIP(qPrintable(skip));
    const QString error = m_fixture.start(QString::fromLatin1(kSession));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_gridd = m_fixture.gridd.get();
    m_api = m_fixture.api.get();
    m_key = m_fixture.key;
    m_knownHosts = m_fixture.knownHosts;
    m_hostKey = m_fixture.hostKey;
    m_otherKey = m_dir.filePath(QStringLiteral("stranger_ed25519"));
    QVERIFY(makeSshKey(m_otherKey));
}

// Both ways of the tunnel: gridd handing our TCP socket to the session's sshd (the default on
// a plain-HTTP platform) and its WebSocket relay.
void TestSshClient::typesEchoAndReadsItFromTheScreen_data()
{
    QTest::addColumn<bool>("direct");
    QTest::newRow("direct") << true;
    QTest::newRow("websocket") << false;
}

void TestSshClient::typesEchoAndReadsItFromTheScreen()
{
    QFETCH(bool, direct);
    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    QSignalSpy errors(&t.client, &SshClient::errorOccurred);
    QSignalSpy closed(&t.client, &SshClient::closed);
    QSignalSpy latency(&t.client, &SshClient::latencyMeasured);
    SshConnectOptions o = options(m_key);
    o.directTunnel = direct;
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), o);
    QVERIFY2(waitFor([&] { return opened.count() == 1 || closed.count() > 0; }),
             qPrintable(errors.isEmpty() ? t.dump() : errors.at(0).at(1).toString()));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(t.client.isDirect(), direct);
    // Either way the terminal has a latency to show: the WebSocket's ping or TCP's own RTT.
    QVERIFY(waitFor([&] { return latency.count() > 0; }));
    QVERIFY(t.client.latencyMs() >= 0);
    QCOMPARE(t.client.authenticatedWith(), QFileInfo(m_key).absoluteFilePath());
    QCOMPARE(t.client.hostKeyFingerprint(), fingerprintByOpenSsh(m_hostKey, m_dir.path()));

    t.type(QStringLiteral("echo h\"\"i\r")); // the echoed command line is not "hi" itself
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("hi")); }), qPrintable(t.dump()));
    // A clean login: sshd had its lastlog to write (the session's own /var), so it said nothing.
    QVERIFY2(!t.dump().contains(QStringLiteral("lastlog")), qPrintable(t.dump()));
    t.type(QStringLiteral("touch /var/tmp/x && echo var-tmp-\"\"ok\r"));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("var-tmp-ok")); }), qPrintable(t.dump()));
    // The pty says what the terminal is.
    t.type(QStringLiteral("echo term=$TERM\r"));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("term=xterm-256color")); }),
             qPrintable(t.dump()));

    // The shell's exit status comes back with a clean close.
    t.type(QStringLiteral("exit 3\r"));
    QVERIFY2(waitFor([&] { return closed.count() == 1; }), qPrintable(t.dump()));
    QCOMPARE(t.client.exitStatus(), 3);
    QCOMPARE(t.client.state(), SshClient::State::Closed);
    QVERIFY(errors.isEmpty());
}

void TestSshClient::resizeReachesThePty()
{
    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    SshConnectOptions o = options(m_key);
    o.rows = 24;
    o.columns = 80;
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), o);
    QVERIFY(waitFor([&] { return opened.count() == 1; }));
    t.type(QStringLiteral("stty size\r"));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("24 80")); }), qPrintable(t.dump()));

    t.screen.resize(30, 100);
    t.client.resizePty(30, 100);
    t.type(QStringLiteral("clear; stty size\r"));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("30 100")); }), qPrintable(t.dump()));
    QSignalSpy closed(&t.client, &SshClient::closed);
    t.client.close();
    QCOMPARE(closed.count(), 1);
}

void TestSshClient::vimOpensAndQuitsOnTheAlternateScreen()
{
    if (QStandardPaths::findExecutable(QStringLiteral("vim")).isEmpty())
        QSKIP("vim is not installed");
    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(m_key));
    QVERIFY(waitFor([&] { return opened.count() == 1; }));
    t.type(QStringLiteral("echo before-vim\r"));
    QVERIFY(waitFor([&] { return t.showsLine(QStringLiteral("before-vim")); }));

    t.type(QStringLiteral("vim -u NONE -N\r"));
    // vim's empty buffer: the alternate screen, '~' on the lines past the end.
    QVERIFY2(waitFor([&] { return t.screen.isAltScreen() && t.screen.lineText(1) == u"~"; }),
             qPrintable(t.dump()));
    QVERIFY(!t.showsLine(QStringLiteral("before-vim"))); // the shell's screen is hidden
    t.screen.sendKey(og::TerminalKey::Escape);
    t.type(QStringLiteral(":q\r"));
    QVERIFY2(waitFor([&] { return !t.screen.isAltScreen(); }), qPrintable(t.dump()));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("before-vim")); }), qPrintable(t.dump()));
    t.client.close();
}

void TestSshClient::floodStaysResponsiveAndCtrlCGetsThrough()
{
    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(m_key));
    QVERIFY(waitFor([&] { return opened.count() == 1; }));
    qint64 received = 0;
    connect(&t.client, &SshClient::dataReceived, this,
            [&](const QByteArray &bytes) { received += bytes.size(); });
    t.type(QStringLiteral("yes flood\r"));
    // The event loop keeps turning while it floods: a 10 ms timer keeps firing. The bound is
    // loose because yes, sshd, gridd and this test share the machine's two cores; the gap
    // printed below is the figure to watch (a view paints from the same loop).
    QElapsedTimer clock;
    clock.start();
    qint64 worstGapMs = 0;
    qint64 last = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&] {
        worstGapMs = std::max(worstGapMs, clock.elapsed() - last);
        last = clock.elapsed();
    });
    tick.start(10);
    QVERIFY(waitFor([&] { return received > 4 * 1024 * 1024; }, 30000));
    tick.stop();
    qInfo("%.1f MB through the screen model in %lld ms, longest event-loop gap %lld ms",
          double(received) / 1e6, static_cast<long long>(clock.elapsed()),
          static_cast<long long>(worstGapMs));
    QVERIFY2(worstGapMs < 1000, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(worstGapMs)));

    t.type(QStringLiteral("c"), og::ControlModifier);
    t.type(QStringLiteral("echo after-fl\"\"ood\r"));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("after-flood")); }, 30000),
             qPrintable(t.dump()));
    t.client.close();
}

void TestSshClient::changedHostKeyIsAHardStop()
{
    // known_hosts pins another key for the session: what an attacker in the middle looks like.
    const QString impostor = m_dir.filePath(QStringLiteral("impostor"));
    QVERIFY(makeSshKey(impostor));
    QFile impostorPub(impostor + QStringLiteral(".pub"));
    QVERIFY(impostorPub.open(QIODevice::ReadOnly));
    const QString pinnedLine = QString::fromUtf8(impostorPub.readAll()).section(u' ', 0, 1);
    const QString tampered = m_dir.filePath(QStringLiteral("tampered_known_hosts"));
    writeKnownHosts(tampered, pinnedLine);

    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    QSignalSpy errors(&t.client, &SshClient::errorOccurred);
    QSignalSpy closed(&t.client, &SshClient::closed);
    SshConnectOptions o = options(m_key);
    o.knownHostsFile = tampered;
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), o);
    QVERIFY(waitFor([&] { return closed.count() == 1; }));
    QCOMPARE(opened.count(), 0);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).value<SshError>(), SshError::HostKeyChanged);
    const QString message = errors.at(0).at(1).toString();
    const QString presented = fingerprintByOpenSsh(m_hostKey, m_dir.path());
    const QString pinned = fingerprintByOpenSsh(pinnedLine, m_dir.path());
    QVERIFY(!presented.isEmpty() && presented != pinned);
    QVERIFY2(message.contains(presented), qPrintable(message));
    QVERIFY2(message.contains(pinned), qPrintable(message));
    QVERIFY(t.client.authenticatedWith().isEmpty()); // stopped before offering any key

    // No pinned key at all is refused too, never trusted on first use.
    const QString empty = m_dir.filePath(QStringLiteral("empty_known_hosts"));
    QFile(empty).open(QIODevice::WriteOnly);
    Terminal u;
    QSignalSpy uErrors(&u.client, &SshClient::errorOccurred);
    o.knownHostsFile = empty;
    u.client.connectToSession(*m_api, QString::fromLatin1(kSession), o);
    QVERIFY(waitFor([&] { return uErrors.count() == 1; }));
    QCOMPARE(uErrors.at(0).at(0).value<SshError>(), SshError::HostKeyUnknown);
    QVERIFY(uErrors.at(0).at(1).toString().contains(presented));
}

void TestSshClient::unregisteredKeyIsRefusedByName()
{
    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    QSignalSpy errors(&t.client, &SshClient::errorOccurred);
    QSignalSpy closed(&t.client, &SshClient::closed);
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(m_otherKey));
    QVERIFY(waitFor([&] { return closed.count() == 1; }));
    QCOMPARE(opened.count(), 0);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).value<SshError>(), SshError::AuthFailed);
    const QString message = errors.at(0).at(1).toString();
    QVERIFY2(message.contains(QFileInfo(m_otherKey).absoluteFilePath()), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Settings")), qPrintable(message));

    // The same session still takes the registered key afterwards.
    Terminal ok;
    QSignalSpy okOpened(&ok.client, &SshClient::shellOpened);
    ok.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(m_key));
    QVERIFY(waitFor([&] { return okOpened.count() == 1; }));
    ok.client.close();
}

void TestSshClient::encryptedKeyAsksForItsPassphrase()
{
    const QString locked = m_dir.filePath(QStringLiteral("locked_ed25519"));
    QVERIFY(makeSshKey(locked, QStringLiteral("correct horse")));
    registerKey(QStringLiteral("locked"), locked);

    Terminal t;
    QStringList askedFor;
    t.client.passphraseProvider = [&](const QString &file) {
        askedFor << file;
        return QStringLiteral("correct horse");
    };
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    QSignalSpy closed(&t.client, &SshClient::closed);
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(locked));
    QVERIFY(waitFor([&] { return opened.count() == 1 || closed.count() == 1; }));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(askedFor, QStringList{QFileInfo(locked).absoluteFilePath()});
    t.client.close();

    // No passphrase given (the user cancelled): refused, saying which key and why.
    Terminal u;
    u.client.passphraseProvider = [](const QString &) { return QString(); };
    QSignalSpy errors(&u.client, &SshClient::errorOccurred);
    u.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(locked));
    QVERIFY(waitFor([&] { return errors.count() == 1; }));
    QCOMPARE(errors.at(0).at(0).value<SshError>(), SshError::AuthFailed);
    const QString message = errors.at(0).at(1).toString();
    QVERIFY2(message.contains(QFileInfo(locked).absoluteFilePath()), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("passphrase")), qPrintable(message));

    // A key the session does not know is never decrypted: no passphrase asked for it.
    const QString lockedStranger = m_dir.filePath(QStringLiteral("locked_stranger"));
    QVERIFY(makeSshKey(lockedStranger, QStringLiteral("other")));
    Terminal v;
    int asked = 0;
    v.client.passphraseProvider = [&](const QString &) {
        ++asked;
        return QStringLiteral("other");
    };
    QSignalSpy vErrors(&v.client, &SshClient::errorOccurred);
    v.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(lockedStranger));
    QVERIFY(waitFor([&] { return vErrors.count() == 1; }));
    QCOMPARE(vErrors.at(0).at(0).value<SshError>(), SshError::AuthFailed);
    QCOMPARE(asked, 0);
}

void TestSshClient::agentKeysAreOfferedFirst()
{
    if (QStandardPaths::findExecutable(QStringLiteral("ssh-agent")).isEmpty()
        || QStandardPaths::findExecutable(QStringLiteral("ssh-add")).isEmpty())
        QSKIP("ssh-agent is not installed");
    const QString socket = m_dir.filePath(QStringLiteral("agent.sock"));
    QProcess agent;
    agent.start(QStringLiteral("ssh-agent"), {QStringLiteral("-D"), QStringLiteral("-a"), socket});
    QVERIFY(agent.waitForStarted());
    QVERIFY(waitFor([&] { return QFileInfo::exists(socket); }, 5000));
    QProcess add;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SSH_AUTH_SOCK"), socket);
    add.setProcessEnvironment(env);
    add.start(QStringLiteral("ssh-add"), {m_key});
    QVERIFY(add.waitForFinished());
    QCOMPARE(add.exitCode(), 0);

    const QByteArray previous = qgetenv("SSH_AUTH_SOCK");
    qputenv("SSH_AUTH_SOCK", QFile::encodeName(socket));
    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    QSignalSpy closed(&t.client, &SshClient::closed);
    SshConnectOptions o = options(m_otherKey); // only an unregistered key file
    o.useAgent = true;
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), o);
    const bool done = waitFor([&] { return opened.count() == 1 || closed.count() == 1; });
    if (previous.isNull())
        qunsetenv("SSH_AUTH_SOCK");
    else
        qputenv("SSH_AUTH_SOCK", previous);
    QVERIFY(done);
    QCOMPARE(opened.count(), 1);
    QVERIFY(t.client.authenticatedWith().isEmpty()); // the agent's key, not a file
    t.client.close();
    agent.terminate();
    agent.waitForFinished();
}

void TestSshClient::sessionNotRunningIsATunnelError()
{
    // gridd refuses the direct upgrade first; the WebSocket's refusal then says why.
    Terminal t;
    QSignalSpy errors(&t.client, &SshClient::errorOccurred);
    t.client.connectToSession(*m_api, QStringLiteral("no-such-session"), options(m_key));
    QVERIFY(waitFor([&] { return errors.count() == 1; }));
    QVERIFY(!t.client.isDirect());
    QCOMPARE(errors.at(0).at(0).value<SshError>(), SshError::Tunnel);
    QVERIFY2(errors.at(0).at(1).toString().contains(QStringLiteral("no-such-session")),
             qPrintable(errors.at(0).at(1).toString()));
    QCOMPARE(t.client.state(), SshClient::State::Closed);
}

// The session's agent no longer takes handed-over sockets (its listening socket file replaced by
// a stale one, as a crashed listener would leave): gridd still answers the direct upgrade, its
// hand-over then fails and closes the connection before sshd says a word. The client tries the
// WebSocket, whose relay reaches sshd through the agent's other socket, and gets its shell.
void TestSshClient::brokenDirectHandOverFallsBackToTheWebSocket()
{
    QString handOver;
    QDirIterator found(m_gridd->visiblePath(m_gridd->dataDir()), {QStringLiteral("agent.sock.fd")},
                       QDir::AllEntries | QDir::System | QDir::Hidden, QDirIterator::Subdirectories);
    if (found.hasNext())
        handOver = found.next();
    QVERIFY2(!handOver.isEmpty(), "the session's hand-over socket was not found");
    QVERIFY(QFile::remove(handOver));
    const int stale = og::bindUnixSocket(QFile::encodeName(handOver).constData(), SOCK_STREAM);
    QVERIFY(stale >= 0);
    ::close(stale); // the file stays; connecting to it is refused

    Terminal t;
    QSignalSpy opened(&t.client, &SshClient::shellOpened);
    QSignalSpy errors(&t.client, &SshClient::errorOccurred);
    t.client.connectToSession(*m_api, QString::fromLatin1(kSession), options(m_key));
    QVERIFY2(waitFor([&] { return opened.count() == 1 || !errors.isEmpty(); }, 30000),
             qPrintable(t.dump()));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(1).toString()));
    QVERIFY(!t.client.isDirect());
    t.type(QStringLiteral("echo via-\"\"websocket\r"));
    QVERIFY2(waitFor([&] { return t.showsLine(QStringLiteral("via-websocket")); }), qPrintable(t.dump()));
    t.client.close();
}

// Sessions outlive gridd by design (their supervisors are detached): delete the test's session
// so that no sandbox is left running after the test.
void TestSshClient::cleanupTestCase()
{
    m_fixture.stop();
}

QTEST_GUILESS_MAIN(TestSshClient)
#include "test_sshclient.moc"
