// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>

namespace og::displayformat {

// What the tables show. Words a user reads go through tr() in the models' context.
QString bytes(qint64 bytes);                       // "9.6 MiB" in the user's locale
QString duration(qint64 seconds);                  // "45 s", "3 min 05 s", "2 h 04 min", "3 d 2 h"
QString timestamp(const QDateTime &utc);           // "2026-11-26 10:24" local time, "" when unknown
// From start to end, or to now while it runs; -1 when it never started.
qint64 elapsedSeconds(const QDateTime &start, const QDateTime &end, const QDateTime &now);
QString number(double value);                      // metric values: 4 significant digits

} // namespace og::displayformat
