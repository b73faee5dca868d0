// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/sweepexpander.h"

#include "core/sweep/scriptarguments.h"
#include "core/sweep/sweepparser.h"
#include "core/sweep/sweeprandom.h"
#include "core/sweep/sweepvalue.h"

#include <QHash>
#include <QLoggingCategory>
#include <QSet>

#include <limits>
#include <numeric>
#include <vector>

namespace og {

namespace {
Q_LOGGING_CATEGORY(lcSweep, "opengrid.core.sweep", QtWarningMsg)
} // namespace

std::optional<SweepStrategy> sweepStrategyFromString(QStringView name)
{
    if (name == u"grid_search")
        return SweepStrategy::GridSearch;
    if (name == u"random_search")
        return SweepStrategy::RandomSearch;
    if (name == u"none")
        return SweepStrategy::None;
    return std::nullopt;
}

QString sweepStrategyName(SweepStrategy strategy)
{
    switch (strategy) {
    case SweepStrategy::GridSearch:
        return QStringLiteral("grid_search");
    case SweepStrategy::RandomSearch:
        return QStringLiteral("random_search");
    case SweepStrategy::None:
        return QStringLiteral("none");
    }
    return {};
}

namespace {

QString groupedNumber(quint64 n)
{
    QString digits = QString::number(n);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

struct Axis
{
    qsizetype argument = 0; // index into the split arguments
    QString name;
    SweepAxis values;
};

// `k` distinct indices of [0, n), k < n, in the order drawn.
std::vector<quint64> sampleDistinct(quint64 n, quint64 k, SweepRandom &rng)
{
    std::vector<quint64> picked;
    picked.reserve(static_cast<size_t>(k));
    if (k * 2 >= n) { // dense: a partial Fisher–Yates shuffle (n < 2k is small)
        std::vector<quint64> pool(static_cast<size_t>(n));
        std::iota(pool.begin(), pool.end(), quint64(0));
        for (quint64 i = 0; i < k; ++i) {
            const quint64 j = i + rng.below(n - i);
            std::swap(pool[i], pool[j]);
            picked.push_back(pool[i]);
        }
        return picked;
    }
    // Sparse: rejection; at least half the grid is free, so fewer than 2k draws are expected.
    QSet<quint64> seen;
    seen.reserve(static_cast<qsizetype>(k));
    while (picked.size() < k) {
        const quint64 i = rng.below(n);
        if (!seen.contains(i)) {
            seen.insert(i);
            picked.push_back(i);
        }
    }
    return picked;
}

} // namespace

SweepResult expandSweep(const QStringList &scriptArgs, SweepStrategy strategy,
                        std::optional<int> numTrials, quint64 seed, int maxExperiments)
{
    SweepResult result;
    if (strategy == SweepStrategy::None) {
        result.experiments.append({0, scriptArgs, {}});
        return result;
    }
    if (strategy == SweepStrategy::RandomSearch && (!numTrials || *numTrials <= 0)) {
        result.error = QStringLiteral("random_search needs --num_trials N (N > 0)");
        return result;
    }

    const QList<ScriptArgument> arguments = splitScriptArguments(scriptArgs);
    std::vector<Axis> axes;
    QHash<QString, int> occurrences;
    constexpr quint64 kMax = std::numeric_limits<quint64>::max();
    quint64 gridSize = 1;
    bool overflow = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const ScriptArgument &arg = arguments.at(i);
        if (!arg.hasValue())
            continue;
        const SweepParseResult parsed = parseSweepValue(arg.value);
        if (parsed.error) {
            result.error = parsed.error->message(arg.flag, arg.value);
            return result;
        }
        if (!parsed.value.isAxis())
            continue;
        const int occurrence = occurrences[arg.flag]++;
        const quint64 size = parsed.value.size();
        if (gridSize > kMax / size)
            overflow = true;
        else
            gridSize *= size;
        axes.push_back(
            {i, arg.name(), parsed.value.axis(sweepAxisSeed(seed, arg.flag, occurrence))});
        result.sweptFlags.append(arg.name());
    }

    // "No limit" still stops at what a QList of experiments and an int index can hold.
    const quint64 limit =
        static_cast<quint64>(maxExperiments > 0 ? maxExperiments : std::numeric_limits<int>::max());
    quint64 count = gridSize;
    if (strategy == SweepStrategy::RandomSearch)
        count = std::min(gridSize, static_cast<quint64>(*numTrials));
    if (overflow && strategy == SweepStrategy::GridSearch) {
        result.error = QStringLiteral("this sweep makes more than %1 experiments; the limit is %2 "
                                      "(set max_experiments in gridd's config or narrow the sweep)")
                           .arg(groupedNumber(kMax), groupedNumber(limit));
        return result;
    }
    if (overflow) {
        result.error = QStringLiteral("this sweep's grid has more than %1 combinations; narrow "
                                      "the sweep")
                           .arg(groupedNumber(kMax));
        return result;
    }
    if (count > limit) {
        result.error = QStringLiteral("this sweep makes %1 experiments; the limit is %2 (set "
                                      "max_experiments in gridd's config or narrow the sweep)")
                           .arg(groupedNumber(count), groupedNumber(limit));
        return result;
    }

    // Grid index → concrete arguments: mixed radix, the last axis varying fastest.
    std::vector<quint64> choice(axes.size());
    auto experimentAt = [&](int index, quint64 gridIndex) {
        for (size_t a = axes.size(); a-- > 0;) {
            const quint64 size = axes[a].values.size();
            choice[a] = gridIndex % size;
            gridIndex /= size;
        }
        ExperimentSpec spec;
        spec.index = index;
        spec.args.reserve(scriptArgs.size());
        spec.params.reserve(static_cast<qsizetype>(axes.size()));
        size_t next = 0;
        for (qsizetype i = 0; i < arguments.size(); ++i) {
            if (next < axes.size() && axes[next].argument == i) {
                const QString value = axes[next].values.valueAt(choice[next]);
                arguments.at(i).appendTo(spec.args, value);
                spec.params.append({axes[next].name, value});
                ++next;
            } else {
                arguments.at(i).appendTo(spec.args);
            }
        }
        return spec;
    };

    result.experiments.reserve(static_cast<qsizetype>(count));
    if (count == gridSize) {
        for (quint64 g = 0; g < gridSize; ++g)
            result.experiments.append(experimentAt(static_cast<int>(g), g));
    } else {
        // A stream of its own, so the choice of trials does not shift any axis's samples.
        SweepRandom rng(sweepMix(sweepMix(seed) ^ 0x72616e646f6d5fULL));
        const std::vector<quint64> picked = sampleDistinct(gridSize, count, rng);
        for (size_t t = 0; t < picked.size(); ++t)
            result.experiments.append(experimentAt(static_cast<int>(t), picked[t]));
    }
    qCDebug(lcSweep) << sweepStrategyName(strategy) << "of" << axes.size() << "axes, grid"
                     << gridSize << "→" << result.experiments.size() << "experiments";
    return result;
}

} // namespace og
