// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sentences.h"

namespace og {

QString plural(qint64 count, const QString &singular)
{
    return QStringLiteral("%1 %2%3").arg(count).arg(singular, count == 1 ? QString() : QStringLiteral("s"));
}

QString joinAnd(const QStringList &parts)
{
    if (parts.size() <= 1)
        return parts.value(0);
    return parts.mid(0, parts.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ") + parts.last();
}

} // namespace og
