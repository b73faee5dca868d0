// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/names.h"

#include <QTest>

class TestNames final : public QObject
{
    Q_OBJECT

private slots:
    void acceptsValidNames_data();
    void acceptsValidNames();
    void rejectsInvalidNames_data();
    void rejectsInvalidNames();
    void emptyNameMessage();
    void tooLongMessageGivesLengthAndLimit();
    void invalidMessageNamesKindAndName();
};

void TestNames::acceptsValidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("one letter") << QStringLiteral("a");
    QTest::newRow("letters") << QStringLiteral("cifar");
    QTest::newRow("letters and digits") << QStringLiteral("cifar10");
    QTest::newRow("hyphenated") << QStringLiteral("my-name");
    QTest::newRow("ends with digit") << QStringLiteral("abc-123");
    QTest::newRow("double hyphen inside") << QStringLiteral("a--b");
    QTest::newRow("max length") << QString(og::names::kMaxLength, u'a');
    QTest::newRow("max length mixed")
        << QStringLiteral("x") + QString(og::names::kMaxLength - 2, u'-') + u'9';
}

void TestNames::acceptsValidNames()
{
    QFETCH(QString, name);
    const auto problem = og::names::validate(name, QStringLiteral("Run"));
    QVERIFY2(!problem, problem ? qPrintable(*problem) : "");
}

void TestNames::rejectsInvalidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("upper case") << QStringLiteral("MyRun");
    QTest::newRow("one upper-case letter") << QStringLiteral("A");
    QTest::newRow("starts with digit") << QStringLiteral("1abc");
    QTest::newRow("starts with hyphen") << QStringLiteral("-abc");
    QTest::newRow("ends with hyphen") << QStringLiteral("abc-");
    QTest::newRow("only hyphen") << QStringLiteral("-");
    QTest::newRow("underscore") << QStringLiteral("my_run");
    QTest::newRow("dot") << QStringLiteral("my.run");
    QTest::newRow("space") << QStringLiteral("my run");
    QTest::newRow("slash") << QStringLiteral("a/b");
    QTest::newRow("leading space") << QStringLiteral(" abc");
    QTest::newRow("trailing newline") << QStringLiteral("abc\n");
    QTest::newRow("non-ASCII letter") << QStringLiteral("caf\u00e9");
    QTest::newRow("fullwidth letter") << QStringLiteral("a\uff41");
    QTest::newRow("one too long") << QString(og::names::kMaxLength + 1, u'a');
}

void TestNames::rejectsInvalidNames()
{
    QFETCH(QString, name);
    const auto problem = og::names::validate(name, QStringLiteral("Run"));
    QVERIFY2(problem, qPrintable(name));
    QVERIFY(!problem->isEmpty());
}

void TestNames::emptyNameMessage()
{
    const auto problem = og::names::validate(QString(), QStringLiteral("Datastore"));
    QVERIFY(problem);
    QVERIFY2(problem->startsWith(u"Datastore name is empty"), qPrintable(*problem));
    // The rule itself is part of the message, so users learn what is accepted.
    QVERIFY2(problem->contains(u"lower case alphanumeric"), qPrintable(*problem));
}

void TestNames::tooLongMessageGivesLengthAndLimit()
{
    const auto problem = og::names::validate(QString(70, u'a'), QStringLiteral("Session"));
    QVERIFY(problem);
    QCOMPARE(*problem, QStringLiteral("Session name is 70 characters long; the limit is 63"));
}

void TestNames::invalidMessageNamesKindAndName()
{
    const auto problem = og::names::validate(QStringLiteral("My_Run"), QStringLiteral("Run"));
    QVERIFY(problem);
    QVERIFY2(problem->startsWith(u"invalid run name 'My_Run': "), qPrintable(*problem));
    QVERIFY2(problem->contains(u"start with an alphabetic character"), qPrintable(*problem));
    QVERIFY2(problem->contains(u"'my-name', or 'abc-123'"), qPrintable(*problem));
}

QTEST_APPLESS_MAIN(TestNames)
#include "test_names.moc"
