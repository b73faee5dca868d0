// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace og::plot {

// One labelled mark on an axis.
struct Tick
{
    double value = 0;
    QString label;
};

// Where an axis puts its marks and what it writes there: round numbers a reader can count in
// (1, 2 or 5 × 10^k), whole decades on a log axis, and on time axes the steps a clock has
// (seconds, minutes, hours, days). Every function returns the marks inside [min, max], in order,
// at most about `maxTicks` of them (never fewer than one while the range is valid).
class AxisTicks final
{
    Q_DECLARE_TR_FUNCTIONS(og::plot::AxisTicks)
public:
    // The step that cuts `span` into at most `maxTicks` parts: 1, 2 or 5 × 10^k.
    static double niceStep(double span, int maxTicks);
    // `v` rounded up to 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k: how far a growing axis reaches,
    // so it changes rarely without leaving much of the plot empty.
    static double niceCeil(double v);
    // [min, max] widened to the nearest multiples of its step (a padded, labelled frame).
    static void expandToSteps(double &min, double &max, int maxTicks);
    // The same for a log axis: out to whole decades, or to 1, 2, 5 within a decade or two.
    static void expandToDecades(double &min, double &max);

    static QList<Tick> linear(double min, double max, int maxTicks);
    static QList<Tick> logarithmic(double min, double max, int maxTicks); // min > 0
    static QList<Tick> duration(double minSeconds, double maxSeconds, int maxTicks);
    static QList<Tick> wallTime(double minMsSinceEpoch, double maxMsSinceEpoch, int maxTicks);

    // A value as a tick label with as many decimals as `step` needs (k/M/G past 10,000,
    // exponents for tiny values), and a duration in its two largest units ("1 min 30 s").
    static QString number(double v, double step);
    static QString durationText(double seconds, double step);
};

} // namespace og::plot
