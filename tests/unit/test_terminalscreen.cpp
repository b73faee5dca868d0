// SPDX-License-Identifier: GPL-3.0-or-later
// The libvterm screen model, fed the escape sequences shells and full-screen programs send.
#include "core/terminal/terminalscreen.h"

#include <QSignalSpy>
#include <QTest>

using og::TerminalCell;
using og::TerminalColor;
using og::TerminalDamage;
using og::TerminalScreen;

namespace {

TerminalColor rgb(int r, int g, int b)
{
    return TerminalColor{std::uint8_t(r), std::uint8_t(g), std::uint8_t(b), false};
}

QByteArray allOutput(const QSignalSpy &spy)
{
    QByteArray out;
    for (const auto &args : spy)
        out += args.at(0).toByteArray();
    return out;
}

void feedLines(TerminalScreen &screen, int first, int last)
{
    QByteArray bytes;
    for (int i = first; i <= last; ++i)
        bytes += "line " + QByteArray::number(i) + "\r\n";
    screen.feed(bytes);
}

} // namespace

class TestTerminalScreen final : public QObject
{
    Q_OBJECT

private slots:
    void plainTextLandsInCells();
    void coloursIndexed256AndTrueColour();
    void attributesBoldItalicUnderlineReverse();
    void cursorMovesAndShape();
    void scrollRegionScrollsOnlyItsRows();
    void alternateScreenEnterAndExitLikeVim();
    void wideCharactersTakeTwoCells();
    void utf8SplitAcrossReads();
    void scrollbackKeepsLinesThatScrolledOff();
    void scrollbackIsBounded();
    void scrollbackHoldsTenThousandLines();
    void resizeReflowsScrollbackAndRestoresLines();
    void resizeShrinkKeepsCursorLine();
    void titleFromOsc();
    void keysAndAnswersGoToOutput();
    void pasteIsBracketedOnlyWhenAsked();
    void mouseReportedOnlyWhenAsked();
    void damageCoversOnlyWhatChanged();
    void screenRowsRecordSoftWraps();
    void resizeReflowsTheVisibleScreen();
    void insertAndDeleteCharactersMoveCells();
    void eraseUsesTheBackgroundColour();
    void cellsKeepMarksAndAttributesInScrollbackAndReflow();
    void repeatBeforeAnyTextDoesNotHang();
};

void TestTerminalScreen::plainTextLandsInCells()
{
    TerminalScreen screen(24, 80);
    screen.feed(QByteArray("hello\r\nworld"));
    QCOMPARE(screen.lineText(0), QStringLiteral("hello"));
    QCOMPARE(screen.lineText(1), QStringLiteral("world"));
    QCOMPARE(screen.cursor(), QPoint(5, 1));
    QVERIFY(screen.cell(0, 0).foreground.isDefault);
    QVERIFY(screen.cell(0, 0).background.isDefault);
}

void TestTerminalScreen::coloursIndexed256AndTrueColour()
{
    TerminalScreen screen(5, 40);
    screen.feed(QByteArray("\x1b[38;5;196mA\x1b[48;5;21mB\x1b[38;2;10;20;30;48;2;200;150;100mC"
                           "\x1b[0mD\x1b[38;5;232mE\x1b[38;5;255mF"));
    // 196 and 21 are in the 6x6x6 cube: (255,0,0) and (0,0,255).
    QCOMPARE(screen.cell(0, 0).foreground, rgb(255, 0, 0));
    QVERIFY(screen.cell(0, 0).background.isDefault);
    QCOMPARE(screen.cell(0, 1).background, rgb(0, 0, 255));
    QCOMPARE(screen.cell(0, 2).foreground, rgb(10, 20, 30));
    QCOMPARE(screen.cell(0, 2).background, rgb(200, 150, 100));
    QVERIFY(screen.cell(0, 3).foreground.isDefault);
    QVERIFY(screen.cell(0, 3).background.isDefault);
    // 232..255 are the grey ramp, darkest first (libvterm's ramp differs a little from xterm's).
    const TerminalColor dark = screen.cell(0, 4).foreground;
    const TerminalColor light = screen.cell(0, 5).foreground;
    QVERIFY(!dark.isDefault && !light.isDefault);
    QVERIFY(dark.red == dark.green && dark.green == dark.blue);
    QVERIFY(light.red == light.green && light.green == light.blue);
    QVERIFY(light.red > dark.red + 200);
    // The basic 8 colours (SGR 31) are palette entries, not the default colour.
    screen.feed(QByteArray("\r\n\x1b[31mr\x1b[39mx"));
    QVERIFY(!screen.cell(1, 0).foreground.isDefault);
    QVERIFY(screen.cell(1, 0).foreground.red > 100);
    QCOMPARE(screen.cell(1, 0).foreground.green, std::uint8_t(0));
    QVERIFY(screen.cell(1, 1).foreground.isDefault);
}

void TestTerminalScreen::attributesBoldItalicUnderlineReverse()
{
    TerminalScreen screen(5, 40);
    screen.feed(QByteArray("\x1b[1mb\x1b[22;3mi\x1b[23;4mu\x1b[24;7mr\x1b[27;9ms\x1b[0mn"));
    QVERIFY(screen.cell(0, 0).bold);
    QVERIFY(!screen.cell(0, 1).bold);
    QVERIFY(screen.cell(0, 1).italic);
    QCOMPARE(screen.cell(0, 2).underline, og::TerminalUnderline::Single);
    QVERIFY(!screen.cell(0, 2).italic);
    QVERIFY(screen.cell(0, 3).reverse);
    QCOMPARE(screen.cell(0, 3).underline, og::TerminalUnderline::None);
    QVERIFY(screen.cell(0, 4).strike);
    const TerminalCell plain = screen.cell(0, 5);
    QVERIFY(!plain.bold && !plain.italic && !plain.reverse && !plain.strike);
    QCOMPARE(plain.text(), QStringLiteral("n"));
}

void TestTerminalScreen::cursorMovesAndShape()
{
    TerminalScreen screen(24, 80);
    screen.feed(QByteArray("\x1b[5;10H"));
    QCOMPARE(screen.cursor(), QPoint(9, 4));
    screen.feed(QByteArray("\x1b[2A\x1b[3C"));
    QCOMPARE(screen.cursor(), QPoint(12, 2));
    screen.feed(QByteArray("\x1b[99;99H"));
    QCOMPARE(screen.cursor(), QPoint(79, 23));
    screen.feed(QByteArray("\x1b[Hx"));
    QCOMPARE(screen.cursor(), QPoint(1, 0));

    QVERIFY(screen.isCursorVisible());
    screen.feed(QByteArray("\x1b[?25l"));
    QVERIFY(!screen.isCursorVisible());
    screen.feed(QByteArray("\x1b[?25h"));
    QVERIFY(screen.isCursorVisible());

    screen.feed(QByteArray("\x1b[6 q")); // DECSCUSR steady bar, what vim sets in insert mode
    QCOMPARE(screen.cursorShape(), og::TerminalCursorShape::Bar);
    QVERIFY(!screen.isCursorBlinking());
    screen.feed(QByteArray("\x1b[3 q")); // blinking underline
    QCOMPARE(screen.cursorShape(), og::TerminalCursorShape::Underline);
    QVERIFY(screen.isCursorBlinking());
}

void TestTerminalScreen::scrollRegionScrollsOnlyItsRows()
{
    TerminalScreen screen(8, 20);
    screen.feed(QByteArray("r0\r\nr1\r\nr2\r\nr3\r\nr4\r\nr5\r\nr6\r\nr7"));
    // Region rows 3..5 (1-based 3;5), cursor to its bottom, two line feeds.
    screen.feed(QByteArray("\x1b[3;5r\x1b[5;1H\n\nnew"));
    QCOMPARE(screen.lineText(0), QStringLiteral("r0"));
    QCOMPARE(screen.lineText(1), QStringLiteral("r1"));
    QCOMPARE(screen.lineText(2), QStringLiteral("r4"));
    QCOMPARE(screen.lineText(3), QString());
    QCOMPARE(screen.lineText(4), QStringLiteral("new"));
    QCOMPARE(screen.lineText(5), QStringLiteral("r5"));
    QCOMPARE(screen.lineText(7), QStringLiteral("r7"));
    // Lines scrolled inside a region are gone, not history.
    QCOMPARE(screen.historyLineCount(), 0);
    // Reverse index at the region's top scrolls it down.
    screen.feed(QByteArray("\x1b[3;1H\x1bM"));
    QCOMPARE(screen.lineText(2), QString());
    QCOMPARE(screen.lineText(3), QStringLiteral("r4"));
    QCOMPARE(screen.lineText(5), QStringLiteral("r5"));
}

void TestTerminalScreen::alternateScreenEnterAndExitLikeVim()
{
    TerminalScreen screen(5, 30);
    feedLines(screen, 1, 8);
    screen.feed(QByteArray("$ vim"));
    const int history = screen.historyLineCount();
    QVERIFY(history > 0);
    const QPoint cursorBefore = screen.cursor();
    QSignalSpy altSpy(&screen, &TerminalScreen::altScreenChanged);

    // What vim sends: save cursor + switch (1049), clear, draw, move around.
    screen.feed(QByteArray("\x1b[?1049h\x1b[H\x1b[2J~\r\n~\r\n\x1b[5;1H\"f\" 0L, 0B\x1b[1;1H"));
    QVERIFY(screen.isAltScreen());
    QCOMPARE(altSpy.count(), 1);
    QCOMPARE(altSpy.at(0).at(0).toBool(), true);
    QCOMPARE(screen.historyLineCount(), 0); // the scrollback is hidden under a full-screen app
    QCOMPARE(screen.lineText(0), QStringLiteral("~"));
    QCOMPARE(screen.lineText(4), QStringLiteral("\"f\" 0L, 0B"));
    // Scrolling on the alternate screen does not add history.
    screen.feed(QByteArray("\x1b[5;1H\r\n\r\n\r\n"));

    screen.feed(QByteArray("\x1b[?1049l"));
    QVERIFY(!screen.isAltScreen());
    QCOMPARE(altSpy.count(), 2);
    QCOMPARE(screen.historyLineCount(), history);
    QCOMPARE(screen.lineText(screen.cursor().y()), QStringLiteral("$ vim"));
    QCOMPARE(screen.cursor(), cursorBefore);
}

void TestTerminalScreen::wideCharactersTakeTwoCells()
{
    TerminalScreen screen(3, 10);
    screen.feed(QStringLiteral("中a文").toUtf8());
    QCOMPARE(screen.cell(0, 0).width, std::uint8_t(2));
    QCOMPARE(screen.cell(0, 0).text(), QStringLiteral("中"));
    QCOMPARE(screen.cell(0, 1).width, std::uint8_t(0));
    QCOMPARE(screen.cell(0, 2).text(), QStringLiteral("a"));
    QCOMPARE(screen.cell(0, 3).text(), QStringLiteral("文"));
    QCOMPARE(screen.cursor(), QPoint(5, 0));
    QCOMPARE(screen.lineText(0), QStringLiteral("中a文"));
    // A wide character that does not fit in the last column wraps whole.
    screen.feed(QStringLiteral("\x1b[1;10H字").toUtf8());
    QCOMPARE(screen.cell(1, 0).text(), QStringLiteral("字"));
    // Combining marks stay in their base character's cell.
    screen.feed(QStringLiteral("\r\n\r\ne\u0301x").toUtf8());
    QCOMPARE(screen.cell(2, 0).text(), QStringLiteral("e\u0301"));
    QCOMPARE(screen.cell(2, 1).text(), QStringLiteral("x"));
}

void TestTerminalScreen::utf8SplitAcrossReads()
{
    TerminalScreen screen(3, 20);
    screen.feed(QByteArray("\xc3"));
    screen.feed(QByteArray("\xa9"));
    const QByteArray emoji = QStringLiteral("\U0001F600").toUtf8(); // four bytes
    QCOMPARE(emoji.size(), 4);
    for (char byte : emoji)
        screen.feed(&byte, 1);
    // An escape sequence split too.
    screen.feed(QByteArray("\x1b["));
    screen.feed(QByteArray("3"));
    screen.feed(QByteArray("1mz"));
    QCOMPARE(screen.cell(0, 0).text(), QStringLiteral("é"));
    QCOMPARE(screen.cell(0, 1).text(), QStringLiteral("\U0001F600"));
    QCOMPARE(screen.cell(0, 1).width, std::uint8_t(2));
    QCOMPARE(screen.cell(0, 3).text(), QStringLiteral("z"));
    QVERIFY(!screen.cell(0, 3).foreground.isDefault);
}

void TestTerminalScreen::scrollbackKeepsLinesThatScrolledOff()
{
    TerminalScreen screen(5, 20);
    feedLines(screen, 1, 20);
    // The screen shows lines 17-20 and the empty prompt row; 1-16 went into the scrollback.
    QCOMPARE(screen.historyLineCount(), 16);
    QCOMPARE(screen.lineText(-16), QStringLiteral("line 1"));
    QCOMPARE(screen.lineText(-1), QStringLiteral("line 16"));
    QCOMPARE(screen.lineText(0), QStringLiteral("line 17"));
    QCOMPARE(screen.lineText(3), QStringLiteral("line 20"));
    QCOMPARE(screen.lineText(-17), QString()); // beyond the history: blank
    QCOMPARE(screen.takeDamage().linesScrolledOff, 16);
}

void TestTerminalScreen::scrollbackIsBounded()
{
    TerminalScreen screen(5, 20, nullptr, 100);
    feedLines(screen, 1, 300);
    QCOMPARE(screen.historyLineCount(), 100);
    QCOMPARE(screen.lineText(-100), QStringLiteral("line 197"));
    QCOMPARE(screen.lineText(-1), QStringLiteral("line 296"));
}

void TestTerminalScreen::scrollbackHoldsTenThousandLines()
{
    TerminalScreen screen(24, 80);
    QVERIFY(TerminalScreen::kDefaultScrollbackLines >= 10000);
    feedLines(screen, 1, 12000);
    QCOMPARE(screen.historyLineCount(), TerminalScreen::kDefaultScrollbackLines);
    QCOMPARE(screen.lineText(-1), QStringLiteral("line 11977"));
    QCOMPARE(screen.lineText(-TerminalScreen::kDefaultScrollbackLines),
             QStringLiteral("line %1").arg(11977 - TerminalScreen::kDefaultScrollbackLines + 1));
}

void TestTerminalScreen::resizeReflowsScrollbackAndRestoresLines()
{
    TerminalScreen screen(4, 10);
    // A 25-character line wraps over three rows of 10; then enough lines to push it off.
    screen.feed(QByteArray("abcdefghijklmnopqrstuvwxy\r\n"));
    feedLines(screen, 1, 4);
    QCOMPARE(screen.historyLineCount(), 4);
    QCOMPARE(screen.lineText(-4), QStringLiteral("abcdefghij"));
    QVERIFY(screen.isLineWrapped(-4));
    QVERIFY(screen.isLineWrapped(-3));
    QVERIFY(!screen.isLineWrapped(-2));

    // Wider: the three pieces become one line again.
    screen.resize(4, 30);
    QCOMPARE(screen.columns(), 30);
    QCOMPARE(screen.historyLineCount(), 2);
    QCOMPARE(screen.lineText(-2), QStringLiteral("abcdefghijklmnopqrstuvwxy"));
    QCOMPARE(screen.lineText(-1), QStringLiteral("line 1"));

    // Narrower: cut at the new width.
    screen.resize(4, 8);
    QCOMPARE(screen.lineText(-5), QStringLiteral("abcdefgh"));
    QCOMPARE(screen.lineText(-2), QStringLiteral("y"));
    QCOMPARE(screen.lineText(-1), QStringLiteral("line 1"));

    // Taller: libvterm takes the newest history lines back onto the screen.
    screen.resize(6, 8);
    QCOMPARE(screen.rows(), 6);
    QCOMPARE(screen.historyLineCount(), 3);
    QCOMPARE(screen.lineText(0), QStringLiteral("y"));
    QCOMPARE(screen.lineText(1), QStringLiteral("line 1"));
    QCOMPARE(screen.lineText(4), QStringLiteral("line 4"));
    QCOMPARE(screen.cursor(), QPoint(0, 5));
}

void TestTerminalScreen::resizeShrinkKeepsCursorLine()
{
    TerminalScreen screen(10, 20);
    feedLines(screen, 1, 7);
    screen.feed(QByteArray("$ "));
    QCOMPARE(screen.cursor(), QPoint(2, 7));
    screen.resize(4, 20);
    // The prompt stays visible; the lines above it went into the scrollback, in order.
    QCOMPARE(screen.lineText(screen.cursor().y()), QStringLiteral("$"));
    QCOMPARE(screen.cursor().x(), 2);
    QCOMPARE(screen.lineText(-1), QStringLiteral("line %1").arg(7 - screen.cursor().y()));
    QCOMPARE(screen.lineText(-screen.historyLineCount()), QStringLiteral("line 1"));
}

void TestTerminalScreen::titleFromOsc()
{
    TerminalScreen screen(5, 20);
    QSignalSpy spy(&screen, &TerminalScreen::titleChanged);
    screen.feed(QByteArray("\x1b]0;user@session: ~\x07"));
    QCOMPARE(screen.title(), QStringLiteral("user@session: ~"));
    QCOMPARE(spy.count(), 1);
    screen.feed(QStringLiteral("\x1b]2;vim — fichier.txt\x1b\\").toUtf8()); // ST terminator
    QCOMPARE(screen.title(), QStringLiteral("vim — fichier.txt"));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(screen.lineText(0), QString()); // nothing printed
}

void TestTerminalScreen::keysAndAnswersGoToOutput()
{
    TerminalScreen screen(5, 20);
    QSignalSpy spy(&screen, &TerminalScreen::outputReady);
    screen.sendKey(og::TerminalKey::Up);
    screen.sendKey(og::TerminalKey::Enter);
    screen.sendKey(og::TerminalKey::Backspace);
    screen.sendText(QStringLiteral("c"), og::ControlModifier);
    screen.sendText(QStringLiteral("é"));
    screen.sendKey(og::TerminalKey::F1);
    QCOMPARE(allOutput(spy), QByteArray("\x1b[A\r\x7f\x03\xc3\xa9\x1bOP"));

    // Application cursor keys (what less and vim ask for) change the arrows.
    spy.clear();
    screen.feed(QByteArray("\x1b[?1h"));
    screen.sendKey(og::TerminalKey::Up);
    QCOMPARE(allOutput(spy), QByteArray("\x1bOA"));

    // The terminal answers a cursor-position query itself.
    spy.clear();
    screen.feed(QByteArray("\x1b[3;7H\x1b[6n"));
    QCOMPARE(allOutput(spy), QByteArray("\x1b[3;7R"));

    // More than 0.1.4's 64-byte internal buffer, in one go: nothing dropped.
    spy.clear();
    for (int i = 0; i < 40; ++i)
        screen.sendKey(og::TerminalKey::Down);
    QCOMPARE(allOutput(spy).size(), 40 * 3);
}

void TestTerminalScreen::pasteIsBracketedOnlyWhenAsked()
{
    TerminalScreen screen(5, 20);
    QSignalSpy spy(&screen, &TerminalScreen::outputReady);
    QVERIFY(!screen.isBracketedPaste());
    QCOMPARE(spy.count(), 0); // asking sends nothing
    screen.paste(QStringLiteral("ls\nrm -rf x\r\n"));
    QCOMPARE(allOutput(spy), QByteArray("ls\rrm -rf x\r"));

    spy.clear();
    screen.feed(QByteArray("\x1b[?2004h")); // bash at every prompt
    QVERIFY(screen.isBracketedPaste());
    QCOMPARE(spy.count(), 0);
    screen.paste(QStringLiteral("a\nb"));
    QCOMPARE(allOutput(spy), QByteArray("\x1b[200~a\rb\x1b[201~"));

    screen.feed(QByteArray("\x1b[?2004l"));
    QVERIFY(!screen.isBracketedPaste());
}

void TestTerminalScreen::mouseReportedOnlyWhenAsked()
{
    TerminalScreen screen(10, 40);
    QSignalSpy spy(&screen, &TerminalScreen::outputReady);
    QSignalSpy modeSpy(&screen, &TerminalScreen::mouseModeChanged);
    QCOMPARE(screen.mouseMode(), og::TerminalMouseMode::None);
    screen.mouseButton(2, 3, 1, true);
    screen.mouseButton(2, 3, 1, false);
    QCOMPARE(spy.count(), 0);

    screen.feed(QByteArray("\x1b[?1000h\x1b[?1006h")); // clicks, SGR encoding (htop, vim)
    QCOMPARE(screen.mouseMode(), og::TerminalMouseMode::Click);
    QCOMPARE(modeSpy.count(), 1);
    screen.mouseButton(2, 3, 1, true);
    screen.mouseButton(2, 3, 1, false);
    QCOMPARE(allOutput(spy), QByteArray("\x1b[<0;4;3M\x1b[<0;4;3m"));

    screen.feed(QByteArray("\x1b[?1002h"));
    QCOMPARE(screen.mouseMode(), og::TerminalMouseMode::Drag);
    screen.feed(QByteArray("\x1b[?1002l"));
    QCOMPARE(screen.mouseMode(), og::TerminalMouseMode::None);
    spy.clear();
    screen.mouseButton(2, 3, 1, true);
    QCOMPARE(spy.count(), 0);
}

void TestTerminalScreen::damageCoversOnlyWhatChanged()
{
    TerminalScreen screen(24, 80);
    QSignalSpy spy(&screen, &TerminalScreen::damaged);
    screen.takeDamage();
    screen.feed(QByteArray("\x1b[3;5Hxy"));
    QCOMPARE(spy.count(), 1);
    TerminalDamage damage = screen.takeDamage();
    QVERIFY(damage.cells.contains(QPoint(4, 2)));
    QVERIFY(damage.cells.contains(QPoint(5, 2)));
    QCOMPARE(damage.cells.height(), 1);
    QVERIFY(damage.cells.width() <= 2);
    QVERIFY(damage.cursorMoved);
    QCOMPARE(damage.linesScrolledOff, 0);
    // Taken: nothing is left over.
    damage = screen.takeDamage();
    QVERIFY(damage.cells.isNull());
    QVERIFY(!damage.cursorMoved);
}

// Cells are stored packed (combining marks in a table beside them): what a cell held must
// come back the same from the screen, from the scrollback and after a reflow.
void TestTerminalScreen::cellsKeepMarksAndAttributesInScrollbackAndReflow()
{
    TerminalScreen screen(2, 10);
    screen.feed(QStringLiteral("a\u0301\u0302\x1b[1;3;4:3;5;9;38;2;1;2;3;48;5;196mb\x1b[0m"
                               "\x1b[4:2m\u4e2d\x1b[0mo\u0308\r\n").toUtf8());
    auto check = [](const TerminalScreen &s, int row, const char *where) {
        const TerminalCell marked = s.cell(row, 0);
        QVERIFY2(marked.text() == QStringLiteral("a\u0301\u0302"), where);
        const TerminalCell styled = s.cell(row, 1);
        QVERIFY2(styled.bold && styled.italic && styled.blink && styled.strike && !styled.reverse, where);
        QVERIFY2(styled.underline == og::TerminalUnderline::Curly, where);
        QVERIFY2((styled.foreground == TerminalColor{1, 2, 3, false}), where);
        QVERIFY2((styled.background == TerminalColor{255, 0, 0, false}), where);
        QVERIFY2(s.cell(row, 2).underline == og::TerminalUnderline::Double && s.cell(row, 2).width == 2, where);
        QVERIFY2(s.cell(row, 3).width == 0, where);
        QVERIFY2(s.cell(row, 4).text() == QStringLiteral("o\u0308") && !s.cell(row, 4).bold, where);
        QVERIFY2(s.cell(row, 5) == TerminalCell{}, where);
    };
    check(screen, 0, "on the screen");
    screen.feed(QByteArray("x\r\ny\r\n")); // row 0 scrolls off
    QCOMPARE(screen.historyLineCount(), 2);
    check(screen, -2, "in the scrollback");
    screen.resize(2, 7); // reflow: the line fits, so it stays whole
    check(screen, -screen.historyLineCount(), "after a reflow");
}

// libvterm 0.1.4 loops forever on REP (CSI b) when the last glyph had width 0: before any
// glyph was written, or after a combining mark with nothing to join.
void TestTerminalScreen::repeatBeforeAnyTextDoesNotHang()
{
    TerminalScreen screen(5, 17);
    QCOMPARE(screen.cursor(), QPoint(0, 0));
    QCOMPARE(screen.lineText(0), QString());
    screen.feed(QByteArray("\x1b[bcd"));
    QCOMPARE(screen.lineText(0).trimmed(), QStringLiteral("cd"));
    screen.feed(QByteArray("\x1b[3b|"));
    QVERIFY(screen.lineText(0).endsWith(QStringLiteral("cdddd|")));
    // After a glyph of width 0 (a combining mark with nothing to join) REP is dropped, also
    // when its sequence is split across reads; after DECALN too.
    screen.feed(QByteArray("\r\n\xcc\x81\x1b[b"));
    screen.feed(QByteArray("\xcc\x81\x1b["));
    screen.feed(QByteArray("2bx"));
    QVERIFY(screen.lineText(1).endsWith(u'x'));
    screen.feed(QByteArray("\xcc\x81\x1b#8\x1b[b"));
    QCOMPARE(screen.lineText(0), QStringLiteral("EEEEEEEEEEEEEEEEE"));
}

QTEST_GUILESS_MAIN(TestTerminalScreen)
#include "test_terminalscreen.moc"

void TestTerminalScreen::screenRowsRecordSoftWraps()
{
    TerminalScreen screen(6, 10);
    screen.feed(QByteArray("0123456789abc"));
    QVERIFY(screen.isLineWrapped(0)); // the terminal wrapped it
    QVERIFY(!screen.isLineWrapped(1));
    // Exactly ten characters, then CR LF from the remote: a hard line end, not a wrap.
    screen.feed(QByteArray("\r\n0123456789\r\nX"));
    QVERIFY(!screen.isLineWrapped(2));
    // The wrap is recorded across reads too, and goes into the scrollback with the line.
    screen.feed(QByteArray("\r\nabcdefghij"));
    screen.feed(QByteArray("klm\r\n\r\n\r\n"));
    QVERIFY(screen.historyLineCount() > 0);
    int row = -screen.historyLineCount();
    while (screen.lineText(row) != u"abcdefghij")
        ++row;
    QVERIFY(screen.isLineWrapped(row));
    QCOMPARE(screen.lineText(row + 1), QStringLiteral("klm"));
    QVERIFY(!screen.isLineWrapped(row + 1));
    // Erasing a wrapped row's end ends the wrap.
    screen.feed(QByteArray("\x1b[2J\x1b[H0123456789abc\x1b[1;5H\x1b[K"));
    QVERIFY(!screen.isLineWrapped(0));
}

void TestTerminalScreen::resizeReflowsTheVisibleScreen()
{
    TerminalScreen screen(4, 10);
    screen.feed(QByteArray("$ abcdefghijklmnop"));
    QCOMPARE(screen.lineText(0), QStringLiteral("$ abcdefgh"));
    QCOMPARE(screen.lineText(1), QStringLiteral("ijklmnop"));
    QCOMPARE(screen.cursor(), QPoint(8, 1));

    screen.resize(4, 20); // wider: one line again, cursor after its text
    QCOMPARE(screen.historyLineCount(), 0);
    QCOMPARE(screen.lineText(0), QStringLiteral("$ abcdefghijklmnop"));
    QCOMPARE(screen.lineText(1), QString());
    QCOMPARE(screen.cursor(), QPoint(18, 0));

    screen.resize(4, 6); // narrower: three rows, the cursor on the fourth
    QCOMPARE(screen.lineText(0), QStringLiteral("$ abcd"));
    QCOMPARE(screen.lineText(1), QStringLiteral("efghij"));
    QCOMPARE(screen.lineText(2), QStringLiteral("klmnop"));
    QCOMPARE(screen.cursor(), QPoint(0, 3));
    QVERIFY(screen.isLineWrapped(0) && screen.isLineWrapped(2));

    // Typing goes on where the text ends, and the remote's output lands right after it.
    screen.feed(QByteArray("q"));
    screen.resize(4, 30);
    QCOMPARE(screen.lineText(0), QStringLiteral("$ abcdefghijklmnopq"));
    QCOMPARE(screen.cursor(), QPoint(19, 0));

    // The alternate screen is cut, not rewrapped; the primary one comes back rewrapped.
    screen.feed(QByteArray("\x1b[?1049h\x1b[Hfull-screen-program-text"));
    screen.resize(4, 10);
    QCOMPARE(screen.lineText(0), QStringLiteral("full-scree"));
    screen.feed(QByteArray("\x1b[?1049l"));
    QCOMPARE(screen.lineText(0), QStringLiteral("$ abcdefgh"));
    QCOMPARE(screen.lineText(1), QStringLiteral("ijklmnopq"));
}

void TestTerminalScreen::insertAndDeleteCharactersMoveCells()
{
    TerminalScreen screen(3, 20);
    screen.feed(QByteArray("abcdef\r\x1b[2P")); // delete two at the start
    QCOMPARE(screen.lineText(0), QStringLiteral("cdef"));
    screen.feed(QByteArray("\x1b[2@XY")); // insert two blanks, then type into them
    QCOMPARE(screen.lineText(0), QStringLiteral("XYcdef"));
    screen.feed(QByteArray("\r\n1\r\n2\x1b[1;1H\x1b[L")); // insert a line at the top
    QCOMPARE(screen.lineText(0), QString());
    QCOMPARE(screen.lineText(1), QStringLiteral("XYcdef"));
    QCOMPARE(screen.lineText(2), QStringLiteral("1"));
    QCOMPARE(screen.historyLineCount(), 0);
}

void TestTerminalScreen::eraseUsesTheBackgroundColour()
{
    TerminalScreen screen(3, 10);
    screen.feed(QByteArray("\x1b[44m\x1b[2J\x1b[0mx"));
    QVERIFY(!screen.cell(1, 5).background.isDefault); // blue, as xterm clears (BCE)
    QVERIFY(screen.cell(0, 0).background.isDefault);  // 'x' with the reset pen
}
