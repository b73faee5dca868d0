// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sweep/sweepvalue.h"

#include <QString>

#include <optional>

namespace og {

// Why a value that looks like a sweep is not one. `column` is 1-based within the value;
// value.size() + 1 means "at the end".
struct SweepSyntaxError
{
    int column = 0;
    QString reason;

    // `--backbone "['a', 'b'": expected ']' at character 10`
    QString message(const QString &flag, const QString &value) const;
};

struct SweepParseResult
{
    SweepValue value; // Fixed (the text verbatim) when there is an error
    std::optional<SweepSyntaxError> error;
};

// Reads one script argument value the way Grid evaluated it (grid-reference §5):
//  - a Python list literal `[32, 64]`, `['a', "b c"]`, `[True, False]`, `[None, 1e-5]` → List,
//    each element rendered as Python's str() (strings unquoted, floats as repr, nested lists and
//    tuples as repr);
//  - `range(stop)`, `range(start, stop[, step])` with integers → Range (empty is an error);
//  - `uniform(lo, hi, n)`, `loguniform(lo, hi, n)`, `randint(lo, hi, n)`, `normal(mean, std, n)`,
//    `lognormal(mean, sigma, n)`, `choice([...], n)` → a distribution drawn n times; an
//    `np.random.` or `numpy.random.` prefix is accepted;
//  - anything else → Fixed, verbatim: numbers, words, quoted words, paths, tuples `(10, 100)`.
// A value that starts like a list (`[`) or like a call of a known distribution and then does
// not parse is an error, not a fixed value: a typo must not silently run one experiment with a
// garbage argument. So is a lower-case call with literal arguments such as `gaussian(0, 1, 3)`;
// `nn.Dropout(0.5)`, `Adam(lr=0.1)` and `relu()` stay fixed.
// Deliberate difference from Python: adjacent strings in a list (`['a' 'b']`) are an error
// (a missing comma, as in Grid's own docs), not concatenated.
SweepParseResult parseSweepValue(const QString &text);

} // namespace og
