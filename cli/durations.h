// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

class QDateTime;

namespace og::cli {

// Grid's duration column: days, then HH:MM:SS ("0d-04:05:23", "12d-00:00:07"). Negative
// values (clock skew between client and server) show as zero rather than as nonsense.
QString formatDuration(qint64 seconds);

// Binary units with one decimal below 100 ("1.5 KiB", "23.4 GiB") and whole numbers when the
// decimal would be .0 or the value is 100 or more ("16 GiB", "512 B", "500 GiB").
QString formatBytes(qint64 bytes);

// "2022-04-04 20:01" in the user's local time zone, as Grid's "Created At" columns print it;
// "-" for an invalid (unknown) time.
QString formatTimestamp(const QDateTime &utc);

} // namespace og::cli
