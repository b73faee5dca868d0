// SPDX-License-Identifier: GPL-3.0-or-later
// The embedded terminal end to end against a real session (real gridd, bubblewrap, sshd
// through the API's tunnel: direct, or the WebSocket with OPENGRID_SSH_TUNNEL=websocket),
// offscreen, in one run next to its references:
//   1. `cat` of a text file in the terminal (SshClient → TerminalScreen → TerminalView
//      painting): MB/s, the worst event-loop gap and the slowest frame while it streams;
//   2. the same `cat` through the same client with the bytes thrown away (our transport);
//   3. OpenSSH's `ssh … cat FILE > /dev/null` through `grid session proxy` (the tunnel's
//      limit with OpenSSH's client), without a pty, with one, and with one and --fdpass;
//   4. keystroke-to-echo latency: key events into the view, until the echoed character is
//      in the screen model and until the frame showing it was painted.
// Usage: terminal_e2e_bench [MiB=100] [keystrokes=600] [pace_ms=40]
#include "core/localplatform.h"
#include "core/ssh/sshclient.h"
#include "core/terminal/terminalscreen.h"
#include "tests/support/sessionfixture.h"
#include "widgets/terminal/terminalview.h"
#include "bench/terminal/cpuclock.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using og::SshClient;
using og::TerminalScreen;
using og::TerminalView;
using og::test::waitFor;

namespace {

constexpr auto kSession = "bench-term";

og::test::SessionFixture *g_fixture = nullptr; // deleted on the way out, even after a failure

[[noreturn]] void fail(const QString &why)
{
    std::fprintf(stderr, "terminal_e2e_bench: %s\n", qPrintable(why));
    if (g_fixture) {
        g_fixture->stop(); // sessions outlive gridd: never leave one behind
        if (g_fixture->gridd)
            g_fixture->gridd->terminate(); // exit() skips main's destructors
    }
    std::exit(1);
}

// The largest gap between ticks of a 5 ms timer: how long the event loop was busy at once.
class GapMeter
{
public:
    GapMeter()
    {
        m_tick.setInterval(5);
        QObject::connect(&m_tick, &QTimer::timeout, [this] {
            m_worst = std::max(m_worst, m_clock.elapsed() - m_last);
            m_last = m_clock.elapsed();
        });
    }
    void start()
    {
        m_worst = 0;
        m_clock.start();
        m_last = 0;
        m_tick.start();
    }
    qint64 stop()
    {
        m_tick.stop();
        return m_worst;
    }

private:
    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_worst = 0;
};

struct Shell
{
    SshClient client;
    bool open(og::test::SessionFixture &f)
    {
        QSignalSpy opened(&client, &SshClient::shellOpened);
        client.connectToSession(*f.api, f.session, f.options(f.key));
        return waitFor([&] { return opened.count() > 0; }, 30000);
    }
};

// A terminal as a tab wires one: the client's bytes into the screen, the screen's answers and
// keys back, and the view's size to the remote's pty.
struct ShownTerminal
{
    TerminalScreen screen{24, 80};
    TerminalView view{&screen};
    Shell shell;

    explicit ShownTerminal(og::test::SessionFixture &fixture)
    {
        view.resize(820, 480);
        view.show();
        QObject::connect(&shell.client, &SshClient::dataReceived, &screen,
                         [this](const QByteArray &b) { screen.feed(b); });
        QObject::connect(&screen, &TerminalScreen::outputReady, &shell.client, &SshClient::write);
        QObject::connect(&view, &TerminalView::terminalResized, &shell.client, &SshClient::resizePty);
        if (!shell.open(fixture))
            fail(QStringLiteral("no shell"));
    }
};

void sendKey(QWidget *to, int key, const QString &text)
{
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, text);
    QCoreApplication::sendEvent(to, &press);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 mib = argc > 1 ? std::max(1, atoi(argv[1])) : 100;
    const int keystrokes = argc > 2 ? std::max(10, atoi(argv[2])) : 600;
    // Milliseconds between keystrokes. A shorter pace than a typist's shows what an echo costs
    // while the machine's vCPUs are still awake from the last one (an idle vCPU of a VM halts,
    // and waking it is the host's business).
    const int paceMs = argc > 3 ? std::max(1, atoi(argv[3])) : 40;
    const qint64 fileBytes = mib * 1024 * 1024;

    if (const QString skip = og::test::sessionSkipReason(); !skip.isEmpty())
        fail(skip);
    og::test::SessionFixture fixture;
    g_fixture = &fixture;
    if (const QString e = fixture.start(QString::fromLatin1(kSession)); !e.isEmpty())
        fail(e);
    const auto cleanup = qScopeGuard([&] { fixture.stop(); });

    // The file, made inside the session: base64 text, 76-character lines.
    {
        Shell s;
        if (!s.open(fixture))
            fail(QStringLiteral("no shell"));
        QByteArray seen;
        QObject::connect(&s.client, &SshClient::dataReceived, [&](const QByteArray &b) { seen += b; });
        s.client.write(QStringLiteral("base64 /dev/urandom | head -c %1 > ~/big.txt; echo MADE\"\"-IT\r").arg(fileBytes).toUtf8());
        if (!waitFor([&] { return seen.contains("MADE-IT\r\n"); }, 120000))
            fail(QStringLiteral("could not write the file: ") + QString::fromUtf8(seen.right(500)));
        s.client.close();
    }
    const QByteArray command = "cat ~/big.txt; echo; echo END\"\"-OF-CAT\r"; // the file ends mid-line

    // 1. The embedded terminal, painting.
    double terminalMBs = 0, terminalCpu = 0;
    qint64 terminalGap = 0, slowestFrameUs = 0;
    int frames = 0;
    {
        ShownTerminal t(fixture);
        TerminalScreen &screen = t.screen;
        TerminalView &view = t.view;
        Shell &s = t.shell;
        s.client.resizePty(screen.rows(), screen.columns());
        QTest::qWait(300);
        qint64 received = 0;
        QObject::connect(&s.client, &SshClient::dataReceived, [&](const QByteArray &b) { received += b.size(); });
        GapMeter gaps;
        const int framesBefore = view.framesPainted();
        const double cpu0 = cpuSeconds();
        QElapsedTimer clock;
        clock.start();
        gaps.start();
        s.client.write(command);
        auto done = [&] {
            for (int r = 0; r < screen.rows(); ++r)
                if (screen.lineText(r) == u"END-OF-CAT")
                    return true;
            return false;
        };
        if (!waitFor(done, (qEnvironmentVariableIsSet("E2E_TIMEOUT_S") ? qEnvironmentVariableIntValue("E2E_TIMEOUT_S") : 600) * 1000)) {
            QStringList lines;
            for (int r = 0; r < screen.rows(); ++r)
                lines << screen.lineText(r);
            fail(QStringLiteral("cat did not finish in the terminal (%1 bytes arrived):\n").arg(received)
                 + lines.join(u'\n'));
        }
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        terminalGap = gaps.stop();
        terminalCpu = cpuSeconds() - cpu0;
        terminalMBs = double(received) / 1e6 / seconds;
        frames = view.framesPainted() - framesBefore;
        slowestFrameUs = view.slowestFrameUs();
        std::printf("embedded terminal (%s): %.1f MB in %.2f s = %.1f MB/s (%.2f CPU s); worst event-loop gap "
                    "%lld ms; %d frames, slowest paint %.1f ms; scrollback %d lines\n",
                    s.client.isDirect() ? "direct" : "WebSocket", double(received) / 1e6, seconds, terminalMBs,
                    terminalCpu, terminalGap, frames, double(slowestFrameUs) / 1000, screen.historyLineCount());
        s.client.close();
    }

    // 2. The same client, bytes thrown away.
    double transportMBs = 0;
    {
        Shell s;
        if (!s.open(fixture))
            fail(QStringLiteral("no shell"));
        QTest::qWait(300);
        qint64 received = 0;
        QByteArray tail;
        QObject::connect(&s.client, &SshClient::dataReceived, [&](const QByteArray &b) {
            received += b.size();
            tail = (tail + b).right(64);
        });
        const double cpu0 = cpuSeconds();
        QElapsedTimer clock;
        clock.start();
        s.client.write(command);
        if (!waitFor([&] { return tail.contains("END-OF-CAT\r\n"); }, 600000))
            fail(QStringLiteral("cat did not finish through the client"));
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        transportMBs = double(received) / 1e6 / seconds;
        std::printf("our client, bytes discarded: %.1f MB in %.2f s = %.1f MB/s (%.2f CPU s)\n",
                    double(received) / 1e6, seconds, transportMBs, cpuSeconds() - cpu0);
        s.client.close();
    }

    // 3. OpenSSH through grid session proxy, without a pty (the tunnel's limit) and with one
    // (-tt: the same pty the terminal has, whose line discipline costs its own).
    // A third run, -tt with --fdpass, has no process between ssh and the session's sshd (gridd
    // hands ssh's own TCP socket over): what a pty and sshd alone allow on this machine.
    double opensshMBs = 0, opensshPtyMBs = 0, opensshDirectMBs = 0;
    struct Way { bool pty; bool direct; };
    for (const Way way : {Way{false, false}, Way{true, false}, Way{true, true}}) {
        const bool pty = way.pty;
        QProcess ssh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GRID_URL"), fixture.gridd->url().toString());
        env.insert(QStringLiteral("GRID_CREDENTIAL_PATH"),
                   fixture.gridd->visiblePath(og::localplatform::credentialsFile(fixture.gridd->dataDir())));
        ssh.setProcessEnvironment(env);
        ssh.setStandardOutputFile(QProcess::nullDevice());
        const QStringList args{
            QStringLiteral("-F"), QStringLiteral("/dev/null"),
            QStringLiteral("-o"), QStringLiteral("ProxyCommand=%1 session proxy %2%n").arg(og::test::GriddProcess::gridProgram(), way.direct ? QStringLiteral("--fdpass ") : QString()),
            QStringLiteral("-o"), way.direct ? QStringLiteral("ProxyUseFdpass=yes") : QStringLiteral("ProxyUseFdpass=no"),
            QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=") + fixture.knownHosts,
            QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=yes"),
            QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
            QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"),
            QStringLiteral("-i"), fixture.key, QStringLiteral("-l"), fixture.user,
            pty ? QStringLiteral("-tt") : QStringLiteral("-T"), fixture.session, QStringLiteral("cat ~/big.txt")};
        QElapsedTimer clock;
        clock.start();
        ssh.start(QStringLiteral("ssh"), args);
        if (!ssh.waitForFinished(600000) || ssh.exitCode() != 0)
            std::printf("OpenSSH via grid session proxy: failed (%s)\n", ssh.readAllStandardError().constData());
        else {
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            double &mbs = way.direct ? opensshDirectMBs : pty ? opensshPtyMBs : opensshMBs;
            mbs = double(fileBytes) / 1e6 / seconds;
            std::printf("OpenSSH ssh %s … cat > /dev/null via grid session proxy%s: %.1f MB in %.2f s = %.1f MB/s "
                        "(includes its connection set-up)\n", pty ? "-tt" : "-T", way.direct ? " --fdpass (direct)" : "",
                        double(fileBytes) / 1e6, seconds, mbs);
        }
    }

    // 4. Keystroke to echo, through the view, into `cat` (the pty echoes in canonical mode).
    {
        ShownTerminal t(fixture);
        TerminalScreen &screen = t.screen;
        TerminalView &view = t.view;
        Shell &s = t.shell;
        s.client.write("clear; cat > /dev/null\r");
        QTest::qWait(500);
        std::vector<double> toModel, toPaint;
        QElapsedTimer clock;
        for (int i = 0; i < keystrokes; ++i) {
            // Keys at a fast typist's pace (about 25 a second): a burst faster than the frame
            // cap would measure the cap, not the echo.
            QTest::qWait(paceMs);
            const bool newline = i % 60 == 59;
            const QPoint before = screen.cursor();
            const int framesBefore = view.framesPainted();
            clock.start();
            if (newline)
                sendKey(&view, Qt::Key_Return, QStringLiteral("\r"));
            else
                sendKey(&view, Qt::Key_X, QStringLiteral("x"));
            while (screen.cursor() == before && clock.elapsed() < 5000)
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
            toModel.push_back(double(clock.nsecsElapsed()) / 1e6);
            while (view.framesPainted() == framesBefore && clock.elapsed() < 5000)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            toPaint.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        auto pct = [](std::vector<double> v, double p) {
            std::sort(v.begin(), v.end());
            return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
        };
        std::printf("keystroke to echo (%d keys into cat through the tunnel, one every %d ms): in the model median "
                    "%.2f ms, p99 %.2f ms; painted median %.2f ms, p99 %.2f ms\n",
                    keystrokes, paceMs, pct(toModel, 0.5), pct(toModel, 0.99), pct(toPaint, 0.5), pct(toPaint, 0.99));
        s.client.close();
    }
    std::printf("ratios: embedded terminal / our transport = %.2f, / OpenSSH -tt = %.2f, / OpenSSH -T = %.2f\n",
                transportMBs > 0 ? terminalMBs / transportMBs : 0.0,
                opensshPtyMBs > 0 ? terminalMBs / opensshPtyMBs : 0.0,
                opensshMBs > 0 ? terminalMBs / opensshMBs : 0.0);
    return 0;
}
