// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <cstddef>

namespace og::crc32c {

// CRC-32C (Castagnoli, reflected polynomial 0x82f63b78, init and xorout 0xffffffff), the checksum
// of TFRecord framing. Debian has no C/C++ library for it, and it is a few dozen lines.
//
// extend(crc, …) continues a checksum: extend(extend(0, a), b) == value(a + b), as in LevelDB.
quint32 extend(quint32 crc, const void *data, std::size_t size);
inline quint32 value(const void *data, std::size_t size)
{
    return extend(0, data, size);
}

// The table-driven form, also what extend() uses where the CPU lacks SSE4.2 (kept callable so
// tests check both on machines that have the instruction).
quint32 extendPortable(quint32 crc, const void *data, std::size_t size);
// Whether extend() uses the SSE4.2 crc32 instruction on this CPU.
bool hardwareAccelerated();

// LevelDB's masking (util/crc32c.h): a CRC stored next to the data it covers is rotated and
// offset, because the CRC of a string that itself contains CRCs is weak.
constexpr quint32 kMaskDelta = 0xa282ead8u;
constexpr quint32 mask(quint32 crc)
{
    return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}
constexpr quint32 unmask(quint32 masked)
{
    const quint32 rot = masked - kMaskDelta;
    return (rot >> 17) | (rot << 15);
}

} // namespace og::crc32c
