// SPDX-License-Identifier: GPL-3.0-or-later
// Run configs written as Grid's YAML read back the same (the desktop app's YAML tab).
#include "core/runs/runconfigwriter.h"

#include <QTest>

using og::RunConfig;

class TestRunConfigWriter final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrips()
    {
        RunConfig c;
        c.strategy = QStringLiteral("random_search");
        c.numTrials = 5;
        c.seed = 42;
        c.instanceType = QStringLiteral("cpu-2");
        c.gpus = 1;
        c.memory = QStringLiteral("4GiB");
        c.datastoreName = QStringLiteral("cifar5");
        c.datastoreVersion = 2;
        c.datastoreMountDir = QStringLiteral("/data");
        c.environment.insert(QStringLiteral("MODE"), QStringLiteral("fast: yes"));
        c.params = {{QStringLiteral("--lr"), QStringLiteral("uniform(1e-5, 1e-1, 5)")},
                    {QStringLiteral("--backbone"), QStringLiteral("['resnet18', 'resnet34']")},
                    {QStringLiteral("--flag"), QStringLiteral("True")}};
        const QByteArray yaml = og::runConfigToYaml(c);
        const RunConfig back = RunConfig::fromYaml(yaml, QStringLiteral("test"));
        QVERIFY2(back.ok(), qPrintable(back.error + u'\n' + QString::fromUtf8(yaml)));
        QCOMPARE(back.strategy, c.strategy);
        QCOMPARE(back.numTrials, c.numTrials);
        QCOMPARE(back.seed, c.seed);
        QCOMPARE(back.instanceType, c.instanceType);
        QCOMPARE(back.gpus, c.gpus);
        QCOMPARE(back.memory, c.memory);
        QCOMPARE(back.datastoreName, c.datastoreName);
        QCOMPARE(back.datastoreVersion, c.datastoreVersion);
        QCOMPARE(back.datastoreMountDir, c.datastoreMountDir);
        QCOMPARE(back.environment, c.environment);
        QCOMPARE(back.params, c.params); // sweep text exactly as typed
    }

    void nothingSetWritesNothing()
    {
        QVERIFY(og::runConfigToYaml(RunConfig{}).isEmpty());
        QVERIFY(RunConfig::fromYaml(og::runConfigToYaml(RunConfig{}), QStringLiteral("test")).ok());
    }
};

QTEST_APPLESS_MAIN(TestRunConfigWriter)
#include "test_runconfigwriter.moc"
