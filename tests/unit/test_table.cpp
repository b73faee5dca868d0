// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/durations.h"
#include "cli/table.h"

#include <algorithm>
#include <ctime>
#include <limits>
#include <QDateTime>
#include <QTest>
#include <QTimeZone>
#include <unistd.h>

using og::cli::Align;
using og::cli::Table;

namespace {

QStringList linesOf(const QString &rendered)
{
    QStringList lines = rendered.split(u'\n');
    // render() ends with a newline, so the last piece is empty; everything before is a line.
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}

bool hasLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate()) {
            if (i + 1 >= text.size() || !text[i + 1].isLowSurrogate())
                return true;
            ++i;
        } else if (text[i].isLowSurrogate()) {
            return true;
        }
    }
    return false;
}

// The experiment table from Grid's README: wide free-form column, right-aligned numbers.
Table experimentTable()
{
    Table table({QStringLiteral("Experiment"), QStringLiteral("Command"), QStringLiteral("Status"),
                 QStringLiteral("Duration"), QStringLiteral("gpus"),
                 QStringLiteral("learning_rate")});
    for (int column : {1, 3, 4, 5})
        table.setAlignment(column, Align::Right);
    table.addRow({QStringLiteral("gifted-seahorse-83-exp7"),
                  QStringLiteral("/project/lit_image_classifier.py"), QStringLiteral("queued"),
                  QStringLiteral("0d-00:00:21"), QStringLiteral("1"),
                  QStringLiteral("0.07858944673974376")});
    table.addRow({QStringLiteral("gifted-seahorse-83-exp0"),
                  QStringLiteral("/project/lit_image_classifier.py"), QStringLiteral("queued"),
                  QStringLiteral("0d-00:00:21"), QStringLiteral("1"),
                  QStringLiteral("0.06192848686653007")});
    return table;
}

} // namespace

class TestTable : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void rendersGridStatusTable();
    void rightAlignsNumbersAndTheirHeaders();
    void emptyMessageFillsFirstColumn();
    void noRowsAndNoMessageDrawsHeaderOnly();
    void shortRowsArePaddedLongRowsCut();
    void newlinesBecomeSpaces();
    void fitsNaturalWidthUnchanged();
    void shrinksToMaxWidth_data();
    void shrinksToMaxWidth();
    void shrinksWidestColumnFirst();
    void hugeCellShrinksQuickly();
    void absurdWidthsRenderAtMinimums_data();
    void absurdWidthsRenderAtMinimums();
    void noColumnsRendersNothing();
    void neverSplitsSurrogatePairs();
    void combiningMarksTakeNoCell();
    void alignmentOutOfRangeIsIgnored();
    void terminalWidthFromColumns();

    void formatDuration_data();
    void formatDuration();
    void formatBytes_data();
    void formatBytes();
    void formatTimestamp();
};

void TestTable::initTestCase()
{
    // formatTimestamp prints local time; pin the zone so the expectations hold anywhere.
    qputenv("TZ", "UTC");
    ::tzset();
}

void TestTable::rendersGridStatusTable()
{
    Table table({QStringLiteral("Run"), QStringLiteral("Status"), QStringLiteral("Duration")});
    table.setAlignment(2, Align::Right);
    table.addRow({QStringLiteral("lurking-seahorse-950"), QStringLiteral("queued"),
                  QStringLiteral("0d-00:02:12")});

    const QString expected = QStringLiteral("┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━┓\n"
                                            "┃ Run                  ┃ Status ┃    Duration ┃\n"
                                            "┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━┩\n"
                                            "│ lurking-seahorse-950 │ queued │ 0d-00:02:12 │\n"
                                            "└──────────────────────┴────────┴─────────────┘\n");
    QCOMPARE(table.render(120), expected);
    QCOMPARE(table.rowCount(), 1);
    QCOMPARE(table.columnCount(), 3);
}

void TestTable::rightAlignsNumbersAndTheirHeaders()
{
    // The README's output minus its "..." row. Grid's learning_rate column was one cell wider
    // than its widest value (presumably from the elided rows); ours fits the rows we have.
    // The lines stay whole so they can be compared with the README by eye.
    // clang-format off
    const QString expected = QStringLiteral(
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ Experiment              ┃                          Command ┃ Status ┃    Duration ┃ gpus ┃       learning_rate ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ gifted-seahorse-83-exp7 │ /project/lit_image_classifier.py │ queued │ 0d-00:00:21 │    1 │ 0.07858944673974376 │\n"
        "│ gifted-seahorse-83-exp0 │ /project/lit_image_classifier.py │ queued │ 0d-00:00:21 │    1 │ 0.06192848686653007 │\n"
        "└─────────────────────────┴──────────────────────────────────┴────────┴─────────────┴──────┴─────────────────────┘\n");
    // clang-format on
    QCOMPARE(experimentTable().render(200), expected);
}

void TestTable::emptyMessageFillsFirstColumn()
{
    Table table({QStringLiteral("Run"), QStringLiteral("Status"), QStringLiteral("Duration")});
    table.setAlignment(2, Align::Right);
    table.setEmptyMessage(QStringLiteral("None Active."));

    const QString expected = QStringLiteral("┏━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┓\n"
                                            "┃ Run          ┃ Status ┃ Duration ┃\n"
                                            "┡━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━┩\n"
                                            "│ None Active. │        │          │\n"
                                            "└──────────────┴────────┴──────────┘\n");
    QCOMPARE(table.render(120), expected);
    QCOMPARE(table.rowCount(), 0);

    // Once there is a row the message is gone.
    table.addRow({QStringLiteral("a"), QStringLiteral("queued"), QStringLiteral("0d-00:00:01")});
    QVERIFY(!table.render(120).contains(QStringLiteral("None Active.")));
}

void TestTable::noRowsAndNoMessageDrawsHeaderOnly()
{
    Table table({QStringLiteral("Name")});
    QCOMPARE(table.render(80), QStringLiteral("┏━━━━━━┓\n"
                                              "┃ Name ┃\n"
                                              "┡━━━━━━┩\n"
                                              "└──────┘\n"));
}

void TestTable::shortRowsArePaddedLongRowsCut()
{
    Table table({QStringLiteral("A"), QStringLiteral("B")});
    table.addRow({QStringLiteral("x")});
    table.addRow({QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("dropped")});
    const QString out = table.render(80);
    QVERIFY(out.contains(QStringLiteral("│ x │   │\n")));
    QVERIFY(out.contains(QStringLiteral("│ 1 │ 2 │\n")));
    QVERIFY(!out.contains(QStringLiteral("dropped")));
}

void TestTable::newlinesBecomeSpaces()
{
    Table table({QStringLiteral("Message")});
    table.addRow({QStringLiteral("line one\nline two\r\nthree\tfour")});
    const QStringList lines = linesOf(table.render(120));
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[3], QStringLiteral("│ line one line two three four │"));
}

void TestTable::fitsNaturalWidthUnchanged()
{
    const Table table = experimentTable();
    const QString natural = table.render(10000);
    const int width = og::cli::displayWidth(linesOf(natural).first());
    QCOMPARE(width, 114);
    // Exactly enough room changes nothing; one cell less starts cutting.
    QCOMPARE(table.render(width), natural);
    QVERIFY(table.render(width - 1) != natural);
    QVERIFY(table.render(width - 1).contains(QStringLiteral("…")));
}

void TestTable::shrinksToMaxWidth_data()
{
    QTest::addColumn<int>("maxWidth");
    for (int width : {113, 100, 80, 72, 67})
        QTest::addRow("%d", width) << width;
}

void TestTable::shrinksToMaxWidth()
{
    QFETCH(int, maxWidth);
    const QString out = experimentTable().render(maxWidth);
    QVERIFY(out.endsWith(u'\n'));
    QVERIFY(out.contains(QStringLiteral("…")));
    const QStringList lines = linesOf(out);
    QCOMPARE(lines.size(), 6);
    for (const QString &line : lines) {
        // Shrinking takes exactly what is needed, so every line is as wide as allowed.
        QCOMPARE(og::cli::displayWidth(line), maxWidth);
    }
    // Headers survive: the minimum is never below the header.
    for (const char *header : {"Experiment", "Command", "Status", "Duration", "gpus"})
        QVERIFY2(lines[1].contains(QLatin1String(header)), header);
}

void TestTable::shrinksWidestColumnFirst()
{
    // Natural width 114; losing 3 cells comes out of the 32-cell Command column alone.
    const QStringList lines = linesOf(experimentTable().render(111));
    QCOMPARE(lines[3], QStringLiteral("│ gifted-seahorse-83-exp7 │ /project/lit_image_classifie… │ "
                                      "queued │ 0d-00:00:21 │    1 │ 0.07858944673974376 │"));

    // Two equally wide columns share the loss; the odd cell stays with the left one.
    Table table({QStringLiteral("A"), QStringLiteral("B")});
    table.addRow({QString(20, u'a'), QString(20, u'b')});
    const QStringList tied = linesOf(table.render(7 + 29));
    QCOMPARE(tied[3], QStringLiteral("│ aaaaaaaaaaaaaa… │ bbbbbbbbbbbbb… │"));
}

void TestTable::hugeCellShrinksQuickly()
{
    Table table({QStringLiteral("Log")});
    table.addRow({QString(5'000'000, u'x')});
    const QStringList lines = linesOf(table.render(40));
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[3], QStringLiteral("│ ") + QString(35, u'x') + QStringLiteral("… │"));
}

void TestTable::absurdWidthsRenderAtMinimums_data()
{
    QTest::addColumn<int>("maxWidth");
    for (int width : {-100, -1, 0, 1, 5, 20})
        QTest::addRow("%d", width) << width;
}

void TestTable::absurdWidthsRenderAtMinimums()
{
    QFETCH(int, maxWidth);
    const QStringList lines = linesOf(experimentTable().render(maxWidth));
    QCOMPARE(lines.size(), 6);
    // At the minimums: Experiment 10, Command 7, Status 6, Duration 8, gpus 4 (all it needs),
    // learning_rate 13, plus 19 cells of frame.
    for (const QString &line : lines)
        QCOMPARE(og::cli::displayWidth(line), 67);
    QCOMPARE(lines[1], QStringLiteral("┃ Experiment ┃ Command ┃ Status ┃ Duration ┃ gpus ┃ "
                                      "learning_rate ┃"));
    QCOMPARE(lines[3], QStringLiteral("│ gifted-se… │ /proje… │ queued │ 0d-00:0… │    1 │ "
                                      "0.0785894467… │"));

    // A column that is narrower than the minimum by nature keeps its natural width.
    Table narrow({QStringLiteral("#")});
    narrow.addRow({QStringLiteral("7")});
    QCOMPARE(narrow.render(maxWidth), QStringLiteral("┏━━━┓\n┃ # ┃\n┡━━━┩\n│ 7 │\n└───┘\n"));
}

void TestTable::noColumnsRendersNothing()
{
    Table table({});
    table.addRow({QStringLiteral("ignored")});
    table.setAlignment(0, Align::Right);
    table.setEmptyMessage(QStringLiteral("None Active."));
    QCOMPARE(table.render(80), QString());
    QCOMPARE(table.render(0), QString());
}

void TestTable::neverSplitsSurrogatePairs()
{
    const QString emoji = QString::fromUcs4(U"\U0001F680"); // one code point, two QChars
    QCOMPARE(emoji.size(), 2);
    QCOMPARE(og::cli::displayWidth(emoji), 1);

    Table table({QStringLiteral("Icons")});
    table.addRow({emoji.repeated(30)});
    for (int width = 0; width < 40; ++width) {
        const QString out = table.render(width);
        QVERIFY2(!hasLoneSurrogate(out), qPrintable(QString::number(width)));
        for (const QString &line : linesOf(out))
            QCOMPARE(og::cli::displayWidth(line), std::clamp(width, 4 + 6, 4 + 30));
    }
    QCOMPARE(linesOf(table.render(15))[3],
             QStringLiteral("│ ") + emoji.repeated(10) + QStringLiteral("… │"));
}

void TestTable::combiningMarksTakeNoCell()
{
    // "e" + COMBINING ACUTE ACCENT is one cell; a zero-width joiner is none.
    const QString accented = QStringLiteral("caf") + QChar(u'e') + QChar(u'\u0301');
    QCOMPARE(og::cli::displayWidth(accented), 4);
    QCOMPARE(og::cli::displayWidth(QStringView(u"a\u200Db")), 2);

    Table table({QStringLiteral("Name")});
    table.addRow({accented});
    QCOMPARE(linesOf(table.render(80))[3], QStringLiteral("│ ") + accented + QStringLiteral(" │"));

    // When cutting, the accent stays with its letter.
    Table cut({QStringLiteral("Name")});
    cut.addRow({accented.repeated(4)});
    QCOMPARE(linesOf(cut.render(10))[3], QStringLiteral("│ ") + accented + QStringLiteral("c… │"));
    QCOMPARE(linesOf(cut.render(11))[3], QStringLiteral("│ ") + accented + QStringLiteral("ca… │"));
    Table accentLast({QStringLiteral("Name")});
    accentLast.addRow({QStringLiteral("abcde") + QChar(u'\u0301') + QStringLiteral("fgh")});
    QCOMPARE(linesOf(accentLast.render(10))[3],
             QStringLiteral("│ abcde") + QChar(u'\u0301') + QStringLiteral("… │"));
}

void TestTable::alignmentOutOfRangeIsIgnored()
{
    Table table({QStringLiteral("Name")});
    table.setAlignment(-1, Align::Right);
    table.setAlignment(1, Align::Right);
    table.setAlignment(0, Table::Align::Right);
    table.addRow({QStringLiteral("x")});
    QCOMPARE(linesOf(table.render(80))[3], QStringLiteral("│    x │"));
}

void TestTable::terminalWidthFromColumns()
{
    if (::isatty(STDOUT_FILENO))
        QSKIP("stdout is a terminal; its size wins over $COLUMNS");
    const QByteArray saved = qgetenv("COLUMNS");
    const bool hadColumns = qEnvironmentVariableIsSet("COLUMNS");

    qputenv("COLUMNS", "77");
    QCOMPARE(og::cli::terminalWidth(), 77);
    for (const char *garbage : {"", "abc", "0", "-5", "99999999"}) {
        qputenv("COLUMNS", garbage);
        QVERIFY2(og::cli::terminalWidth() == 120, garbage);
    }
    qunsetenv("COLUMNS");
    QCOMPARE(og::cli::terminalWidth(), 120);

    if (hadColumns)
        qputenv("COLUMNS", saved);
}

void TestTable::formatDuration_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0d-00:00:00");
    QTest::newRow("readme") << qint64(21) << QStringLiteral("0d-00:00:21");
    QTest::newRow("minutes") << qint64(132) << QStringLiteral("0d-00:02:12");
    QTest::newRow("hours") << qint64(4 * 3600 + 5 * 60 + 23) << QStringLiteral("0d-04:05:23");
    QTest::newRow("day minus one") << qint64(86399) << QStringLiteral("0d-23:59:59");
    QTest::newRow("one day") << qint64(86400) << QStringLiteral("1d-00:00:00");
    QTest::newRow("session") << qint64(3 * 86400 + 5 * 3600 + 52 * 60 + 41)
                             << QStringLiteral("3d-05:52:41");
    QTest::newRow("many days") << qint64(400 * 86400 + 7) << QStringLiteral("400d-00:00:07");
    QTest::newRow("negative") << qint64(-5) << QStringLiteral("0d-00:00:00");
    QTest::newRow("min") << std::numeric_limits<qint64>::min() << QStringLiteral("0d-00:00:00");
}

void TestTable::formatDuration()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, expected);
    QCOMPARE(og::cli::formatDuration(seconds), expected);
}

void TestTable::formatBytes_data()
{
    constexpr qint64 KiB = 1024;
    constexpr qint64 MiB = KiB * 1024;
    constexpr qint64 GiB = MiB * 1024;
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0 B");
    QTest::newRow("bytes") << qint64(512) << QStringLiteral("512 B");
    QTest::newRow("just below KiB") << qint64(1023) << QStringLiteral("1023 B");
    QTest::newRow("one KiB") << KiB << QStringLiteral("1 KiB");
    QTest::newRow("one and a half") << qint64(1536) << QStringLiteral("1.5 KiB");
    QTest::newRow("exact GiB") << 16 * GiB << QStringLiteral("16 GiB");
    QTest::newRow("fraction GiB") << qint64(23.4 * GiB) << QStringLiteral("23.4 GiB");
    QTest::newRow("rounds to .0") << qint64(16.02 * GiB) << QStringLiteral("16 GiB");
    QTest::newRow("99.96 rounds up") << qint64(99.96 * MiB) << QStringLiteral("100 MiB");
    QTest::newRow("hundreds are whole") << qint64(150.4 * MiB) << QStringLiteral("150 MiB");
    QTest::newRow("datastore") << 512000 * MiB << QStringLiteral("500 GiB");
    QTest::newRow("promotes") << MiB - 1 << QStringLiteral("1 MiB");
    QTest::newRow("1023 KiB") << 1023 * KiB << QStringLiteral("1023 KiB");
    QTest::newRow("TiB") << qint64(2.5 * 1024 * GiB) << QStringLiteral("2.5 TiB");
    QTest::newRow("max") << std::numeric_limits<qint64>::max() << QStringLiteral("8 EiB");
    QTest::newRow("negative") << qint64(-1536) << QStringLiteral("-1.5 KiB");
    QTest::newRow("negative bytes") << qint64(-5) << QStringLiteral("-5 B");
    QTest::newRow("min") << std::numeric_limits<qint64>::min() << QStringLiteral("-8 EiB");
}

void TestTable::formatBytes()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, expected);
    QCOMPARE(og::cli::formatBytes(bytes), expected);
}

void TestTable::formatTimestamp()
{
    const QDateTime utc(QDate(2022, 4, 4), QTime(20, 1, 59), QTimeZone::utc());
    QCOMPARE(og::cli::formatTimestamp(utc), QStringLiteral("2022-04-04 20:01"));
    QCOMPARE(og::cli::formatTimestamp(QDateTime()), QStringLiteral("-"));

    // Any input zone is shown in local time.
    const QDateTime offset(QDate(2022, 4, 7), QTime(4, 12), QTimeZone(7200));
    QCOMPARE(og::cli::formatTimestamp(offset), QStringLiteral("2022-04-07 02:12"));

    // A POSIX TZ needs no zoneinfo files: UTC+05:30, no daylight saving.
    const QByteArray savedTz = qgetenv("TZ");
    qputenv("TZ", "IST-5:30");
    ::tzset();
    QCOMPARE(og::cli::formatTimestamp(utc), QStringLiteral("2022-04-05 01:31"));
    qputenv("TZ", savedTz);
    ::tzset();
}

QTEST_APPLESS_MAIN(TestTable)
#include "test_table.moc"
