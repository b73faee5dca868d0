// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/resources/machineinventory.h"

#include <QTest>

using namespace og;
using namespace Qt::StringLiterals;

class TestMachineInventory final : public QObject
{
    Q_OBJECT

private slots:
    void memTotal_data();
    void memTotal();
    void nvidiaSmiCsv();
    void nvidiaSmiCsvWithoutGpus();
    void detectsThisMachine();
};

void TestMachineInventory::memTotal_data()
{
    QTest::addColumn<QByteArray>("meminfo");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("linux") << QByteArray("MemTotal:       24536008 kB\n"
                                         "MemFree:         1234567 kB\n"
                                         "MemAvailable:   20000000 kB\n")
                           << Q_INT64_C(24536008) * 1024;
    QTest::newRow("not first") << QByteArray("Garbage\nMemFree: 1 kB\nMemTotal: 2048 kB")
                               << Q_INT64_C(2048) * 1024;
    QTest::newRow("missing") << QByteArray("MemFree:         1234567 kB\n") << Q_INT64_C(0);
    QTest::newRow("empty") << QByteArray() << Q_INT64_C(0);
    QTest::newRow("not a number") << QByteArray("MemTotal: lots kB\n") << Q_INT64_C(0);
    QTest::newRow("no unit") << QByteArray("MemTotal: 2048\n") << Q_INT64_C(0);
    QTest::newRow("MemTotalish") << QByteArray("MemTotalX: 2048 kB\n") << Q_INT64_C(0);
}

void TestMachineInventory::memTotal()
{
    QFETCH(QByteArray, meminfo);
    QFETCH(qint64, bytes);
    QCOMPARE(parseMemTotal(meminfo), bytes);
}

void TestMachineInventory::nvidiaSmiCsv()
{
    const QByteArray csv =
        "0, NVIDIA H100 80GB HBM3, 81559, GPU-6b4c1a1e-7d3f-4a8e-9b0c-1d2e3f405162\n"
        "\n"
        "garbage without commas\n"
        "x, NVIDIA H100 80GB HBM3, 81559, GPU-bad-index\n"
        "2, NVIDIA H100 80GB HBM3, [N/A], GPU-no-memory\n"
        "3, , 81559, GPU-no-name\n"
        "4, Quadro RTX 8000, Rev. B, 46080, GPU-comma-in-name\r\n"
        "5, NVIDIA A10, 23028,\n";
    const QList<GpuDevice> gpus = parseNvidiaSmiCsv(csv);
    QCOMPARE(gpus.size(), 2);
    QCOMPARE(gpus.at(0), (GpuDevice{0, u"NVIDIA H100 80GB HBM3"_s, Q_INT64_C(81559) << 20,
                                    u"GPU-6b4c1a1e-7d3f-4a8e-9b0c-1d2e3f405162"_s}));
    QCOMPARE(gpus.at(1), (GpuDevice{4, u"Quadro RTX 8000, Rev. B"_s, Q_INT64_C(46080) << 20,
                                    u"GPU-comma-in-name"_s}));
}

void TestMachineInventory::nvidiaSmiCsvWithoutGpus()
{
    QVERIFY(parseNvidiaSmiCsv("No devices were found\n").isEmpty());
    QVERIFY(parseNvidiaSmiCsv("NVIDIA-SMI has failed because it couldn't communicate with the "
                              "NVIDIA driver. Make sure that the latest NVIDIA driver is installed "
                              "and running.\n")
                .isEmpty());
    QVERIFY(parseNvidiaSmiCsv(QByteArray()).isEmpty());
}

void TestMachineInventory::detectsThisMachine()
{
    // Whatever this machine has, detection must succeed and give runs something to use.
    const ClusterResources machine = detectLocalMachine();
    QVERIFY(machine.cpus >= 1);
    QVERIFY(machine.memoryBytes > 0);
    for (const GpuDevice &gpu : machine.gpus) {
        QVERIFY(!gpu.name.isEmpty());
        QVERIFY(gpu.memoryBytes > 0);
    }
}

QTEST_GUILESS_MAIN(TestMachineInventory)

#include "test_machineinventory.moc"
