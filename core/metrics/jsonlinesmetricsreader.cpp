// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/jsonlinesmetricsreader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QVarLengthArray>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace og {

namespace {
constexpr qint64 kChunk = 4 << 20;
constexpr int kMaxDepth = 64;
// No metrics line is this long; a file of bytes without line ends must not fill memory.
constexpr qsizetype kMaxLineBytes = 1 << 20;

enum class Kind
{
    Number,
    Null,
    String,
    Other
};

// The member names with a meaning of their own.
enum class Role
{
    Metric,
    Step,
    Time,
    Key,
    Value
};

Role roleOf(QByteArrayView name)
{
    // By size first: one compare of constant length instead of four calls to memcmp.
    switch (name.size()) {
    case 3:
        return std::memcmp(name.data(), "key", 3) == 0 ? Role::Key : Role::Metric;
    case 4:
        if (std::memcmp(name.data(), "step", 4) == 0)
            return Role::Step;
        return std::memcmp(name.data(), "time", 4) == 0 ? Role::Time : Role::Metric;
    case 5:
        return std::memcmp(name.data(), "value", 5) == 0 ? Role::Value : Role::Metric;
    default:
        return Role::Metric;
    }
}

struct Member
{
    QByteArrayView name; // UTF-8, escapes already decoded
    Role role = Role::Metric;
    Kind kind = Kind::Other;
    double number = 0;
    QByteArrayView text;  // a number's token; a string's raw contents; any other value's JSON
    bool escaped = false; // a String whose text still holds escapes
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The UTF-8 of a JSON string's raw contents; nothing on a bad escape.
std::optional<QByteArray> unescape(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    auto hex4 = [&raw](qsizetype at) -> int {
        if (at + 4 > raw.size())
            return -1;
        int v = 0;
        for (qsizetype i = at; i < at + 4; ++i) {
            const int d = hexDigit(raw[i]);
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        return v;
    };
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\') {
            out.append(c);
            continue;
        }
        if (++i >= raw.size())
            return std::nullopt;
        switch (raw[i]) {
        case '"':
            out.append('"');
            break;
        case '\\':
            out.append('\\');
            break;
        case '/':
            out.append('/');
            break;
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'u': {
            int unit = hex4(i + 1);
            if (unit < 0)
                return std::nullopt;
            i += 4;
            char32_t code = char32_t(unit);
            if (unit >= 0xd800 && unit < 0xdc00) { // a surrogate pair
                const int low = (i + 2 < raw.size() && raw[i + 1] == '\\' && raw[i + 2] == 'u')
                                    ? hex4(i + 3)
                                    : -1;
                if (low < 0xdc00 || low >= 0xe000)
                    return std::nullopt;
                code = 0x10000 + ((char32_t(unit) - 0xd800) << 10) + (char32_t(low) - 0xdc00);
                i += 6;
            } else if (unit >= 0xdc00 && unit < 0xe000) {
                return std::nullopt;
            }
            out.append(QString::fromUcs4(&code, 1).toUtf8());
            break;
        }
        default:
            return std::nullopt;
        }
    }
    return out;
}

constexpr double kPowersOf10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Clinger's fast path: a decimal with at most 2^53 as its digits and a power of ten up to 22 is
// one exact integer times or divided by another exact one, so one IEEE operation rounds it
// correctly. Most metric values qualify; the rest (and anything odd) go to from_chars.
bool fastNumber(const char *p, const char *end, double &out)
{
    const bool negative = p < end && *p == '-';
    p += negative;
    quint64 mantissa = 0;
    int significant = 0;
    int exponent = 0;
    auto digit = [&p, end] { return p < end && *p >= '0' && *p <= '9'; };
    auto take = [&]() -> bool {
        if (mantissa != 0 || *p != '0') {
            if (++significant > 19)
                return false;
            mantissa = mantissa * 10 + quint64(*p - '0');
        }
        ++p;
        return true;
    };
    if (!digit())
        return false;
    while (digit())
        if (!take())
            return false;
    if (p < end && *p == '.') {
        ++p;
        if (!digit())
            return false;
        while (digit()) {
            if (!take())
                return false;
            --exponent;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        const bool negativeExponent = p < end && *p == '-';
        p += p < end && (*p == '-' || *p == '+');
        if (!digit())
            return false;
        int e = 0;
        while (digit()) {
            e = std::min(e * 10 + (*p - '0'), 100000);
            ++p;
        }
        exponent += negativeExponent ? -e : e;
    }
    if (p != end || mantissa > (quint64(1) << 53) || exponent < -22 || exponent > 22)
        return false;
    const double v = exponent < 0 ? double(mantissa) / kPowersOf10[-exponent]
                                  : double(mantissa) * kPowersOf10[exponent];
    out = negative ? -v : v;
    return true;
}

bool parseNumber(const char *begin, const char *end, double &out)
{
    if (fastNumber(begin, end, out))
        return true;
    const auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ptr != end)
        return false;
    if (ec == std::errc::result_out_of_range) {
        // from_chars leaves `out` alone; strtod's answer is ±inf or ±0 (1e999, 1e-999).
        out = std::strtod(std::string(begin, end).c_str(), nullptr);
        return true;
    }
    return ec == std::errc();
}

// One line's JSON object, members kept as views into the line.
class ObjectParser
{
public:
    ObjectParser(QByteArrayView line, QVarLengthArray<QByteArray, 2> &decodedNames)
        : m_begin(line.data())
        , m_p(line.data())
        , m_end(line.data() + line.size())
        , m_decodedNames(decodedNames)
    {
    }

    bool parse(std::vector<Member> &members)
    {
        ws();
        if (m_p == m_end || *m_p != '{')
            return fail("not a JSON object");
        ++m_p;
        ws();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return end();
        }
        for (;;) {
            Member m;
            bool escaped = false;
            const char *nameAt = m_p;
            if (!string(m.name, escaped))
                return false;
            if (escaped) {
                const auto decoded = unescape(m.name);
                if (!decoded)
                    return m_p = nameAt, fail("bad escape in a name");
                m_decodedNames.append(*decoded);
                m.name = m_decodedNames.last();
            }
            m.role = roleOf(m.name);
            ws();
            if (m_p == m_end || *m_p != ':')
                return fail("expected ':'");
            ++m_p;
            ws();
            if (!value(m))
                return false;
            members.push_back(m);
            ws();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                ws();
                continue;
            }
            if (m_p < m_end && *m_p == '}') {
                ++m_p;
                return end();
            }
            return fail("expected ',' or '}'");
        }
    }

    QString error() const { return m_error; }

private:
    bool end()
    {
        ws();
        return m_p == m_end || fail("text after the object");
    }

    bool fail(const char *what)
    {
        m_error = QStringLiteral("%1 at column %2").arg(QLatin1String(what)).arg(m_p - m_begin + 1);
        return false;
    }

    void ws()
    {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
    }

    // At a '"': the raw contents, and whether they hold escapes.
    bool string(QByteArrayView &raw, bool &escaped)
    {
        if (m_p == m_end || *m_p != '"')
            return fail("expected '\"'");
        const char *start = ++m_p;
        escaped = false;
        for (;;) {
            // Most names and strings have no escapes: find the closing quote fast.
            const auto *quote =
                static_cast<const char *>(std::memchr(m_p, '"', size_t(m_end - m_p)));
            if (!quote)
                return fail("unterminated string");
            // The quote is escaped when an odd number of backslashes precede it.
            const char *q = quote;
            while (q > start && q[-1] == '\\')
                --q;
            if ((quote - q) % 2 == 0) {
                escaped = escaped || std::memchr(start, '\\', size_t(quote - start)) != nullptr;
                raw = QByteArrayView(start, quote - start);
                m_p = quote + 1;
                return true;
            }
            escaped = true;
            m_p = quote + 1;
        }
    }

    bool literal(const char *word)
    {
        const auto n = qsizetype(std::strlen(word));
        if (m_end - m_p < n || std::memcmp(m_p, word, size_t(n)) != 0)
            return fail("unexpected character");
        m_p += n;
        return true;
    }

    bool value(Member &m)
    {
        if (m_p == m_end)
            return fail("missing value");
        const char *start = m_p;
        const char c = *m_p;
        if (c == '"') {
            m.kind = Kind::String;
            return string(m.text, m.escaped);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            if (c == '-' && m_end - m_p > 1 && m_p[1] == 'I') {
                if (!literal("-Infinity"))
                    return false;
                m.number = -HUGE_VAL;
            } else {
                while (m_p < m_end && ((*m_p >= '0' && *m_p <= '9') || *m_p == '-' || *m_p == '+' ||
                                       *m_p == '.' || *m_p == 'e' || *m_p == 'E'))
                    ++m_p;
                if (!parseNumber(start, m_p, m.number))
                    return m_p = start, fail("bad number");
            }
            m.kind = Kind::Number;
            m.text = QByteArrayView(start, m_p - start);
            return true;
        }
        if (c == 'N' || c == 'I') { // Python's json.dumps writes NaN and Infinity
            if (!literal(c == 'N' ? "NaN" : "Infinity"))
                return false;
            m.kind = Kind::Number;
            m.number = c == 'N' ? std::nan("") : HUGE_VAL;
            m.text = QByteArrayView(start, m_p - start);
            return true;
        }
        if (c == 'n') {
            m.kind = Kind::Null;
            return literal("null");
        }
        m.kind = Kind::Other;
        if (!skipValue(0))
            return false;
        m.text = QByteArrayView(start, m_p - start);
        return true;
    }

    // Any JSON value (the kinds a metric cannot be), for its extent only.
    bool skipValue(int depth)
    {
        if (depth > kMaxDepth)
            return fail("nested too deeply");
        if (m_p == m_end)
            return fail("missing value");
        const char c = *m_p;
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_p;
            ws();
            if (m_p < m_end && *m_p == close)
                return ++m_p, true;
            for (;;) {
                if (c == '{') {
                    QByteArrayView name;
                    bool escaped;
                    if (!string(name, escaped))
                        return false;
                    ws();
                    if (m_p == m_end || *m_p != ':')
                        return fail("expected ':'");
                    ++m_p;
                    ws();
                }
                if (!skipValue(depth + 1))
                    return false;
                ws();
                if (m_p < m_end && *m_p == ',') {
                    ++m_p;
                    ws();
                } else if (m_p < m_end && *m_p == close) {
                    return ++m_p, true;
                } else {
                    return fail(c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
                }
            }
        }
        if (c == 't')
            return literal("true");
        if (c == 'f')
            return literal("false");
        Member scalar;
        return value(scalar);
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    QVarLengthArray<QByteArray, 2> &m_decodedNames;
    QString m_error;
};

std::optional<qint64> integerStep(const Member &m)
{
    if (m.kind != Kind::Number)
        return std::nullopt;
    qint64 step = 0;
    const char *end = m.text.data() + m.text.size();
    if (const auto r = std::from_chars(m.text.data(), end, step);
        r.ec == std::errc() && r.ptr == end)
        return step;
    if (std::isfinite(m.number) && m.number == std::trunc(m.number) && std::abs(m.number) < 9.0e18)
        return qint64(m.number); // 3.0, 1e3
    return std::nullopt;
}
} // namespace

JsonLinesMetricsReader::JsonLinesMetricsReader(QString path)
    : m_path(std::move(path))
    , m_fileName(QFileInfo(m_path).fileName())
{
    m_keyCache.fill(-1);
}

QStringList JsonLinesMetricsReader::takeProblems()
{
    return std::exchange(m_problems, {});
}

QList<MetricPoint> JsonLinesMetricsReader::readAvailable(qint64 maxBytes)
{
    return read(false, maxBytes);
}

QList<MetricPoint> JsonLinesMetricsReader::readRemaining(qint64 maxBytes)
{
    return read(true, maxBytes);
}

QJsonObject JsonLinesMetricsReader::saveState() const
{
    QJsonObject lastSteps;
    for (const Key &k : m_keys)
        lastSteps.insert(k.name, k.lastStep);
    return {{QStringLiteral("offset"), m_offset},
            {QStringLiteral("lines"), m_lines},
            {QStringLiteral("bad_lines"), m_badLines},
            {QStringLiteral("skipping_line"), m_skippingLine},
            {QStringLiteral("last_steps"), lastSteps}};
}

void JsonLinesMetricsReader::restoreState(const QJsonObject &state)
{
    m_offset = qint64(state.value(QStringLiteral("offset")).toDouble());
    m_lines = qint64(state.value(QStringLiteral("lines")).toDouble());
    m_badLines = qint64(state.value(QStringLiteral("bad_lines")).toDouble());
    m_skippingLine = state.value(QStringLiteral("skipping_line")).toBool();
    const QJsonObject lastSteps = state.value(QStringLiteral("last_steps")).toObject();
    for (auto it = lastSteps.begin(); it != lastSteps.end(); ++it)
        key(it.key().toUtf8()).lastStep = qint64(it.value().toDouble());
}

QList<MetricPoint> JsonLinesMetricsReader::read(bool includeUnterminated, qint64 maxBytes)
{
    QList<MetricPoint> points;
    m_hasMore = false;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        const QString error = file.exists() ? file.errorString() : QString();
        if (!error.isEmpty() && error != m_lastOpenError)
            m_problems.append(m_fileName + QStringLiteral(": cannot be read: ") + error);
        m_lastOpenError = error;
        return points;
    }
    m_lastOpenError.clear();
    if (file.size() < m_offset) {
        m_problems.append(QStringLiteral("%1: shrank from %2 to %3 bytes; reading it again from "
                                         "the top")
                              .arg(m_fileName)
                              .arg(m_offset)
                              .arg(file.size()));
        m_offset = 0;
        m_lines = 0;
        m_skippingLine = false;
    }
    if (!file.seek(m_offset))
        return points;
    const double fileTime =
        double(file.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch()) / 1000.0;

    auto consume = [&](QByteArrayView line, qsizetype length) {
        if (m_offset == 0 && line.startsWith("\xEF\xBB\xBF"))
            line = line.sliced(3); // a UTF-8 byte order mark
        ++m_lines;
        m_offset += length;
        if (line.endsWith('\r'))
            line.chop(1);
        parseLine(line, fileTime, points);
    };

    const qint64 startOffset = m_offset;
    const qint64 fileSize = file.size();
    // Where this read stops: the first line end at or past it.
    const qint64 limit = maxBytes < 0 ? fileSize : std::min(fileSize, startOffset + maxBytes);
    // Size the result up front from the points per byte seen so far: growing a list of
    // millions of points by doubling costs more than parsing them.
    bool reserved = false;
    if (m_parsedBytes > 0 && m_parsedPoints > 0) {
        points.reserve(qsizetype(double(m_parsedPoints) / double(m_parsedBytes) * double(limit - startOffset) * 1.05) + 16);
        reserved = true;
    }
    QByteArray buffer;
    qsizetype start = 0; // buffer[start, size) is an unfinished line
    bool reachedEnd = false;
    for (;;) {
        if (m_offset >= limit && m_offset > startOffset) {
            m_hasMore = m_offset < fileSize;
            break;
        }
        if (start > 0) {
            buffer.remove(0, start);
            start = 0;
        }
        if (buffer.size() > kMaxLineBytes) {
            // Only an unfinished line is left in the buffer: skip it up to its line end.
            if (!m_skippingLine) {
                ++m_lines;
                badLine(QStringLiteral("longer than %1 bytes").arg(kMaxLineBytes));
            }
            m_skippingLine = true;
            m_offset += buffer.size();
            buffer.clear();
        }
        const qsizetype have = buffer.size();
        // Read no further than the limit needs (a line longer than what is left still
        // completes: the next chunk follows).
        const qint64 want = std::clamp<qint64>(limit - (m_offset + have), 64 * 1024, kChunk);
        buffer.resize(have + want);
        const qint64 got = file.read(buffer.data() + have, want);
        buffer.resize(have + std::max<qint64>(got, 0));
        if (got <= 0) {
            reachedEnd = true;
            break;
        }
        const char *data = buffer.constData();
        for (qsizetype scanFrom = have;;) {
            const auto *nl = static_cast<const char *>(
                std::memchr(data + scanFrom, '\n', size_t(buffer.size() - scanFrom)));
            if (!nl)
                break;
            const qsizetype length = nl - (data + start) + 1;
            if (m_skippingLine) { // the end of an overlong line
                m_skippingLine = false;
                m_offset += length;
            } else {
                consume(QByteArrayView(data + start, length - 1), length);
            }
            start += length;
            scanFrom = start;
            if (m_offset >= limit)
                break; // the rest of the buffer waits for the next read
        }
        // Else after the first chunk, from what it held.
        const qint64 done = m_offset - startOffset;
        if (!reserved && done > 0 && limit > m_offset) {
            reserved = true;
            points.reserve(qsizetype(double(points.size()) * double(limit - startOffset) /
                                     double(done) * 1.05) +
                           16);
        }
    }
    if (includeUnterminated && reachedEnd && start < buffer.size()) {
        const QByteArrayView rest = QByteArrayView(buffer).sliced(start);
        if (m_skippingLine) {
            m_skippingLine = false;
            m_offset += rest.size();
        } else if (!rest.trimmed().isEmpty()) {
            consume(rest, rest.size());
        }
    }
    m_parsedBytes += m_offset - startOffset;
    m_parsedPoints += points.size();
    return points;
}

JsonLinesMetricsReader::Key &JsonLinesMetricsReader::key(QByteArrayView utf8)
{
    // A few names repeat on every line: a direct-mapped cache in front of the hash.
    const auto first = utf8.isEmpty() ? 0u : uchar(utf8.front());
    const auto last = utf8.isEmpty() ? 0u : uchar(utf8.back());
    const size_t slot = (size_t(utf8.size()) * 31 + first * 7 + last) % m_keyCache.size();
    if (const qsizetype cached = m_keyCache[slot]; cached >= 0) {
        Key &k = m_keys[size_t(cached)];
        if (k.utf8 == utf8)
            return k;
    }
    // fromRawData: looking up costs no allocation.
    qsizetype index;
    const auto it = m_keyIndex.constFind(QByteArray::fromRawData(utf8.data(), utf8.size()));
    if (it != m_keyIndex.constEnd()) {
        index = *it;
    } else {
        index = qsizetype(m_keys.size());
        m_keys.push_back(Key{QString::fromUtf8(utf8), utf8.toByteArray(), -1});
        m_keyIndex.insert(m_keys.back().utf8, index);
    }
    m_keyCache[slot] = index;
    return m_keys[size_t(index)];
}

void JsonLinesMetricsReader::badLine(const QString &why)
{
    ++m_badLines;
    if (m_badLines <= kMaxReportedLines)
        m_problems.append(
            QStringLiteral("%1: line %2: %3; skipped").arg(m_fileName).arg(m_lines).arg(why));
    if (m_badLines == kMaxReportedLines)
        m_problems.append(
            QStringLiteral("%1: further bad lines are skipped without a report").arg(m_fileName));
}

void JsonLinesMetricsReader::badMember(QByteArrayView name, QByteArrayView value)
{
    const QByteArray owned = name.toByteArray();
    if (m_reportedMembers.contains(owned))
        return;
    m_reportedMembers.insert(owned);
    m_problems.append(
        QStringLiteral("%1: line %2: '%3' is %4, not a number; such values of '%3' "
                       "are skipped")
            .arg(m_fileName)
            .arg(m_lines)
            .arg(QString::fromUtf8(name),
                 QString::fromUtf8(value.first(std::min<qsizetype>(value.size(), 40)))));
}

void JsonLinesMetricsReader::parseLine(QByteArrayView line, double fileTime,
                                       QList<MetricPoint> &out)
{
    if (line.trimmed().isEmpty())
        return;
    // Reused line after line: most lines need no allocation at all.
    thread_local std::vector<Member> members;
    members.clear();
    QVarLengthArray<QByteArray, 2> decodedNames;
    ObjectParser parser(line, decodedNames);
    if (!parser.parse(members)) {
        badLine(parser.error());
        return;
    }

    const Member *stepMember = nullptr;
    const Member *timeMember = nullptr;
    const Member *keyMember = nullptr;
    const Member *valueMember = nullptr;
    for (const Member &m : members) {
        switch (m.role) {
        case Role::Step:
            stepMember = &m;
            break;
        case Role::Time:
            timeMember = &m;
            break;
        case Role::Key:
            keyMember = &m;
            break;
        case Role::Value:
            valueMember = &m;
            break;
        case Role::Metric:
            break;
        }
    }
    std::optional<qint64> step;
    if (stepMember && stepMember->kind != Kind::Null) {
        step = integerStep(*stepMember);
        if (!step)
            return badLine(QStringLiteral("\"step\" is not an integer"));
    }
    double wallTime = fileTime;
    if (timeMember && timeMember->kind != Kind::Null) {
        if (timeMember->kind != Kind::Number)
            return badLine(QStringLiteral("\"time\" is not a number"));
        wallTime = timeMember->number;
    }
    auto add = [&](QByteArrayView name, double value) {
        Key &k = key(name);
        const qint64 s = step ? *step : k.lastStep + 1;
        k.lastStep = s;
        out.emplaceBack(MetricPoint{k.name, s, wallTime, value});
    };

    if (keyMember && keyMember->kind == Kind::String) {
        std::optional<QByteArray> decoded;
        QByteArrayView name = keyMember->text;
        if (keyMember->escaped) {
            decoded = unescape(name);
            if (!decoded)
                return badLine(QStringLiteral("bad escape in \"key\""));
            name = *decoded;
        }
        if (name.isEmpty())
            return badLine(QStringLiteral("\"key\" is empty"));
        if (!valueMember)
            return badLine(QStringLiteral("a line with \"key\" needs a \"value\""));
        if (valueMember->kind == Kind::Null)
            return;
        if (valueMember->kind != Kind::Number)
            return badLine(QStringLiteral("\"value\" is not a number"));
        add(name, valueMember->number);
        return;
    }
    for (const Member &m : members) {
        if (m.role == Role::Step || m.role == Role::Time || m.name.isEmpty())
            continue;
        if (m.kind == Kind::Number)
            add(m.name, m.number);
        else if (m.kind != Kind::Null)
            badMember(m.name, m.kind == Kind::String
                                  ? QByteArrayView(m.text.data() - 1, m.text.size() + 2)
                                  : m.text);
    }
}

} // namespace og
