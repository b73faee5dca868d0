// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/plot/columnraster.h"

#include <QImage>
#include <QRect>

#include <algorithm>
#include <cmath>
#include <limits>

namespace og::plot {

namespace {
// Collects the vertical extent the polyline covers in the current column and fills it once
// when the polyline moves on to another column: a min/max line crosses each column with two
// or three segments over the same pixels, written once this way.
class ColumnWriter
{
public:
    ColumnWriter(QImage &image, const QRect &clip, QRgb color)
        : m_bits(image.bits())
        , m_bytesPerLine(image.bytesPerLine())
        , m_clip(clip)
        , m_color(color)
    {
    }
    ~ColumnWriter() { flush(); }

    void segment(QPointF a, QPointF b)
    {
        if (a.x() > b.x())
            std::swap(a, b);
        const int firstColumn = int(std::floor(a.x()));
        const int lastColumn = int(std::floor(b.x()));
        if (firstColumn == lastColumn) {
            cover(firstColumn, a.y(), b.y());
            return;
        }
        // The part of the segment inside each column it crosses.
        const double slope = (b.y() - a.y()) / (b.x() - a.x());
        const int first = std::max(m_clip.left() - 1, firstColumn);
        const int last = std::min(m_clip.right() + 1, lastColumn);
        for (int c = first; c <= last; ++c) {
            const double xa = std::max(a.x(), double(c));
            const double xb = std::min(b.x(), double(c + 1));
            cover(c, a.y() + (xa - a.x()) * slope, a.y() + (xb - a.x()) * slope);
        }
    }

private:
    void cover(int column, double yA, double yB)
    {
        if (column != m_column) {
            flush();
            m_column = column;
            m_low = std::min(yA, yB);
            m_high = std::max(yA, yB);
            return;
        }
        m_low = std::min({m_low, yA, yB});
        m_high = std::max({m_high, yA, yB});
    }

    void flush()
    {
        if (m_column < m_clip.left() || m_column > m_clip.right())
            return;
        const int top = std::max(m_clip.top(), int(std::floor(m_low)));
        const int bottom = std::min(m_clip.bottom(), int(std::floor(m_high)));
        uchar *at = m_bits + qsizetype(top) * m_bytesPerLine + qsizetype(m_column) * 4;
        for (int y = top; y <= bottom; ++y, at += m_bytesPerLine)
            *reinterpret_cast<QRgb *>(at) = m_color;
    }

    uchar *m_bits;
    qsizetype m_bytesPerLine;
    QRect m_clip;
    QRgb m_color;
    int m_column = std::numeric_limits<int>::min();
    double m_low = 0, m_high = 0;
};
} // namespace

void drawColumnPolyline(QImage &image, const QPolygonF &points, QRgb color, const QRect &clip)
{
    const QRect area = clip.intersected(image.rect());
    if (points.isEmpty() || image.depth() != 32 || area.isEmpty())
        return;
    ColumnWriter writer(image, area, color);
    if (points.size() == 1)
        writer.segment(points.first(), points.first());
    for (qsizetype i = 1; i < points.size(); ++i)
        writer.segment(points[i - 1], points[i]);
}

} // namespace og::plot
