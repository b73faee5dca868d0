// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/pythonformat.h"
#include "core/sweep/sweepparser.h"

#include <QTest>

#include <limits>

using og::parseSweepValue;
using og::SweepValue;

class TestSweepParser final : public QObject
{
    Q_OBJECT

private slots:
    void floatRepr_data();
    void floatRepr();
    void stringRepr_data();
    void stringRepr();
    void fixedValuesPassVerbatim_data();
    void fixedValuesPassVerbatim();
    void lists_data();
    void lists();
    void ranges_data();
    void ranges();
    void hugeRangeIsSizedNotListed();
    void distributionsParse_data();
    void distributionsParse();
    void syntaxErrors_data();
    void syntaxErrors();
    void errorMessageNamesFlagAndCharacter();
    void unknownDistributionMessage();
    void percentInValueDoesNotBreakMessage();
};

void TestSweepParser::floatRepr_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("0.1") << 0.1 << QStringLiteral("0.1");
    QTest::newRow("1e-5") << 1e-5 << QStringLiteral("1e-05");
    QTest::newRow("1e-4") << 1e-4 << QStringLiteral("0.0001");
    QTest::newRow("1.5e-7") << 1.5e-7 << QStringLiteral("1.5e-07");
    QTest::newRow("100.0") << 100.0 << QStringLiteral("100.0");
    QTest::newRow("zero") << 0.0 << QStringLiteral("0.0");
    QTest::newRow("negative zero") << -0.0 << QStringLiteral("-0.0");
    QTest::newRow("15 digits before point")
        << 1234567890123456.0 << QStringLiteral("1234567890123456.0");
    QTest::newRow("1e16") << 1e16 << QStringLiteral("1e+16");
    QTest::newRow("1.5e300") << 1.5e300 << QStringLiteral("1.5e+300");
    QTest::newRow("Grid's README sample")
        << 0.07858944673974376 << QStringLiteral("0.07858944673974376");
    QTest::newRow("shortest round trip") << 0.1 + 0.2 << QStringLiteral("0.30000000000000004");
    QTest::newRow("negative") << -2.5 << QStringLiteral("-2.5");
    QTest::newRow("denormal") << 5e-324 << QStringLiteral("5e-324");
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << QStringLiteral("inf");
    QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << QStringLiteral("-inf");
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QStringLiteral("nan");
}

void TestSweepParser::floatRepr()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    QCOMPARE(og::pythonFloatRepr(value), expected);
}

void TestSweepParser::stringRepr_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("'abc'");
    QTest::newRow("single quote") << QStringLiteral("it's") << QStringLiteral("\"it's\"");
    QTest::newRow("both quotes") << QStringLiteral("'\"") << QStringLiteral("'\\'\"'");
    QTest::newRow("backslash") << QStringLiteral("a\\b") << QStringLiteral("'a\\\\b'");
    QTest::newRow("newline and tab") << QStringLiteral("a\nb\tc") << QStringLiteral("'a\\nb\\tc'");
    QTest::newRow("control") << QString(QChar(0x01)) << QStringLiteral("'\\x01'");
    QTest::newRow("non-breaking space") << QString(QChar(0xa0)) << QStringLiteral("'\\xa0'");
    QTest::newRow("accent kept") << QStringLiteral("\u00e9") << QStringLiteral("'\u00e9'");
}

void TestSweepParser::stringRepr()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(og::pythonStringRepr(text), expected);
}

void TestSweepParser::fixedValuesPassVerbatim_data()
{
    QTest::addColumn<QString>("value");
    for (const char *v : {"0.01",
                          "1e-2",
                          "32",
                          "bert",
                          "'bert'",
                          "\"bert\"",
                          "(10, 100, 20)",
                          "(10,100,20)",
                          "/cifar5",
                          "data/file(1).txt",
                          "",
                          "   ",
                          "uniform",
                          "range",
                          "relu()",
                          "Adam(lr=0.1)",
                          "nn.Dropout(0.5)",
                          "Dropout(0.5)",
                          "torch.optim.SGD",
                          "max(a, b)",
                          "gaussian(0, 1, 3) x",
                          "{'a': 1}",
                          "a,b",
                          "True",
                          "-0.5",
                          "--x",
                          "50%"})
        QTest::newRow(v) << QString::fromUtf8(v);
}

void TestSweepParser::fixedValuesPassVerbatim()
{
    QFETCH(QString, value);
    const auto r = parseSweepValue(value);
    QVERIFY2(!r.error, r.error ? qPrintable(r.error->reason) : "");
    QCOMPARE(r.value.kind(), SweepValue::Kind::Fixed);
    QVERIFY(!r.value.isAxis());
    QCOMPARE(r.value.text(), value);
    QCOMPARE(r.value.size(), quint64(1));
}

void TestSweepParser::lists_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("ints") << QStringLiteral("[32, 64, 128]") << QStringList{"32", "64", "128"};
    QTest::newRow("strings unquoted") << QStringLiteral("['resnet50', 'resnet34', 'resnet18']")
                                      << QStringList{"resnet50", "resnet34", "resnet18"};
    QTest::newRow("double quotes and spaces")
        << QStringLiteral("[\"option a\", 'option b']") << QStringList{"option a", "option b"};
    QTest::newRow("escapes")
        << QStringLiteral(
               "['it\\'s', \"say \\\"hi\\\"\", 'a\\\\b', 'x\\ty', '\\x41\\u00e9', r'\\n']")
        << QStringList{"it's", "say \"hi\"", "a\\b", "x\ty", "A\u00e9", "\\n"};
    QTest::newRow("booleans") << QStringLiteral("[True, False]") << QStringList{"True", "False"};
    QTest::newRow("None") << QStringLiteral("[None, 1]") << QStringList{"None", "1"};
    QTest::newRow("floats as Python prints them")
        << QStringLiteral("[1e-5, 0.10, 1., .5, 1E3, 2.50e1, 1e16]")
        << QStringList{"1e-05", "0.1", "1.0", "0.5", "1000.0", "25.0", "1e+16"};
    QTest::newRow("int forms") << QStringLiteral("[1_000, 0x1F, 0o17, 0b101, -3, +4, - 5, -0, 00]")
                               << QStringList{"1000", "31", "15", "5", "-3", "4", "-5", "0", "0"};
    QTest::newRow("big int kept exact") << QStringLiteral("[123456789012345678901234567890]")
                                        << QStringList{"123456789012345678901234567890"};
    QTest::newRow("whitespace everywhere")
        << QStringLiteral("  [ 1 ,\n 2 ,\t3 , ]  ") << QStringList{"1", "2", "3"};
    QTest::newRow("single element") << QStringLiteral("[5]") << QStringList{"5"};
    QTest::newRow("mixed") << QStringLiteral("['a', 1, 2.5, True]")
                           << QStringList{"a", "1", "2.5", "True"};
    QTest::newRow("nested as Python repr")
        << QStringLiteral("[[1, 2], (3,), (4, 'x'), [], ('it\\'s',), [0.1]]")
        << QStringList{"[1, 2]", "(3,)", "(4, 'x')", "[]", "(\"it's\",)", "[0.1]"};
    QTest::newRow("parenthesised element") << QStringLiteral("[(7)]") << QStringList{"7"};
    QTest::newRow("overflowing float")
        << QStringLiteral("[1e999, -1e999, 1e-400]") << QStringList{"inf", "-inf", "0.0"};
}

void TestSweepParser::lists()
{
    QFETCH(QString, value);
    QFETCH(QStringList, expected);
    const auto r = parseSweepValue(value);
    QVERIFY2(!r.error, r.error ? qPrintable(r.error->reason) : "");
    QCOMPARE(r.value.kind(), SweepValue::Kind::List);
    QVERIFY(!r.value.isRandom());
    QCOMPARE(r.value.size(), quint64(expected.size()));
    QCOMPARE(r.value.values(0), expected);
}

void TestSweepParser::ranges_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("start stop step")
        << QStringLiteral("range(1, 10, 2)") << QStringList{"1", "3", "5", "7", "9"};
    QTest::newRow("stop only") << QStringLiteral("range(4)") << QStringList{"0", "1", "2", "3"};
    QTest::newRow("start stop") << QStringLiteral("range(-2, 2)")
                                << QStringList{"-2", "-1", "0", "1"};
    QTest::newRow("negative step")
        << QStringLiteral("range(10, 0, -3)") << QStringList{"10", "7", "4", "1"};
    QTest::newRow("step past stop") << QStringLiteral("range(0, 5, 10)") << QStringList{"0"};
    QTest::newRow("spaces") << QStringLiteral(" range ( 1 , 3 ) ") << QStringList{"1", "2"};
    QTest::newRow("extremes")
        << QStringLiteral("range(-9223372036854775808, 9223372036854775807, 4611686018427387904)")
        << QStringList{"-9223372036854775808", "-4611686018427387904", "0", "4611686018427387904"};
}

void TestSweepParser::ranges()
{
    QFETCH(QString, value);
    QFETCH(QStringList, expected);
    const auto r = parseSweepValue(value);
    QVERIFY2(!r.error, r.error ? qPrintable(r.error->reason) : "");
    QCOMPARE(r.value.kind(), SweepValue::Kind::Range);
    QCOMPARE(r.value.size(), quint64(expected.size()));
    QCOMPARE(r.value.values(0), expected);
}

void TestSweepParser::hugeRangeIsSizedNotListed()
{
    const auto r =
        parseSweepValue(QStringLiteral("range(-9223372036854775808, 9223372036854775807)"));
    QVERIFY(!r.error);
    QCOMPARE(r.value.size(), std::numeric_limits<quint64>::max());
    const og::SweepAxis axis = r.value.axis(0);
    QCOMPARE(axis.valueAt(0), QStringLiteral("-9223372036854775808"));
    QCOMPARE(axis.valueAt(axis.size() - 1), QStringLiteral("9223372036854775806"));
}

void TestSweepParser::distributionsParse_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<SweepValue::Kind>("kind");
    QTest::addColumn<int>("count");
    using K = SweepValue::Kind;
    QTest::newRow("uniform") << QStringLiteral("uniform(1e-5, 1e-1, 5)") << K::Uniform << 5;
    QTest::newRow("uniform low > high (Grid accepted it)")
        << QStringLiteral("uniform(1e-3, 1e-5, 1)") << K::Uniform << 1;
    QTest::newRow("uniform int bounds") << QStringLiteral("uniform(0, 10, 3)") << K::Uniform << 3;
    QTest::newRow("loguniform") << QStringLiteral("loguniform(1e-6, 1e-1, 4)") << K::LogUniform
                                << 4;
    QTest::newRow("randint") << QStringLiteral("randint(0, 10, 6)") << K::RandInt << 6;
    QTest::newRow("normal") << QStringLiteral("normal(0, 1, 2)") << K::Normal << 2;
    QTest::newRow("normal zero std") << QStringLiteral("normal(3, 0, 2)") << K::Normal << 2;
    QTest::newRow("lognormal") << QStringLiteral("lognormal(0, 0.5, 3)") << K::LogNormal << 3;
    QTest::newRow("choice") << QStringLiteral("choice(['a', 'b'], 7)") << K::Choice << 7;
    QTest::newRow("np.random prefix")
        << QStringLiteral("np.random.uniform(0, 1, 3)") << K::Uniform << 3;
    QTest::newRow("numpy.random prefix")
        << QStringLiteral("numpy.random.normal(0, 1, 3)") << K::Normal << 3;
    QTest::newRow("spacing and trailing comma")
        << QStringLiteral("  uniform (0,1,2,)  ") << K::Uniform << 2;
    QTest::newRow("largest count")
        << QStringLiteral("uniform(0, 1, 1_000_000)") << K::Uniform << 1000000;
}

void TestSweepParser::distributionsParse()
{
    QFETCH(QString, value);
    QFETCH(SweepValue::Kind, kind);
    QFETCH(int, count);
    const auto r = parseSweepValue(value);
    QVERIFY2(!r.error, r.error ? qPrintable(r.error->reason) : "");
    QCOMPARE(r.value.kind(), kind);
    QVERIFY(r.value.isAxis());
    QVERIFY(r.value.isRandom());
    QCOMPARE(r.value.size(), quint64(count));
}

void TestSweepParser::syntaxErrors_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("reason");
    auto row = [](const char *name, const char *value, int column, const char *reason) {
        QTest::newRow(name) << QString::fromUtf8(value) << column << QString::fromUtf8(reason);
    };
    // Lists
    row("unclosed list", "['a', 'b'", 10, "expected ']'");
    row("unclosed after comma", "[1, 2,", 7, "expected ']'");
    row("missing comma between strings", "['a' 'b']", 6, "expected ',' or ']', found \"'\"");
    row("unquoted words", "[a, b]", 2, "unquoted text 'a'; quote strings, e.g. 'a'");
    row("garbage after list", "[1, 2] x", 8, "unexpected 'x' after the list");
    row("empty list", "[]", 1, "the list is empty; a sweep needs at least one value");
    row("wrong bracket", "[1, 2)", 6, "expected ',' or ']', found ')'");
    row("leading zeros", "[007]", 2,
        "leading zeros are not allowed in an integer (Python 3); write 7");
    row("complex", "[1j]", 3, "complex numbers are not supported");
    row("bad number", "[1abc]", 3, "invalid number: unexpected 'a'");
    row("bad exponent", "[1e]", 3, "invalid number: missing exponent digits");
    row("unterminated string", "['abc", 2, "unterminated string");
    row("dict", "[{'a': 1}]", 2, "dicts and sets are not supported");
    row("call in list", "[uniform(0, 1, 2)]", 2,
        "a call like uniform(...) cannot be an element; list its values");
    row("bytes", "[b'x']", 2, "bytes and f-strings are not supported");
    row("triple quotes", "['''x''']", 2, "triple-quoted strings are not supported");
    row("sign without number", "[-x]", 2, "expected a number after '-'");
    row("bad hex escape", "['\\xZZ']", 3, "invalid \\x escape");
    row("value missing", "[1, , 2]", 5, "unexpected ','");
    // Distributions
    row("uniform two args", "uniform(1e-5, 1e-1)", 19,
        "uniform needs 3 arguments (low, high, count), got 2");
    row("normal four args", "normal(0, 1, 2, 3)", 18,
        "normal needs 3 arguments (mean, std, count), got 4");
    row("lognormal no args", "lognormal()", 11,
        "lognormal needs 3 arguments (mean, sigma, count), got 0");
    row("choice one arg", "choice([1, 2])", 14, "choice needs 2 arguments (values, count), got 1");
    row("count zero", "uniform(0, 1, 0)", 15,
        "uniform: the count (last argument) must be a positive integer, got 0");
    row("count float", "uniform(0, 1, 2.0)", 15,
        "uniform: the count (last argument) must be a positive integer, got 2.0");
    row("count negative", "randint(0, 9, -1)", 15,
        "randint: the count (last argument) must be a positive integer, got -1");
    row("count too large", "uniform(0, 1, 1000001)", 15,
        "uniform: the count 1000001 is too large; the limit is 1,000,000");
    row("string bound", "uniform('a', 1, 3)", 9, "uniform: low must be a number, got 'a'");
    row("infinite bound", "uniform(0, 1e999, 3)", 12, "uniform: high must be finite");
    row("keyword arguments", "uniform(low=0, high=1, size=3)", 9,
        "keyword arguments are not supported; write uniform(low, high, count)");
    row("garbage after call", "uniform(0, 1, 3) x", 18, "unexpected 'x' after ')'");
    row("unclosed call", "uniform(0, 1, 3", 16, "expected ')'");
    row("loguniform zero", "loguniform(0, 1, 4)", 12, "loguniform: low must be > 0, got 0");
    row("loguniform negative high", "loguniform(1, -1, 4)", 15,
        "loguniform: high must be > 0, got -1");
    row("randint empty", "randint(5, 5, 3)", 12,
        "randint: high must be greater than low (high is exclusive), got low=5, high=5");
    row("randint float", "randint(0, 1.5, 3)", 12, "randint: high must be an integer, got 1.5");
    row("normal negative std", "normal(0, -1, 4)", 11, "normal: std must be >= 0, got -1");
    row("lognormal negative sigma", "lognormal(0, -0.5, 4)", 14,
        "lognormal: sigma must be >= 0, got -0.5");
    row("choice of string", "choice('ab', 2)", 8,
        "choice: the first argument must be a non-empty list, got 'ab'");
    row("choice of empty list", "choice([], 2)", 8,
        "choice: the first argument must be a non-empty list, got []");
    // range
    row("empty range", "range(5, 1)", 1, "range(5, 1) has no values; a sweep needs at least one");
    row("empty range negative step", "range(1, 5, -1)", 1,
        "range(1, 5, -1) has no values; a sweep needs at least one");
    row("zero step", "range(1, 5, 0)", 13, "range: step must not be zero");
    row("float range", "range(1.5, 3)", 7, "range: start must be an integer, got 1.5");
    row("range four args", "range(1, 2, 3, 4)", 17,
        "range needs 1 to 3 arguments (start, stop[, step]), got 4");
    row("range too big", "range(0, 9223372036854775808)", 10, "range: stop is out of range");
    // Unknown names
    const char *known = "(known: uniform, loguniform, randint, normal, lognormal, choice, range)";
    row("unknown name", "gaussian(0,1,3)", 1,
        (std::string("unknown distribution 'gaussian' ") + known).c_str());
    row("unknown numpy name", "np.random.beta(1, 2, 3)", 1,
        (std::string("unknown distribution 'beta' ") + known).c_str());
    row("misspelt", " unifrom(0, 1, 3)", 2,
        (std::string("unknown distribution 'unifrom' ") + known).c_str());
}

void TestSweepParser::syntaxErrors()
{
    QFETCH(QString, value);
    QFETCH(int, column);
    QFETCH(QString, reason);
    const auto r = parseSweepValue(value);
    QVERIFY2(r.error, "expected a syntax error");
    QCOMPARE(r.error->reason, reason);
    QCOMPARE(r.error->column, column);
    // Nothing half-parsed leaks out: the value stays fixed.
    QCOMPARE(r.value.kind(), SweepValue::Kind::Fixed);
}

void TestSweepParser::errorMessageNamesFlagAndCharacter()
{
    const QString value = QStringLiteral("['a', 'b'");
    const auto r = parseSweepValue(value);
    QVERIFY(r.error);
    QCOMPARE(r.error->message(QStringLiteral("--backbone"), value),
             QStringLiteral("--backbone \"['a', 'b'\": expected ']' at character 10"));

    const QString lr = QStringLiteral("uniform(1e-5, 1e-1)");
    const auto e = parseSweepValue(lr);
    QVERIFY(e.error);
    QCOMPARE(e.error->message(QStringLiteral("--learning_rate"), lr),
             QStringLiteral("--learning_rate \"uniform(1e-5, 1e-1)\": uniform needs 3 arguments "
                            "(low, high, count), got 2 at character 19"));
}

void TestSweepParser::unknownDistributionMessage()
{
    const QString value = QStringLiteral("gaussian(0,1,3)");
    const auto r = parseSweepValue(value);
    QVERIFY(r.error);
    QCOMPARE(r.error->message(QStringLiteral("--noise"), value),
             QStringLiteral("--noise \"gaussian(0,1,3)\": unknown distribution 'gaussian' (known: "
                            "uniform, loguniform, randint, normal, lognormal, choice, range) at "
                            "character 1"));
}

void TestSweepParser::percentInValueDoesNotBreakMessage()
{
    const QString value = QStringLiteral("[%1, %4");
    const auto r = parseSweepValue(value);
    QVERIFY(r.error);
    QCOMPARE(r.error->message(QStringLiteral("--x"), value),
             QStringLiteral("--x \"[%1, %4\": unexpected '%' at character 2"));
}

QTEST_APPLESS_MAIN(TestSweepParser)
#include "test_sweepparser.moc"
