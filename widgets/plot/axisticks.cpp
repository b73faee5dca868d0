// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plot/axisticks.h"

#include <QDateTime>
#include <QLocale>

#include <array>
#include <cmath>

namespace og::plot {

namespace {
constexpr double kEpsilon = 1e-9;

// Marks at every multiple of `step` within [min, max]; `shift` moves the grid (time zones).
template<typename Label>
QList<Tick> multiples(double min, double max, double step, double shift, Label label)
{
    QList<Tick> ticks;
    if (!(step > 0) || !std::isfinite(min) || !std::isfinite(max))
        return ticks;
    const double first = std::ceil((min + shift) / step - kEpsilon);
    const double last = std::floor((max + shift) / step + kEpsilon);
    for (double k = first; k <= last && ticks.size() < 1000; ++k) {
        double v = k * step - shift;
        if (std::abs(v) < step * kEpsilon)
            v = 0; // not -1.3e-17
        ticks.append({v, label(v)});
    }
    return ticks;
}

// The first step of `steps` that cuts `span` into at most `maxTicks` parts, or 0 past the list.
template<size_t N>
double firstFitting(const std::array<double, N> &steps, double span, int maxTicks)
{
    const double raw = span / std::max(1, maxTicks);
    for (double s : steps)
        if (s >= raw * (1 - kEpsilon))
            return s;
    return 0;
}

double pow10(double exponent)
{
    return std::pow(10.0, exponent);
}
} // namespace

double AxisTicks::niceStep(double span, int maxTicks)
{
    const double raw = span / std::max(1, maxTicks);
    if (!(raw > 0) || !std::isfinite(raw))
        return 1;
    const double p = pow10(std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * p >= raw * (1 - kEpsilon))
            return m * p;
    return 10 * p;
}

double AxisTicks::niceCeil(double v)
{
    if (v <= 0)
        return v == 0 ? 1 : -pow10(std::floor(std::log10(-v)));
    const double p = pow10(std::floor(std::log10(v)));
    for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0})
        if (v <= m * p * (1 + kEpsilon))
            return m * p;
    return 10 * p;
}

void AxisTicks::expandToSteps(double &min, double &max, int maxTicks)
{
    if (max <= min) {
        const double pad = min != 0 ? std::abs(min) * 0.1 : 1;
        min -= pad;
        max += pad;
    }
    // A little room first, so a line at the extreme does not run along the frame — but not
    // below zero for values that are not (losses, accuracies): that would add a whole step.
    const double pad = (max - min) * 0.01;
    const double low = min >= 0 ? std::max(0.0, min - pad) : min - pad;
    const double high = max <= 0 ? std::min(0.0, max + pad) : max + pad;
    // Out to the labels' step, so the frame ends on labelled marks — or to the next smaller
    // round step (5 → 2 → 1) where that would leave much of the plot empty.
    double step = niceStep(high - low, maxTicks);
    for (int finer = 0; finer < 3; ++finer) {
        min = std::floor(low / step) * step;
        max = std::ceil(high / step) * step;
        if (max - min <= 1.15 * (high - low))
            break;
        const double mantissa = step / pow10(std::floor(std::log10(step) + kEpsilon));
        step *= mantissa > 4 ? 0.4 : 0.5; // 5 → 2, 2 → 1, 1 → 0.5
    }
}

void AxisTicks::expandToDecades(double &min, double &max)
{
    if (!(min > 0) || !(max > 0))
        return;
    if (max < min)
        std::swap(min, max);
    if (max / min >= 10) {
        min = pow10(std::floor(std::log10(min) + kEpsilon));
        max = pow10(std::ceil(std::log10(max) - kEpsilon));
        return;
    }
    // Within a decade or so whole decades would squash the line: 1, 2, 5 × 10^k instead.
    const double pMin = pow10(std::floor(std::log10(min) + kEpsilon));
    double low = pMin;
    for (double m : {2.0, 5.0, 10.0})
        if (m * pMin <= min * (1 + kEpsilon))
            low = m * pMin;
    const double pMax = pow10(std::floor(std::log10(max) + kEpsilon));
    double high = 10 * pMax;
    for (double m : {5.0, 2.0, 1.0})
        if (m * pMax >= max * (1 - kEpsilon))
            high = m * pMax;
    min = low;
    max = high > low ? high : low * 2;
}

QList<Tick> AxisTicks::linear(double min, double max, int maxTicks)
{
    if (!(max >= min) || !std::isfinite(min) || !std::isfinite(max))
        return {};
    if (max == min)
        return {{min, number(min, min != 0 ? std::abs(min) / 10 : 1)}};
    const double step = niceStep(max - min, maxTicks);
    return multiples(min, max, step, 0, [step](double v) { return number(v, step); });
}

QList<Tick> AxisTicks::logarithmic(double min, double max, int maxTicks)
{
    if (!(min > 0) || !(max >= min) || !std::isfinite(max))
        return {};
    const double lo = std::log10(min);
    const double hi = std::log10(max);
    if (hi - lo < 1)
        return linear(min, max, maxTicks); // less than a decade: no decade mark to show
    // Every decade, or every n-th so that at most maxTicks are labelled.
    const double firstDecade = std::ceil(lo - kEpsilon);
    const double lastDecade = std::floor(hi + kEpsilon);
    const int decades = int(lastDecade - firstDecade) + 1;
    const int every = std::max(1, int(std::ceil(double(decades) / std::max(1, maxTicks))));
    QList<Tick> ticks;
    for (double k = firstDecade; k <= lastDecade; ++k)
        if ((int(k) % every + every) % every == 0) {
            const double v = pow10(k);
            ticks.append({v, number(v, v)});
        }
    // Few decades leave room for 2 and 5 between them.
    if (every == 1 && 3 * (decades - 1) + 1 <= maxTicks) {
        QList<Tick> finer;
        for (double k = std::floor(lo); k <= lastDecade; ++k)
            for (double m : {1.0, 2.0, 5.0}) {
                const double v = m * pow10(k);
                if (v >= min * (1 - kEpsilon) && v <= max * (1 + kEpsilon))
                    finer.append({v, number(v, pow10(k))});
            }
        return finer;
    }
    return ticks;
}

QList<Tick> AxisTicks::duration(double minSeconds, double maxSeconds, int maxTicks)
{
    if (!(maxSeconds >= minSeconds))
        return {};
    const double span = maxSeconds - minSeconds;
    if (span == 0)
        return {{minSeconds, durationText(minSeconds, 1)}};
    // The steps a clock has, so marks fall on whole minutes and hours.
    static constexpr std::array<double, 20> steps{1,    2,    5,    10,    15,    30,    60,    120,    300,    600,
                                                  900,  1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
    double step = span / std::max(1, maxTicks) < 1 ? niceStep(span, maxTicks) : firstFitting(steps, span, maxTicks);
    if (step == 0)
        step = niceStep(span / 86400, maxTicks) * 86400; // weeks and more: whole days
    return multiples(minSeconds, maxSeconds, step, 0, [step](double v) { return durationText(v, step); });
}

QList<Tick> AxisTicks::wallTime(double minMs, double maxMs, int maxTicks)
{
    if (!(maxMs >= minMs) || !std::isfinite(minMs) || !std::isfinite(maxMs))
        return {};
    constexpr double second = 1000, minute = 60 * second, hour = 60 * minute, day = 24 * hour;
    static constexpr std::array<double, 18> steps{second,      2 * second,  5 * second, 10 * second, 15 * second, 30 * second,
                                                  minute,      2 * minute,  5 * minute, 10 * minute, 15 * minute, 30 * minute,
                                                  hour,        2 * hour,    3 * hour,   6 * hour,    12 * hour,   day};
    const double span = std::max(maxMs - minMs, 1.0);
    double step = span / std::max(1, maxTicks) < second ? niceStep(span, maxTicks) : firstFitting(steps, span, maxTicks);
    if (step == 0)
        step = niceStep(span / day, maxTicks) * day;
    // Marks on the local clock's round times: shift the grid by the zone's offset.
    const double offset = double(QDateTime::fromMSecsSinceEpoch(qint64(minMs)).offsetFromUtc()) * 1000;
    const QLocale locale;
    return multiples(minMs, maxMs, step, offset, [step, &locale](double v) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(v)));
        // Midnight, or steps of days: the date says more than 00:00.
        if (step >= day || (t.time() == QTime(0, 0) && step >= minute))
            return locale.toString(t.date(), QStringLiteral("d MMM"));
        if (step < second) // whole seconds as a clock, the marks between as their milliseconds
            return t.time().msec() == 0 ? t.toString(QStringLiteral("HH:mm:ss")) : t.toString(QStringLiteral(".zzz"));
        return t.toString(step < minute ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
    });
}

QString AxisTicks::number(double v, double step)
{
    if (!std::isfinite(v))
        return QString::number(v);
    double a = std::abs(v);
    step = std::abs(step) > 0 ? std::abs(step) : (a > 0 ? a : 1);
    if (a < step * 1e-6) {
        v = 0; // a sum of steps that missed zero by a rounding error
        a = 0;
        if (step < 1e-4)
            return QStringLiteral("0");
    }
    if (a >= 1e4 && step >= 1) {
        // 200k, 1.5M: fewer digits for the eye to count.
        static constexpr std::array<std::pair<double, char>, 4> units{{{1e12, 'T'}, {1e9, 'G'}, {1e6, 'M'}, {1e3, 'k'}}};
        for (const auto &[unit, suffix] : units) {
            if (a < unit)
                continue;
            const int decimals = step >= unit ? 0 : int(std::ceil(std::log10(unit / step) - kEpsilon));
            if (decimals > 3)
                break; // 1.000002G says less than 1000000002
            QString s = QString::number(v / unit, 'f', decimals);
            if (s.contains(u'.')) {
                while (s.endsWith(u'0'))
                    s.chop(1);
                if (s.endsWith(u'.'))
                    s.chop(1);
            }
            return s + QLatin1Char(suffix);
        }
    }
    if (a != 0 && (a < 1e-4 || a >= 1e15)) {
        const int digits = std::clamp(int(std::floor(std::log10(a)) - std::floor(std::log10(step))), 0, 10);
        QString s = QString::number(v, 'e', digits); // 1.5e-05 → 1.5e-5
        s.replace(QStringLiteral("e-0"), QStringLiteral("e-")).replace(QStringLiteral("e+0"), QStringLiteral("e")).replace(QStringLiteral("e+"), QStringLiteral("e"));
        return s;
    }
    const int decimals = step >= 1 ? 0 : std::min(12, int(std::ceil(-std::log10(step) - kEpsilon)));
    return QString::number(v, 'f', decimals);
}

QString AxisTicks::durationText(double seconds, double step)
{
    if (step < 1)
        return tr("%1 s").arg(number(seconds, step));
    const QString sign = seconds < 0 ? QStringLiteral("−") : QString();
    qint64 rest = std::llround(std::abs(seconds));
    if (rest == 0)
        return QStringLiteral("0");
    const qint64 days = rest / 86400, hours = rest / 3600 % 24, minutes = rest / 60 % 60, secs = rest % 60;
    // The two largest units that are not zero: "2 h 30 min", "1 min 30 s", "3 d".
    QStringList parts;
    bool started = false;
    for (const auto &[n, unit] : {std::pair{days, tr("%1 d")}, std::pair{hours, tr("%1 h")}, std::pair{minutes, tr("%1 min")},
                                  std::pair{secs, tr("%1 s")}}) {
        if (started && parts.size() == 2)
            break;
        if (n != 0)
            parts.append(unit.arg(n));
        started = started || n != 0;
        if (started && n == 0)
            break; // "1 h" rather than "1 h 0 min 5 s"
    }
    return sign + parts.join(u' ');
}

} // namespace og::plot
