// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/config.h"

#include "core/names.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace og {

namespace {
QString str(const YAML::Node &n)
{
    return QString::fromStdString(n.as<std::string>());
}

// Paths in the config may start with ~/ as they would in a shell.
QString path(const YAML::Node &n)
{
    const QString p = str(n);
    return p.startsWith(QStringLiteral("~/")) ? QDir::homePath() + p.mid(1) : p;
}

const QStringList kTopLevelKeys = {
    QStringLiteral("mode"),       QStringLiteral("listen"),  QStringLiteral("data_dir"),
    QStringLiteral("tls"),        QStringLiteral("limits"),  QStringLiteral("workers"),
    QStringLiteral("log_rules"),  QStringLiteral("instance_types"), QStringLiteral("datastores"),
    QStringLiteral("runs")};

// A misspelt nested key (tls.certficate) must not be silently ignored.
bool onlyKnownKeys(const YAML::Node &node, const QStringList &known, const QString &where, QString *error)
{
    if (!node.IsMap()) {
        *error = QStringLiteral("%1 must be a mapping of %2").arg(where, known.join(QStringLiteral(", ")));
        return false;
    }
    for (const auto &kv : node) {
        const QString key = QString::fromStdString(kv.first.as<std::string>());
        if (!known.contains(key)) {
            *error = QStringLiteral("unknown setting '%1.%2' (known: %3)").arg(where, key, known.join(QStringLiteral(", ")));
            return false;
        }
    }
    return true;
}

std::optional<InstanceType> instanceTypeFrom(const YAML::Node &node, int index, QString *error)
{
    const QString where = QStringLiteral("instance_types[%1]").arg(index);
    if (!node.IsMap()) {
        *error = where + QStringLiteral(" must be a mapping with name, cpus, memory and gpus");
        return std::nullopt;
    }
    if (!onlyKnownKeys(node, {QStringLiteral("name"), QStringLiteral("cpus"), QStringLiteral("memory"), QStringLiteral("gpus"),
                              QStringLiteral("gpu_type"), QStringLiteral("gpu_memory")}, where, error))
        return std::nullopt;
    InstanceType t;
    t.source = QStringLiteral("config");
    t.name = node["name"] ? str(node["name"]).toLower() : QString();
    if (t.name.isEmpty()) {
        *error = where + QStringLiteral(": missing 'name'");
        return std::nullopt;
    }
    // Grid's AWS names have dots ("g3.8xlarge"); otherwise the usual name rule.
    if (const auto problem = names::validate(QString(t.name).replace(u'.', u'-').replace(u'_', u'-'), QStringLiteral("instance type"))) {
        *error = where + QStringLiteral(": ") + *problem;
        return std::nullopt;
    }
    t.shape.cpus = node["cpus"] ? node["cpus"].as<int>() : 1;
    t.shape.gpus = node["gpus"] ? node["gpus"].as<int>() : 0;
    t.shape.memoryBytes = node["memory"] ? parseByteSize(str(node["memory"])) : 0;
    if (node["gpu_type"])
        t.shape.gpuType = str(node["gpu_type"]);
    if (node["gpu_memory"])
        t.shape.gpuMemoryBytes = parseByteSize(str(node["gpu_memory"]));
    if (t.shape.cpus < 1 || t.shape.gpus < 0 || t.shape.memoryBytes < 0
        || t.shape.gpuMemoryBytes < 0) {
        *error = where + QStringLiteral(" ('%1'): cpus must be ≥ 1, gpus ≥ 0 and memory a size "
                                        "such as 16GiB")
                             .arg(t.name);
        return std::nullopt;
    }
    return t;
}
} // namespace

qint64 parseByteSize(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    double mult = 1;
    if (!unit.isEmpty() && unit != u"b") {
        const int power = QStringLiteral("kmgt").indexOf(unit.front()) + 1;
        // "GB" and "GiB" both mean 2^30 here: memory sizes are binary in practice.
        mult = double(qint64(1) << (10 * power));
    }
    if (value * mult >= 9223372036854775808.0)
        return -1;
    return qint64(value * mult);
}

bool ServerConfig::bindsLoopbackOnly() const
{
    if (listenHost == u"localhost")
        return true;
    const QHostAddress addr(listenHost);
    return !addr.isNull() && addr.isLoopback();
}

QString ServerConfig::setListen(const QString &spec)
{
    const qsizetype colon = spec.lastIndexOf(u':');
    if (colon < 0)
        return QStringLiteral("--listen '%1' must be HOST:PORT, e.g. 127.0.0.1:7411").arg(spec);
    bool ok = false;
    const uint port = spec.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return QStringLiteral("--listen '%1': the port must be a number from 0 to 65535").arg(spec);
    QString host = spec.left(colon);
    if (host.startsWith(u'[') || host.endsWith(u']')) {
        if (!host.startsWith(u'[') || !host.endsWith(u']') || host.size() < 3)
            return QStringLiteral("--listen '%1': unbalanced brackets; write IPv6 addresses as [::1]:7411").arg(spec);
        host = host.mid(1, host.size() - 2);
    } else if (host.contains(u':')) {
        return QStringLiteral("--listen '%1': write IPv6 addresses in brackets, e.g. [::1]:7411").arg(spec);
    }
    listenHost = host.isEmpty() ? QStringLiteral("0.0.0.0") : host;
    listenPort = quint16(port);
    return {};
}

std::optional<ServerConfig> ServerConfig::fromYaml(const QByteArray &yaml, QString *error)
{
    ServerConfig c;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (root.IsNull())
            return c;
        if (!root.IsMap()) {
            *error = QStringLiteral("the config must be a YAML mapping of settings");
            return std::nullopt;
        }
        for (const auto &kv : root) {
            const QString key = QString::fromStdString(kv.first.as<std::string>());
            if (!kTopLevelKeys.contains(key)) {
                *error = QStringLiteral("unknown setting '%1' (known: %2)")
                             .arg(key, kTopLevelKeys.join(QStringLiteral(", ")));
                return std::nullopt;
            }
        }
        if (root["mode"]) {
            const QString mode = str(root["mode"]);
            if (mode != u"local" && mode != u"server") {
                *error = QStringLiteral("mode must be 'local' or 'server', not '%1'").arg(mode);
                return std::nullopt;
            }
            c.mode = mode == u"local" ? Mode::Local : Mode::Server;
        }
        if (root["listen"]) {
            if (const QString e = c.setListen(str(root["listen"])); !e.isEmpty()) {
                *error = e;
                return std::nullopt;
            }
        }
        if (root["data_dir"])
            c.dataDir = path(root["data_dir"]);
        if (const YAML::Node tls = root["tls"]) {
            if (!onlyKnownKeys(tls, {QStringLiteral("certificate"), QStringLiteral("key")}, QStringLiteral("tls"), error))
                return std::nullopt;
            if (tls["certificate"])
                c.tlsCertificate = path(tls["certificate"]);
            if (tls["key"])
                c.tlsKey = path(tls["key"]);
        }
        if (const YAML::Node limits = root["limits"]) {
            if (!onlyKnownKeys(limits, {QStringLiteral("max_body"), QStringLiteral("request_timeout_seconds")}, QStringLiteral("limits"), error))
                return std::nullopt;
            if (limits["max_body"])
                c.maxBodyBytes = parseByteSize(str(limits["max_body"]));
            if (limits["request_timeout_seconds"])
                c.requestTimeoutSeconds = limits["request_timeout_seconds"].as<int>();
            if (c.maxBodyBytes <= 0 || c.requestTimeoutSeconds <= 0) {
                *error = QStringLiteral("limits: max_body must be a size such as 1MiB and "
                                        "request_timeout_seconds a positive number");
                return std::nullopt;
            }
        }
        if (const YAML::Node ds = root["datastores"]) {
            if (!onlyKnownKeys(ds, {QStringLiteral("quota"), QStringLiteral("max_download"), QStringLiteral("download_timeout_seconds"),
                                    QStringLiteral("max_extracted"), QStringLiteral("max_archive_entries"),
                                    QStringLiteral("gc_grace_seconds")},
                               QStringLiteral("datastores"), error))
                return std::nullopt;
            DatastoreLimits &d = c.datastores;
            if (ds["quota"])
                d.quotaBytes = parseByteSize(str(ds["quota"]));
            if (ds["max_download"])
                d.maxDownloadBytes = parseByteSize(str(ds["max_download"]));
            if (ds["max_extracted"])
                d.maxExtractedBytes = parseByteSize(str(ds["max_extracted"]));
            if (ds["download_timeout_seconds"])
                d.downloadTimeoutSeconds = ds["download_timeout_seconds"].as<int>();
            if (ds["gc_grace_seconds"])
                d.gcGraceSeconds = ds["gc_grace_seconds"].as<qint64>();
            if (ds["max_archive_entries"])
                d.maxArchiveEntries = ds["max_archive_entries"].as<qint64>();
            if (d.quotaBytes < 0 || d.gcGraceSeconds < 0 || d.maxDownloadBytes <= 0 || d.maxExtractedBytes <= 0 || d.downloadTimeoutSeconds <= 0
                || d.maxArchiveEntries <= 0) {
                *error = QStringLiteral("datastores: quota, max_download and max_extracted must be sizes such as 10GiB, "
                                        "download_timeout_seconds and max_archive_entries positive numbers");
                return std::nullopt;
            }
        }
        if (const YAML::Node runs = root["runs"]) {
            if (!onlyKnownKeys(runs, {QStringLiteral("max_experiments")}, QStringLiteral("runs"), error))
                return std::nullopt;
            if (runs["max_experiments"])
                c.maxExperimentsPerRun = runs["max_experiments"].as<int>();
            if (c.maxExperimentsPerRun < 1) {
                *error = QStringLiteral("runs.max_experiments must be at least 1");
                return std::nullopt;
            }
        }
        if (root["workers"]) {
            c.workerThreads = root["workers"].as<int>();
            if (c.workerThreads < 0 || c.workerThreads > 256) {
                *error = QStringLiteral("workers must be between 0 (one per CPU) and 256");
                return std::nullopt;
            }
        }
        if (root["log_rules"])
            c.logRules = str(root["log_rules"]);
        if (const YAML::Node types = root["instance_types"]) {
            if (!types.IsSequence()) {
                *error = QStringLiteral("instance_types must be a list");
                return std::nullopt;
            }
            for (std::size_t i = 0; i < types.size(); ++i) {
                auto t = instanceTypeFrom(types[i], int(i), error);
                if (!t)
                    return std::nullopt;
                for (const InstanceType &earlier : std::as_const(c.instanceTypes))
                    if (earlier.name == t->name) {
                        *error = QStringLiteral("instance_types: '%1' is defined twice").arg(t->name);
                        return std::nullopt;
                    }
                c.instanceTypes.append(*t);
            }
        }
    } catch (const YAML::Exception &e) {
        *error = QStringLiteral("invalid YAML at line %1, column %2: %3")
                     .arg(e.mark.line + 1)
                     .arg(e.mark.column + 1)
                     .arg(QString::fromStdString(e.msg));
        return std::nullopt;
    }
    return c;
}

std::optional<ServerConfig> ServerConfig::fromFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read config %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    auto c = fromYaml(f.readAll(), error);
    if (!c)
        *error = path + QStringLiteral(": ") + *error;
    return c;
}

QString ServerConfig::validate() const
{
    if (tlsCertificate.isEmpty() != tlsKey.isEmpty())
        return QStringLiteral("tls needs both 'certificate' and 'key'");
    if (!bindsLoopbackOnly() && !tlsEnabled())
        return QStringLiteral("refusing to listen on %1 without TLS: API keys would cross the "
                              "network in clear text. Set tls.certificate and tls.key in the "
                              "config, or listen on 127.0.0.1 behind a TLS proxy.")
            .arg(listenHost);
    if (mode == Mode::Local && !bindsLoopbackOnly())
        return QStringLiteral("local mode serves one user and listens on 127.0.0.1 only; set "
                              "'mode: server' to serve %1")
            .arg(listenHost);
    return {};
}

} // namespace og
