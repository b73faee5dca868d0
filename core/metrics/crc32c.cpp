// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define OG_CRC32C_SSE42 1
#include <nmmintrin.h>
#endif

namespace og::crc32c {

namespace {
constexpr quint32 kPolynomial = 0x82f63b78u; // 0x1edc6f41 bit-reversed

// Slicing-by-8: table[k][b] is the CRC of byte b followed by k zero bytes, so eight input
// bytes are folded with eight look-ups instead of eight dependent ones.
using Tables = std::array<std::array<quint32, 256>, 8>;
constexpr Tables makeTables()
{
    Tables t{};
    for (quint32 b = 0; b < 256; ++b) {
        quint32 crc = b;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
        t[0][b] = crc;
    }
    for (int k = 1; k < 8; ++k)
        for (quint32 b = 0; b < 256; ++b)
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
    return t;
}
constexpr Tables kTables = makeTables();

quint32 loadLe32(const uchar *p)
{
    return quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
}

// `crc` here is the running register (already inverted).
quint32 portableRaw(quint32 crc, const uchar *p, std::size_t n)
{
    while (n >= 8) {
        const quint32 lo = loadLe32(p) ^ crc;
        const quint32 hi = loadLe32(p + 4);
        crc = kTables[7][lo & 0xff] ^ kTables[6][(lo >> 8) & 0xff] ^ kTables[5][(lo >> 16) & 0xff] ^
              kTables[4][lo >> 24] ^ kTables[3][hi & 0xff] ^ kTables[2][(hi >> 8) & 0xff] ^
              kTables[1][(hi >> 16) & 0xff] ^ kTables[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xff];
    return crc;
}

#ifdef OG_CRC32C_SSE42
__attribute__((target("sse4.2"))) quint32 hardwareRaw(quint32 crc, const uchar *p, std::size_t n)
{
    quint64 c = crc;
    while (n >= 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        n -= 8;
    }
    auto c32 = quint32(c);
    while (n--)
        c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}

bool detectSse42()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#endif
} // namespace

bool hardwareAccelerated()
{
#ifdef OG_CRC32C_SSE42
    static const bool has = detectSse42();
    return has;
#else
    return false;
#endif
}

quint32 extendPortable(quint32 crc, const void *data, std::size_t size)
{
    return ~portableRaw(~crc, static_cast<const uchar *>(data), size);
}

quint32 extend(quint32 crc, const void *data, std::size_t size)
{
#ifdef OG_CRC32C_SSE42
    if (hardwareAccelerated())
        return ~hardwareRaw(~crc, static_cast<const uchar *>(data), size);
#endif
    return extendPortable(crc, data, size);
}

} // namespace og::crc32c
