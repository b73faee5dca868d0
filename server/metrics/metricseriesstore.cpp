// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metrics/metricseriesstore.h"

#include "core/securefile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

#include <unistd.h>

namespace og {

namespace {
struct Record
{
    qint64 step;
    double wallTime;
    double value;
};
static_assert(sizeof(Record) == metricseries::kRecordSize);

QString seriesDir(const QString &experimentDir)
{
    return experimentDir + QStringLiteral("/series");
}

QString stateFile(const QString &dir)
{
    return dir + QStringLiteral("/state.json");
}

QString pointsFile(const QString &dir, qsizetype index)
{
    return QStringLiteral("%1/%2.points").arg(dir).arg(index);
}

struct State
{
    QStringList keys;
    std::vector<qint64> counts;
    QJsonObject sources;
};

// The last commit; nullopt (with `error`) when it exists but cannot be read.
std::optional<State> loadState(const QString &dir, QString *error)
{
    State state;
    QFile file(stateFile(dir));
    if (!file.open(QIODevice::ReadOnly)) {
        if (file.exists())
            *error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
        return file.exists() ? std::nullopt : std::optional(state);
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 is damaged: %2").arg(file.fileName(), parseError.errorString());
        return std::nullopt;
    }
    for (const QJsonValue &k : doc.object().value(QStringLiteral("keys")).toArray()) {
        state.keys.append(k.toObject().value(QStringLiteral("name")).toString());
        state.counts.push_back(qint64(k.toObject().value(QStringLiteral("points")).toDouble()));
    }
    state.sources = doc.object().value(QStringLiteral("sources")).toObject();
    return state;
}
} // namespace

MetricSeriesWriter::MetricSeriesWriter(QString experimentDir)
    : m_dir(seriesDir(experimentDir))
{
}

QString MetricSeriesWriter::open()
{
    if (!QDir().mkpath(m_dir))
        return QStringLiteral("cannot create %1").arg(m_dir);
    QString error;
    const auto state = loadState(m_dir, &error);
    if (!state)
        return error;
    m_keys.clear();
    m_index.clear();
    m_lastKey = -1;
    m_pendingPoints = 0;
    for (qsizetype i = 0; i < state->keys.size(); ++i) {
        QFile file(pointsFile(m_dir, i));
        const qint64 committedBytes = state->counts[size_t(i)] * metricseries::kRecordSize;
        // What followed the last commit never happened, as far as the sources' positions know.
        if (file.size() > committedBytes && !file.resize(committedBytes))
            return QStringLiteral("cannot cut %1 back to its last commit: %2").arg(file.fileName(), file.errorString());
        m_index.insert(state->keys[i], i);
        m_keys.push_back(KeyFile{state->keys[i], std::min(state->counts[size_t(i)], file.size() / metricseries::kRecordSize), {}});
    }
    // Files of keys whose first commit never completed.
    const QStringList files = QDir(m_dir).entryList({QStringLiteral("*.points")}, QDir::Files);
    for (const QString &name : files) {
        bool ok = false;
        const qsizetype n = name.chopped(7).toLongLong(&ok);
        if (ok && n >= qsizetype(m_keys.size()) && !QFile::remove(m_dir + u'/' + name))
            return QStringLiteral("cannot remove %1/%2").arg(m_dir, name);
    }
    m_sources = state->sources;
    return {};
}

MetricSeriesWriter::KeyFile &MetricSeriesWriter::keyFile(const QString &key)
{
    // The reader hands out one shared QString per key: comparing data pointers is enough to
    // recognise the key of the previous point.
    if (m_lastKey >= 0 && m_keys[size_t(m_lastKey)].name.constData() == key.constData())
        return m_keys[size_t(m_lastKey)];
    // Lines of a few metrics each: the keys take turns.
    for (size_t i = 0; i < std::min<size_t>(m_keys.size(), 8); ++i) {
        if (m_keys[i].name.constData() == key.constData()) {
            m_lastKey = qsizetype(i);
            return m_keys[i];
        }
    }
    auto it = m_index.constFind(key);
    if (it == m_index.constEnd()) {
        m_keys.push_back(KeyFile{key, 0, {}});
        it = m_index.insert(key, qsizetype(m_keys.size()) - 1);
    }
    m_lastKey = *it;
    // Share the caller's string (same text) so the pointer checks above find it next time.
    m_keys[size_t(*it)].name = key;
    return m_keys[size_t(*it)];
}

void MetricSeriesWriter::append(const QString &key, qint64 step, double wallTime, double value)
{
    const Record r{step, wallTime, value};
    keyFile(key).pending.append(reinterpret_cast<const char *>(&r), sizeof r);
    ++m_pendingPoints;
}

QString MetricSeriesWriter::writeState(const QJsonObject &sources) const
{
    QJsonArray keys;
    for (const KeyFile &k : m_keys)
        keys.append(QJsonObject{{QStringLiteral("name"), k.name},
                                {QStringLiteral("points"), k.committed + k.pending.size() / metricseries::kRecordSize}});
    const QJsonObject state{{QStringLiteral("version"), 1}, {QStringLiteral("keys"), keys}, {QStringLiteral("sources"), sources}};
    return writeFileAtomically(stateFile(m_dir), QJsonDocument(state).toJson(QJsonDocument::Compact), false);
}

QString MetricSeriesWriter::commit(const QJsonObject &sources)
{
    for (qsizetype i = 0; i < qsizetype(m_keys.size()); ++i) {
        const KeyFile &k = m_keys[size_t(i)];
        if (k.pending.isEmpty())
            continue;
        QFile file(pointsFile(m_dir, i));
        // Written at the committed end, not appended: a failed commit's records are overwritten.
        if (!file.open(QIODevice::ReadWrite) || !file.seek(k.committed * metricseries::kRecordSize)
            || file.write(k.pending) != k.pending.size() || !file.flush() || ::fdatasync(file.handle()) != 0)
            return QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    }
    if (const QString error = writeState(sources); !error.isEmpty())
        return error;
    for (KeyFile &k : m_keys) {
        k.committed += k.pending.size() / metricseries::kRecordSize;
        k.pending.resize(0); // keeps its capacity: the next piece is about as large
    }
    m_pendingPoints = 0;
    m_sources = sources;
    return {};
}

namespace metricseries {

bool exists(const QString &experimentDir)
{
    return QFile::exists(stateFile(seriesDir(experimentDir)));
}

QStringList keys(const QString &experimentDir)
{
    QString error;
    QStringList keys = loadState(seriesDir(experimentDir), &error).value_or(State{}).keys;
    keys.sort();
    return keys;
}

bool read(const QString &experimentDir, const QString &key, std::vector<double> *steps, std::vector<double> *wallTimes,
          std::vector<double> *values, QString *error)
{
    const QString dir = seriesDir(experimentDir);
    const auto state = loadState(dir, error);
    if (!state)
        return false;
    const qsizetype index = state->keys.indexOf(key);
    if (index < 0)
        return true;
    const qint64 count = state->counts[size_t(index)];
    const size_t base = steps->size();
    steps->reserve(base + size_t(count));
    wallTimes->reserve(base + size_t(count));
    values->reserve(base + size_t(count));
    QFile file(pointsFile(dir, index));
    if (count > 0 && !file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    // Straight into the columns, a chunk at a time: a long series costs its result only.
    std::vector<Record> chunk(std::min<qint64>(count, 65536));
    bool ordered = true;
    qint64 previousStep = std::numeric_limits<qint64>::min();
    for (qint64 done = 0; done < count;) {
        const qint64 n = std::min<qint64>(count - done, qint64(chunk.size()));
        if (file.read(reinterpret_cast<char *>(chunk.data()), n * kRecordSize) != n * kRecordSize) {
            *error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
        for (qint64 i = 0; i < n; ++i) {
            const Record &r = chunk[size_t(i)];
            ordered = ordered && r.step > previousStep;
            previousStep = r.step;
            steps->push_back(double(r.step));
            wallTimes->push_back(r.wallTime);
            values->push_back(r.value);
        }
        done += n;
    }
    if (ordered) // nearly always: strictly increasing steps as stored
        return true;
    // Stable: among points of one step the last stored stays last, and is the one kept.
    std::vector<size_t> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), base);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return (*steps)[a] < (*steps)[b]; });
    std::vector<double> s, w, v;
    s.reserve(order.size()), w.reserve(order.size()), v.reserve(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        if (k + 1 < order.size() && (*steps)[order[k + 1]] == (*steps)[order[k]])
            continue;
        s.push_back((*steps)[order[k]]), w.push_back((*wallTimes)[order[k]]), v.push_back((*values)[order[k]]);
    }
    steps->resize(base), wallTimes->resize(base), values->resize(base);
    steps->insert(steps->end(), s.begin(), s.end());
    wallTimes->insert(wallTimes->end(), w.begin(), w.end());
    values->insert(values->end(), v.begin(), v.end());
    return true;
}

qint64 storedRecords(const QString &experimentDir, const QString &key)
{
    QString error;
    const auto state = loadState(seriesDir(experimentDir), &error);
    if (!state)
        return -1;
    const qsizetype index = state->keys.indexOf(key);
    return index < 0 ? -1 : state->counts[size_t(index)];
}

} // namespace metricseries

} // namespace og
