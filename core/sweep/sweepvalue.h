// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>
#include <QtGlobal>

#include <vector>

namespace og {

class SweepAxis;

// What one script argument value means to `grid run` (grid-reference §5): a fixed value passed
// verbatim, or an axis — a list, a range, or a distribution sampled `count` times. Build one with
// parseSweepValue() (sweepparser.h); the factories below trust their arguments.
class SweepValue final
{
public:
    enum class Kind
    {
        Fixed,
        List,       // values already rendered as Python's str() of each element
        Range,      // range(start, stop, step), never empty
        Uniform,    // uniform(low, high, count): [low, high); low > high is allowed, as in numpy
        LogUniform, // loguniform(low, high, count): log-uniform between low and high (both > 0)
        RandInt,    // randint(low, high, count): integers in [low, high)
        Normal,     // normal(mean, std, count)
        LogNormal,  // lognormal(mean, sigma, count): exp of normal(mean, sigma)
        Choice,     // choice([values], count): count draws with replacement
    };

    // The most values one distribution may draw; a bigger sweep could never be run anyway.
    static constexpr qint64 kMaxSampleCount = 1'000'000;

    SweepValue() = default; // Fixed, empty text
    static SweepValue fixed(const QString &text);
    static SweepValue list(const QStringList &values);
    static SweepValue range(qint64 start, qint64 stop, qint64 step);
    static SweepValue distribution(Kind kind, double a, double b,
                                   qint64 count); // Uniform..LogNormal
    static SweepValue randint(qint64 low, qint64 high, qint64 count);
    static SweepValue choice(const QStringList &values, qint64 count);

    Kind kind() const { return m_kind; }
    bool isAxis() const { return m_kind != Kind::Fixed; }
    // Whether the values depend on the random seed.
    bool isRandom() const { return m_kind >= Kind::Uniform; }
    // The verbatim text of a Fixed value.
    const QString &text() const { return m_text; }
    // Number of values on the axis (1 for Fixed); a range may have up to 2^64 - 1.
    quint64 size() const;

    // The axis with its values for one run: distributions draw size() values from a
    // std::mt19937_64 seeded with `rngSeed` (see sweepAxisSeed()); lists and ranges ignore it.
    SweepAxis axis(quint64 rngSeed) const;
    // All values, rendered (for tests and previews; a huge range makes a huge list).
    QStringList values(quint64 rngSeed) const;

private:
    Kind m_kind = Kind::Fixed;
    QString m_text;
    QStringList m_values;
    qint64 m_start = 0; // range start, randint low
    qint64 m_stop = 0;  // range stop, randint high
    qint64 m_step = 1;
    double m_a = 0;
    double m_b = 0;
    qint64 m_count = 0;
};

// The concrete values of one axis in one run. Values are rendered only when asked for, so a
// random search over a huge range costs only what it picks.
class SweepAxis final
{
public:
    quint64 size() const;
    QString valueAt(quint64 index) const;

private:
    friend class SweepValue;
    enum class Storage
    {
        Strings,
        Range,
        Doubles,
        Integers
    };
    Storage m_storage = Storage::Strings;
    QStringList m_strings;
    std::vector<double> m_doubles;
    std::vector<qint64> m_integers;
    qint64 m_start = 0;
    qint64 m_step = 1;
    quint64 m_size = 0;
};

// The seed of the generator that samples the distribution given for `flag` (as written, e.g.
// "--learning_rate"; `occurrence` counts earlier uses of the same flag). It mixes the run's seed
// with the flag's name rather than its position, so adding, removing or reordering other flags
// leaves the values of this one unchanged, and `--lr X` and `--lr=X` draw the same values.
quint64 sweepAxisSeed(quint64 runSeed, QStringView flag, int occurrence = 0);

// splitmix64's finaliser: a cheap, well-mixed 64-bit hash used to derive generator seeds.
quint64 sweepMix(quint64 x);

} // namespace og
