// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/runconfig.h"

#include <QTemporaryDir>
#include <QTest>

using og::RunConfig;

class TestRunConfig final : public QObject
{
    Q_OBJECT

private slots:
    void schema2022();
    void schema2021Aliases();
    void paramsAreAppendedInOrder();
    void paramValuesReadLikeGrid();
    void ignoredKeysWarn();
    void offValuesOfIgnoredKeysDoNotWarn();
    void unknownKeyIsAnErrorNamingIt();
    void unknownTopLevelKey();
    void wrongTypesAreErrors_data();
    void wrongTypesAreErrors();
    void invalidYamlIsAnError();
    void emptyFileIsAnEmptyConfig();
    void conflictingAliases();
    void fromOptions();
    void fromOptionsRejectsBadNumbers();
    void flagsOverrideTheFile();
    void otherDatastoreOnCommandLineDropsFileVersion();
    void randomSearchNeedsTrials();
    void memoryNeedsAUnit();
    void loadMissingFile();
};

namespace {
QByteArray lines(std::initializer_list<const char *> list)
{
    QByteArray out;
    for (const char *l : list)
        out += QByteArray(l) + '\n';
    return out;
}
} // namespace

void TestRunConfig::schema2022()
{
    const RunConfig c = RunConfig::fromYaml(lines({"compute:",
                                                   "  provider:",
                                                   "    cluster: local",
                                                   "  train:",
                                                   "    framework: lightning",
                                                   "    environment: {MY_VAR: example, N: 3}",
                                                   "    instance: cpu-4",
                                                   "    cpus: 2",
                                                   "    gpus: 1",
                                                   "    memory: 8GiB",
                                                   "    localdir: true",
                                                   "    dry_run: false",
                                                   "    datastore_name: cifar5",
                                                   "    datastore_version: 2",
                                                   "    datastore_mount_dir: /cifar5",
                                                   "hyper_params:",
                                                   "  settings:",
                                                   "    strategy: random_search",
                                                   "    strategy_options: {num_trials: 4, seed: 7}"}),
                                            QStringLiteral("grid.yml"));
    QVERIFY2(c.ok(), qPrintable(c.error));
    QCOMPARE(c.cluster, QStringLiteral("local"));
    QCOMPARE(c.framework, QStringLiteral("lightning"));
    QCOMPARE(c.environment.value(QStringLiteral("MY_VAR")), QStringLiteral("example"));
    QCOMPARE(c.environment.value(QStringLiteral("N")), QStringLiteral("3"));
    QCOMPARE(c.instanceType, QStringLiteral("cpu-4"));
    QCOMPARE(c.cpus, 2);
    QCOMPARE(c.gpus, 1);
    QCOMPARE(c.memory, QStringLiteral("8GiB"));
    QCOMPARE(c.localdir, true);
    QCOMPARE(c.dryRun, false);
    QCOMPARE(c.datastoreName, QStringLiteral("cifar5"));
    QCOMPARE(c.datastoreVersion, 2);
    QCOMPARE(c.datastoreMountDir, QStringLiteral("/cifar5"));
    QCOMPARE(c.strategy, QStringLiteral("random_search"));
    QCOMPARE(c.numTrials, 4);
    QCOMPARE(c.seed, qint64(7));
    QVERIFY(c.warnings.isEmpty());
    QVERIFY(!c.name);
}

void TestRunConfig::schema2021Aliases()
{
    const RunConfig c = RunConfig::fromYaml(lines({"compute:",
                                                   "  provider:",
                                                   "    credentials: cc-abc12",
                                                   "    region: us-east-1",
                                                   "    vendor: aws",
                                                   "  train:",
                                                   "    cpus: 1",
                                                   "    gpus: 0",
                                                   "    instance_type: t2.xlarge",
                                                   "    memory: null",
                                                   "    datastore_name: null",
                                                   "    datastore_version: null",
                                                   "hyper_params:",
                                                   "  settings: {strategy: random_search, trials: 2}",
                                                   "  params: {learning_rate: 'uniform(0.001, 0.008, 20)', gamma: 0.234}"}),
                                            QStringLiteral("old.yml"));
    QVERIFY2(c.ok(), qPrintable(c.error));
    QCOMPARE(c.instanceType, QStringLiteral("t2.xlarge"));
    QCOMPARE(c.numTrials, 2);
    QVERIFY(!c.memory);
    QVERIFY(!c.datastoreName);
    QVERIFY(!c.datastoreVersion);
    QCOMPARE(c.warnings.size(), 3); // credentials, region, vendor
    QVERIFY(c.warnings.first().startsWith(QStringLiteral("old.yml: compute.provider.credentials is ignored")));
    QCOMPARE(c.params.size(), 2);
    QCOMPARE(c.params[0].first, QStringLiteral("--learning_rate"));
    QCOMPARE(c.params[0].second, QStringLiteral("uniform(0.001, 0.008, 20)"));
    QCOMPARE(c.params[1].first, QStringLiteral("--gamma"));
    QCOMPARE(c.params[1].second, QStringLiteral("0.234"));
}

void TestRunConfig::paramsAreAppendedInOrder()
{
    const RunConfig c = RunConfig::fromYaml(lines({"hyper_params:",
                                                   "  params:",
                                                   "    --foo: 1",
                                                   "    -bar: something",
                                                   "    --data-dir: /data",
                                                   "    zeta: 3"}),
                                            QStringLiteral("c.yml"));
    QVERIFY2(c.ok(), qPrintable(c.error));
    const QStringList args = c.scriptArguments({QStringLiteral("--epochs"), QStringLiteral("10")});
    QCOMPARE(args, (QStringList{QStringLiteral("--epochs"), QStringLiteral("10"), QStringLiteral("--foo"), QStringLiteral("1"),
                                QStringLiteral("-bar"), QStringLiteral("something"), QStringLiteral("--data-dir"),
                                QStringLiteral("/data"), QStringLiteral("--zeta"), QStringLiteral("3")}));
}

void TestRunConfig::paramValuesReadLikeGrid()
{
    const RunConfig c = RunConfig::fromYaml(lines({"hyper_params:",
                                                   "  params:",
                                                   "    --a: true",
                                                   "    --b: 'true'",
                                                   "    --c: [32, 64, 128]",
                                                   "    --d: [resnet50, 'resnet34', \"it's\"]",
                                                   "    --e: \"[0.1, 0.01]\"",
                                                   "    --f: ~",
                                                   "    --g: 1e-3",
                                                   "    --h: [True, no]"}),
                                            QStringLiteral("c.yml"));
    QVERIFY2(c.ok(), qPrintable(c.error));
    QCOMPARE(c.params.size(), 8);
    QCOMPARE(c.params[0].second, QStringLiteral("True"));
    QCOMPARE(c.params[1].second, QStringLiteral("true"));
    QCOMPARE(c.params[2].second, QStringLiteral("[32, 64, 128]"));
    QCOMPARE(c.params[3].second, QStringLiteral("['resnet50', 'resnet34', 'it\\'s']"));
    QCOMPARE(c.params[4].second, QStringLiteral("[0.1, 0.01]"));
    QCOMPARE(c.params[5].second, QStringLiteral("None"));
    QCOMPARE(c.params[6].second, QStringLiteral("1e-3"));
    QCOMPARE(c.params[7].second, QStringLiteral("[True, False]"));
}

void TestRunConfig::ignoredKeysWarn()
{
    const RunConfig c = RunConfig::fromYaml(lines({"compute:",
                                                   "  train:",
                                                   "    storage_gb: 100",
                                                   "    use_spot: true",
                                                   "    actions:",
                                                   "      on_build_start: [apt-get install wget -y]"}),
                                            QStringLiteral("c.yml"));
    QVERIFY2(c.ok(), qPrintable(c.error));
    QCOMPARE(c.warnings.size(), 3);
    QVERIFY(c.warnings[0].contains(QStringLiteral("compute.train.storage_gb is ignored")));
    QVERIFY(c.warnings[1].contains(QStringLiteral("compute.train.use_spot is ignored")));
    QVERIFY(c.warnings[2].contains(QStringLiteral("compute.train.actions is ignored")));
}

void TestRunConfig::offValuesOfIgnoredKeysDoNotWarn()
{
    // What Grid's CLI wrote into generated configs: nothing of it asks for anything.
    const RunConfig c = RunConfig::fromYaml(lines({"compute:",
                                                   "  train:",
                                                   "    use_spot: false",
                                                   "    dockerfile: null",
                                                   "    auto_resume: false",
                                                   "    actions:",
                                                   "      on_build: null",
                                                   "      on_build_start: []",
                                                   "      on_experiment_end: []"}),
                                            QStringLiteral("c.yml"));
    QVERIFY2(c.ok(), qPrintable(c.error));
    QVERIFY2(c.warnings.isEmpty(), qPrintable(c.warnings.join(u'|')));
}

void TestRunConfig::unknownKeyIsAnErrorNamingIt()
{
    const RunConfig c = RunConfig::fromYaml(lines({"compute:", "  train:", "    gpu: 2"}), QStringLiteral("cfg.yml"));
    QVERIFY(!c.ok());
    QVERIFY2(c.error.startsWith(QStringLiteral("cfg.yml: unknown key 'compute.train.gpu' (line 3)")), qPrintable(c.error));
    QVERIFY(c.error.contains(QStringLiteral("gpus")));
}

void TestRunConfig::unknownTopLevelKey()
{
    const RunConfig c = RunConfig::fromYaml(lines({"hyperparams:", "  params: {}"}), QStringLiteral("cfg.yml"));
    QVERIFY(!c.ok());
    QVERIFY2(c.error.contains(QStringLiteral("unknown key 'hyperparams'")), qPrintable(c.error));
    QVERIFY(c.error.contains(QStringLiteral("hyper_params")));
}

void TestRunConfig::wrongTypesAreErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("gpus text") << lines({"compute:", "  train:", "    gpus: two"}) << QStringLiteral("compute.train.gpus must be a whole number");
    QTest::newRow("negative cpus") << lines({"compute:", "  train:", "    cpus: -1"}) << QStringLiteral("compute.train.cpus must be a whole number");
    QTest::newRow("localdir word") << lines({"compute:", "  train:", "    localdir: maybe"}) << QStringLiteral("compute.train.localdir must be true or false");
    QTest::newRow("train list") << lines({"compute:", "  train: [1, 2]"}) << QStringLiteral("compute.train must be a mapping");
    QTest::newRow("instance list") << lines({"compute:", "  train:", "    instance: [a, b]"}) << QStringLiteral("compute.train.instance must be a single value");
    QTest::newRow("strategy") << lines({"hyper_params:", "  settings:", "    strategy: bayes"}) << QStringLiteral("strategy must be grid_search, random_search or none");
    QTest::newRow("trials zero") << lines({"hyper_params:", "  settings:", "    trials: 0"}) << QStringLiteral("hyper_params.settings.trials must be a whole number");
    QTest::newRow("nested param") << lines({"hyper_params:", "  params:", "    --a: {b: 1}"}) << QStringLiteral("hyper_params.params.--a must be a value or a list");
    QTest::newRow("params list") << lines({"hyper_params:", "  params: [a, b]"}) << QStringLiteral("hyper_params.params must map script flags to values");
    QTest::newRow("environment list") << lines({"compute:", "  train:", "    environment: [A]"}) << QStringLiteral("compute.train.environment must map variable names");
    QTest::newRow("root scalar") << lines({"just text"}) << QStringLiteral("the config must be a mapping");
}

void TestRunConfig::wrongTypesAreErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    const RunConfig c = RunConfig::fromYaml(yaml, QStringLiteral("c.yml"));
    QVERIFY(!c.ok());
    QVERIFY2(c.error.contains(expected), qPrintable(c.error));
    QVERIFY(c.error.startsWith(QStringLiteral("c.yml: ")));
}

void TestRunConfig::invalidYamlIsAnError()
{
    const RunConfig c = RunConfig::fromYaml(lines({"compute:", "  train: {gpus: 1", "  x"}), QStringLiteral("c.yml"));
    QVERIFY(!c.ok());
    QVERIFY2(c.error.contains(QStringLiteral("not valid YAML")), qPrintable(c.error));
}

void TestRunConfig::emptyFileIsAnEmptyConfig()
{
    const RunConfig c = RunConfig::fromYaml(QByteArray(), QStringLiteral("c.yml"));
    QVERIFY(c.ok());
    QVERIFY(!c.instanceType);
    QVERIFY(c.params.isEmpty());
}

void TestRunConfig::conflictingAliases()
{
    const RunConfig same = RunConfig::fromYaml(lines({"compute:", "  train:", "    instance: cpu-2", "    instance_type: cpu-2"}),
                                               QStringLiteral("c.yml"));
    QVERIFY2(same.ok(), qPrintable(same.error));
    const RunConfig differ = RunConfig::fromYaml(lines({"compute:", "  train:", "    instance: cpu-2", "    instance_type: cpu-4"}),
                                                 QStringLiteral("c.yml"));
    QVERIFY(!differ.ok());
    QVERIFY2(differ.error.contains(QStringLiteral("disagree")), qPrintable(differ.error));
    const RunConfig trials = RunConfig::fromYaml(
        lines({"hyper_params:", "  settings:", "    trials: 2", "    strategy_options: {num_trials: 3}"}), QStringLiteral("c.yml"));
    QVERIFY(!trials.ok());
}

void TestRunConfig::fromOptions()
{
    const QHash<QString, QString> values{{QStringLiteral("name"), QStringLiteral("my-run")},
                                         {QStringLiteral("strategy"), QStringLiteral("random_search")},
                                         {QStringLiteral("num_trials"), QStringLiteral("5")},
                                         {QStringLiteral("seed"), QStringLiteral("42")},
                                         {QStringLiteral("instance_type"), QStringLiteral("cpu-2")},
                                         {QStringLiteral("gpus"), QStringLiteral("1")},
                                         {QStringLiteral("cpus"), QStringLiteral("2")},
                                         {QStringLiteral("memory"), QStringLiteral("4G")},
                                         {QStringLiteral("datastore_name"), QStringLiteral("cifar5")},
                                         {QStringLiteral("datastore_version"), QStringLiteral("3")},
                                         {QStringLiteral("datastore_mount_dir"), QStringLiteral("/data")},
                                         {QStringLiteral("framework"), QStringLiteral("torch")}};
    const RunConfig c = RunConfig::fromOptions(values, {QStringLiteral("localdir"), QStringLiteral("dry_run")});
    QVERIFY2(c.ok(), qPrintable(c.error));
    QCOMPARE(c.name, QStringLiteral("my-run"));
    QCOMPARE(c.strategy, QStringLiteral("random_search"));
    QCOMPARE(c.numTrials, 5);
    QCOMPARE(c.seed, qint64(42));
    QCOMPARE(c.instanceType, QStringLiteral("cpu-2"));
    QCOMPARE(c.gpus, 1);
    QCOMPARE(c.cpus, 2);
    QCOMPARE(c.memory, QStringLiteral("4G"));
    QCOMPARE(c.datastoreName, QStringLiteral("cifar5"));
    QCOMPARE(c.datastoreVersion, 3);
    QCOMPARE(c.datastoreMountDir, QStringLiteral("/data"));
    QCOMPARE(c.framework, QStringLiteral("torch"));
    QCOMPARE(c.localdir, true);
    QCOMPARE(c.dryRun, true);
    const RunConfig none = RunConfig::fromOptions({}, {});
    QVERIFY(!none.gpus && !none.localdir && !none.strategy);
}

void TestRunConfig::fromOptionsRejectsBadNumbers()
{
    const RunConfig c = RunConfig::fromOptions({{QStringLiteral("gpus"), QStringLiteral("1.5")}}, {});
    QVERIFY(!c.ok());
    QVERIFY2(c.error.startsWith(QStringLiteral("--gpus must be a whole number")), qPrintable(c.error));
    const RunConfig trials = RunConfig::fromOptions({{QStringLiteral("num_trials"), QStringLiteral("0")}}, {});
    QVERIFY(!trials.ok());
    const RunConfig strategy = RunConfig::fromOptions({{QStringLiteral("strategy"), QStringLiteral("grid")}}, {});
    QVERIFY2(strategy.error.startsWith(QStringLiteral("--strategy must be")), qPrintable(strategy.error));
}

void TestRunConfig::flagsOverrideTheFile()
{
    const RunConfig file = RunConfig::fromYaml(lines({"compute:",
                                                      "  train:",
                                                      "    instance: cpu-4",
                                                      "    gpus: 1",
                                                      "    localdir: true",
                                                      "hyper_params:",
                                                      "  params: {--lr: 0.1}"}),
                                               QStringLiteral("c.yml"));
    QVERIFY(file.ok());
    const RunConfig flags = RunConfig::fromOptions({{QStringLiteral("instance_type"), QStringLiteral("cpu-1")}}, {});
    const RunConfig m = RunConfig::merged(file, flags);
    QVERIFY2(m.ok(), qPrintable(m.error));
    QCOMPARE(m.instanceType, QStringLiteral("cpu-1"));
    QCOMPARE(m.gpus, 1);
    QCOMPARE(m.localdir, true);
    QCOMPARE(m.params.size(), 1);
}

void TestRunConfig::otherDatastoreOnCommandLineDropsFileVersion()
{
    const RunConfig file = RunConfig::fromYaml(lines({"compute:", "  train:", "    datastore_name: a", "    datastore_version: 4",
                                                      "    datastore_mount_dir: /a"}),
                                               QStringLiteral("c.yml"));
    const RunConfig other = RunConfig::merged(file, RunConfig::fromOptions({{QStringLiteral("datastore_name"), QStringLiteral("b")}}, {}));
    QCOMPARE(other.datastoreName, QStringLiteral("b"));
    QVERIFY(!other.datastoreVersion);
    QVERIFY(!other.datastoreMountDir);
    const RunConfig same = RunConfig::merged(file, RunConfig::fromOptions({{QStringLiteral("datastore_name"), QStringLiteral("a")}}, {}));
    QCOMPARE(same.datastoreVersion, 4);
}

void TestRunConfig::randomSearchNeedsTrials()
{
    const RunConfig m = RunConfig::merged(RunConfig(), RunConfig::fromOptions({{QStringLiteral("strategy"), QStringLiteral("random_search")}}, {}));
    QVERIFY(!m.ok());
    QVERIFY2(m.error.contains(QStringLiteral("--num_trials")), qPrintable(m.error));
    const RunConfig file = RunConfig::fromYaml(lines({"hyper_params:", "  settings: {strategy: random_search}"}), QStringLiteral("c.yml"));
    const RunConfig ok = RunConfig::merged(file, RunConfig::fromOptions({{QStringLiteral("num_trials"), QStringLiteral("3")}}, {}));
    QVERIFY2(ok.ok(), qPrintable(ok.error));
}

void TestRunConfig::memoryNeedsAUnit()
{
    QVERIFY(!RunConfig::fromOptions({{QStringLiteral("memory"), QStringLiteral("100")}}, {}).ok());
    QVERIFY(RunConfig::fromOptions({{QStringLiteral("memory"), QStringLiteral("1.5GiB")}}, {}).ok());
    QVERIFY(!RunConfig::fromYaml(lines({"compute:", "  train:", "    memory: 16"}), QStringLiteral("c.yml")).ok());
}

void TestRunConfig::loadMissingFile()
{
    QTemporaryDir dir;
    const RunConfig c = RunConfig::load(dir.filePath(QStringLiteral("nope.yml")));
    QVERIFY(!c.ok());
    QVERIFY2(c.error.contains(QStringLiteral("nope.yml")), qPrintable(c.error));
}

QTEST_GUILESS_MAIN(TestRunConfig)
#include "test_runconfig.moc"
