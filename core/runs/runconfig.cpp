// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/runconfig.h"

#include <QFile>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <limits>

namespace og {

namespace {
// Thrown inside the YAML walk and turned into RunConfig::error at its top: the walk is deep and
// the first problem ends it.
struct ConfigError
{
    QString message;
};

QString text(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

QString where(const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? QStringLiteral(" (line %1)").arg(mark.line + 1) : QString();
}

bool isNull(const YAML::Node &node)
{
    return !node.IsDefined() || node.IsNull();
}

// A plain (unquoted) scalar; quoted ones carry the non-specific tag "!".
bool isPlain(const YAML::Node &node)
{
    return node.IsScalar() && node.Tag() != "!";
}

// The YAML 1.1 booleans PyYAML (which Grid used) reads.
std::optional<bool> yamlBool(const QString &value)
{
    static const QStringList yes{QStringLiteral("true"), QStringLiteral("yes"), QStringLiteral("on")};
    static const QStringList no{QStringLiteral("false"), QStringLiteral("no"), QStringLiteral("off")};
    const QString lower = value.toLower();
    // PyYAML accepts "true", "True" and "TRUE" but not "tRuE".
    if (value != lower && value != value.toUpper() && value != lower.left(1).toUpper() + lower.mid(1))
        return std::nullopt;
    if (yes.contains(lower))
        return true;
    if (no.contains(lower))
        return false;
    return std::nullopt;
}

RunConfig failed(const QString &message)
{
    RunConfig c;
    c.error = message;
    return c;
}

// Grid's generated configs spell "off" many ways: null, false, [], or a mapping of such.
bool isEmptySetting(const YAML::Node &node)
{
    if (!node.IsDefined() || node.IsNull())
        return true;
    if (node.IsScalar())
        return yamlBool(QString::fromStdString(node.Scalar())) == false;
    if (node.IsSequence())
        return node.size() == 0;
    for (auto it = node.begin(); it != node.end(); ++it)
        if (!isEmptySetting(it->second))
            return false;
    return true;
}

bool isYamlNullText(const QString &value)
{
    return value.isEmpty() || value == u"~" || value == u"null" || value == u"Null" || value == u"NULL";
}

class Reader
{
public:
    Reader(RunConfig &config, RunConfig::Schema schema) : m_config(config), m_schema(schema) {}

    void read(const YAML::Node &root)
    {
        if (isNull(root))
            return;
        QList<QPair<QString, Handler>> top{{QStringLiteral("compute"), [this](const YAML::Node &n, const QString &k) { compute(n, k); }}};
        if (m_schema == RunConfig::Schema::Run)
            top.append({QStringLiteral("hyper_params"), [this](const YAML::Node &n, const QString &k) { hyperParams(n, k); }});
        map(root, QString(), top);
    }

private:
    using Handler = std::function<void(const YAML::Node &, const QString &)>;

    // Walks a mapping, calling the handler of each known key with the key's full path; any
    // other key is an error naming it and the keys that are allowed there.
    void map(const YAML::Node &node, const QString &path, const QList<QPair<QString, Handler>> &handlers)
    {
        if (isNull(node))
            return;
        if (!node.IsMap())
            throw ConfigError{QStringLiteral("%1 must be a mapping of keys to values%2").arg(shown(path), where(node))};
        QStringList known;
        for (const auto &h : handlers)
            known.append(h.first);
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString key = text(it->first);
            const QString full = path.isEmpty() ? key : path + u'.' + key;
            const auto h = std::find_if(handlers.begin(), handlers.end(), [&](const auto &p) { return p.first == key; });
            if (h == handlers.end())
                throw ConfigError{QStringLiteral("unknown key '%1'%2; %3 may hold: %4")
                                      .arg(full, where(it->first), path.isEmpty() ? QStringLiteral("the top level") : path,
                                           known.join(QStringLiteral(", ")))};
            h->second(it->second, full);
        }
    }

    static QString shown(const QString &path) { return path.isEmpty() ? QStringLiteral("the config") : path; }

    std::optional<QString> string(const YAML::Node &node, const QString &path)
    {
        if (isNull(node))
            return std::nullopt;
        if (!node.IsScalar())
            throw ConfigError{QStringLiteral("%1 must be a single value%2").arg(path, where(node))};
        return text(node);
    }

    std::optional<qint64> integer(const YAML::Node &node, const QString &path, qint64 min, qint64 max)
    {
        const auto s = string(node, path);
        if (!s)
            return std::nullopt;
        bool ok = false;
        const qint64 v = s->toLongLong(&ok);
        if (!ok || v < min || v > max)
            throw ConfigError{QStringLiteral("%1 must be a whole number from %2 to %3, not '%4'%5").arg(path).arg(min).arg(max).arg(*s, where(node))};
        return v;
    }

    std::optional<bool> boolean(const YAML::Node &node, const QString &path)
    {
        const auto s = string(node, path);
        if (!s)
            return std::nullopt;
        const auto b = yamlBool(*s);
        if (!b)
            throw ConfigError{QStringLiteral("%1 must be true or false, not '%2'%3").arg(path, *s, where(node))};
        return b;
    }

    // A key Grid had that means nothing here: noted once, unless it holds its "off" value.
    Handler ignoredKey(const QString &why)
    {
        return [this, why](const YAML::Node &n, const QString &k) {
            if (isEmptySetting(n))
                return;
            m_config.warnings.append(QStringLiteral("%1 is ignored: %2").arg(k, why));
        };
    }

    void set(std::optional<QString> &field, const std::optional<QString> &value, const QString &path, const QString &alias)
    {
        if (!value)
            return;
        if (field && *field != *value)
            throw ConfigError{QStringLiteral("%1 and %2 disagree ('%3' and '%4'); give one of them").arg(alias, path, *field, *value)};
        field = value;
    }

    void compute(const YAML::Node &node, const QString &path)
    {
        map(node, path,
            {{QStringLiteral("provider"), [this](const YAML::Node &n, const QString &k) { provider(n, k); }},
             {QStringLiteral("train"), [this](const YAML::Node &n, const QString &k) { train(n, k); }}});
    }

    void provider(const YAML::Node &node, const QString &path)
    {
        const QString cloud = QStringLiteral("OpenGrid runs on its own machines, not in a cloud account");
        map(node, path,
            {{QStringLiteral("cluster"), [this](const YAML::Node &n, const QString &k) {
                  m_config.cluster = string(n, k);
                  if (m_config.cluster && *m_config.cluster != u"local")
                      m_config.warnings.append(QStringLiteral("%1 '%2' is ignored: this platform has one cluster, local").arg(k, *m_config.cluster));
              }},
             {QStringLiteral("credentials"), ignoredKey(cloud)},
             {QStringLiteral("region"), ignoredKey(cloud)},
             {QStringLiteral("vendor"), ignoredKey(cloud)}});
    }

    void train(const YAML::Node &node, const QString &path)
    {
        if (m_schema == RunConfig::Schema::Session) {
            sessionTrain(node, path);
            return;
        }
        RunConfig &c = m_config;
        const QString disk = QStringLiteral("experiments use the disk of the machine they run on");
        const QString notHere = QStringLiteral("OpenGrid does not support it");
        map(node, path,
            {{QStringLiteral("instance"), [&](const YAML::Node &n, const QString &k) { set(c.instanceType, string(n, k), k, path + QStringLiteral(".instance_type")); }},
             {QStringLiteral("instance_type"), [&](const YAML::Node &n, const QString &k) { set(c.instanceType, string(n, k), k, path + QStringLiteral(".instance")); }},
             {QStringLiteral("gpus"), [&](const YAML::Node &n, const QString &k) { c.gpus = integer(n, k, 0, 1024); }},
             {QStringLiteral("cpus"), [&](const YAML::Node &n, const QString &k) { c.cpus = integer(n, k, 0, 1 << 20); }},
             {QStringLiteral("memory"), [&](const YAML::Node &n, const QString &k) { c.memory = string(n, k); }},
             {QStringLiteral("storage_gb"), ignoredKey(disk)},
             {QStringLiteral("disk_size"), ignoredKey(disk)},
             {QStringLiteral("datastore_name"), [&](const YAML::Node &n, const QString &k) { c.datastoreName = string(n, k); }},
             {QStringLiteral("datastore_version"), [&](const YAML::Node &n, const QString &k) { c.datastoreVersion = integer(n, k, 1, std::numeric_limits<int>::max()); }},
             {QStringLiteral("datastore_mount_dir"), [&](const YAML::Node &n, const QString &k) { c.datastoreMountDir = string(n, k); }},
             {QStringLiteral("framework"), [&](const YAML::Node &n, const QString &k) { c.framework = string(n, k); }},
             {QStringLiteral("environment"), [&](const YAML::Node &n, const QString &k) { environment(n, k); }},
             {QStringLiteral("localdir"), [&](const YAML::Node &n, const QString &k) { c.localdir = boolean(n, k); }},
             {QStringLiteral("dry_run"), [&](const YAML::Node &n, const QString &k) { c.dryRun = boolean(n, k); }},
             {QStringLiteral("use_spot"), ignoredKey(QStringLiteral("OpenGrid's machines are not spot instances"))},
             {QStringLiteral("actions"), ignoredKey(QStringLiteral("build and experiment actions are not supported; run such steps from your script"))},
             {QStringLiteral("dependency_file_info"), ignoredKey(QStringLiteral("experiments use the Python of the machine they run on"))},
             {QStringLiteral("dockerfile"), ignoredKey(notHere)},
             {QStringLiteral("auto_resume"), ignoredKey(notHere)},
             {QStringLiteral("scratch"), ignoredKey(QStringLiteral("experiments get a private /tmp"))},
             {QStringLiteral("distributed"), ignoredKey(notHere)},
             {QStringLiteral("nodes"), ignoredKey(notHere)},
             {QStringLiteral("max_nodes"), ignoredKey(notHere)},
             {QStringLiteral("scale_down_seconds"), ignoredKey(notHere)}});
    }

    // A session's machine: its size, disk and datastore; nothing about a script.
    void sessionTrain(const YAML::Node &node, const QString &path)
    {
        RunConfig &c = m_config;
        map(node, path,
            {{QStringLiteral("instance_type"), [&](const YAML::Node &n, const QString &k) { set(c.instanceType, string(n, k), k, path + QStringLiteral(".instance")); }},
             {QStringLiteral("instance"), [&](const YAML::Node &n, const QString &k) { set(c.instanceType, string(n, k), k, path + QStringLiteral(".instance_type")); }},
             {QStringLiteral("disk_size"), [&](const YAML::Node &n, const QString &k) {
                  if (const auto v = integer(n, k, 1, 1 << 20))
                      c.diskSizeGb = int(*v);
              }},
             {QStringLiteral("use_spot"), ignoredKey(QStringLiteral("OpenGrid's machines are not spot instances"))},
             {QStringLiteral("datastore_name"), [&](const YAML::Node &n, const QString &k) { c.datastoreName = string(n, k); }},
             {QStringLiteral("datastore_version"), [&](const YAML::Node &n, const QString &k) { c.datastoreVersion = integer(n, k, 1, std::numeric_limits<int>::max()); }},
             {QStringLiteral("datastore_mount_dir"), [&](const YAML::Node &n, const QString &k) { c.datastoreMountDir = string(n, k); }}});
    }

    void environment(const YAML::Node &node, const QString &path)
    {
        if (isNull(node))
            return;
        if (!node.IsMap())
            throw ConfigError{QStringLiteral("%1 must map variable names to values%2").arg(path, where(node))};
        for (auto it = node.begin(); it != node.end(); ++it) {
            const QString key = text(it->first);
            const auto value = string(it->second, path + u'.' + key);
            m_config.environment.insert(key, value.value_or(QString()));
        }
    }

    void hyperParams(const YAML::Node &node, const QString &path)
    {
        map(node, path,
            {{QStringLiteral("settings"), [this](const YAML::Node &n, const QString &k) { settings(n, k); }},
             {QStringLiteral("params"), [this](const YAML::Node &n, const QString &k) { params(n, k); }}});
    }

    void settings(const YAML::Node &node, const QString &path)
    {
        RunConfig &c = m_config;
        const auto trials = [&](const YAML::Node &n, const QString &k) {
            const auto v = integer(n, k, 1, 1'000'000);
            if (v && c.numTrials && *c.numTrials != *v)
                throw ConfigError{QStringLiteral("%1.trials and %1.strategy_options.num_trials disagree; give one of them").arg(path)};
            if (v)
                c.numTrials = int(*v);
        };
        map(node, path,
            {{QStringLiteral("strategy"), [&](const YAML::Node &n, const QString &k) { c.strategy = string(n, k); }},
             {QStringLiteral("trials"), trials},
             {QStringLiteral("strategy_options"), [&](const YAML::Node &n, const QString &k) {
                  map(n, k,
                      {{QStringLiteral("num_trials"), trials},
                       {QStringLiteral("seed"), [&](const YAML::Node &s, const QString &sk) {
                            c.seed = integer(s, sk, 0, std::numeric_limits<qint64>::max());
                        }}});
              }}});
    }

    // A parameter value as Grid's Python turned it into text (`f" {key} {value}"` on what
    // PyYAML loaded): booleans become True/False, null None, and a YAML list the Python list it
    // was, which the sweep syntax then expands.
    QString paramValue(const YAML::Node &node, const QString &path)
    {
        if (node.IsNull())
            return QStringLiteral("None");
        if (node.IsScalar()) {
            const QString s = text(node);
            if (!isPlain(node))
                return s;
            if (const auto b = yamlBool(s))
                return *b ? QStringLiteral("True") : QStringLiteral("False");
            return isYamlNullText(s) ? QStringLiteral("None") : s;
        }
        if (node.IsSequence()) {
            QStringList items;
            for (const YAML::Node &item : node) {
                if (!item.IsScalar() && !item.IsNull())
                    throw ConfigError{QStringLiteral("%1 may list only single values%2").arg(path, where(item))};
                const QString shownItem = paramValue(item, path);
                bool number = false;
                shownItem.toDouble(&number);
                const bool bare = isPlain(item) && (number || shownItem == u"True" || shownItem == u"False" || shownItem == u"None");
                items.append(bare || item.IsNull() ? shownItem : u'\'' + QString(shownItem).replace(u'\'', QStringLiteral("\\'")) + u'\'');
            }
            return u'[' + items.join(QStringLiteral(", ")) + u']';
        }
        throw ConfigError{QStringLiteral("%1 must be a value or a list of values%2").arg(path, where(node))};
    }

    void params(const YAML::Node &node, const QString &path)
    {
        if (isNull(node))
            return;
        if (!node.IsMap())
            throw ConfigError{QStringLiteral("%1 must map script flags to values%2").arg(path, where(node))};
        for (auto it = node.begin(); it != node.end(); ++it) {
            QString key = text(it->first);
            if (key.isEmpty())
                throw ConfigError{QStringLiteral("%1 has an empty key%2").arg(path, where(it->first))};
            const QString value = paramValue(it->second, path + u'.' + key);
            // 2021 examples wrote `learning_rate: …` for `--learning_rate …`.
            if (!key.startsWith(u'-'))
                key.prepend(QStringLiteral("--"));
            m_config.params.append({key, value});
        }
    }

    RunConfig &m_config;
    RunConfig::Schema m_schema;
};

// Checks shared by both sources, so a bad value is reported in terms of where it came from.
QString checkValues(const RunConfig &c, const QString &prefix)
{
    if (c.strategy && !QStringList{QStringLiteral("grid_search"), QStringLiteral("random_search"), QStringLiteral("none")}.contains(*c.strategy))
        return QStringLiteral("%1strategy must be grid_search, random_search or none, not '%2'").arg(prefix, *c.strategy);
    static const QRegularExpression size(QStringLiteral("^\\s*\\d+(\\.\\d+)?\\s*[kmgt]i?b?\\s*$"), QRegularExpression::CaseInsensitiveOption);
    if (c.memory && !size.match(*c.memory).hasMatch())
        return QStringLiteral("%1memory must be a size with a unit, such as 16GiB or 10G, not '%2'").arg(prefix, *c.memory);
    if (c.name && c.name->isEmpty())
        return QStringLiteral("%1name must not be empty").arg(prefix);
    return {};
}
} // namespace

RunConfig RunConfig::fromYaml(const QByteArray &yaml, const QString &source, Schema schema)
{
    RunConfig c;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        Reader(c, schema).read(root);
        if (const QString problem = checkValues(c, QString()); !problem.isEmpty())
            c.error = problem;
    } catch (const ConfigError &e) {
        c.error = e.message;
    } catch (const YAML::Exception &e) {
        c.error = QStringLiteral("not valid YAML: %1").arg(QString::fromStdString(e.what()));
    }
    if (!c.error.isEmpty()) {
        return failed(source + QStringLiteral(": ") + c.error);
    }
    for (QString &w : c.warnings)
        w = source + QStringLiteral(": ") + w;
    return c;
}

RunConfig RunConfig::load(const QString &path, Schema schema)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return failed(QStringLiteral("cannot read the config '%1': %2").arg(path, f.errorString()));
    return fromYaml(f.readAll(), path, schema);
}

RunConfig RunConfig::fromOptions(const QHash<QString, QString> &values, const QSet<QString> &flags)
{
    RunConfig c;
    const auto str = [&](const char *name) -> std::optional<QString> {
        const QString key = QLatin1String(name);
        return values.contains(key) ? std::optional<QString>(values.value(key)) : std::nullopt;
    };
    const auto number = [&](const char *name, qint64 min, qint64 max) -> std::optional<qint64> {
        const auto s = str(name);
        if (!s)
            return std::nullopt;
        bool ok = false;
        const qint64 v = s->toLongLong(&ok);
        if (!ok || v < min || v > max) {
            if (c.error.isEmpty())
                c.error = QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'").arg(QLatin1String(name)).arg(min).arg(max).arg(*s);
            return std::nullopt;
        }
        return v;
    };
    c.name = str("name");
    c.strategy = str("strategy");
    if (const auto v = number("num_trials", 1, 1'000'000))
        c.numTrials = int(*v);
    c.seed = number("seed", 0, std::numeric_limits<qint64>::max());
    c.instanceType = str("instance_type");
    if (const auto v = number("gpus", 0, 1024))
        c.gpus = int(*v);
    if (const auto v = number("cpus", 0, 1 << 20))
        c.cpus = int(*v);
    c.memory = str("memory");
    c.datastoreName = str("datastore_name");
    if (const auto v = number("datastore_version", 1, std::numeric_limits<int>::max()))
        c.datastoreVersion = int(*v);
    c.datastoreMountDir = str("datastore_mount_dir");
    c.framework = str("framework");
    if (flags.contains(QStringLiteral("localdir")))
        c.localdir = true;
    if (flags.contains(QStringLiteral("dry_run")))
        c.dryRun = true;
    if (c.error.isEmpty())
        c.error = checkValues(c, QStringLiteral("--"));
    return c;
}

RunConfig RunConfig::merged(const RunConfig &file, const RunConfig &commandLine)
{
    RunConfig m = file;
    const auto over = [](auto &field, const auto &value) {
        if (value)
            field = value;
    };
    const RunConfig &f = commandLine;
    over(m.name, f.name);
    over(m.strategy, f.strategy);
    over(m.numTrials, f.numTrials);
    over(m.seed, f.seed);
    over(m.instanceType, f.instanceType);
    over(m.gpus, f.gpus);
    over(m.cpus, f.cpus);
    over(m.memory, f.memory);
    over(m.datastoreName, f.datastoreName);
    over(m.datastoreVersion, f.datastoreVersion);
    over(m.datastoreMountDir, f.datastoreMountDir);
    over(m.framework, f.framework);
    over(m.cluster, f.cluster);
    over(m.localdir, f.localdir);
    over(m.dryRun, f.dryRun);
    for (auto it = f.environment.cbegin(); it != f.environment.cend(); ++it)
        m.environment.insert(it.key(), it.value());
    m.params += f.params;
    // A datastore named on the command line is a different datastore: the file's version and
    // mount dir belonged to the file's.
    if (f.datastoreName && file.datastoreName && *f.datastoreName != *file.datastoreName) {
        m.datastoreVersion = f.datastoreVersion;
        m.datastoreMountDir = f.datastoreMountDir;
    }
    m.warnings = file.warnings + f.warnings;
    m.error = file.error.isEmpty() ? f.error : file.error;
    if (m.error.isEmpty() && m.strategy == QStringLiteral("random_search") && !m.numTrials)
        m.error = QStringLiteral("random_search needs the number of trials: --num_trials N "
                                 "(or hyper_params.settings.strategy_options.num_trials in the config)");
    return m;
}

QStringList RunConfig::scriptArguments(const QStringList &typed) const
{
    QStringList args = typed;
    for (const auto &[key, value] : params)
        args << key << value;
    return args;
}

} // namespace og
