// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/sweepparser.h"
#include "core/sweep/sweepvalue.h"

#include <QSet>
#include <QTest>

#include <cmath>

using og::SweepValue;

namespace {
SweepValue parsed(const char *text)
{
    const auto r = og::parseSweepValue(QString::fromUtf8(text));
    if (r.error)
        qFatal("%s: %s", text, qPrintable(r.error->reason));
    return r.value;
}

QList<double> numbers(const QStringList &values)
{
    QList<double> out;
    for (const QString &v : values) {
        bool ok = false;
        out.append(v.toDouble(&ok));
        if (!ok)
            qFatal("not a number: %s", qPrintable(v));
    }
    return out;
}
} // namespace

class TestSweepValue final : public QObject
{
    Q_OBJECT

private slots:
    void uniformCountAndBounds();
    void uniformReversedBounds();
    void loguniformBoundsAndSpread();
    void randintIntegersInHalfOpenRange();
    void randintCoversEveryValue();
    void randintNegativeAndWide();
    void normalMoments();
    void lognormalIsPositive();
    void choiceDrawsFromList();
    void sameSeedSameValues();
    void differentSeedDifferentValues();
    void axisSeedDependsOnFlagNotPosition();
    void goldenValuesAreStable();
    void listsAndRangesIgnoreSeed();
    void printedAtFullPrecision();
};

void TestSweepValue::uniformCountAndBounds()
{
    const QList<double> v = numbers(parsed("uniform(1e-5, 1e-1, 1000)").values(7));
    QCOMPARE(v.size(), 1000);
    double lo = 1, hi = 0;
    for (double x : v) {
        QVERIFY2(x >= 1e-5 && x < 1e-1, qPrintable(QString::number(x)));
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    // 1000 draws cover the interval: not stuck in a corner.
    QVERIFY(lo < 0.001);
    QVERIFY(hi > 0.099);
}

void TestSweepValue::uniformReversedBounds()
{
    // Grid accepted uniform(1e-3, 1e-5, 1) (numpy does); values lie between the two.
    for (double x : numbers(parsed("uniform(1e-3, 1e-5, 200)").values(1)))
        QVERIFY(x > 1e-5 && x <= 1e-3);
}

void TestSweepValue::loguniformBoundsAndSpread()
{
    const QList<double> v = numbers(parsed("loguniform(1e-6, 1, 2000)").values(3));
    QCOMPARE(v.size(), 2000);
    int belowMillesimal = 0;
    for (double x : v) {
        QVERIFY2(x >= 1e-6 && x < 1, qPrintable(QString::number(x)));
        if (x < 1e-3)
            ++belowMillesimal;
    }
    // Log-uniform: half of the draws fall in the lower three decades (uniform would give 0.1%).
    QVERIFY2(belowMillesimal > 850 && belowMillesimal < 1150,
             qPrintable(QString::number(belowMillesimal)));
}

void TestSweepValue::randintIntegersInHalfOpenRange()
{
    const QStringList v = parsed("randint(0, 10, 500)").values(11);
    QCOMPARE(v.size(), 500);
    for (const QString &s : v) {
        bool ok = false;
        const int n = s.toInt(&ok);
        QVERIFY2(ok, qPrintable(s)); // printed as an int, not "3.0"
        QVERIFY(n >= 0 && n < 10);
    }
}

void TestSweepValue::randintCoversEveryValue()
{
    QSet<QString> seen;
    for (const QString &s : parsed("randint(3, 6, 300)").values(5))
        seen.insert(s);
    QCOMPARE(seen, (QSet<QString>{"3", "4", "5"}));
    QCOMPARE(parsed("randint(7, 8, 4)").values(5), (QStringList{"7", "7", "7", "7"}));
}

void TestSweepValue::randintNegativeAndWide()
{
    for (const QString &s : parsed("randint(-5, -2, 100)").values(2)) {
        const int n = s.toInt();
        QVERIFY(n >= -5 && n < -2);
    }
    // The full qint64 span does not overflow.
    const QStringList wide =
        parsed("randint(-9223372036854775808, 9223372036854775807, 50)").values(2);
    QCOMPARE(wide.size(), 50);
    for (const QString &s : wide) {
        bool ok = false;
        s.toLongLong(&ok);
        QVERIFY(ok);
    }
}

void TestSweepValue::normalMoments()
{
    const QList<double> v = numbers(parsed("normal(5, 2, 20000)").values(9));
    double sum = 0, squares = 0;
    for (double x : v)
        sum += x;
    const double mean = sum / v.size();
    for (double x : v)
        squares += (x - mean) * (x - mean);
    const double stddev = std::sqrt(squares / (v.size() - 1));
    QVERIFY2(std::abs(mean - 5) < 0.06, qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(stddev - 2) < 0.06, qPrintable(QString::number(stddev)));
    // std 0 gives the mean itself.
    QCOMPARE(parsed("normal(3, 0, 2)").values(1), (QStringList{"3.0", "3.0"}));
}

void TestSweepValue::lognormalIsPositive()
{
    const QList<double> v = numbers(parsed("lognormal(0, 0.5, 2000)").values(4));
    int belowOne = 0;
    for (double x : v) {
        QVERIFY(x > 0);
        belowOne += x < 1;
    }
    // The median of lognormal(0, s) is exp(0) = 1.
    QVERIFY2(belowOne > 900 && belowOne < 1100, qPrintable(QString::number(belowOne)));
}

void TestSweepValue::choiceDrawsFromList()
{
    const QStringList v = parsed("choice(['adam', 'sgd', 0.1], 200)").values(6);
    QCOMPARE(v.size(), 200);
    QSet<QString> seen(v.begin(), v.end());
    QCOMPARE(seen, (QSet<QString>{"adam", "sgd", "0.1"}));
}

void TestSweepValue::sameSeedSameValues()
{
    for (const char *text :
         {"uniform(0, 1, 20)", "loguniform(1e-5, 1, 20)", "randint(0, 1000, 20)",
          "normal(0, 1, 20)", "lognormal(0, 1, 20)", "choice([1, 2, 3, 4], 20)"}) {
        const SweepValue v = parsed(text);
        QCOMPARE(v.values(42), v.values(42));
        QCOMPARE(parsed(text).values(42), v.values(42));
    }
}

void TestSweepValue::differentSeedDifferentValues()
{
    for (const char *text :
         {"uniform(0, 1, 20)", "loguniform(1e-5, 1, 20)", "randint(0, 1000, 20)",
          "normal(0, 1, 20)", "lognormal(0, 1, 20)", "choice([1, 2, 3, 4], 20)"}) {
        const SweepValue v = parsed(text);
        QVERIFY2(v.values(1) != v.values(2), text);
    }
}

void TestSweepValue::axisSeedDependsOnFlagNotPosition()
{
    QCOMPARE(og::sweepAxisSeed(0, u"--lr"), og::sweepAxisSeed(0, u"--lr"));
    QVERIFY(og::sweepAxisSeed(0, u"--lr") != og::sweepAxisSeed(1, u"--lr"));
    QVERIFY(og::sweepAxisSeed(0, u"--lr") != og::sweepAxisSeed(0, u"--wd"));
    QVERIFY(og::sweepAxisSeed(0, u"--lr") != og::sweepAxisSeed(0, u"--lr", 1));
}

void TestSweepValue::goldenValuesAreStable()
{
    // The generator and transforms are ours (not the standard library's distributions), so these
    // are the same on every platform and compiler. A change here changes users' sweeps.
    using K = SweepValue::Kind;
    const quint64 seed = og::sweepAxisSeed(0, u"--lr");
    QCOMPARE(seed, Q_UINT64_C(11519106371511304113));
    QCOMPARE(SweepValue::distribution(K::Uniform, 0, 1, 3).values(seed),
             (QStringList{"0.04493979824961447", "0.2978509652517545", "0.1318576324690418"}));
    QCOMPARE(SweepValue::distribution(K::Normal, 0, 1, 3).values(seed),
             (QStringList{"-0.11744715602278531", "-0.0521729413660212", "-0.522748981982256"}));
    QCOMPARE(SweepValue::randint(0, 100, 3).values(seed), (QStringList{"4", "28", "77"}));
}

void TestSweepValue::listsAndRangesIgnoreSeed()
{
    QCOMPARE(parsed("[1, 2]").values(1), parsed("[1, 2]").values(2));
    QCOMPARE(parsed("range(3)").values(1), parsed("range(3)").values(2));
    QVERIFY(!parsed("range(3)").isRandom());
}

void TestSweepValue::printedAtFullPrecision()
{
    for (const QString &s : parsed("uniform(1e-5, 1e-1, 50)").values(8)) {
        // Round-trips exactly, and is the shortest such text (Python's repr).
        const double x = s.toDouble();
        QCOMPARE(QString::number(x, 'g', QLocale::FloatingPointShortest).toDouble(), x);
        QVERIFY(!s.endsWith(u'0') || s.endsWith(QLatin1String(".0")));
    }
}

QTEST_APPLESS_MAIN(TestSweepValue)
#include "test_sweepvalue.moc"
