// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/tfeventreader.h"

#include "core/metrics/crc32c.h"
#include "core/metrics/protoreader.h"

#include <QFile>
#include <QFileInfo>
#include <QFloat16>
#include <QtEndian>
#include <QVarLengthArray>

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

namespace og {

namespace {
constexpr qint64 kHeaderSize = 12; // u64 length + masked CRC of it
constexpr qint64 kFooterSize = 4;  // masked CRC of the data
constexpr qint64 kChunk = 1 << 20;
// Records above this are checked in chunks and not decoded: a scalar event is ~50 bytes, the
// giants are graph_def and meta_graph_def.
constexpr qint64 kMaxDecodedRecord = 64 << 20;

// tensorflow/core/framework/types.proto
enum DataType
{
    DtFloat = 1,
    DtDouble = 2,
    DtInt32 = 3,
    DtUint8 = 4,
    DtInt16 = 5,
    DtInt8 = 6,
    DtInt64 = 9,
    DtBfloat16 = 14,
    DtUint16 = 17,
    DtHalf = 19,
};
constexpr quint64 kDataClassScalar = 1;

double fromHalfBits(quint16 bits)
{
    return double(float(std::bit_cast<qfloat16>(bits)));
}

double fromBfloat16Bits(quint16 bits)
{
    return double(std::bit_cast<float>(quint32(bits) << 16));
}

// Sequential reads from `file` through a buffer holding file bytes [m_start, m_start + size).
class Window
{
public:
    Window(QFile &file, qint64 start)
        : m_file(file)
        , m_start(start)
    {
    }

    // The n bytes at file position pos (>= every earlier pos), or null when the file does not
    // hold them yet.
    const char *get(qint64 pos, qint64 n)
    {
        const qint64 skip = pos - m_start;
        const qint64 have = m_buf.size() - skip;
        if (have < n) {
            // Compact, then read at least a chunk more.
            const qint64 keep = std::max<qint64>(have, 0);
            if (keep > 0)
                std::memmove(m_buf.data(), m_buf.constData() + skip, size_t(keep));
            else if (have < 0 && !m_file.seek(pos))
                return nullptr;
            m_start = pos;
            const qint64 want = std::max(n - keep, kChunk);
            m_buf.resize(keep + want);
            const qint64 got = m_file.read(m_buf.data() + keep, want);
            m_buf.resize(keep + std::max<qint64>(got, 0));
            if (m_buf.size() < n)
                return nullptr;
            return m_buf.constData();
        }
        return m_buf.constData() + skip;
    }

private:
    QFile &m_file;
    qint64 m_start;
    QByteArray m_buf;
};

// The scalar a one-element tensor holds, if it is numeric.
std::optional<double> tensorScalar(QByteArrayView tensor)
{
    quint64 dtype = 0;
    QByteArrayView content;
    std::optional<double> fromField; // first float_val/double_val/int_val/int64_val/half_val
    qint64 elements = 1;
    ProtoReader r(tensor);
    auto firstVarint = [&r]() -> std::optional<quint64> {
        if (r.wireType() == ProtoReader::Varint)
            return r.readVarint();
        if (r.wireType() != ProtoReader::LengthDelimited)
            return r.skip(), std::nullopt;
        ProtoReader packed(r.readBytes());
        const quint64 v = packed.readVarint();
        return packed.ok() ? std::optional(v) : std::nullopt;
    };
    while (r.next()) {
        const int wire = r.wireType();
        switch (r.field()) {
        case 1: // dtype
            if (wire == ProtoReader::Varint)
                dtype = r.readVarint();
            else
                r.skip();
            break;
        case 2: { // tensor_shape: TensorShapeProto {repeated Dim dim = 2; bool unknown_rank = 3}
            if (wire != ProtoReader::LengthDelimited) {
                r.skip();
                break;
            }
            ProtoReader shape(r.readBytes());
            while (shape.next()) {
                if (shape.field() == 2 && shape.wireType() == ProtoReader::LengthDelimited) {
                    ProtoReader dim(shape.readBytes());
                    qint64 size = 0;
                    while (dim.next()) {
                        if (dim.field() == 1 && dim.wireType() == ProtoReader::Varint)
                            size = qint64(dim.readVarint());
                        else
                            dim.skip();
                    }
                    elements = (size == 1 && dim.ok()) ? elements : 0;
                } else if (shape.field() == 3 && shape.wireType() == ProtoReader::Varint) {
                    if (shape.readVarint() != 0)
                        elements = 0; // unknown rank
                } else {
                    shape.skip();
                }
            }
            if (!shape.ok())
                elements = 0;
            break;
        }
        case 4: // tensor_content: little-endian raw values
            if (wire == ProtoReader::LengthDelimited)
                content = r.readBytes();
            else
                r.skip();
            break;
        case 5: // float_val, packed or not
            if (fromField)
                r.skip();
            else if (wire == ProtoReader::Fixed32)
                fromField = r.readFloat();
            else if (wire == ProtoReader::LengthDelimited) {
                ProtoReader packed(r.readBytes());
                const float f = packed.readFloat();
                if (packed.ok())
                    fromField = f;
            } else
                r.skip();
            break;
        case 6: // double_val
            if (fromField)
                r.skip();
            else if (wire == ProtoReader::Fixed64)
                fromField = r.readDouble();
            else if (wire == ProtoReader::LengthDelimited) {
                ProtoReader packed(r.readBytes());
                const double d = packed.readDouble();
                if (packed.ok())
                    fromField = d;
            } else
                r.skip();
            break;
        case 7:  // int_val (int32 and the narrower integer types)
        case 10: // int64_val
            if (fromField) {
                r.skip();
            } else if (const auto v = firstVarint()) {
                fromField = r.field() == 7 ? double(qint32(*v)) : double(qint64(*v));
            }
            break;
        case 13: // half_val: the 16 bits of a half or bfloat16, in an int32
            if (fromField) {
                r.skip();
            } else if (const auto v = firstVarint()) {
                const auto bits = quint16(*v);
                fromField = dtype == DtBfloat16 ? fromBfloat16Bits(bits) : fromHalfBits(bits);
            }
            break;
        default:
            r.skip();
        }
    }
    if (!r.ok() || elements != 1)
        return std::nullopt;

    if (content.isEmpty()) {
        switch (dtype) {
        case DtFloat:
        case DtDouble:
        case DtInt32:
        case DtUint8:
        case DtInt16:
        case DtInt8:
        case DtInt64:
        case DtBfloat16:
        case DtUint16:
        case DtHalf:
            return fromField;
        default:
            return std::nullopt;
        }
    }
    const auto *p = reinterpret_cast<const uchar *>(content.data());
    const qsizetype n = content.size();
    switch (dtype) {
    case DtFloat:
        return n == 4 ? std::optional<double>(qFromLittleEndian<float>(p)) : std::nullopt;
    case DtDouble:
        return n == 8 ? std::optional<double>(qFromLittleEndian<double>(p)) : std::nullopt;
    case DtInt32:
        return n == 4 ? std::optional<double>(qFromLittleEndian<qint32>(p)) : std::nullopt;
    case DtInt64:
        return n == 8 ? std::optional<double>(double(qFromLittleEndian<qint64>(p))) : std::nullopt;
    case DtInt16:
        return n == 2 ? std::optional<double>(qFromLittleEndian<qint16>(p)) : std::nullopt;
    case DtUint16:
        return n == 2 ? std::optional<double>(qFromLittleEndian<quint16>(p)) : std::nullopt;
    case DtInt8:
        return n == 1 ? std::optional<double>(qint8(p[0])) : std::nullopt;
    case DtUint8:
        return n == 1 ? std::optional<double>(p[0]) : std::nullopt;
    case DtHalf:
        return n == 2 ? std::optional(fromHalfBits(qFromLittleEndian<quint16>(p))) : std::nullopt;
    case DtBfloat16:
        return n == 2 ? std::optional(fromBfloat16Bits(qFromLittleEndian<quint16>(p)))
                      : std::nullopt;
    default:
        return std::nullopt;
    }
}

// Whether SummaryMetadata declares a scalar; nothing when it declares nothing at all.
std::optional<bool> metadataSaysScalar(QByteArrayView metadata)
{
    QByteArrayView pluginName;
    quint64 dataClass = 0;
    ProtoReader r(metadata);
    while (r.next()) {
        if (r.field() == 1 && r.wireType() == ProtoReader::LengthDelimited) {
            ProtoReader plugin(r.readBytes());
            while (plugin.next()) {
                if (plugin.field() == 1 && plugin.wireType() == ProtoReader::LengthDelimited)
                    pluginName = plugin.readBytes();
                else
                    plugin.skip();
            }
        } else if (r.field() == 4 && r.wireType() == ProtoReader::Varint) {
            dataClass = r.readVarint();
        } else {
            r.skip();
        }
    }
    if (pluginName.isEmpty() && dataClass == 0)
        return std::nullopt;
    return pluginName == "scalars" || dataClass == kDataClassScalar;
}
} // namespace

TfEventReader::TfEventReader(QString path)
    : m_path(std::move(path))
    , m_fileName(QFileInfo(m_path).fileName())
{
}

QStringList TfEventReader::takeProblems()
{
    return std::exchange(m_problems, {});
}

void TfEventReader::report(const QString &what)
{
    m_problems.append(m_fileName + QLatin1String(": ") + what);
}

QJsonObject TfEventReader::saveState() const
{
    QJsonObject scalarTags;
    for (auto it = m_scalarTags.begin(); it != m_scalarTags.end(); ++it)
        scalarTags.insert(it.key(), it.value());
    return {{QStringLiteral("offset"), m_offset},
            {QStringLiteral("stopped"), m_stopped},
            {QStringLiteral("scalar_tags"), scalarTags}};
}

void TfEventReader::restoreState(const QJsonObject &state)
{
    m_offset = qint64(state.value(QStringLiteral("offset")).toDouble());
    m_stopped = state.value(QStringLiteral("stopped")).toBool();
    const QJsonObject scalarTags = state.value(QStringLiteral("scalar_tags")).toObject();
    for (auto it = scalarTags.begin(); it != scalarTags.end(); ++it)
        m_scalarTags.insert(it.key(), it.value().toBool());
}

QList<MetricPoint> TfEventReader::readAvailable()
{
    QList<MetricPoint> points;
    if (m_stopped)
        return points;

    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        // A file not there (yet, or any more) is not a problem; any other error is said once.
        const QString error = file.exists() ? file.errorString() : QString();
        if (!error.isEmpty() && error != m_lastOpenError)
            report(QStringLiteral("cannot be read: %1").arg(error));
        m_lastOpenError = error;
        return points;
    }
    m_lastOpenError.clear();

    if (file.size() < m_offset) {
        report(QStringLiteral("shrank from %1 to %2 bytes (replaced or truncated); skipping the "
                              "rest of the file")
                   .arg(m_offset)
                   .arg(file.size()));
        m_stopped = true;
        return points;
    }
    if (!file.seek(m_offset))
        return points;

    Window window(file, m_offset);
    qint64 fileSize = file.size(); // refreshed only when a record seems to run past it
    for (;;) {
        const qint64 at = m_offset;
        const char *header = window.get(at, kHeaderSize);
        if (!header)
            break; // nothing more, or the writer is mid-header
        const quint32 lengthCrc = qFromLittleEndian<quint32>(header + 8);
        if (crc32c::mask(crc32c::value(header, 8)) != lengthCrc) {
            report(QStringLiteral("bad length CRC in record at byte %1; skipping the rest of "
                                  "the file")
                       .arg(at));
            m_stopped = true;
            break;
        }
        const quint64 length = qFromLittleEndian<quint64>(header);
        // Wait until the whole record is there (also keeps `at + length` from overflowing).
        auto fits = [&] {
            const qint64 available = fileSize - at - kHeaderSize - kFooterSize;
            return available >= 0 && length <= quint64(available);
        };
        if (!fits() && (fileSize = file.size(), !fits()))
            break;
        const qint64 dataAt = at + kHeaderSize;
        const auto size = qint64(length);

        quint32 crc = 0;
        const char *data = nullptr;
        if (size <= kMaxDecodedRecord) {
            data = window.get(dataAt, size + kFooterSize);
            if (!data)
                break;
            crc = crc32c::value(data, size_t(size));
        } else {
            bool complete = true;
            for (qint64 done = 0; done < size && complete;) {
                const qint64 part = std::min(size - done, kChunk);
                const char *bytes = window.get(dataAt + done, part);
                complete = bytes != nullptr;
                if (complete)
                    crc = crc32c::extend(crc, bytes, size_t(part));
                done += part;
            }
            if (!complete)
                break;
        }
        const char *footer = data ? data + size : window.get(dataAt + size, kFooterSize);
        if (!footer)
            break;
        if (crc32c::mask(crc) != qFromLittleEndian<quint32>(footer)) {
            report(QStringLiteral("bad data CRC in record at byte %1; skipping the rest of the "
                                  "file")
                       .arg(at));
            m_stopped = true;
            break;
        }
        if (data)
            decodeEvent(QByteArrayView(data, size), at, points);
        m_offset = dataAt + size + kFooterSize;
    }
    return points;
}

void TfEventReader::decodeEvent(QByteArrayView data, qint64 recordAt, QList<MetricPoint> &out)
{
    double wallTime = 0;
    qint64 step = 0;
    QVarLengthArray<QByteArrayView, 1> summaries; // a repeated embedded message merges
    ProtoReader r(data);
    while (r.next()) {
        if (r.field() == 1 && r.wireType() == ProtoReader::Fixed64)
            wallTime = r.readDouble();
        else if (r.field() == 2 && r.wireType() == ProtoReader::Varint)
            step = qint64(r.readVarint());
        else if (r.field() == 5 && r.wireType() == ProtoReader::LengthDelimited)
            summaries.append(r.readBytes());
        else
            r.skip();
    }
    if (!r.ok()) {
        // CRCs were right, so the writer wrote it this way; later records may be fine.
        if (!m_reportedMalformed)
            report(QStringLiteral("malformed event in record at byte %1; skipped (later "
                                  "malformed records are skipped silently)")
                       .arg(recordAt));
        m_reportedMalformed = true;
        return;
    }
    for (const QByteArrayView summary : summaries)
        decodeSummary(summary, step, wallTime, out);
}

void TfEventReader::decodeSummary(QByteArrayView summary, qint64 step, double wallTime,
                                  QList<MetricPoint> &out)
{
    ProtoReader values(summary);
    while (values.next()) {
        if (values.field() != 1 || values.wireType() != ProtoReader::LengthDelimited) {
            values.skip();
            continue;
        }
        QByteArrayView tag;
        std::optional<float> simpleValue;
        std::optional<QByteArrayView> metadata;
        std::optional<QByteArrayView> tensor;
        ProtoReader r(values.readBytes());
        while (r.next()) {
            const int wire = r.wireType();
            if (r.field() == 1 && wire == ProtoReader::LengthDelimited)
                tag = r.readBytes();
            else if (r.field() == 2 && wire == ProtoReader::Fixed32)
                simpleValue = r.readFloat();
            else if (r.field() == 9 && wire == ProtoReader::LengthDelimited)
                metadata = r.readBytes();
            else if (r.field() == 8 && wire == ProtoReader::LengthDelimited)
                tensor = r.readBytes();
            else
                r.skip();
        }
        if (!r.ok() || tag.isEmpty())
            continue;
        const QString key = QString::fromUtf8(tag);
        if (metadata) {
            if (const auto scalar = metadataSaysScalar(*metadata))
                m_scalarTags.insert(key, *scalar);
        }
        if (simpleValue) {
            out.append(MetricPoint{key, step, wallTime, double(*simpleValue)});
        } else if (tensor && m_scalarTags.value(key)) {
            if (const auto v = tensorScalar(*tensor))
                out.append(MetricPoint{key, step, wallTime, *v});
        }
    }
}

} // namespace og
