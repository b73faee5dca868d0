// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the metrics reader tests: writing files, setting the mtime the readers take as wall
// time, and compact views of points.
#include "core/metrics/metricpoint.h"

#include <QDateTime>
#include <QFile>
#include <QStringList>
#include <QTest>

namespace og::test {

using og::MetricPoint;

inline void writeFile(const QString &path, const QByteArray &bytes,
               QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile f(path);
    QVERIFY(f.open(mode));
    QCOMPARE(f.write(bytes), bytes.size());
}

// Sets the modification time the reader gives as wall time.
inline double setMtime(const QString &path, qint64 msecsSinceEpoch)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) ||
        !f.setFileTime(QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch),
                       QFileDevice::FileModificationTime))
        qFatal("cannot set the modification time of %s", qPrintable(path));
    return double(msecsSinceEpoch) / 1000.0;
}

inline MetricPoint point(const char *key, qint64 step, double wallTime, double value)
{
    return MetricPoint{QString::fromUtf8(key), step, wallTime, value};
}

inline QStringList keysAndSteps(const QList<MetricPoint> &points)
{
    QStringList out;
    for (const MetricPoint &p : points)
        out.append(QStringLiteral("%1@%2").arg(p.key).arg(p.step));
    return out;
}

} // namespace og::test
