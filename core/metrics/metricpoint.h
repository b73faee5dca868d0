// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

namespace og {

// One value of one metric, whichever file it came from.
struct MetricPoint
{
    QString key;
    qint64 step = 0;
    double wallTime = 0; // seconds since the Unix epoch
    double value = 0;

    friend bool operator==(const MetricPoint &, const MetricPoint &) = default;
};

} // namespace og
