// SPDX-License-Identifier: GPL-3.0-or-later
// GPUs on the local backend, against a real gridd on a machine with NVIDIA GPUs: the inventory
// finds them, an experiment given a GPU sees that GPU (its /dev node, CUDA_VISIBLE_DEVICES,
// nvidia-smi and CUDA inside the sandbox) and an experiment given none sees none, and
// experiments wanting the same GPU take turns. Skipped where the machine has no GPU, as in CI.
#include "tests/support/griddprocess.h"
#include "tests/support/runfixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using og::ApiResult;
using og::test::GriddProcess;

namespace {

// Reports what the sandbox shows of the GPUs. TORCH_PYTHON is filled in by the test with an
// interpreter that has PyTorch, when the machine has one.
const char *const kProbe =
    "#!/bin/bash\n"
    "echo \"cuda '$CUDA_VISIBLE_DEVICES'\"\n"
    "for d in /dev/nvidia*; do [ -e \"$d\" ] && echo \"dev $d\"; done\n"
    "smi=$(command -v nvidia-smi)\n"
    "if [ -n \"$smi\" ]; then\n"
    "  \"$smi\" -L 2>&1 | sed 's/^/smi /'\n"
    "  echo \"smi-exit ${PIPESTATUS[0]}\"\n"
    "fi\n"
    "if [ -n \"TORCH_PYTHON\" ]; then\n"
    "  TORCH_PYTHON -c 'import torch; print(\"torch-devices\", torch.cuda.device_count())' 2>&1 | tail -n 3\n"
    "fi\n"
    "echo \"start $(date +%s.%N)\"\n"
    "sleep \"${2:-0}\"\n"
    "echo \"end $(date +%s.%N)\"\n";

// A python3 on this machine that imports torch, or empty.
QString pythonWithTorch()
{
    for (const QString &candidate : {QStringLiteral("/opt/torch/.venv/bin/python3"), QStringLiteral("/usr/bin/python3"),
                                     QStandardPaths::findExecutable(QStringLiteral("python3"))}) {
        if (candidate.isEmpty() || !QFile::exists(candidate))
            continue;
        QProcess p;
        // Not the libraries of a copied gridd bundle (scripts/gpu-check.sh): the sandbox clears them too.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("LD_LIBRARY_PATH"));
        p.setProcessEnvironment(env);
        p.start(candidate, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return candidate;
    }
    return {};
}

double stamp(const QString &log, const QString &word)
{
    const QRegularExpression re(QStringLiteral("\\b%1 (\\d+\\.\\d+)").arg(word));
    const auto m = re.match(log);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

} // namespace

class TestGpuIsolation final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_code;
    std::unique_ptr<GriddProcess> m_gridd;
    QJsonArray m_gpus;
    QString m_torchPython;

    ApiResult submit(const QJsonObject &body) { return og::test::submitRun(*m_gridd, m_code.path(), body); }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty())
            QSKIP("bubblewrap is not installed (scripts/install-deps.sh installs it)");
        m_gridd = std::make_unique<GriddProcess>(m_dir.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        m_gpus = m_gridd->call("GET", QStringLiteral("/instance-types")).object().value(QStringLiteral("cluster"))
                     .toObject().value(QStringLiteral("gpus")).toArray();
        if (m_gpus.isEmpty())
            QSKIP("this machine has no NVIDIA GPU that gridd can see (NVML or nvidia-smi)");
        m_torchPython = pythonWithTorch();
        QFile f(m_code.filePath(QStringLiteral("probe.sh")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(kProbe).replace("TORCH_PYTHON", m_torchPython.toUtf8()));
    }

    void inventoryDescribesEachGpu()
    {
        for (const QJsonValue &v : m_gpus) {
            const QJsonObject gpu = v.toObject();
            QVERIFY2(gpu.value(QStringLiteral("uuid")).toString().startsWith(u"GPU-"), qPrintable(QJsonDocument(gpu).toJson()));
            QVERIFY(gpu.value(QStringLiteral("memory_bytes")).toDouble() > 1024.0 * 1024 * 1024);
            QVERIFY(!gpu.value(QStringLiteral("name")).toString().isEmpty());
        }
        const QJsonArray types = m_gridd->call("GET", QStringLiteral("/instance-types")).object()
                                     .value(QStringLiteral("instance_types")).toArray();
        bool foundGpu1 = false;
        for (const QJsonValue &t : types)
            foundGpu1 = foundGpu1 || t.toObject().value(QStringLiteral("name")).toString() == u"gpu-1";
        QVERIFY(foundGpu1);
    }

    void experimentSeesOnlyItsGpu()
    {
        const ApiResult r = submit({{QStringLiteral("name"), QStringLiteral("gpu-probe")}, {QStringLiteral("script"), QStringLiteral("probe.sh")},
                                    {QStringLiteral("instance_type"), QStringLiteral("gpu-1")}});
        QVERIFY2(r.httpStatus == 201, qPrintable(r.message));
        const QJsonObject run = og::test::waitForRun(*m_gridd, QStringLiteral("gpu-probe"), 120000);
        const QString log = og::test::experimentLog(*m_gridd, QStringLiteral("gpu-probe-exp0"));
        qInfo().noquote() << log;
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        // The first GPU of the machine (gpu-1 takes the biggest; all of ours are alike or one).
        QStringList uuids;
        for (const QJsonValue &v : m_gpus)
            uuids << v.toObject().value(QStringLiteral("uuid")).toString();
        const QRegularExpression cuda(QStringLiteral("cuda '(GPU-[0-9a-f-]+)'"));
        const auto m = cuda.match(log);
        QVERIFY2(m.hasMatch(), qPrintable(log));
        QVERIFY(uuids.contains(m.captured(1)));
        // nvidia-smi inside the sandbox lists exactly that GPU.
        QVERIFY2(log.contains(QStringLiteral("smi-exit 0")), qPrintable(log));
        QCOMPARE(log.count(QRegularExpression(QStringLiteral("smi GPU \\d+:"))), 1);
        QVERIFY(log.contains(m.captured(1)));
        if (!m_torchPython.isEmpty())
            QVERIFY2(log.contains(QStringLiteral("torch-devices 1")), qPrintable(log));
    }

    void experimentWithoutGpusSeesNone()
    {
        const ApiResult r = submit({{QStringLiteral("name"), QStringLiteral("cpu-probe")}, {QStringLiteral("script"), QStringLiteral("probe.sh")},
                                    {QStringLiteral("instance_type"), QStringLiteral("cpu-1")}});
        QVERIFY2(r.httpStatus == 201, qPrintable(r.message));
        const QJsonObject run = og::test::waitForRun(*m_gridd, QStringLiteral("cpu-probe"), 120000);
        const QString log = og::test::experimentLog(*m_gridd, QStringLiteral("cpu-probe-exp0"));
        qInfo().noquote() << log;
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QVERIFY(log.contains(QStringLiteral("cuda ''")));
        QVERIFY2(!log.contains(QStringLiteral("dev /dev/nvidia")), qPrintable(log));
        QCOMPARE(log.count(QRegularExpression(QStringLiteral("smi GPU \\d+:"))), 0);
        if (!m_torchPython.isEmpty())
            QVERIFY2(log.contains(QStringLiteral("torch-devices 0")), qPrintable(log));
    }

    void experimentsSharingTheGpusTakeTurns()
    {
        // One more experiment than GPUs, each wanting all of them: never two at once.
        const int n = int(m_gpus.size());
        const ApiResult r = submit({{QStringLiteral("name"), QStringLiteral("gpu-turns")}, {QStringLiteral("script"), QStringLiteral("probe.sh")},
                                    {QStringLiteral("instance_type"), QStringLiteral("gpu-%1").arg(n)},
                                    {QStringLiteral("args"), QJsonArray{QStringLiteral("--seconds"), QStringLiteral("[2, 3]")}}});
        QVERIFY2(r.httpStatus == 201, qPrintable(r.message));
        const QJsonObject run = og::test::waitForRun(*m_gridd, QStringLiteral("gpu-turns"), 180000);
        QCOMPARE(run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        const QString a = og::test::experimentLog(*m_gridd, QStringLiteral("gpu-turns-exp0"));
        const QString b = og::test::experimentLog(*m_gridd, QStringLiteral("gpu-turns-exp1"));
        const double aStart = stamp(a, QStringLiteral("start")), aEnd = stamp(a, QStringLiteral("end"));
        const double bStart = stamp(b, QStringLiteral("start")), bEnd = stamp(b, QStringLiteral("end"));
        QVERIFY2(aStart > 0 && aEnd > 0 && bStart > 0 && bEnd > 0, qPrintable(a + u'\n' + b));
        QVERIFY2(aEnd <= bStart || bEnd <= aStart, qPrintable(a + u'\n' + b));
    }
};

QTEST_GUILESS_MAIN(TestGpuIsolation)
#include "test_gpu_isolation.moc"
