// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/sweepvalue.h"

#include "core/sweep/pythonformat.h"
#include "core/sweep/sweeprandom.h"

#include <algorithm>
#include <cmath>

namespace og {

SweepValue SweepValue::fixed(const QString &text)
{
    SweepValue v;
    v.m_text = text;
    return v;
}

SweepValue SweepValue::list(const QStringList &values)
{
    Q_ASSERT(!values.isEmpty());
    SweepValue v;
    v.m_kind = Kind::List;
    v.m_values = values;
    return v;
}

SweepValue SweepValue::range(qint64 start, qint64 stop, qint64 step)
{
    Q_ASSERT(step != 0);
    SweepValue v;
    v.m_kind = Kind::Range;
    v.m_start = start;
    v.m_stop = stop;
    v.m_step = step;
    Q_ASSERT(v.size() > 0);
    return v;
}

SweepValue SweepValue::distribution(Kind kind, double a, double b, qint64 count)
{
    Q_ASSERT(kind == Kind::Uniform || kind == Kind::LogUniform || kind == Kind::Normal ||
             kind == Kind::LogNormal);
    Q_ASSERT(count > 0 && count <= kMaxSampleCount);
    SweepValue v;
    v.m_kind = kind;
    v.m_a = a;
    v.m_b = b;
    v.m_count = count;
    return v;
}

SweepValue SweepValue::randint(qint64 low, qint64 high, qint64 count)
{
    Q_ASSERT(low < high);
    Q_ASSERT(count > 0 && count <= kMaxSampleCount);
    SweepValue v;
    v.m_kind = Kind::RandInt;
    v.m_start = low;
    v.m_stop = high;
    v.m_count = count;
    return v;
}

SweepValue SweepValue::choice(const QStringList &values, qint64 count)
{
    Q_ASSERT(!values.isEmpty());
    Q_ASSERT(count > 0 && count <= kMaxSampleCount);
    SweepValue v;
    v.m_kind = Kind::Choice;
    v.m_values = values;
    v.m_count = count;
    return v;
}

quint64 SweepValue::size() const
{
    switch (m_kind) {
    case Kind::Fixed:
        return 1;
    case Kind::List:
        return static_cast<quint64>(m_values.size());
    case Kind::Range: {
        // Python's len(range(...)); unsigned arithmetic because stop - start may not fit qint64.
        if (m_step > 0) {
            if (m_stop <= m_start)
                return 0;
            const quint64 span = static_cast<quint64>(m_stop) - static_cast<quint64>(m_start);
            return (span - 1) / static_cast<quint64>(m_step) + 1;
        }
        if (m_stop >= m_start)
            return 0;
        const quint64 span = static_cast<quint64>(m_start) - static_cast<quint64>(m_stop);
        const quint64 step = 0 - static_cast<quint64>(m_step);
        return (span - 1) / step + 1;
    }
    default:
        return static_cast<quint64>(m_count);
    }
}

SweepAxis SweepValue::axis(quint64 rngSeed) const
{
    SweepAxis axis;
    axis.m_size = size();
    SweepRandom rng(rngSeed);
    switch (m_kind) {
    case Kind::Fixed:
        axis.m_strings = QStringList{m_text};
        break;
    case Kind::List:
        axis.m_strings = m_values;
        break;
    case Kind::Range:
        axis.m_storage = SweepAxis::Storage::Range;
        axis.m_start = m_start;
        axis.m_step = m_step;
        break;
    case Kind::Uniform:
    case Kind::LogUniform:
    case Kind::Normal:
    case Kind::LogNormal: {
        axis.m_storage = SweepAxis::Storage::Doubles;
        axis.m_doubles.reserve(static_cast<size_t>(m_count));
        for (qint64 i = 0; i < m_count; ++i) {
            double x = 0;
            if (m_kind == Kind::Uniform)
                x = rng.uniform(m_a, m_b);
            else if (m_kind == Kind::LogUniform)
                x = rng.logUniform(m_a, m_b);
            else if (m_kind == Kind::Normal)
                x = rng.normal(m_a, m_b);
            else
                x = std::exp(rng.normal(m_a, m_b));
            axis.m_doubles.push_back(x);
        }
        break;
    }
    case Kind::RandInt:
        axis.m_storage = SweepAxis::Storage::Integers;
        axis.m_integers.reserve(static_cast<size_t>(m_count));
        for (qint64 i = 0; i < m_count; ++i) {
            const quint64 span = static_cast<quint64>(m_stop) - static_cast<quint64>(m_start);
            axis.m_integers.push_back(
                static_cast<qint64>(static_cast<quint64>(m_start) + rng.below(span)));
        }
        break;
    case Kind::Choice:
        axis.m_strings.reserve(m_count);
        for (qint64 i = 0; i < m_count; ++i)
            axis.m_strings.append(m_values.at(
                static_cast<qsizetype>(rng.below(static_cast<quint64>(m_values.size())))));
        break;
    }
    return axis;
}

QStringList SweepValue::values(quint64 rngSeed) const
{
    const SweepAxis a = axis(rngSeed);
    QStringList out;
    out.reserve(static_cast<qsizetype>(a.size()));
    for (quint64 i = 0; i < a.size(); ++i)
        out.append(a.valueAt(i));
    return out;
}

quint64 SweepAxis::size() const
{
    return m_size;
}

QString SweepAxis::valueAt(quint64 index) const
{
    Q_ASSERT(index < m_size);
    switch (m_storage) {
    case Storage::Strings:
        return m_strings.at(static_cast<qsizetype>(index));
    case Storage::Range:
        // Wrapping arithmetic is exact here: the result lies between start and stop.
        return QString::number(static_cast<qint64>(static_cast<quint64>(m_start) +
                                                   index * static_cast<quint64>(m_step)));
    case Storage::Doubles:
        return pythonFloatRepr(m_doubles.at(static_cast<size_t>(index)));
    case Storage::Integers:
        return QString::number(m_integers.at(static_cast<size_t>(index)));
    }
    return {};
}

quint64 sweepMix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

quint64 sweepAxisSeed(quint64 runSeed, QStringView flag, int occurrence)
{
    // FNV-1a over UTF-8: stable across Qt versions and platforms, unlike qHash.
    quint64 h = 0xcbf29ce484222325ULL;
    for (char c : flag.toUtf8()) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return sweepMix(sweepMix(runSeed) ^ sweepMix(h + static_cast<quint64>(occurrence)));
}

} // namespace og
