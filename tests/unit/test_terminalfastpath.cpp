// SPDX-License-Identifier: GPL-3.0-or-later
// The screen model's fast path for printable ASCII must leave exactly what libvterm's
// per-glyph path leaves: every input here goes into two screens, one with the fast path and
// one without, in several splittings into reads, and every cell, wrap flag, scrollback line
// and the cursor must agree.
#include "core/terminal/terminalscreen.h"

#include <QRandomGenerator>
#include <QTest>

using og::TerminalScreen;

namespace {

// The first difference between two screens, or an empty string.
QString difference(const TerminalScreen &a, const TerminalScreen &b)
{
    if (a.rows() != b.rows() || a.columns() != b.columns())
        return QStringLiteral("size");
    if (a.cursor() != b.cursor())
        return QStringLiteral("cursor (%1,%2) vs (%3,%4)")
            .arg(a.cursor().x()).arg(a.cursor().y()).arg(b.cursor().x()).arg(b.cursor().y());
    if (a.historyLineCount() != b.historyLineCount())
        return QStringLiteral("scrollback %1 vs %2 lines").arg(a.historyLineCount()).arg(b.historyLineCount());
    if (a.isAltScreen() != b.isAltScreen() || a.title() != b.title())
        return QStringLiteral("alternate screen or title");
    for (int row = -a.historyLineCount(); row < a.rows(); ++row) {
        if (a.isLineWrapped(row) != b.isLineWrapped(row))
            return QStringLiteral("wrap flag of row %1: fast %2, slow %3\n fast: %4\n slow: %5")
                .arg(row).arg(a.isLineWrapped(row)).arg(b.isLineWrapped(row)).arg(a.lineText(row), b.lineText(row));
        for (int column = 0; column < a.columns(); ++column)
            if (!(a.cell(row, column) == b.cell(row, column)))
                return QStringLiteral("cell (%1,%2): '%3' vs '%4'\n fast: %5\n slow: %6")
                    .arg(row).arg(column)
                    .arg(a.cell(row, column).text(), b.cell(row, column).text(),
                         a.lineText(row), b.lineText(row));
    }
    return {};
}

// Feeds `input` cut at `cuts` (offsets) into a fast and a slow screen; returns the difference
// and how many cells the fast path wrote.
QString compare(const QByteArray &input, const QList<qsizetype> &cuts, int rows, int columns,
                qint64 *fastCells = nullptr)
{
    TerminalScreen fast(rows, columns, nullptr, 200);
    TerminalScreen slow(rows, columns, nullptr, 200);
    slow.setFastPathEnabled(false);
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        slow.feed(input.constData() + from, cut - from);
        fast.feed(input.constData() + from, cut - from);
        from = cut;
    }
    fast.feed(input.constData() + from, input.size() - from);
    slow.feed(input.constData() + from, input.size() - from);
    if (fastCells)
        *fastCells = fast.fastPathCells();
    QString diff = difference(fast, slow);
    if (diff.isEmpty() && slow.fastPathCells() != 0)
        diff = QStringLiteral("the slow screen took the fast path");
    return diff;
}

// Whole, cut at every offset (short inputs), and in random reads.
QString compareSplittings(const QByteArray &input, int rows, int columns, qint64 *fastCells)
{
    QString diff = compare(input, {}, rows, columns, fastCells);
    if (!diff.isEmpty())
        return QStringLiteral("whole: ") + diff;
    if (input.size() <= 400) {
        for (qsizetype cut = 1; cut < input.size(); ++cut) {
            diff = compare(input, {cut}, rows, columns);
            if (!diff.isEmpty())
                return QStringLiteral("cut at %1: ").arg(cut) + diff;
        }
    }
    QRandomGenerator random(42);
    for (int round = 0; round < 20; ++round) {
        QList<qsizetype> cuts;
        for (qsizetype at = random.bounded(1, 40); at < input.size(); at += random.bounded(1, 120))
            cuts.append(at);
        diff = compare(input, cuts, rows, columns);
        if (!diff.isEmpty())
            return QStringLiteral("random reads, round %1: ").arg(round) + diff;
    }
    return {};
}

QByteArray repeatText(int count, char first = 'a')
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += char('a' + (first - 'a' + i) % 26);
    return out;
}

} // namespace

class TestTerminalFastPath final : public QObject
{
    Q_OBJECT

private slots:
    void sameAsLibvterm_data();
    void sameAsLibvterm();
    void randomStreamsSameAsLibvterm();
    void givenStreamSameAsLibvterm();
};

void TestTerminalFastPath::sameAsLibvterm_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("fastExpected"); // the fast path must have written cells

    const QByteArray line80 = repeatText(80);
    QTest::newRow("lines of text, crlf") << QByteArray("hello world, this is text\r\n").repeated(40) << true;
    QTest::newRow("wrap at the right margin") << (repeatText(250) + "\r\n" + repeatText(170)) << true;
    QTest::newRow("deferred wrap then crlf") << (line80 + "\r\n" + line80 + "\r\nnext line here") << true;
    QTest::newRow("deferred wrap then text") << (line80 + "continues on the next row") << true;
    QTest::newRow("deferred wrap then cr, erase") << (line80 + "\rover the start" + line80 + "\x1b[Kend") << true;
    QTest::newRow("deferred wrap across the bottom") << (QByteArray("\x1b[24;1H") + line80 + line80 + line80) << true;
    QTest::newRow("scroll region")
        << (QByteArray("\x1b[5;10r\x1b[10;1H") + QByteArray("scrolling inside the region only\r\n").repeated(12)
            + repeatText(200) + "\x1b[r\x1b[24;1Hdone with the region")
        << true;
    QTest::newRow("colours set before the run")
        << QByteArray("\x1b[1;31mred bold text run\x1b[0m plain text again \x1b[38;5;214m256 colour run here"
                      "\x1b[38;2;1;2;3m\x1b[48;2;9;8;7mtrue colour on a background\x1b[K\r\n\x1b[44mblue back\x1b[2K"
                      "\x1b[7mreverse video text\x1b[m")
        << true;
    QTest::newRow("utf-8 around runs")
        << QByteArray("abcdefghij\xc3\xa9klmnopqrstuv \xe4\xb8\xad\xe6\x96\x87 wxyzabcdefgh \xf0\x9f\x98\x80 end of it")
        << true;
    QTest::newRow("combining mark after a run") << QByteArray("abcdefghijkle\xcc\x81 and more text after it") << true;
    QTest::newRow("combining mark at the last column")
        << (repeatText(79) + "e\xcc\x81" + "next row text goes here") << true;
    QTest::newRow("run ending mid-escape")
        << QByteArray("abcdefghijkl\x1b[31mmnopqrstuvwx\x1b[3") + QByteArray("2myzabcdefghijk\x1b") + QByteArray("[0mlmnopqrstuv")
        << true;
    QTest::newRow("text inside an OSC title")
        << QByteArray("before the title \x1b]0;a long title made of plain ascii text\x07" "after the title text"
                      "\x1b]2;another title ending in ST\x1b\\and text after that")
        << true;
    QTest::newRow("text inside a DCS and CSI with intermediates")
        << QByteArray("\x1bP$qm\x1b\\some text after dcs \x1b[2 qcursor shape set, text after \x1b[?25lhidden cursor text")
        << true;
    QTest::newRow("wide characters overwritten by a run")
        << (QByteArray("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\rabcdefghi")
            + QByteArray("\r\n\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\x1b[2;2Habcdefghijk"))
        << true;
    QTest::newRow("insert mode") << QByteArray("0123456789abcdefghij\r\x1b[4hINSERTED TEXT HERE\x1b[4l overwrite again text") << true;
    QTest::newRow("insert mode among other modes") << QByteArray("0123456789abcdefghij\r\x1b[20;4hINSERTED TEXT HERE\x1b[4;20l done") << true;
    QTest::newRow("DEC graphics") << QByteArray("\x1b(0lqqqqqqqqqqqqqqk\x1b(B plain again text here \x1b)0\x0elqqqqqqqqqk\x0f ascii again") << true;
    QTest::newRow("locking shifts LS2/LS3") << QByteArray("\x1b*0\x1bnqqqqqqqqqqqq\x1b+A\x1bo###########\x0fplain text once more") << true;
    QTest::newRow("single shift") << QByteArray("\x1b*0\x1bNqqqqqqqqqqqqqqqq and more text\r\nplain text once the shift is used") << true;
    QTest::newRow("UK set") << QByteArray("\x1b(A#############\x1b(B#############") << true;
    QTest::newRow("autowrap off") << (QByteArray("\x1b[?7l") + repeatText(200) + "\r\n" + repeatText(90) + "\x1b[?7h" + repeatText(100)) << true;
    QTest::newRow("origin mode")
        << (QByteArray("\x1b[3;8r\x1b[?6h\x1b[2;5Hinside the region text\x1b[?6l\x1b[1;1Htop row text here")
            + QByteArray("\x1b[20;70H\x1b""7\x1b[?6h\x1b""8abcdefghijklmnopqrstuvwxyz\x1b[r"))
        << true;
    QTest::newRow("left/right margin mode") << QByteArray("\x1b[?69h\x1b[5;20sabcdefghijklmnopqrstuvwxyz0123456789\x1b[?69labcdefghijkl") << true;
    QTest::newRow("tabs and backspaces") << QByteArray("abcdefgh\tijklmnop\bqrstuvwx\tyz0123456789\x08\x08\x08overwritten text") << true;
    QTest::newRow("double-width line") << QByteArray("\x1b#6abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n\x1b#5back to single width text") << true;
    QTest::newRow("alternate screen")
        << QByteArray("primary screen text line\r\n\x1b[?1049h\x1b[Halternate screen text here\x1b[10;3Hmore text on alt\x1b[?1049lback on primary text")
        << true;
    QTest::newRow("reset") << QByteArray("\x1b[4h\x1b(0qqqqqqqqq\x1b""cplain after a full reset text") << true;
    QTest::newRow("cancelled sequences") << QByteArray("\x1b[31\x18plain text after CAN here \x1b]0;title\x1a""after SUB more text") << true;
    QTest::newRow("control inside a sequence") << QByteArray("\x1b[3\r1mred text after a CR inside CSI\x1b]0;ti\x0etle\x07shifted out text here\x0f plain") << true;
    QTest::newRow("pending wrap then cursor move") << (line80 + "\x1b[5Gmiddle of the row text") << true;
    QTest::newRow("runs of exactly the thresholds") << QByteArray("1234567\r\n12345678\r\n123456789\r\n") + repeatText(73) + "1234567" << true;
}

void TestTerminalFastPath::sameAsLibvterm()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, fastExpected);
    for (const QSize size : {QSize(80, 24), QSize(20, 5)}) {
        qint64 fastCells = 0;
        const QString diff = compareSplittings(input, size.height(), size.width(), &fastCells);
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("%1x%2: ").arg(size.width()).arg(size.height()) + diff));
        if (fastExpected && size.width() == 80)
            QVERIFY2(fastCells > 0, "the fast path was not taken");
    }
}

// Streams made of pieces a remote sends, in random order and random reads.
void TestTerminalFastPath::randomStreamsSameAsLibvterm()
{
    const QList<QByteArray> pieces = {
        "\r\n", "\r", "\n", "\t", "\b", "\x1b[K", "\x1b[2J", "\x1b[H", "\x1b[31m", "\x1b[0m", "\x1b[1;44m",
        "\x1b[38;5;100m", "\x1b[38;2;10;20;30m", "\x1b[4h", "\x1b[4l", "\x1b(0", "\x1b(B", "\x0e", "\x0f",
        "\x1b)0", "\x1bN", "\x1b[?7l", "\x1b[?7h", "\x1b[?6h", "\x1b[?6l", "\x1b[3;7r", "\x1b[r", "\x1b""7",
        "\x1b""8", "\x1b[5;9H", "\x1b[12G", "\x1b[3C", "\x1b[2D", "\x1b[A", "\x1b[L", "\x1b[M", "\x1b[P",
        "\x1b[@", "\x1b[S", "\x1b[T", "\x1bM", "\x1b[?1049h", "\x1b[?1049l", "\x1b]0;title text\x07",
        "\x1b#6", "\x1b#5", "\xc3\xa9", "\xe4\xb8\xad", "\xcc\x81", "\xf0\x9f\x98\x80", "\x1b[?69h",
        "\x1b[?69l", "\x1b[20h", "\x1b[20l", "\x1b""c", "\x1b[", "\x1b", "\xc3",
        // Malformed UTF-8: stray continuations, cut sequences, bytes UTF-8 never uses, DEL.
        "\x80", "\xa9", "\xe4\xb8", "\xff", "\x7f", "\x1b(B", "\x1b*B", "\xcc\x81\xcc\x81",
        // REP, also after a lone combining mark and after DECALN (0.1.4 would spin there).
        "\x1b[b", "\x1b[3b", "\x1b#8", "\x1b[2;3b",
    };
    // More streams and another seed for a longer hunt: OG_FASTPATH_STREAMS, OG_FASTPATH_SEED.
    QRandomGenerator random(quint32(qEnvironmentVariableIntValue("OG_FASTPATH_SEED")) + 7);
    const int streams = std::max(300, qEnvironmentVariableIntValue("OG_FASTPATH_STREAMS"));
    qint64 totalFast = 0;
    for (int stream = 0; stream < streams; ++stream) {
        QByteArray input;
        const int parts = random.bounded(5, 60);
        for (int i = 0; i < parts; ++i) {
            QByteArray piece = random.bounded(2) == 0
                                   ? repeatText(random.bounded(1, 120), char('a' + random.bounded(26)))
                                   : pieces.at(random.bounded(pieces.size()));
            input += piece;
        }
        const QSize size = random.bounded(2) ? QSize(80, 24) : QSize(17, 6);
        QList<qsizetype> cuts;
        for (qsizetype at = random.bounded(1, 50); at < input.size(); at += random.bounded(1, 90))
            cuts.append(at);
        if (random.bounded(3) == 0)
            cuts.clear();
        qint64 fastCells = 0;
        const QString diff = compare(input, cuts, size.height(), size.width(), &fastCells);
        QStringList cutList;
        for (qsizetype cut : cuts)
            cutList.append(QString::number(cut));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("stream %1 (%2x%3): %4\ninput: %5\ncuts: %6")
                                                .arg(stream).arg(size.width()).arg(size.height())
                                                .arg(diff, QString::fromLatin1(input.toPercentEncoding()),
                                                     cutList.join(u','))));
        totalFast += fastCells;
    }
    QVERIFY(totalFast > 0);
}

// Replays a stream the random test printed (percent-encoded in OG_FASTPATH_INPUT), whole and
// cut at every offset, to narrow a failure down.
void TestTerminalFastPath::givenStreamSameAsLibvterm()
{
    const QByteArray input = QByteArray::fromPercentEncoding(qgetenv("OG_FASTPATH_INPUT"));
    if (input.isEmpty())
        QSKIP("no OG_FASTPATH_INPUT");
    QList<qsizetype> givenCuts;
    for (const QByteArray &cut : qgetenv("OG_FASTPATH_CUTS").split(','))
        if (!cut.isEmpty())
            givenCuts.append(cut.toLongLong());
    for (const QSize size : {QSize(80, 24), QSize(17, 6)}) {
        QString diff = compare(input, givenCuts, size.height(), size.width());
        if (!givenCuts.isEmpty()) {
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("%1x%2 at the given cuts: ").arg(size.width()).arg(size.height()) + diff));
            continue;
        }
        for (qsizetype cut = 1; diff.isEmpty() && cut < input.size(); ++cut) {
            diff = compare(input, {cut}, size.height(), size.width());
            if (!diff.isEmpty())
                diff = QStringLiteral("cut at %1: ").arg(cut) + diff;
        }
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("%1x%2: ").arg(size.width()).arg(size.height()) + diff));
    }
}

QTEST_GUILESS_MAIN(TestTerminalFastPath)
#include "test_terminalfastpath.moc"
