// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/colors.h"

#include <array>

namespace og::colors {

QColor forExperiment(int index)
{
    // Tableau 10: distinct on light and dark backgrounds and for the common colour-vision
    // deficiencies; past ten, the hue turns by the golden angle so neighbours stay apart.
    static constexpr std::array<QRgb, 10> base{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                               0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
    if (index < 0)
        index = 0;
    if (index < int(base.size()))
        return QColor::fromRgb(base[size_t(index)]);
    return QColor::fromHsv(int((index * 137.508)) % 360, 170, 210);
}

int experimentIndex(const QString &experimentName)
{
    const qsizetype at = experimentName.lastIndexOf(QStringLiteral("-exp"));
    if (at < 0)
        return 0;
    bool ok = false;
    const int n = experimentName.mid(at + 4).toInt(&ok);
    return ok ? n : 0;
}

QColor forStatus(const QString &status, bool darkBackground)
{
    if (status == u"succeeded")
        return darkBackground ? QColor(0x6c, 0xd4, 0x7e) : QColor(0x1a, 0x7f, 0x37);
    if (status == u"failed")
        return darkBackground ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
    if (status == u"running" || status == u"uploading" || status == u"optimizing")
        return darkBackground ? QColor(0x79, 0xc0, 0xff) : QColor(0x09, 0x69, 0xda);
    return {};
}

} // namespace og::colors
