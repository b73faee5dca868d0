// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/sweepexpander.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <limits>

using og::expandSweep;
using og::SweepStrategy;

namespace {
QStringList paramValues(const og::ExperimentSpec &e)
{
    QStringList out;
    for (const auto &p : e.params)
        out << p.second;
    return out;
}

// The spec's tutorial command, after the script path.
const QStringList kTutorialArgs{"--backbone",      "['resnet50', 'resnet34', 'resnet18']",
                                "--learning_rate", "uniform(1e-5, 1e-1, 5)",
                                "--data_dir",      "/cifar5",
                                "--gpus",          "2"};
} // namespace

class TestSweepExpander final : public QObject
{
    Q_OBJECT

private slots:
    void strategyNames();
    void tutorialSweepMakes15Experiments();
    void distributionSampledOnceAndCrossed();
    void sameSeedSameExperiments();
    void differentSeedDifferentSamples();
    void unrelatedFlagDoesNotChangeSamples();
    void rangeAxis();
    void threeAxesOrder();
    void noAxesIsOneExperiment();
    void fixedValuesVerbatim();
    void togglesAndPositionalsPassThrough();
    void attachedFormKeepsItsShape();
    void stringsWithSpacesAndQuotes();
    void argumentsAfterSeparatorAreNotSwept();
    void syntaxErrorNamesFlagAndCharacter_data();
    void syntaxErrorNamesFlagAndCharacter();
    void randomSearchNeedsTrials();
    void randomSearchCountAndDeterminism();
    void randomSearchMoreTrialsThanGridGivesAll();
    void randomSearchOverHugeGrid();
    void capOnExperiments();
    void capAppliesToRandomTrials();
    void capOnOverflowingGrid();
    void noneIsVerbatim();
    void thousandExperimentsAreFast();
};

void TestSweepExpander::strategyNames()
{
    QCOMPARE(og::sweepStrategyFromString(u"grid_search"), SweepStrategy::GridSearch);
    QCOMPARE(og::sweepStrategyFromString(u"random_search"), SweepStrategy::RandomSearch);
    QCOMPARE(og::sweepStrategyFromString(u"none"), SweepStrategy::None);
    QVERIFY(!og::sweepStrategyFromString(u"bayes"));
    QCOMPARE(og::sweepStrategyName(SweepStrategy::RandomSearch), QStringLiteral("random_search"));
}

void TestSweepExpander::tutorialSweepMakes15Experiments()
{
    const auto r = expandSweep(kTutorialArgs, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.experiments.size(), 15);
    QCOMPARE(r.sweptFlags, (QStringList{"backbone", "learning_rate"}));

    const QStringList backbones{"resnet50", "resnet34", "resnet18"};
    QStringList rates;
    for (int i = 0; i < 5; ++i)
        rates << r.experiments.at(i).params.at(1).second;
    QCOMPARE(QSet<QString>(rates.begin(), rates.end()).size(), 5);

    for (int i = 0; i < 15; ++i) {
        const og::ExperimentSpec &e = r.experiments.at(i);
        QCOMPARE(e.index, i);
        // First flag varies slowest (itertools.product).
        const QString backbone = backbones.at(i / 5);
        const QString rate = rates.at(i % 5);
        QCOMPARE(e.params.size(), 2);
        QCOMPARE(e.params.at(0), qMakePair(QStringLiteral("backbone"), backbone));
        QCOMPARE(e.params.at(1), qMakePair(QStringLiteral("learning_rate"), rate));
        QCOMPARE(e.args, (QStringList{"--backbone", backbone, "--learning_rate", rate, "--data_dir",
                                      "/cifar5", "--gpus", "2"}));
        const double lr = rate.toDouble();
        QVERIFY(lr >= 1e-5 && lr < 1e-1);
    }
}

void TestSweepExpander::distributionSampledOnceAndCrossed()
{
    // grid-reference §5: both experiments share the one sampled learning rate.
    const auto r =
        expandSweep({"--max_epochs", "[10, 20]", "--learning_rate", "uniform(1e-3, 1e-5, 1)"},
                    SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.experiments.size(), 2);
    QCOMPARE(r.experiments.at(0).params.at(0).second, QStringLiteral("10"));
    QCOMPARE(r.experiments.at(1).params.at(0).second, QStringLiteral("20"));
    QCOMPARE(r.experiments.at(0).params.at(1).second, r.experiments.at(1).params.at(1).second);
}

void TestSweepExpander::sameSeedSameExperiments()
{
    const QStringList args{"--a", "uniform(0, 1, 3)", "--b", "normal(0, 1, 2)",
                           "--c", "randint(0, 99, 2)"};
    const auto one = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 123, 1000);
    const auto two = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 123, 1000);
    QCOMPARE(one.experiments.size(), 12);
    for (int i = 0; i < 12; ++i)
        QCOMPARE(one.experiments.at(i).args, two.experiments.at(i).args);
}

void TestSweepExpander::differentSeedDifferentSamples()
{
    const QStringList args{"--lr", "uniform(0, 1, 3)"};
    const auto one = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 1, 1000);
    const auto two = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 2, 1000);
    QVERIFY(one.experiments.at(0).args != two.experiments.at(0).args);
}

void TestSweepExpander::unrelatedFlagDoesNotChangeSamples()
{
    const auto before =
        expandSweep({"--lr", "uniform(0, 1, 3)"}, SweepStrategy::GridSearch, std::nullopt, 5, 1000);
    const auto after = expandSweep({"--layers", "[2, 4]", "--lr=uniform(0, 1, 3)", "--fast"},
                                   SweepStrategy::GridSearch, std::nullopt, 5, 1000);
    QCOMPARE(after.experiments.size(), 6);
    QStringList a, b;
    for (const auto &e : before.experiments)
        a << e.params.at(0).second;
    for (int i = 0; i < 3; ++i)
        b << after.experiments.at(i).params.at(1).second;
    QCOMPARE(a, b);
}

void TestSweepExpander::rangeAxis()
{
    const auto r = expandSweep({"--max_epochs", "range(1, 10, 2)"}, SweepStrategy::GridSearch,
                               std::nullopt, 0, 1000);
    QVERIFY(r.ok());
    QStringList values;
    for (const auto &e : r.experiments)
        values << paramValues(e);
    QCOMPARE(values, (QStringList{"1", "3", "5", "7", "9"}));
    QCOMPARE(r.experiments.at(2).args, (QStringList{"--max_epochs", "5"}));
}

void TestSweepExpander::threeAxesOrder()
{
    const auto r = expandSweep({"--a", "[1, 2]", "--b", "['x', 'y']", "--c", "range(2)"},
                               SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QCOMPARE(r.experiments.size(), 8);
    QStringList order;
    for (const auto &e : r.experiments)
        order << paramValues(e).join(u'/');
    QCOMPARE(order,
             (QStringList{"1/x/0", "1/x/1", "1/y/0", "1/y/1", "2/x/0", "2/x/1", "2/y/0", "2/y/1"}));
}

void TestSweepExpander::noAxesIsOneExperiment()
{
    const QStringList args{"--lr", "0.01", "--name", "bert"};
    const auto r = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QVERIFY(r.ok());
    QCOMPARE(r.experiments.size(), 1);
    QCOMPARE(r.experiments.at(0).args, args);
    QVERIFY(r.experiments.at(0).params.isEmpty());
    QVERIFY(r.sweptFlags.isEmpty());
    QCOMPARE(expandSweep({}, SweepStrategy::GridSearch, std::nullopt, 0, 1000).experiments.size(),
             1);
}

void TestSweepExpander::fixedValuesVerbatim()
{
    const QStringList args{"--shape", "(10, 100, 20)", "--lr",    "1e-2",
                           "--model", "'bert'",        "--act",   "nn.ReLU()",
                           "--path",  "/data/run (1)", "--shift", "-1"};
    const auto r = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.experiments.size(), 1);
    QCOMPARE(r.experiments.at(0).args, args);
}

void TestSweepExpander::togglesAndPositionalsPassThrough()
{
    const auto r = expandSweep({"data/", "--do_x", "--lr", "[0.1, 0.2]", "--verbose"},
                               SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QVERIFY(r.ok());
    QCOMPARE(r.experiments.size(), 2);
    QCOMPARE(r.experiments.at(1).args,
             (QStringList{"data/", "--do_x", "--lr", "0.2", "--verbose"}));
    QCOMPARE(r.sweptFlags, QStringList{"lr"});
    // A positional that looks like a list is not a flag's value: passed as is.
    const auto p = expandSweep({"[1, 2]"}, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QCOMPARE(p.experiments.size(), 1);
    QCOMPARE(p.experiments.at(0).args, QStringList{"[1, 2]"});
}

void TestSweepExpander::attachedFormKeepsItsShape()
{
    const auto r = expandSweep({"--batch_size=[32, 64]", "--opt=adam"}, SweepStrategy::GridSearch,
                               std::nullopt, 0, 1000);
    QVERIFY(r.ok());
    QCOMPARE(r.experiments.size(), 2);
    QCOMPARE(r.experiments.at(0).args, (QStringList{"--batch_size=32", "--opt=adam"}));
    QCOMPARE(r.experiments.at(1).args, (QStringList{"--batch_size=64", "--opt=adam"}));
    QCOMPARE(r.experiments.at(1).params.at(0),
             qMakePair(QStringLiteral("batch_size"), QStringLiteral("64")));
}

void TestSweepExpander::stringsWithSpacesAndQuotes()
{
    const auto r =
        expandSweep({"--prompt", "['option a', \"it's\", 'say \"hi\"', 'back\\\\slash']"},
                    SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QStringList values;
    for (const auto &e : r.experiments)
        values << e.args.at(1); // one argv entry each: spaces need no shell quoting
    QCOMPARE(values, (QStringList{"option a", "it's", "say \"hi\"", "back\\slash"}));
}

void TestSweepExpander::argumentsAfterSeparatorAreNotSwept()
{
    const QStringList args{"--a", "[1, 2]", "--", "--b", "[3, 4]"};
    const auto r = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QCOMPARE(r.experiments.size(), 2);
    QCOMPARE(r.experiments.at(0).args, (QStringList{"--a", "1", "--", "--b", "[3, 4]"}));
}

void TestSweepExpander::syntaxErrorNamesFlagAndCharacter_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing count")
        << QStringList{"--backbone", "[1, 2]", "--learning_rate", "uniform(1e-5, 1e-1)"}
        << QStringLiteral("--learning_rate \"uniform(1e-5, 1e-1)\": uniform needs 3 arguments "
                          "(low, high, count), got 2 at character 19");
    QTest::newRow("unclosed list")
        << QStringList{"--backbone", "['a', 'b'"}
        << QStringLiteral("--backbone \"['a', 'b'\": expected ']' at character 10");
    QTest::newRow("attached form")
        << QStringList{"--backbone=['a' 'b']"}
        << QStringLiteral("--backbone \"['a' 'b']\": expected ',' or ']', "
                          "found \"'\" at character 6");
    QTest::newRow("unknown distribution")
        << QStringList{"--noise", "gaussian(0,1,3)"}
        << QStringLiteral(
               "--noise \"gaussian(0,1,3)\": unknown distribution 'gaussian' (known: "
               "uniform, loguniform, randint, normal, lognormal, choice, range) at character 1");
    QTest::newRow("empty range") << QStringList{"-e", "range(5, 1)"}
                                 << QStringLiteral(
                                        "-e \"range(5, 1)\": range(5, 1) has no values; a "
                                        "sweep needs at least one at character 1");
    QTest::newRow("first error wins") << QStringList{"--a", "[1,", "--b", "[2,"}
                                      << QStringLiteral("--a \"[1,\": expected ']' at character 4");
}

void TestSweepExpander::syntaxErrorNamesFlagAndCharacter()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    for (SweepStrategy s : {SweepStrategy::GridSearch, SweepStrategy::RandomSearch}) {
        const auto r = expandSweep(args, s, 3, 0, 1000);
        QVERIFY(!r.ok());
        QCOMPARE(r.error, error);
        QVERIFY(r.experiments.isEmpty());
    }
}

void TestSweepExpander::randomSearchNeedsTrials()
{
    const QString message = QStringLiteral("random_search needs --num_trials N (N > 0)");
    for (std::optional<int> trials :
         {std::optional<int>(), std::optional<int>(0), std::optional<int>(-2)}) {
        const auto r = expandSweep({"--a", "[1, 2]"}, SweepStrategy::RandomSearch, trials, 0, 1000);
        QCOMPARE(r.error, message);
        QVERIFY(r.experiments.isEmpty());
    }
}

void TestSweepExpander::randomSearchCountAndDeterminism()
{
    const QStringList args{"--a", "range(10)", "--b", "range(10)", "--lr", "uniform(0, 1, 4)"};
    const auto grid = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 9, 1000);
    QCOMPARE(grid.experiments.size(), 400);
    QSet<QStringList> gridArgs;
    for (const auto &e : grid.experiments)
        gridArgs.insert(e.args);

    const auto one = expandSweep(args, SweepStrategy::RandomSearch, 25, 9, 1000);
    const auto two = expandSweep(args, SweepStrategy::RandomSearch, 25, 9, 1000);
    const auto other = expandSweep(args, SweepStrategy::RandomSearch, 25, 10, 1000);
    QVERIFY2(one.ok(), qPrintable(one.error));
    QCOMPARE(one.experiments.size(), 25);
    QCOMPARE(one.sweptFlags, (QStringList{"a", "b", "lr"}));
    QSet<QStringList> seen;
    for (int i = 0; i < 25; ++i) {
        const auto &e = one.experiments.at(i);
        QCOMPARE(e.index, i);
        QCOMPARE(e.args, two.experiments.at(i).args);
        QVERIFY2(gridArgs.contains(e.args), qPrintable(e.args.join(u' '))); // drawn from the grid
        seen.insert(e.args);
    }
    QCOMPARE(seen.size(), 25); // without replacement
    bool differs = false;
    for (int i = 0; i < 25; ++i)
        differs = differs || one.experiments.at(i).args != other.experiments.at(i).args;
    QVERIFY(differs);

    // Dense case (more than half the grid): still distinct.
    const auto dense = expandSweep(args, SweepStrategy::RandomSearch, 390, 9, 1000);
    QSet<QStringList> denseSeen;
    for (const auto &e : dense.experiments)
        denseSeen.insert(e.args);
    QCOMPARE(denseSeen.size(), 390);
    QVERIFY(gridArgs.contains(denseSeen));
}

void TestSweepExpander::randomSearchMoreTrialsThanGridGivesAll()
{
    const QStringList args{"--a", "[1, 2]", "--b", "['x', 'y', 'z']"};
    const auto grid = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    for (int trials : {6, 50}) {
        const auto r = expandSweep(args, SweepStrategy::RandomSearch, trials, 0, 1000);
        QCOMPARE(r.experiments.size(), 6);
        for (int i = 0; i < 6; ++i)
            QCOMPARE(r.experiments.at(i).args, grid.experiments.at(i).args);
    }
}

void TestSweepExpander::randomSearchOverHugeGrid()
{
    // 10^18 combinations; only the picked ones are ever built.
    const auto r = expandSweep({"--a", "range(1000000000)", "--b", "range(1000000000)"},
                               SweepStrategy::RandomSearch, 10, 1, 1000);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(r.experiments.size(), 10);
}

void TestSweepExpander::capOnExperiments()
{
    const auto r = expandSweep({"--a", "range(120)", "--b", "range(100)"},
                               SweepStrategy::GridSearch, std::nullopt, 0, 1000);
    QCOMPARE(r.error, QStringLiteral("this sweep makes 12,000 experiments; the limit is 1,000 (set "
                                     "max_experiments in gridd's config or narrow the sweep)"));
    QVERIFY(r.experiments.isEmpty());
    QVERIFY(
        expandSweep({"--a", "range(1000)"}, SweepStrategy::GridSearch, std::nullopt, 0, 1000).ok());
    QVERIFY(!expandSweep({"--a", "range(1001)"}, SweepStrategy::GridSearch, std::nullopt, 0, 1000)
                 .ok());
    // <= 0: no limit of ours.
    QCOMPARE(expandSweep({"--a", "range(1001)"}, SweepStrategy::GridSearch, std::nullopt, 0, 0)
                 .experiments.size(),
             1001);
}

void TestSweepExpander::capAppliesToRandomTrials()
{
    const QStringList args{"--a", "range(100)", "--b", "range(100)"};
    QVERIFY(expandSweep(args, SweepStrategy::RandomSearch, 50, 0, 50).ok());
    const auto r = expandSweep(args, SweepStrategy::RandomSearch, 51, 0, 50);
    QCOMPARE(r.error, QStringLiteral("this sweep makes 51 experiments; the limit is 50 (set "
                                     "max_experiments in gridd's config or narrow the sweep)"));
}

void TestSweepExpander::capOnOverflowingGrid()
{
    const QString big = QStringLiteral("range(-9223372036854775808, 9223372036854775807)");
    const auto r = expandSweep({"--a", big, "--b", "[1, 2]"}, SweepStrategy::GridSearch,
                               std::nullopt, 0, 1000);
    QVERIFY(!r.ok());
    QVERIFY2(
        r.error.startsWith(QLatin1String("this sweep makes more than 18,446,744,073,709,551,615 "
                                         "experiments; the limit is 1,000")),
        qPrintable(r.error));
}

void TestSweepExpander::noneIsVerbatim()
{
    // No parsing at all: even what would be a syntax error goes through untouched (Hydra etc.).
    const QStringList args{"--backbone", "['a', 'b']", "--lr", "uniform(1e-5, 1e-1)", "x=[1,2"};
    const auto r = expandSweep(args, SweepStrategy::None, std::nullopt, 0, 1);
    QVERIFY(r.ok());
    QCOMPARE(r.experiments.size(), 1);
    QCOMPARE(r.experiments.at(0).index, 0);
    QCOMPARE(r.experiments.at(0).args, args);
    QVERIFY(r.experiments.at(0).params.isEmpty());
    QVERIFY(r.sweptFlags.isEmpty());
}

void TestSweepExpander::thousandExperimentsAreFast()
{
    const QStringList args{"data/",
                           "--a",
                           "range(10)",
                           "--b",
                           "['x', 'y', 'z', 'w', 'v']",
                           "--lr",
                           "loguniform(1e-5, 1e-1, 20)",
                           "--epochs",
                           "10",
                           "--fast"};
    qint64 best = std::numeric_limits<qint64>::max();
    for (int round = 0; round < 5; ++round) {
        QElapsedTimer timer;
        timer.start();
        const auto r = expandSweep(args, SweepStrategy::GridSearch, std::nullopt, 0, 1000);
        best = std::min(best, timer.nsecsElapsed());
        QCOMPARE(r.experiments.size(), 1000);
    }
    qDebug("1,000 experiments in %.3f ms", best / 1e6);
    QVERIFY2(best < 10'000'000, qPrintable(QString::number(best / 1e6) + QLatin1String(" ms")));
}

QTEST_APPLESS_MAIN(TestSweepExpander)
#include "test_sweepexpander.moc"
