// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop terminal end to end, offscreen: TerminalTabs opens a tab into a real session
// (real gridd, bubblewrap sandbox, OpenSSH's sshd through the API's WebSocket tunnel); key
// events go in through the view, text is read back from the screen model.
#include "core/ssh/sshclient.h"
#include "core/terminal/terminalscreen.h"
#include "tests/support/sessionfixture.h"
#include "widgets/terminal/terminaltab.h"
#include "widgets/terminal/terminaltabs.h"
#include "widgets/terminal/terminalview.h"

#include <QApplication>
#include <QInputDialog>
#include <QClipboard>
#include <QElapsedTimer>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using og::TerminalTab;
using og::TerminalTabs;
using og::TerminalView;
using og::test::waitFor;

namespace {

constexpr auto kSession = "gui-term";

bool showsLine(const og::TerminalScreen *screen, const QString &line)
{
    for (int row = -screen->historyLineCount(); row < screen->rows(); ++row)
        if (screen->lineText(row) == line)
            return true;
    return false;
}

int rowOf(const og::TerminalScreen *screen, const QString &line)
{
    for (int row = screen->rows() - 1; row >= -screen->historyLineCount(); --row)
        if (screen->lineText(row) == line)
            return row;
    return INT_MIN;
}

QString dump(const og::TerminalScreen *screen)
{
    QStringList lines;
    for (int row = -screen->historyLineCount(); row < screen->rows(); ++row)
        lines << screen->lineText(row);
    return lines.join(u'\n');
}

// Typed as a user types: one key event per character, then Enter.
void typeLine(TerminalView *view, const QString &text)
{
    QTest::keyClicks(view, text);
    QTest::keyClick(view, Qt::Key_Return);
}

} // namespace

class TestGuiTerminal final : public QObject
{
    Q_OBJECT

    og::test::SessionFixture m_fixture;
    std::unique_ptr<TerminalTabs> m_tabs;

    // A new tab with its shell up and its first prompt shown.
    TerminalTab *openTab()
    {
        QSignalSpy ready(m_tabs.get(), &TerminalTabs::shellReady);
        m_tabs->openSession(QString::fromLatin1(kSession));
        auto *tab = qobject_cast<TerminalTab *>(m_tabs->currentWidget());
        if (!tab)
            return nullptr;
        if (!waitFor([&] { return ready.count() > 0 || !tab->bannerText().isEmpty(); }, 30000)
            || ready.isEmpty()) {
            qWarning() << "tab did not open:" << tab->bannerText() << tab->statusText();
            return nullptr;
        }
        return tab;
    }

    void closeTab(TerminalTab *tab)
    {
        const int index = m_tabs->indexOf(tab);
        if (index >= 0)
            emit m_tabs->tabCloseRequested(index);
    }

private slots:
    void initTestCase();
    void typesEchoAndReadsHi();
    void resizeOfTheViewReachesStty();
    void vimOpensAndQuits();
    void floodKeepsTheUiResponsiveAndCtrlCStopsIt();
    void droppedConnectionShowsBannerAndReconnects();
    void selectionCopiesToTheClipboard();
    void pasteIsBracketedWhenTheRemoteAsks();
    void refusedKeyNamesItAndPointsToSettings();
    void encryptedKeyAsksForItsPassphrase();
    void unknownSessionSaysSo();
    void pausedSessionOffersResumeAndConnectsAfter();
    void viewMapsKeysAndZooms();
    void cleanupTestCase();
};

void TestGuiTerminal::initTestCase()
{
    if (const QString skip = og::test::sessionSkipReason(); !skip.isEmpty())
        QSKIP(qPrintable(skip));
    const QString error = m_fixture.start(QString::fromLatin1(kSession));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The app's own places: GRID_DIR holds known_hosts (pinned by the tab) and the list of
    // registered keys it offers first. No agent: only the keys named there.
    const QString gridDir = m_fixture.dir.filePath(QStringLiteral("grid"));
    QVERIFY(QDir().mkpath(gridDir));
    qputenv("GRID_DIR", gridDir.toUtf8());
    qunsetenv("SSH_AUTH_SOCK");
    QFile list(gridDir + QStringLiteral("/ssh_identities"));
    QVERIFY(list.open(QIODevice::WriteOnly));
    list.write(m_fixture.key.toUtf8() + '\n');
    list.close();

    m_tabs = std::make_unique<TerminalTabs>();
    m_tabs->setApiClient(m_fixture.api.get());
    m_tabs->resize(900, 520);
    m_tabs->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_tabs.get()));
}

void TestGuiTerminal::typesEchoAndReadsHi()
{
    QElapsedTimer opening;
    opening.start();
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    qInfo("tab opened to the first prompt in %lld ms", opening.elapsed());
    QCOMPARE(m_tabs->connectedCount(QString::fromLatin1(kSession)), 1);
    QVERIFY2(tab->statusText().contains(QStringLiteral("connected")), qPrintable(tab->statusText()));
    // The status says how far the session is: "latency 2 ms", or "under 1 ms" on this machine
    // (a direct connection; never a bare "0 ms").
    QVERIFY2(waitFor([&] { return tab->statusText().contains(QStringLiteral(" · latency ")); }), qPrintable(tab->statusText()));
    QVERIFY2(!tab->statusText().contains(QStringLiteral("latency 0 ms")), qPrintable(tab->statusText()));
    typeLine(tab->view(), QStringLiteral("echo h\"\"i")); // the echoed command is not "hi"
    QVERIFY2(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("hi")); }),
             qPrintable(dump(tab->screen())));
    // Enough lines for a history: the scrollbar spans it and stays at the bottom (following).
    typeLine(tab->view(), QStringLiteral("seq 1 100"));
    QVERIFY(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("100")); }));
    QScrollBar *bar = tab->view()->verticalScrollBar();
    QVERIFY(waitFor([&] { return bar->maximum() == tab->screen()->historyLineCount(); }));
    QVERIFY(bar->maximum() > 50);
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(tab->view()->scrollbackOffset(), 0);
    // Shift+PageUp scrolls into it; a key brings the view back to the live screen.
    QTest::keyClick(tab->view(), Qt::Key_PageUp, Qt::ShiftModifier);
    QVERIFY(tab->view()->scrollbackOffset() > 0);
    QTest::keyClick(tab->view(), Qt::Key_Space);
    QTest::keyClick(tab->view(), Qt::Key_Backspace);
    QCOMPARE(tab->view()->scrollbackOffset(), 0);
    // The remote's title becomes the tab's.
    typeLine(tab->view(), QStringLiteral("printf '\\033]0;my-title\\007'"));
    QVERIFY(waitFor([&] { return m_tabs->tabText(m_tabs->indexOf(tab)) == u"my-title"; }));
    closeTab(tab);
    QCOMPARE(m_tabs->connectedCount(QString::fromLatin1(kSession)), 0);
}

void TestGuiTerminal::resizeOfTheViewReachesStty()
{
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    const int rowsBefore = tab->screen()->rows();
    m_tabs->resize(1100, 700);
    QVERIFY(waitFor([&] { return tab->screen()->rows() > rowsBefore; }));
    const QString expected = QStringLiteral("%1 %2").arg(tab->screen()->rows()).arg(tab->screen()->columns());
    typeLine(tab->view(), QStringLiteral("clear; stty size"));
    QVERIFY2(waitFor([&] { return showsLine(tab->screen(), expected); }),
             qPrintable(expected + u'\n' + dump(tab->screen())));
    m_tabs->resize(900, 520);
    closeTab(tab);
}

void TestGuiTerminal::vimOpensAndQuits()
{
    if (QStandardPaths::findExecutable(QStringLiteral("vim")).isEmpty())
        QSKIP("vim is not installed");
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    typeLine(tab->view(), QStringLiteral("echo before-vim"));
    QVERIFY(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("before-vim")); }));
    typeLine(tab->view(), QStringLiteral("vim -u NONE -N"));
    QVERIFY2(waitFor([&] { return tab->screen()->isAltScreen() && tab->screen()->lineText(1) == u"~"; }),
             qPrintable(dump(tab->screen())));
    QCOMPARE(tab->view()->verticalScrollBar()->maximum(), 0); // no history under vim
    QTest::keyClick(tab->view(), Qt::Key_Escape);
    typeLine(tab->view(), QStringLiteral(":q"));
    QVERIFY2(waitFor([&] { return !tab->screen()->isAltScreen(); }), qPrintable(dump(tab->screen())));
    QVERIFY(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("before-vim")); }));
    closeTab(tab);
}

void TestGuiTerminal::floodKeepsTheUiResponsiveAndCtrlCStopsIt()
{
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    typeLine(tab->view(), QStringLiteral("yes"));
    QVERIFY(waitFor([&] { return tab->screen()->historyLineCount() > 1000; }));
    // A timer every 10 ms: the largest gap between its ticks is how long the event loop
    // was busy at a stretch (painting, keys and the rest wait that long).
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 worstGap = 0;
    QTimer tick;
    tick.setInterval(10);
    connect(&tick, &QTimer::timeout, this, [&] {
        worstGap = std::max(worstGap, clock.elapsed() - last);
        last = clock.elapsed();
    });
    tick.start();
    const int framesBefore = tab->view()->framesPainted();
    QTest::qWait(3000);
    tick.stop();
    const int frames = tab->view()->framesPainted() - framesBefore;
    qInfo("yes flood: worst event-loop gap %lld ms, %d frames in 3 s (cap %d/s), slowest paint %lld us",
          worstGap, frames, TerminalView::kMaxFramesPerSecond, tab->view()->slowestFrameUs());
    QVERIFY2(worstGap < 500, qPrintable(QString::number(worstGap)));
    QVERIFY(frames <= 3 * TerminalView::kMaxFramesPerSecond + 3);
    QVERIFY(frames > 0);

    QTest::keyClick(tab->view(), Qt::Key_C, Qt::ControlModifier);
    typeLine(tab->view(), QStringLiteral("echo after-yes"));
    QVERIFY2(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("after-yes")); }, 30000),
             qPrintable(dump(tab->screen()).right(2000)));
    closeTab(tab);
}

void TestGuiTerminal::droppedConnectionShowsBannerAndReconnects()
{
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    typeLine(tab->view(), QStringLiteral("echo before-drop"));
    QVERIFY(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("before-drop")); }));
    // Kill this connection's sshd under the shell: the session ends the tunnel mid-typing.
    typeLine(tab->view(), QStringLiteral("kill -9 $PPID"));
    QVERIFY2(waitFor([&] { return tab->bannerText().contains(QStringLiteral("lost")); }),
             qPrintable(tab->bannerText() + u'|' + tab->statusText()));
    QVERIFY(!tab->isConnected());
    QCOMPARE(m_tabs->connectedCount(QString::fromLatin1(kSession)), 0);
    QVERIFY2(showsLine(tab->screen(), QStringLiteral("before-drop")), qPrintable(dump(tab->screen()))); // the view is kept
    auto *button = tab->findChild<QPushButton *>(QStringLiteral("terminalBannerButton"));
    QVERIFY(button && button->isVisible());
    QCOMPARE(button->text(), QStringLiteral("Reconnect"));
    QSignalSpy ready(tab, &TerminalTab::shellReady);
    button->click();
    QVERIFY2(waitFor([&] { return ready.count() > 0; }, 30000), qPrintable(tab->bannerText()));
    QVERIFY(tab->bannerText().isEmpty());
    typeLine(tab->view(), QStringLiteral("echo after-reconnect"));
    QVERIFY2(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("after-reconnect")); }),
             qPrintable(dump(tab->screen())));
    QVERIFY2(showsLine(tab->screen(), QStringLiteral("before-drop")), qPrintable(dump(tab->screen())));
    closeTab(tab);
}

void TestGuiTerminal::selectionCopiesToTheClipboard()
{
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    typeLine(tab->view(), QStringLiteral("clear; echo sel-me-123 other"));
    QVERIFY(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("sel-me-123 other")); }));
    TerminalView *view = tab->view();
    QTest::qWait(100); // the frame with the text
    const int row = rowOf(tab->screen(), QStringLiteral("sel-me-123 other"));
    QVERIFY(row >= 0);
    const QSizeF cell = view->cellSize();
    const QPoint at(int(cell.width() * 4.5), int(cell.height() * (row + view->scrollbackOffset() + 0.5)));
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at); // a word
    QCOMPARE(view->selectedText(), QStringLiteral("sel-me-123"));
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("sel-me-123"));

    // Dragging across a soft-wrapped line copies it as one line.
    const QString longWord = QString(view->screen()->columns() + 7, u'w');
    typeLine(view, QStringLiteral("clear; echo ") + longWord);
    QVERIFY2(waitFor([&] { return rowOf(tab->screen(), longWord.left(tab->screen()->columns())) >= 0; }),
             qPrintable(dump(tab->screen())));
    const int first = rowOf(tab->screen(), longWord.left(tab->screen()->columns()));
    QVERIFY(tab->screen()->isLineWrapped(first));
    view->setSelection(QPoint(0, first), QPoint(7, first + 1));
    QCOMPARE(view->selectedText(), longWord);
    closeTab(tab);
}

void TestGuiTerminal::pasteIsBracketedWhenTheRemoteAsks()
{
    TerminalTab *tab = openTab();
    QVERIFY(tab);
    // bash 5.2 turns bracketed paste on at each prompt by default; say so in case the
    // session's readline configuration differs.
    typeLine(tab->view(), QStringLiteral("bind 'set enable-bracketed-paste on'"));
    QVERIFY(waitFor([&] { return tab->screen()->isBracketedPaste(); }));
    QByteArray sent;
    connect(tab->screen(), &og::TerminalScreen::outputReady, this,
            [&](const QByteArray &bytes) { sent += bytes; });
    QGuiApplication::clipboard()->setText(QStringLiteral("echo pasted-1"));
    QTest::keyClick(tab->view(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(sent, QByteArray("\x1b[200~echo pasted-1\x1b[201~"));
    QTest::keyClick(tab->view(), Qt::Key_Return);
    QVERIFY2(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("pasted-1")); }),
             qPrintable(dump(tab->screen())));
    closeTab(tab);
}

void TestGuiTerminal::refusedKeyNamesItAndPointsToSettings()
{
    // A key the platform does not know, listed as the user's key.
    const QString stranger = m_fixture.dir.filePath(QStringLiteral("stranger_ed25519"));
    QVERIFY(og::test::makeSshKey(stranger));
    const QString list = qEnvironmentVariable("GRID_DIR") + QStringLiteral("/ssh_identities");
    QFile::remove(list);
    QFile out(list);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(stranger.toUtf8() + '\n');
    out.close();
    // Only that key: the machine's own ~/.ssh keys stay out of it.
    const QByteArray home = qgetenv("HOME");
    qputenv("HOME", m_fixture.dir.path().toUtf8());

    QSignalSpy settings(m_tabs.get(), &TerminalTabs::openSettingsRequested);
    m_tabs->openSession(QString::fromLatin1(kSession));
    auto *tab = qobject_cast<TerminalTab *>(m_tabs->currentWidget());
    QVERIFY(tab);
    QVERIFY(waitFor([&] { return !tab->bannerText().isEmpty(); }, 30000));
    qputenv("HOME", home);
    QVERIFY2(tab->bannerText().contains(stranger), qPrintable(tab->bannerText()));
    QVERIFY2(tab->bannerText().contains(QStringLiteral("Settings")), qPrintable(tab->bannerText()));
    auto *button = tab->findChild<QPushButton *>(QStringLiteral("terminalBannerButton"));
    QVERIFY(button);
    button->click();
    QCOMPARE(settings.count(), 1);
    closeTab(tab);

    QFile::remove(list);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(m_fixture.key.toUtf8() + '\n');
}

void TestGuiTerminal::encryptedKeyAsksForItsPassphrase()
{
    const QString locked = m_fixture.dir.filePath(QStringLiteral("locked_ed25519"));
    QVERIFY(og::test::makeSshKey(locked, QStringLiteral("correct horse")));
    const QString registered = m_fixture.registerKey(QStringLiteral("locked"), locked);
    QVERIFY2(registered.isEmpty(), qPrintable(registered));
    const QString list = qEnvironmentVariable("GRID_DIR") + QStringLiteral("/ssh_identities");
    QFile out(list);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(locked.toUtf8() + '\n');
    out.close();
    const QByteArray home = qgetenv("HOME");
    qputenv("HOME", m_fixture.dir.path().toUtf8()); // no ~/.ssh keys of the machine's own
    const auto restore = qScopeGuard([&] {
        qputenv("HOME", home);
        QFile back(list);
        if (back.open(QIODevice::WriteOnly | QIODevice::Truncate))
            back.write(m_fixture.key.toUtf8() + '\n');
    });

    // The dialog runs inside libssh's key import; a timer acts on it from within its loop.
    int asked = 0;
    std::function<void(QInputDialog *)> answer;
    QTimer poll;
    poll.setInterval(50);
    connect(&poll, &QTimer::timeout, this, [&] {
        if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
            ++asked;
            QVERIFY(dialog->labelText().contains(locked));
            QCOMPARE(dialog->textEchoMode(), QLineEdit::Password);
            answer(dialog);
        }
    });
    poll.start();

    // Closing the tab while its dialog is up: the tab goes, nothing crashes.
    answer = [&](QInputDialog *) { emit m_tabs->tabCloseRequested(m_tabs->currentIndex()); };
    const int tabsBefore = m_tabs->count();
    m_tabs->openSession(QString::fromLatin1(kSession));
    QVERIFY(waitFor([&] { return asked > 0; }, 30000));
    QVERIFY(waitFor([&] { return m_tabs->count() == tabsBefore; }));
    QTest::qWait(200);

    // The right passphrase: connected with the encrypted key.
    asked = 0;
    answer = [&](QInputDialog *dialog) {
        dialog->setTextValue(QStringLiteral("correct horse"));
        dialog->accept();
    };
    QSignalSpy ready(m_tabs.get(), &TerminalTabs::shellReady);
    m_tabs->openSession(QString::fromLatin1(kSession));
    auto *tab = qobject_cast<TerminalTab *>(m_tabs->currentWidget());
    QVERIFY(tab);
    QVERIFY2(waitFor([&] { return ready.count() > 0; }, 30000), qPrintable(tab->bannerText()));
    QCOMPARE(asked, 1);
    QCOMPARE(tab->client()->authenticatedWith(), QFileInfo(locked).absoluteFilePath());
    poll.stop();
    closeTab(tab);
}

void TestGuiTerminal::unknownSessionSaysSo()
{
    m_tabs->openSession(QStringLiteral("no-such-session"));
    auto *tab = qobject_cast<TerminalTab *>(m_tabs->currentWidget());
    QVERIFY(tab);
    QVERIFY(waitFor([&] { return !tab->bannerText().isEmpty(); }));
    QVERIFY2(tab->bannerText().contains(QStringLiteral("does not exist")), qPrintable(tab->bannerText()));
    closeTab(tab);
}

void TestGuiTerminal::pausedSessionOffersResumeAndConnectsAfter()
{
    og::test::GriddProcess &gridd = *m_fixture.gridd;
    const QString path = m_fixture.path();
    QVERIFY(gridd.call("POST", path + QStringLiteral("/pause")).ok());
    QVERIFY(waitFor([&] {
        return gridd.call("GET", path).object().value(QStringLiteral("session")).toObject()
                   .value(QStringLiteral("status")).toString() == u"paused";
    }, 30000));

    QSignalSpy resume(m_tabs.get(), &TerminalTabs::resumeRequested);
    QSignalSpy ready(m_tabs.get(), &TerminalTabs::shellReady);
    m_tabs->openSession(QString::fromLatin1(kSession));
    auto *tab = qobject_cast<TerminalTab *>(m_tabs->currentWidget());
    QVERIFY(tab);
    QVERIFY(waitFor([&] { return !tab->bannerText().isEmpty(); }));
    QVERIFY2(tab->bannerText().contains(QStringLiteral("paused, not running")), qPrintable(tab->bannerText()));
    auto *button = tab->findChild<QPushButton *>(QStringLiteral("terminalBannerButton"));
    QVERIFY(button && button->isVisible());
    QCOMPARE(button->text(), QStringLiteral("Resume"));
    button->click();
    QCOMPARE(resume.count(), 1);
    QCOMPARE(resume.at(0).at(0).toString(), QString::fromLatin1(kSession));
    // The panel resumes it (here: the test); the tab waits for it to run and connects.
    QVERIFY(gridd.call("POST", path + QStringLiteral("/resume")).ok());
    QVERIFY2(waitFor([&] { return ready.count() > 0; }, 60000),
             qPrintable(tab->bannerText() + u'|' + tab->statusText()));
    typeLine(tab->view(), QStringLiteral("echo resumed-ok"));
    QVERIFY(waitFor([&] { return showsLine(tab->screen(), QStringLiteral("resumed-ok")); }));
    closeTab(tab);
}

void TestGuiTerminal::viewMapsKeysAndZooms()
{
    og::TerminalScreen screen(24, 80);
    TerminalView view(&screen);
    view.resize(640, 400);
    view.show();
    view.activateWindow();
    view.setFocus();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    QByteArray sent;
    connect(&screen, &og::TerminalScreen::outputReady, this, [&](const QByteArray &b) { sent += b; });
    QTest::keyClick(&view, Qt::Key_Up);
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QTest::keyClick(&view, Qt::Key_X, Qt::AltModifier);
    QTest::keyClick(&view, Qt::Key_F5);
    QTest::keyClick(&view, Qt::Key_Tab);
    QTest::keyClick(&view, Qt::Key_Home);
    QCOMPARE(sent, QByteArray("\x1b[A\x03\x1bx\x1b[15~\t\x1b[H"));
    QVERIFY(view.hasFocus()); // Tab stayed in the terminal

    // Zoom: bigger cells, fewer of them, and the new size goes out for the remote's pty.
    QSignalSpy resized(&view, &TerminalView::terminalResized);
    const QSizeF before = view.cellSize();
    const int columnsBefore = screen.columns();
    QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
    QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(view.cellSize().height() > before.height());
    QVERIFY(screen.columns() < columnsBefore);
    QVERIFY(!resized.isEmpty());
    QCOMPARE(resized.last().at(1).toInt(), screen.columns());
    QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view.cellSize(), before);
    QCOMPARE(screen.columns(), columnsBefore);

    // Mouse reporting only when the remote asked for it.
    sent.clear();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(5, 5));
    QCOMPARE(sent, QByteArray());
    screen.feed(QByteArray("\x1b[?1000h\x1b[?1006h"));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(5, 5));
    QCOMPARE(sent, QByteArray("\x1b[<0;1;1M\x1b[<0;1;1m"));
}

void TestGuiTerminal::cleanupTestCase()
{
    m_tabs.reset();
    m_fixture.stop();
}

QTEST_MAIN(TestGuiTerminal)
#include "test_gui_terminal.moc"
