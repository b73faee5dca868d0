// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/displayformat.h"

#include <QCoreApplication>
#include <QLocale>

namespace og::displayformat {

QString bytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString duration(qint64 s)
{
    if (s < 0)
        return {};
    const auto tr = [](const char *text) { return QCoreApplication::translate("og::displayformat", text); };
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString timestamp(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

qint64 elapsedSeconds(const QDateTime &start, const QDateTime &end, const QDateTime &now)
{
    if (!start.isValid())
        return -1;
    const QDateTime until = end.isValid() ? end : now;
    return qMax<qint64>(0, start.secsTo(until));
}

QString number(double value)
{
    return QLocale().toString(value, 'g', 4);
}

} // namespace og::displayformat
