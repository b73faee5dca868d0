// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace og {

// Small helpers for the sentences users read in messages and tables.
QString plural(qint64 count, const QString &singular); // "1 GPU", "2 GPUs"
QString joinAnd(const QStringList &parts);            // "a", "a and b", "a, b and c"

} // namespace og
