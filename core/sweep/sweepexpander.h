// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace og {

// `grid run --strategy`: grid_search (default), random_search, none.
enum class SweepStrategy
{
    GridSearch,
    RandomSearch,
    None
};

std::optional<SweepStrategy> sweepStrategyFromString(QStringView name);
QString sweepStrategyName(SweepStrategy strategy);

// gridd's default for max_experiments.
inline constexpr int kDefaultMaxExperiments = 1000;

struct ExperimentSpec
{
    int index = 0;    // 0-based: the experiment is named <run>-exp<index>
    QStringList args; // the concrete script arguments
    // Swept flag (without dashes, e.g. "learning_rate") → its value here, in flag order: the
    // hyperparameter columns of the experiments table.
    QList<QPair<QString, QString>> params;
};

struct SweepResult
{
    QList<ExperimentSpec> experiments;
    QStringList sweptFlags; // without dashes, in command-line order (the table's columns)
    QString error;          // non-empty: nothing may be submitted

    bool ok() const { return error.isEmpty(); }
};

// Expands a script's arguments (everything after the script path) into experiments
// (grid-reference §5):
//  - GridSearch: the cartesian product of the axes, first flag varying slowest (itertools.product);
//  - RandomSearch: `numTrials` distinct combinations of that grid, in sampling order, or the whole
//    grid in grid order when numTrials >= its size; needs numTrials > 0;
//  - None: one experiment, the arguments verbatim, nothing parsed.
// Distributions are sampled once per run (their n values), then crossed like lists. Everything
// random is a function of `seed`: the same arguments and seed give the same experiments. Each
// distribution draws from its own std::mt19937_64 seeded by sweepAxisSeed(seed, flag), so adding
// another flag does not change its values. More than `maxExperiments` experiments is an error
// (<= 0: none but INT_MAX). Only values of flags are parsed; positionals and toggles pass through.
SweepResult expandSweep(const QStringList &scriptArgs, SweepStrategy strategy,
                        std::optional<int> numTrials, quint64 seed,
                        int maxExperiments = kDefaultMaxExperiments);

} // namespace og
