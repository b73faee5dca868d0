// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/config.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using og::ServerConfig;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;
constexpr qint64 kMiB = qint64(1) << 20;

const char kFullExample[] = R"(# gridd on a lab machine
mode: server
listen: 0.0.0.0:8443
data_dir: /var/lib/opengrid
tls:
  certificate: /etc/opengrid/cert.pem
  key: /etc/opengrid/key.pem
limits:
  max_body: 4MiB
  request_timeout_seconds: 60
workers: 8
log_rules: "opengrid.*.debug=true"
instance_types:
  - name: GPU-Large
    cpus: 32
    memory: 244GiB
    gpus: 2
    gpu_type: M60
    gpu_memory: 8 GiB
  - name: cpu-small
    memory: 2g
)";

std::optional<ServerConfig> load(const QByteArray &yaml, QString *error)
{
    error->clear();
    return ServerConfig::fromYaml(yaml, error);
}

} // namespace

class TestConfig final : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void emptyDocumentGivesDefaults();
    void fullExample();
    void homeRelativePaths();
    void fromFile();
    void fromFileMissing();
    void unknownKeyIsNamed();
    void badYamlHasLineNumber();
    void wrongValueTypeIsAnError();
    void notAMapping();
    void badMode();
    void badLimits_data();
    void badLimits();
    void badInstanceTypes_data();
    void badInstanceTypes();
    void badListenInYaml();
    void setListen_data();
    void setListen();
    void setListenRejects_data();
    void setListenRejects();
    void setListenRejectsMalformedHosts_data();
    void setListenRejectsMalformedHosts();
    void validateLoopbackWithoutTls_data();
    void validateLoopbackWithoutTls();
    void validateRefusesNetworkWithoutTls();
    void validateServerModeWithTlsOnNetwork();
    void validateRefusesLocalModeOnNetwork();
    void validateRefusesCertWithoutKey();
    void parseByteSize_data();
    void parseByteSize();
};

void TestConfig::defaults()
{
    const ServerConfig c;
    QCOMPARE(c.mode, ServerConfig::Mode::Local);
    QCOMPARE(c.modeName(), QStringLiteral("local"));
    QCOMPARE(c.listenHost, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.listenPort, quint16(7411));
    QVERIFY(!c.tlsEnabled());
    QVERIFY(c.bindsLoopbackOnly());
    QCOMPARE(c.validate(), QString());
}

void TestConfig::emptyDocumentGivesDefaults()
{
    QString error;
    for (const QByteArray &yaml :
         {QByteArray(), QByteArray("\n"), QByteArray("# only a comment\n")}) {
        const auto c = load(yaml, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->mode, ServerConfig::Mode::Local);
        QCOMPARE(c->listenPort, quint16(7411));
        QCOMPARE(c->maxBodyBytes, qint64(1) << 20);
        QVERIFY(c->instanceTypes.isEmpty());
    }
}

void TestConfig::fullExample()
{
    QString error;
    const auto c = load(kFullExample, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->mode, ServerConfig::Mode::Server);
    QCOMPARE(c->modeName(), QStringLiteral("server"));
    QCOMPARE(c->listenHost, QStringLiteral("0.0.0.0"));
    QCOMPARE(c->listenPort, quint16(8443));
    QCOMPARE(c->dataDir, QStringLiteral("/var/lib/opengrid"));
    QCOMPARE(c->tlsCertificate, QStringLiteral("/etc/opengrid/cert.pem"));
    QCOMPARE(c->tlsKey, QStringLiteral("/etc/opengrid/key.pem"));
    QVERIFY(c->tlsEnabled());
    QCOMPARE(c->maxBodyBytes, 4 * kMiB);
    QCOMPARE(c->requestTimeoutSeconds, 60);
    QCOMPARE(c->workerThreads, 8);
    QCOMPARE(c->logRules, QStringLiteral("opengrid.*.debug=true"));

    QCOMPARE(c->instanceTypes.size(), 2);
    const og::InstanceType &large = c->instanceTypes[0];
    QCOMPARE(large.name, QStringLiteral("gpu-large")); // names are case-insensitive: stored lower
    QCOMPARE(large.source, QStringLiteral("config"));
    QCOMPARE(large.shape.cpus, 32);
    QCOMPARE(large.shape.memoryBytes, 244 * kGiB);
    QCOMPARE(large.shape.gpus, 2);
    QCOMPARE(large.shape.gpuType, QStringLiteral("M60"));
    QCOMPARE(large.shape.gpuMemoryBytes, 8 * kGiB);
    QVERIFY(large.available);

    const og::InstanceType &small = c->instanceTypes[1];
    QCOMPARE(small.name, QStringLiteral("cpu-small"));
    QCOMPARE(small.shape.cpus, 1); // default
    QCOMPARE(small.shape.gpus, 0);
    QCOMPARE(small.shape.memoryBytes, 2 * kGiB);
    QCOMPARE(small.shape.gpuType, QString());
    QCOMPARE(small.shape.gpuMemoryBytes, qint64(0));

    QCOMPARE(c->validate(), QString());
}

void TestConfig::homeRelativePaths()
{
    QString error;
    const auto c = load("data_dir: ~/grid-data\ntls:\n  certificate: ~/tls/cert.pem\n"
                        "  key: ~/tls/key.pem\n",
                        &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->dataDir, QDir::homePath() + QStringLiteral("/grid-data"));
    QCOMPARE(c->tlsCertificate, QDir::homePath() + QStringLiteral("/tls/cert.pem"));
    QCOMPARE(c->tlsKey, QDir::homePath() + QStringLiteral("/tls/key.pem"));
    // Only a leading "~/" is the home directory.
    const auto other = load("data_dir: /srv/~/x\n", &error);
    QVERIFY2(other, qPrintable(error));
    QCOMPARE(other->dataDir, QStringLiteral("/srv/~/x"));
}

void TestConfig::fromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("gridd.yaml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("mode: server\nlisten: 127.0.0.1:9000\n");
    f.close();
    QString error;
    const auto c = ServerConfig::fromFile(path, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->mode, ServerConfig::Mode::Server);
    QCOMPARE(c->listenPort, quint16(9000));

    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("mood: server\n");
    f.close();
    QVERIFY(!ServerConfig::fromFile(path, &error));
    // The file is named in front of the message.
    QVERIFY2(error.startsWith(path + QStringLiteral(": unknown setting 'mood'")),
             qPrintable(error));
}

void TestConfig::fromFileMissing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("absent.yaml"));
    QString error;
    QVERIFY(!ServerConfig::fromFile(path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot read config ") + path), qPrintable(error));
}

void TestConfig::unknownKeyIsNamed()
{
    QString error;
    QVERIFY(!load("mode: local\nlisten_port: 80\n", &error));
    QVERIFY2(error.startsWith(u"unknown setting 'listen_port'"), qPrintable(error));
    // The message lists what is accepted, so the typo is easy to fix.
    QVERIFY2(error.contains(u"listen") && error.contains(u"instance_types"), qPrintable(error));
}

void TestConfig::badYamlHasLineNumber()
{
    QString error;
    // A second ': ' on line 2 is not a plain scalar.
    QVERIFY(!load("mode: local\nlisten: a: b\nworkers: 2\n", &error));
    QVERIFY2(error.contains(
                 QRegularExpression(QStringLiteral("^invalid YAML at line 2, column \\d+: "))),
             qPrintable(error));

    // A key indented under a scalar on line 4.
    QVERIFY(!load("mode: local\nworkers: 2\nlog_rules: x\n  bad: indent\n", &error));
    QVERIFY2(error.contains(
                 QRegularExpression(QStringLiteral("^invalid YAML at line 4, column \\d+: "))),
             qPrintable(error));

    // An unclosed flow sequence is noticed where the input ends, on the line after it.
    QVERIFY(!load("mode: local\ntls: [unclosed\n", &error));
    QVERIFY2(error.contains(
                 QRegularExpression(QStringLiteral("^invalid YAML at line 3, column \\d+: "))),
             qPrintable(error));
}

void TestConfig::wrongValueTypeIsAnError()
{
    QString error;
    QVERIFY(!load("workers: many\n", &error));
    QVERIFY2(!error.isEmpty(), "an unreadable number must be reported");
    QVERIFY(!load("mode: [local]\n", &error));
    QVERIFY(!error.isEmpty());
}

void TestConfig::notAMapping()
{
    QString error;
    QVERIFY(!load("- mode\n- listen\n", &error));
    QCOMPARE(error, QStringLiteral("the config must be a YAML mapping of settings"));
    QVERIFY(!load("just a string\n", &error));
    QCOMPARE(error, QStringLiteral("the config must be a YAML mapping of settings"));
}

void TestConfig::badMode()
{
    QString error;
    QVERIFY(!load("mode: cluster\n", &error));
    QCOMPARE(error, QStringLiteral("mode must be 'local' or 'server', not 'cluster'"));
    QVERIFY(!load("mode: Server\n", &error));
    QVERIFY2(error.contains(u"'Server'"), qPrintable(error));
}

void TestConfig::badLimits_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("unreadable size") << QByteArray("limits:\n  max_body: lots\n");
    QTest::newRow("zero size") << QByteArray("limits:\n  max_body: 0\n");
    QTest::newRow("zero timeout") << QByteArray("limits:\n  request_timeout_seconds: 0\n");
    QTest::newRow("negative timeout") << QByteArray("limits:\n  request_timeout_seconds: -5\n");
}

void TestConfig::badLimits()
{
    QFETCH(QByteArray, yaml);
    QString error;
    QVERIFY(!load(yaml, &error));
    QVERIFY2(error.startsWith(u"limits: "), qPrintable(error));
}

void TestConfig::badInstanceTypes_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not a list") << QByteArray("instance_types:\n  name: x\n")
                                << QStringLiteral("instance_types must be a list");
    QTest::newRow("entry not a map") << QByteArray("instance_types:\n  - small\n")
                                     << QStringLiteral("instance_types[0] must be a mapping");
    QTest::newRow("missing name") << QByteArray("instance_types:\n  - cpus: 2\n")
                                  << QStringLiteral("instance_types[0]: missing 'name'");
    QTest::newRow("second entry") << QByteArray("instance_types:\n  - name: a\n  - cpus: 2\n")
                                  << QStringLiteral("instance_types[1]: missing 'name'");
    QTest::newRow("zero cpus") << QByteArray("instance_types:\n  - name: a\n    cpus: 0\n")
                               << QStringLiteral("instance_types[0] ('a'): cpus must be");
    QTest::newRow("negative gpus") << QByteArray("instance_types:\n  - name: a\n    gpus: -1\n")
                                   << QStringLiteral("instance_types[0] ('a'): cpus must be");
    QTest::newRow("bad memory") << QByteArray("instance_types:\n  - name: a\n    memory: plenty\n")
                                << QStringLiteral("instance_types[0] ('a'): cpus must be");
    QTest::newRow("bad gpu memory")
        << QByteArray("instance_types:\n  - name: a\n    gpu_memory: -8GiB\n")
        << QStringLiteral("instance_types[0] ('a'): cpus must be");
}

void TestConfig::badInstanceTypes()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!load(yaml, &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

void TestConfig::badListenInYaml()
{
    QString error;
    QVERIFY(!load("listen: localhost\n", &error));
    QVERIFY2(error.contains(u"must be HOST:PORT"), qPrintable(error));
}

void TestConfig::setListen_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << QStringLiteral("127.0.0.1:7411") << QStringLiteral("127.0.0.1")
                          << 7411;
    QTest::newRow("hostname") << QStringLiteral("localhost:80") << QStringLiteral("localhost")
                              << 80;
    QTest::newRow("any ipv4") << QStringLiteral("0.0.0.0:443") << QStringLiteral("0.0.0.0") << 443;
    QTest::newRow("port only") << QStringLiteral(":8080") << QStringLiteral("0.0.0.0") << 8080;
    QTest::newRow("ipv6 loopback") << QStringLiteral("[::1]:80") << QStringLiteral("::1") << 80;
    QTest::newRow("ipv6 any") << QStringLiteral("[::]:7411") << QStringLiteral("::") << 7411;
    QTest::newRow("port zero") << QStringLiteral("127.0.0.1:0") << QStringLiteral("127.0.0.1") << 0;
    QTest::newRow("max port") << QStringLiteral("127.0.0.1:65535") << QStringLiteral("127.0.0.1")
                              << 65535;
}

void TestConfig::setListen()
{
    QFETCH(QString, spec);
    QFETCH(QString, host);
    QFETCH(int, port);
    ServerConfig c;
    QCOMPARE(c.setListen(spec), QString());
    QCOMPARE(c.listenHost, host);
    QCOMPARE(int(c.listenPort), port);
}

void TestConfig::setListenRejects_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("no colon") << QStringLiteral("127.0.0.1") << QStringLiteral("must be HOST:PORT");
    QTest::newRow("empty") << QString() << QStringLiteral("must be HOST:PORT");
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:65536")
                                  << QStringLiteral("the port must be a number");
    QTest::newRow("port huge") << QStringLiteral("127.0.0.1:99999999999")
                               << QStringLiteral("the port must be a number");
    QTest::newRow("negative port")
        << QStringLiteral("127.0.0.1:-1") << QStringLiteral("the port must be a number");
    QTest::newRow("port not a number")
        << QStringLiteral("127.0.0.1:http") << QStringLiteral("the port must be a number");
    QTest::newRow("empty port") << QStringLiteral("127.0.0.1:")
                                << QStringLiteral("the port must be a number");
    QTest::newRow("ipv6 without port")
        << QStringLiteral("[::1]") << QStringLiteral("the port must be a number");
}

void TestConfig::setListenRejects()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    ServerConfig c;
    const QString error = c.setListen(spec);
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("'%1'").arg(spec)), qPrintable(error));
    // A refused spec leaves the previous setting alone.
    QCOMPARE(c.listenHost, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.listenPort, quint16(7411));
}

void TestConfig::setListenRejectsMalformedHosts_data()
{
    // IPv6 addresses need brackets; without them the last ':' splits inside the address.
    QTest::addColumn<QString>("spec");
    QTest::newRow("bare ipv6") << QStringLiteral("::1");
    QTest::newRow("bare ipv6 with port") << QStringLiteral("fe80::1:80");
    QTest::newRow("unclosed bracket") << QStringLiteral("[::1:80");
}

void TestConfig::setListenRejectsMalformedHosts()
{
    QFETCH(QString, spec);
    ServerConfig c;
    QVERIFY2(
        !c.setListen(spec).isEmpty(),
        qPrintable(
            QStringLiteral("accepted as host '%1' port %2").arg(c.listenHost).arg(c.listenPort)));
    QCOMPARE(c.listenHost, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.listenPort, quint16(7411));
}

void TestConfig::validateLoopbackWithoutTls_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1");
    QTest::newRow("127.1.2.3") << QStringLiteral("127.1.2.3");
    QTest::newRow("::1") << QStringLiteral("::1");
    QTest::newRow("localhost") << QStringLiteral("localhost");
}

void TestConfig::validateLoopbackWithoutTls()
{
    QFETCH(QString, host);
    for (const auto mode : {ServerConfig::Mode::Local, ServerConfig::Mode::Server}) {
        ServerConfig c;
        c.mode = mode;
        c.listenHost = host;
        QVERIFY(c.bindsLoopbackOnly());
        QCOMPARE(c.validate(), QString());
    }
}

void TestConfig::validateRefusesNetworkWithoutTls()
{
    for (const QString &spec : {QStringLiteral("0.0.0.0:7411"), QStringLiteral(":7411"),
                                QStringLiteral("192.168.1.10:7411"), QStringLiteral("[::]:7411"),
                                QStringLiteral("grid.example.org:7411")}) {
        ServerConfig c;
        c.mode = ServerConfig::Mode::Server;
        QCOMPARE(c.setListen(spec), QString());
        QVERIFY2(!c.bindsLoopbackOnly(), qPrintable(spec));
        const QString error = c.validate();
        QVERIFY2(error.startsWith(
                     QStringLiteral("refusing to listen on %1 without TLS").arg(c.listenHost)),
                 qPrintable(error));
    }
}

void TestConfig::validateServerModeWithTlsOnNetwork()
{
    ServerConfig c;
    c.mode = ServerConfig::Mode::Server;
    QCOMPARE(c.setListen(QStringLiteral("0.0.0.0:8443")), QString());
    c.tlsCertificate = QStringLiteral("/etc/cert.pem");
    c.tlsKey = QStringLiteral("/etc/key.pem");
    QCOMPARE(c.validate(), QString());
}

void TestConfig::validateRefusesLocalModeOnNetwork()
{
    ServerConfig c;
    QCOMPARE(c.mode, ServerConfig::Mode::Local);
    QCOMPARE(c.setListen(QStringLiteral("0.0.0.0:7411")), QString());
    // Without TLS the clear-text refusal comes first...
    QVERIFY(c.validate().startsWith(u"refusing to listen on 0.0.0.0 without TLS"));
    // ...and with TLS, local mode itself is refused on a network address.
    c.tlsCertificate = QStringLiteral("/etc/cert.pem");
    c.tlsKey = QStringLiteral("/etc/key.pem");
    const QString error = c.validate();
    QVERIFY2(error.startsWith(u"local mode serves one user"), qPrintable(error));
    QVERIFY2(error.contains(u"'mode: server'") && error.contains(u"0.0.0.0"), qPrintable(error));
}

void TestConfig::validateRefusesCertWithoutKey()
{
    ServerConfig c;
    c.tlsCertificate = QStringLiteral("/etc/cert.pem");
    QCOMPARE(c.validate(), QStringLiteral("tls needs both 'certificate' and 'key'"));
    ServerConfig keyOnly;
    keyOnly.tlsKey = QStringLiteral("/etc/key.pem");
    QCOMPARE(keyOnly.validate(), QStringLiteral("tls needs both 'certificate' and 'key'"));

    QString error;
    const auto fromYaml = load("tls:\n  certificate: /etc/cert.pem\n", &error);
    QVERIFY2(fromYaml, qPrintable(error));
    QCOMPARE(fromYaml->validate(), QStringLiteral("tls needs both 'certificate' and 'key'"));
}

void TestConfig::parseByteSize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("plain") << QStringLiteral("1073741824") << qint64(1073741824);
    QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
    QTest::newRow("bytes") << QStringLiteral("512b") << qint64(512);
    QTest::newRow("B") << QStringLiteral("512B") << qint64(512);
    QTest::newRow("k") << QStringLiteral("4k") << qint64(4096);
    QTest::newRow("KiB") << QStringLiteral("4KiB") << qint64(4096);
    QTest::newRow("kb") << QStringLiteral("4kb") << qint64(4096);
    QTest::newRow("space MiB") << QStringLiteral("512 MiB") << 512 * kMiB;
    QTest::newRow("GiB") << QStringLiteral("32GiB") << 32 * kGiB;
    QTest::newRow("gb is binary") << QStringLiteral("16gb") << 16 * kGiB;
    QTest::newRow("GB") << QStringLiteral("16GB") << 16 * kGiB;
    QTest::newRow("g") << QStringLiteral("2g") << 2 * kGiB;
    QTest::newRow("TiB") << QStringLiteral("2TiB") << 2 * (kGiB << 10);
    QTest::newRow("fraction") << QStringLiteral("1.5GiB") << 3 * kGiB / 2;
    QTest::newRow("surrounding spaces") << QStringLiteral("  8 GiB  ") << 8 * kGiB;
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("spaces only") << QStringLiteral("   ") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-1") << qint64(-1);
    QTest::newRow("unit only") << QStringLiteral("GiB") << qint64(-1);
    QTest::newRow("unknown unit") << QStringLiteral("5 PB") << qint64(-1);
    QTest::newRow("word") << QStringLiteral("lots") << qint64(-1);
    QTest::newRow("two numbers") << QStringLiteral("1 2") << qint64(-1);
    QTest::newRow("trailing dot") << QStringLiteral("1.GiB") << qint64(-1);
    QTest::newRow("bi") << QStringLiteral("1bi") << qint64(-1);
    // More than qint64 holds is unreadable, not a wrapped negative or arbitrary number.
    QTest::newRow("overflow") << QStringLiteral("99999999999T") << qint64(-1);
}

void TestConfig::parseByteSize()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QCOMPARE(og::parseByteSize(text), bytes);
}

QTEST_APPLESS_MAIN(TestConfig)
#include "test_config.moc"
