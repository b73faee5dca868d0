// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/resources/instancetyperegistry.h"

#include <QTest>

using namespace og;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 GiB = Q_INT64_C(1) << 30;

// The smallest machine we expect to see: 2 CPUs, 23.4 GiB, no GPUs.
ClusterResources smallCluster()
{
    return {2, 24536008 * Q_INT64_C(1024), {}};
}

ClusterResources gpuCluster()
{
    return {16,
            128 * GiB,
            {{0, u"NVIDIA A100-SXM4-40GB"_s, 40 * GiB, u"GPU-a"_s},
             {1, u"NVIDIA A100-SXM4-40GB"_s, 40 * GiB, u"GPU-b"_s}}};
}

QStringList namesFrom(const QList<InstanceType> &types, const QString &source)
{
    QStringList names;
    for (const InstanceType &type : types)
        if (type.source == source)
            names << type.name;
    return names;
}

InstanceType typeNamed(const QList<InstanceType> &types, const QString &name)
{
    for (const InstanceType &type : types)
        if (type.name == name)
            return type;
    return {};
}

InstanceType configured(const QString &name, const InstanceShape &shape)
{
    return {name, shape, {}, {}, true, {}};
}

} // namespace

class TestInstanceTypeRegistry final : public QObject
{
    Q_OBJECT

private slots:
    void machineShapesWithoutGpus();
    void machineShapesWithGpus();
    void machineShapesOfMixedGpus();
    void listOrderAndAvailability();
    void resolvesMachineShapes();
    void configOverridesCatalogAndMachine();
    void nicknamesIgnoreCaseAndGpuModel();
    void unknownNameIs404();
    void unsatisfiableIs422();
    void unsatisfiableConfiguredType();
    void fitsComparesGpuMemory();
};

void TestInstanceTypeRegistry::machineShapesWithoutGpus()
{
    const InstanceTypeRegistry registry(smallCluster(), {});
    const QList<InstanceType> types = registry.list();
    QCOMPARE(namesFrom(types, u"machine"_s), (QStringList{u"cpu-1"_s, u"cpu-2"_s}));
    QCOMPARE(typeNamed(types, u"cpu-1"_s).shape,
             (InstanceShape{1, smallCluster().memoryBytes / 2, 0, {}, 0}));
    QCOMPARE(typeNamed(types, u"cpu-2"_s).shape,
             (InstanceShape{2, smallCluster().memoryBytes, 0, {}, 0}));

    const InstanceTypeRegistry twelve({12, 12 * GiB, {}}, {});
    QCOMPARE(namesFrom(twelve.list(), u"machine"_s),
             (QStringList{u"cpu-1"_s, u"cpu-2"_s, u"cpu-4"_s, u"cpu-8"_s, u"cpu-12"_s}));
    QCOMPARE(typeNamed(twelve.list(), u"cpu-8"_s).shape.memoryBytes, 8 * GiB);
}

void TestInstanceTypeRegistry::machineShapesWithGpus()
{
    const InstanceTypeRegistry registry(gpuCluster(), {});
    const QList<InstanceType> types = registry.list();
    QCOMPARE(namesFrom(types, u"machine"_s),
             (QStringList{u"cpu-1"_s, u"cpu-2"_s, u"cpu-4"_s, u"cpu-8"_s, u"cpu-16"_s, u"gpu-1"_s,
                          u"gpu-2"_s}));
    QCOMPARE(typeNamed(types, u"cpu-4"_s).shape, (InstanceShape{4, 32 * GiB, 0, {}, 0}));
    QCOMPARE(typeNamed(types, u"gpu-1"_s).shape,
             (InstanceShape{8, 64 * GiB, 1, u"NVIDIA A100-SXM4-40GB"_s, 40 * GiB}));
    QCOMPARE(typeNamed(types, u"gpu-2"_s).shape,
             (InstanceShape{16, 128 * GiB, 2, u"NVIDIA A100-SXM4-40GB"_s, 40 * GiB}));
    for (const InstanceType &type : types)
        if (type.source == u"machine"_s)
            QVERIFY2(type.available, qPrintable(type.name));
}

void TestInstanceTypeRegistry::machineShapesOfMixedGpus()
{
    // gpu-1 may promise the big GPU; gpu-2 only what both GPUs have.
    const ClusterResources mixed{8,
                                 64 * GiB,
                                 {{0, u"NVIDIA GeForce RTX 4090"_s, 24 * GiB, u"GPU-s"_s},
                                  {1, u"NVIDIA H100 80GB HBM3"_s, 80 * GiB, u"GPU-b"_s}}};
    const InstanceTypeRegistry registry(mixed, {});
    const InstanceType one = typeNamed(registry.list(), u"gpu-1"_s);
    const InstanceType two = typeNamed(registry.list(), u"gpu-2"_s);
    QCOMPARE(one.shape.gpuMemoryBytes, 80 * GiB);
    QCOMPARE(one.shape.gpuType, u"NVIDIA H100 80GB HBM3"_s);
    QCOMPARE(two.shape.gpuMemoryBytes, 24 * GiB);
    QVERIFY(one.available);
    QVERIFY(two.available);
}

void TestInstanceTypeRegistry::listOrderAndAvailability()
{
    const InstanceTypeRegistry registry(smallCluster(),
                                        {configured(u"small"_s, {1, GiB, 0, {}, 0})});
    const QList<InstanceType> types = registry.list();
    QCOMPARE(types.at(0).source, u"machine"_s);
    QCOMPARE(types.at(2).name, u"small"_s);
    QCOMPARE(types.at(2).source, u"config"_s);
    QCOMPARE(types.at(3).source, u"grid"_s);
    QCOMPARE(types.last().source, u"grid"_s);

    const InstanceType p3 = typeNamed(types, u"p3.16xlarge"_s);
    QCOMPARE(p3.aliases, QStringList{u"8_v100_16gb"_s});
    QVERIFY(!p3.available);
    QVERIFY2(p3.unavailableReason.contains(u"64 CPUs (has 2)"_s), qPrintable(p3.unavailableReason));
    QVERIFY(p3.unavailableReason.contains(u"8 GPUs with at least 16 GiB each (has none)"_s));

    const InstanceType medium = typeNamed(types, u"t2.medium"_s);
    QVERIFY(medium.available);
    QVERIFY(medium.unavailableReason.isEmpty());
}

void TestInstanceTypeRegistry::resolvesMachineShapes()
{
    const InstanceTypeRegistry registry(smallCluster(), {});
    const InstanceTypeResolution resolution = registry.resolve(u" CPU-2 "_s);
    QCOMPARE(resolution.httpStatus, 200);
    QVERIFY(resolution.errorCode.isEmpty());
    QVERIFY(resolution.type);
    QCOMPARE(resolution.type->name, u"cpu-2"_s);
    QCOMPARE(resolution.type->source, u"machine"_s);
    QVERIFY(resolution.type->available);
}

void TestInstanceTypeRegistry::configOverridesCatalogAndMachine()
{
    const InstanceShape modest{2, 8 * GiB, 0, {}, 0};
    const InstanceTypeRegistry registry(
        smallCluster(),
        {configured(u"g3.8xlarge"_s, modest), configured(u"cpu-1"_s, {1, 2 * GiB, 0, {}, 0})});

    for (const QString &name : {u"g3.8xlarge"_s, u"G3.8XLARGE"_s, u"2_m60_8gb"_s}) {
        const InstanceTypeResolution resolution = registry.resolve(name);
        QCOMPARE(resolution.httpStatus, 200);
        QCOMPARE(resolution.type->source, u"config"_s);
        QCOMPARE(resolution.type->shape, modest);
    }
    QCOMPARE(registry.resolve(u"cpu-1"_s).type->shape.memoryBytes, 2 * GiB);
    QCOMPARE(registry.resolve(u"cpu-1"_s).type->source, u"config"_s);

    // list() shows only the types resolve() can reach.
    const QList<InstanceType> types = registry.list();
    QCOMPARE(std::count_if(types.cbegin(), types.cend(),
                           [](const InstanceType &t) { return t.name == u"g3.8xlarge"_s; }),
             1);
    QCOMPARE(namesFrom(types, u"machine"_s), QStringList{u"cpu-2"_s});
}

void TestInstanceTypeRegistry::nicknamesIgnoreCaseAndGpuModel()
{
    // An A100 serves a request for a T4: only count and memory per GPU matter.
    const InstanceTypeRegistry registry(gpuCluster(), {});
    const InstanceTypeResolution resolution = registry.resolve(u"1_T4_16GB"_s);
    QCOMPARE(resolution.httpStatus, 200);
    QCOMPARE(resolution.type->name, u"g4dn.xlarge"_s);
    QCOMPARE(resolution.type->source, u"grid"_s);
    QVERIFY(resolution.type->available);
    QCOMPARE(registry.resolve(u"2_V100_16gb"_s).httpStatus, 404); // no such Grid nickname
    QCOMPARE(registry.resolve(u"4_V100_16GB"_s).httpStatus, 422); // 4 GPUs, we have 2
}

void TestInstanceTypeRegistry::unknownNameIs404()
{
    const InstanceTypeRegistry registry(smallCluster(), {});
    const InstanceTypeResolution resolution = registry.resolve(u"p9.huge"_s);
    QCOMPARE(resolution.httpStatus, 404);
    QCOMPARE(resolution.errorCode, u"unknown_instance_type"_s);
    QVERIFY(!resolution.type);
    QVERIFY2(resolution.message.contains(u"'p9.huge'"_s), qPrintable(resolution.message));
    QVERIFY(resolution.message.contains(u"cpu-1"_s));
    QVERIFY(resolution.message.contains(u"`grid instance-types`"_s));
    QCOMPARE(registry.resolve(QString()).httpStatus, 404);
}

void TestInstanceTypeRegistry::unsatisfiableIs422()
{
    const InstanceTypeRegistry registry(smallCluster(), {});
    InstanceTypeResolution resolution = registry.resolve(u"g3.8xlarge"_s);
    QCOMPARE(resolution.httpStatus, 422);
    QCOMPARE(resolution.errorCode, u"instance_type_unsatisfiable"_s);
    QVERIFY(!resolution.type);
    QCOMPARE(resolution.message,
             u"Instance type 'g3.8xlarge' needs 2 GPUs (M60, 8 GiB each), 32 CPUs and 244 GiB of "
             u"memory, but this cluster has 2 CPUs, 23.4 GiB memory and no GPUs. Choose a type "
             u"from `grid instance-types`, or ask the administrator to define 'g3.8xlarge' in "
             u"gridd's config."_s);

    resolution = registry.resolve(u"2_M60_8GB"_s);
    QCOMPARE(resolution.httpStatus, 422);
    QVERIFY2(resolution.message.startsWith(u"Instance type '2_M60_8GB' (g3.8xlarge) needs"_s),
             qPrintable(resolution.message));
    QVERIFY(resolution.message.contains(u"define 'g3.8xlarge'"_s));
}

void TestInstanceTypeRegistry::unsatisfiableConfiguredType()
{
    const InstanceTypeRegistry registry(smallCluster(),
                                        {configured(u"huge"_s, {4, 512 * GiB, 0, {}, 0})});
    const InstanceTypeResolution resolution = registry.resolve(u"huge"_s);
    QCOMPARE(resolution.httpStatus, 422);
    QVERIFY2(resolution.message.contains(u"needs 4 CPUs and 512 GiB of memory"_s),
             qPrintable(resolution.message));
    QVERIFY(resolution.message.contains(u"change 'huge' in gridd's config"_s));
    QVERIFY(!typeNamed(registry.list(), u"huge"_s).available);
}

void TestInstanceTypeRegistry::fitsComparesGpuMemory()
{
    const ClusterResources cluster{8, 32 * GiB, {{0, u"Tesla T4"_s, 16 * GiB, u"GPU-t"_s}}};
    QString whyNot;
    QVERIFY(InstanceTypeRegistry::fits({8, 32 * GiB, 1, u"V100"_s, 16 * GiB}, cluster, &whyNot));
    QVERIFY(whyNot.isEmpty());
    QVERIFY(!InstanceTypeRegistry::fits({1, GiB, 1, {}, 32 * GiB}, cluster, &whyNot));
    QCOMPARE(whyNot, u"needs 1 GPU with at least 32 GiB (has 0 of 1 with enough memory)"_s);
    QVERIFY(!InstanceTypeRegistry::fits({9, 33 * GiB, 0, {}, 0}, cluster, nullptr));
}

QTEST_APPLESS_MAIN(TestInstanceTypeRegistry)

#include "test_instancetyperegistry.moc"
