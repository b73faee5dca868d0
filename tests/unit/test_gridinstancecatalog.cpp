// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/instancetype.h"
#include "core/gridinstancecatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace og;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 GiB = Q_INT64_C(1) << 30;
}

class TestGridInstanceCatalog final : public QObject
{
    Q_OBJECT

private slots:
    void nicknamesOfGridCli_data();
    void nicknamesOfGridCli();
    void awsShapes_data();
    void awsShapes();
    void namesIgnoreCaseAndWhitespace();
    void sharedNicknameTakesSmallestType();
    void unknownNamesAreNotFound();
    void catalogIsConsistent();
    void instanceTypeJsonRoundTrip();
    void clusterResourcesJsonRoundTrip();
    void describe();
};

void TestGridInstanceCatalog::nicknamesOfGridCli_data()
{
    QTest::addColumn<QString>("awsName");
    QTest::addColumn<QString>("nickname");
    // The map of Grid's CLI v0.8 (grid-reference.md §9).
    const QList<std::pair<QString, QString>> map = {
        {u"p3.16xlarge"_s, u"8_v100_16gb"_s}, {u"p3dn.24xlarge"_s, u"8_v100_32gb"_s},
        {u"g4dn.metal"_s, u"8_t4_16gb"_s},    {u"p2.8xlarge"_s, u"8_k80_12gb"_s},
        {u"p3.8xlarge"_s, u"4_v100_16gb"_s},  {u"g4dn.12xlarge"_s, u"4_t4_16gb"_s},
        {u"g3.16xlarge"_s, u"4_m60_8gb"_s},   {u"g3.8xlarge"_s, u"2_m60_8gb"_s},
        {u"p3.2xlarge"_s, u"1_v100_16gb"_s},  {u"g4dn.xlarge"_s, u"1_t4_16gb"_s},
        {u"g4dn.2xlarge"_s, u"1_t4_16gb"_s},  {u"g4dn.4xlarge"_s, u"1_t4_16gb"_s},
        {u"g4dn.8xlarge"_s, u"1_t4_16gb"_s},  {u"g4dn.16xlarge"_s, u"1_t4_16gb"_s},
        {u"p2.xlarge"_s, u"1_k80_12gb"_s},    {u"g3s.xlarge"_s, u"1_m60_8gb"_s},
        {u"g3.4xlarge"_s, u"1_m60_8gb"_s},    {u"m5a.large"_s, u"2_cpu_8gb"_s},
        {u"t2.large"_s, u"2_cpu_8gb"_s},      {u"t2.medium"_s, u"2_cpu_4gb"_s},
    };
    for (const auto &[awsName, nickname] : map)
        QTest::newRow(qPrintable(awsName)) << awsName << nickname;
}

void TestGridInstanceCatalog::nicknamesOfGridCli()
{
    QFETCH(QString, awsName);
    QFETCH(QString, nickname);
    const auto entry = findGridInstance(awsName);
    QVERIFY(entry);
    QCOMPARE(entry->awsName, awsName);
    QCOMPARE(entry->nickname, nickname);
    QVERIFY(findGridInstance(nickname));
}

void TestGridInstanceCatalog::awsShapes_data()
{
    QTest::addColumn<QString>("awsName");
    QTest::addColumn<InstanceShape>("shape");
    QTest::newRow("g3.8xlarge") << u"g3.8xlarge"_s
                                << InstanceShape{32, 244 * GiB, 2, u"M60"_s, 8 * GiB};
    QTest::newRow("p3.2xlarge") << u"p3.2xlarge"_s
                                << InstanceShape{8, 61 * GiB, 1, u"V100"_s, 16 * GiB};
    QTest::newRow("g4dn.xlarge") << u"g4dn.xlarge"_s
                                 << InstanceShape{4, 16 * GiB, 1, u"T4"_s, 16 * GiB};
    QTest::newRow("g3s.xlarge") << u"g3s.xlarge"_s
                                << InstanceShape{4, 61 * GiB / 2, 1, u"M60"_s, 8 * GiB};
    QTest::newRow("p3dn.24xlarge")
        << u"p3dn.24xlarge"_s << InstanceShape{96, 768 * GiB, 8, u"V100"_s, 32 * GiB};
    QTest::newRow("t2.medium") << u"t2.medium"_s << InstanceShape{2, 4 * GiB, 0, {}, 0};
    QTest::newRow("m5a.2xlarge") << u"m5a.2xlarge"_s << InstanceShape{8, 32 * GiB, 0, {}, 0};
    QTest::newRow("t2.xlarge") << u"t2.xlarge"_s << InstanceShape{4, 16 * GiB, 0, {}, 0};
}

void TestGridInstanceCatalog::awsShapes()
{
    QFETCH(QString, awsName);
    QFETCH(InstanceShape, shape);
    const auto entry = findGridInstance(awsName);
    QVERIFY(entry);
    QCOMPARE(entry->shape, shape);
}

void TestGridInstanceCatalog::namesIgnoreCaseAndWhitespace()
{
    QCOMPARE(findGridInstance(u"2_M60_8GB"_s)->awsName, u"g3.8xlarge"_s);
    QCOMPARE(findGridInstance(u"  G3.8XLarge\n"_s)->awsName, u"g3.8xlarge"_s);
    QCOMPARE(findGridInstance(u" 8_V100_32gb "_s)->awsName, u"p3dn.24xlarge"_s);
}

void TestGridInstanceCatalog::sharedNicknameTakesSmallestType()
{
    // Grid's CLI would have answered g4dn.16xlarge, g3.4xlarge and t2.large.
    QCOMPARE(findGridInstance(u"1_t4_16gb"_s)->awsName, u"g4dn.xlarge"_s);
    QCOMPARE(findGridInstance(u"1_m60_8gb"_s)->awsName, u"g3s.xlarge"_s);
    QCOMPARE(findGridInstance(u"2_cpu_8gb"_s)->shape, (InstanceShape{2, 8 * GiB, 0, {}, 0}));
}

void TestGridInstanceCatalog::unknownNamesAreNotFound()
{
    QVERIFY(!findGridInstance(u"p9.huge"_s));
    QVERIFY(!findGridInstance(u"3_m60_8gb"_s));
    QVERIFY(!findGridInstance(QString()));
    QVERIFY(!findGridInstance(u"   "_s));
}

void TestGridInstanceCatalog::catalogIsConsistent()
{
    // Each nickname spells out its shape: <count>_<accelerator or cpu>_<memory>.
    QSet<QString> awsNames;
    for (const GridInstanceEntry &entry : gridInstanceCatalog()) {
        QVERIFY2(!awsNames.contains(entry.awsName), qPrintable(entry.awsName));
        awsNames.insert(entry.awsName);
        const QStringList parts = entry.nickname.split(u'_');
        QCOMPARE(parts.size(), 3);
        const int count = parts.at(0).toInt();
        const qint64 memory = parts.at(2).chopped(2).toLongLong() * GiB;
        if (parts.at(1) == u"cpu"_s) {
            QCOMPARE(entry.shape.cpus, count);
            QCOMPARE(entry.shape.memoryBytes, memory);
            QCOMPARE(entry.shape.gpus, 0);
        } else {
            QCOMPARE(entry.shape.gpus, count);
            QCOMPARE(entry.shape.gpuType.toLower(), parts.at(1));
            QCOMPARE(entry.shape.gpuMemoryBytes, memory);
            QVERIFY(entry.shape.cpus >= 4);
        }
    }
}

void TestGridInstanceCatalog::instanceTypeJsonRoundTrip()
{
    InstanceType type{
        u"gpu-2"_s,   {16, 125 * GiB + 12345, 2, u"NVIDIA H200"_s, 143771 * (Q_INT64_C(1) << 20)},
        u"machine"_s, {u"big"_s, u"2_h200_140gb"_s},
        false,        u"needs 2 GPUs (has 1)"_s};
    const QJsonObject json = type.toJson();
    QCOMPARE(json.value(u"gpu_memory_bytes"_s).toInteger(), type.shape.gpuMemoryBytes);
    QCOMPARE(json.value(u"unavailable_reason"_s).toString(), type.unavailableReason);
    const QJsonObject reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    QCOMPARE(InstanceType::fromJson(reparsed), type);

    for (const GridInstanceEntry &entry : gridInstanceCatalog()) {
        const InstanceType grid{entry.awsName, entry.shape, u"grid"_s, {entry.nickname}, true, {}};
        QCOMPARE(InstanceType::fromJson(grid.toJson()), grid);
    }
}

void TestGridInstanceCatalog::clusterResourcesJsonRoundTrip()
{
    const ClusterResources cluster{
        16,
        Q_INT64_C(134936481792),
        {{0, u"NVIDIA H200"_s, 150754820096, u"GPU-5b8c0d2e-1f6a-4b71-9c3e-0a1b2c3d4e5f"_s},
         {1, u"NVIDIA H200"_s, 150754820096, u"GPU-6c9d1e3f-2a7b-4c82-8d4f-1b2c3d4e5f60"_s}}};
    const QJsonObject json = cluster.toJson();
    QCOMPARE(json.value(u"gpus"_s).toArray().size(), 2);
    QCOMPARE(json.value(u"gpus"_s).toArray().at(1).toObject().value(u"index"_s).toInt(), 1);
    const QJsonObject reparsed = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    QCOMPARE(ClusterResources::fromJson(reparsed), cluster);
}

void TestGridInstanceCatalog::describe()
{
    QCOMPARE(formatGiB(24536008 * Q_INT64_C(1024)), u"23.4 GiB"_s);
    QCOMPARE(formatGiB(8 * GiB), u"8 GiB"_s);
    QCOMPARE(formatGiB(GiB / 2), u"0.5 GiB"_s);
    QCOMPARE(formatGiB(143771 * (Q_INT64_C(1) << 20)), u"140 GiB"_s);

    QCOMPARE((ClusterResources{2, 24536008 * Q_INT64_C(1024), {}}.describe()),
             u"2 CPUs, 23.4 GiB memory and no GPUs"_s);
    QCOMPARE((ClusterResources{16, 125 * GiB, {{0, u"NVIDIA H200"_s, 140 * GiB, u"GPU-1"_s}}}
                  .describe()),
             u"16 CPUs, 125 GiB memory and 1 GPU (NVIDIA H200, 140 GiB)"_s);
    QCOMPARE((ClusterResources{1, GiB, {{0, u"A"_s, 16 * GiB, {}}, {1, u"A"_s, 16 * GiB, {}}}}
                  .describe()),
             u"1 CPU, 1 GiB memory and 2 GPUs (A, 16 GiB each)"_s);
    QCOMPARE((ClusterResources{4, GiB, {{0, u"A"_s, 16 * GiB, {}}, {1, u"B"_s, 24 * GiB, {}}}}
                  .describe()),
             u"4 CPUs, 1 GiB memory and 2 GPUs (A 16 GiB, B 24 GiB)"_s);

    QCOMPARE(findGridInstance(u"g3.8xlarge"_s)->shape.describe(),
             u"2 GPUs (M60, 8 GiB each), 32 CPUs and 244 GiB of memory"_s);
    QCOMPARE(findGridInstance(u"p3.2xlarge"_s)->shape.describe(),
             u"1 GPU (V100, 16 GiB), 8 CPUs and 61 GiB of memory"_s);
    QCOMPARE(findGridInstance(u"t2.medium"_s)->shape.describe(), u"2 CPUs and 4 GiB of memory"_s);
}

QTEST_APPLESS_MAIN(TestGridInstanceCatalog)

#include "test_gridinstancecatalog.moc"
