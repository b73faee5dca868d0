// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/durations.h"

#include <array>
#include <cmath>
#include <QDateTime>

namespace og::cli {

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    constexpr qint64 kDay = 24 * 60 * 60;
    const qint64 days = seconds / kDay;
    const qint64 rest = seconds % kDay;
    const QLatin1Char zero('0');
    return QStringLiteral("%1d-%2:%3:%4")
        .arg(days)
        .arg(rest / 3600, 2, 10, zero)
        .arg(rest / 60 % 60, 2, 10, zero)
        .arg(rest % 60, 2, 10, zero);
}

QString formatBytes(qint64 bytes)
{
    // Sizes are never negative in practice; keep the sign rather than hide a bug behind "0 B".
    const QString sign = bytes < 0 ? QStringLiteral("-") : QString();
    if (bytes > -1024 && bytes < 1024)
        return QString::number(bytes) + QStringLiteral(" B");

    static constexpr std::array<const char *, 6> kUnits{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    // A double holds every qint64 magnitude closely enough for one decimal, and unlike
    // negating the value it cannot overflow at the minimum.
    double value = std::fabs(double(bytes));
    std::size_t unit = 0;
    value /= 1024;
    const auto rounded = [](double v) { return v < 100 ? std::round(v * 10) / 10 : std::round(v); };
    // Promote on the rounded value so 1023.97 KiB prints as "1 MiB", not "1024 KiB".
    while (rounded(value) >= 1024 && unit + 1 < kUnits.size()) {
        value /= 1024;
        ++unit;
    }
    const double shown = rounded(value);
    const QString number = shown == std::floor(shown) ? QString::number(qint64(shown))
                                                      : QString::number(shown, 'f', 1);
    return sign + number + u' ' + QLatin1String(kUnits[unit]);
}

QString formatTimestamp(const QDateTime &utc)
{
    if (!utc.isValid())
        return QStringLiteral("-");
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace og::cli
