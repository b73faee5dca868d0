// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QtEndian>
#include <QtGlobal>

#include <cstring>

namespace og {

// Reads the protocol-buffer wire format field by field, for the handful of TensorBoard messages
// the metric readers need (no generated code, no libprotobuf). Any malformation (a varint over
// ten bytes, a length past the end, an unbalanced group) makes ok() false and next() stop.
//
//     ProtoReader r(bytes);
//     while (r.next()) {
//         if (r.field() == 1 && r.wireType() == ProtoReader::Fixed64) wall = r.readDouble();
//         else r.skip();
//     }
//     if (!r.ok()) …
class ProtoReader final
{
public:
    enum WireType
    {
        Varint = 0,
        Fixed64 = 1,
        LengthDelimited = 2,
        StartGroup = 3,
        EndGroup = 4,
        Fixed32 = 5
    };

    explicit ProtoReader(QByteArrayView bytes)
        : m_p(reinterpret_cast<const uchar *>(bytes.data()))
        , m_end(m_p + bytes.size())
    {
    }

    // Moves to the next field; false at the end of the message or when malformed.
    bool next()
    {
        if (!m_ok || m_p == m_end)
            return false;
        const quint64 key = readVarint();
        m_field = quint32(key >> 3);
        m_wire = int(key & 7);
        if (m_ok && (m_field == 0 || m_wire > Fixed32 || (key >> 32) != 0))
            m_ok = false;
        return m_ok;
    }

    quint32 field() const { return m_field; }
    int wireType() const { return m_wire; }
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_p == m_end; }

    quint64 readVarint()
    {
        quint64 result = 0;
        for (int shift = 0; shift < 64 && m_p != m_end; shift += 7) {
            const uchar byte = *m_p++;
            result |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return result;
        }
        m_ok = false; // ran off the end, or more than ten bytes
        return 0;
    }
    quint32 readFixed32()
    {
        if (!need(4))
            return 0;
        const quint32 v = qFromLittleEndian<quint32>(m_p);
        m_p += 4;
        return v;
    }
    quint64 readFixed64()
    {
        if (!need(8))
            return 0;
        const quint64 v = qFromLittleEndian<quint64>(m_p);
        m_p += 8;
        return v;
    }
    float readFloat()
    {
        const quint32 bits = readFixed32();
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
    double readDouble()
    {
        const quint64 bits = readFixed64();
        double d;
        std::memcpy(&d, &bits, 8);
        return d;
    }
    QByteArrayView readBytes()
    {
        const quint64 size = readVarint();
        if (!m_ok || size > quint64(m_end - m_p)) {
            m_ok = false;
            return {};
        }
        const QByteArrayView v(reinterpret_cast<const char *>(m_p), qsizetype(size));
        m_p += size;
        return v;
    }

    // Skips the value of the current field, whatever its wire type (groups included).
    void skip() { skipValue(m_field, m_wire, 0); }

private:
    bool need(quint64 n)
    {
        if (quint64(m_end - m_p) < n)
            m_ok = false;
        return m_ok;
    }

    void skipValue(quint32 field, int wire, int depth)
    {
        switch (wire) {
        case Varint:
            readVarint();
            return;
        case Fixed64:
            if (need(8))
                m_p += 8;
            return;
        case LengthDelimited:
            readBytes();
            return;
        case Fixed32:
            if (need(4))
                m_p += 4;
            return;
        case StartGroup:
            // Deprecated proto2 groups: fields until the matching end-group key.
            if (depth >= kMaxGroupDepth) {
                m_ok = false;
                return;
            }
            while (next()) {
                if (m_wire == EndGroup) {
                    if (m_field != field)
                        m_ok = false;
                    return;
                }
                skipValue(m_field, m_wire, depth + 1);
            }
            m_ok = false; // no end-group before the end
            return;
        default: // a stray end-group
            m_ok = false;
            return;
        }
    }

    static constexpr int kMaxGroupDepth = 64;

    const uchar *m_p;
    const uchar *m_end;
    quint32 m_field = 0;
    int m_wire = 0;
    bool m_ok = true;
};

} // namespace og
