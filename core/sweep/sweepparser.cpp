// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/sweepparser.h"

#include "core/sweep/pythonformat.h"

#include <QList>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace og {

QString SweepSyntaxError::message(const QString &flag, const QString &value) const
{
    // One multi-argument arg() call: a '%' in the user's text must not swallow our placeholders.
    return QStringLiteral("%1 \"%2\": %3 at character %4")
        .arg(flag, value, reason, QString::number(column));
}

namespace {

const QLatin1String kKnownNames("uniform, loguniform, randint, normal, lognormal, choice, range");

// A Python literal as ast.literal_eval would see it, reduced to what sweeps need.
struct PyValue
{
    enum class Type
    {
        Int,
        Float,
        Str,
        Bool,
        None,
        List,
        Tuple
    };
    Type type = Type::None;
    QString text;                  // Int: canonical decimal; Str: the contents; Bool: True/False
    double number = 0;             // Int and Float
    std::optional<qint64> integer; // Int, when it fits
    QList<PyValue> items;          // List and Tuple
    qsizetype pos = 0;             // 0-based offset of its first character
};

QString pyRepr(const PyValue &v);

QString joinRepr(const QList<PyValue> &items)
{
    QStringList parts;
    parts.reserve(items.size());
    for (const PyValue &item : items)
        parts.append(pyRepr(item));
    return parts.join(QLatin1String(", "));
}

QString pyRepr(const PyValue &v)
{
    switch (v.type) {
    case PyValue::Type::Int:
    case PyValue::Type::Bool:
        return v.text;
    case PyValue::Type::Float:
        return pythonFloatRepr(v.number);
    case PyValue::Type::Str:
        return pythonStringRepr(v.text);
    case PyValue::Type::None:
        return QStringLiteral("None");
    case PyValue::Type::List:
        return u'[' + joinRepr(v.items) + u']';
    case PyValue::Type::Tuple:
        return u'(' + joinRepr(v.items) +
               (v.items.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
    }
    return {};
}

// What the script receives for a list element: Python's str().
QString pyStr(const PyValue &v)
{
    return v.type == PyValue::Type::Str ? v.text : pyRepr(v);
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isIdentStart(QChar c)
{
    return c == u'_' || c.isLetter();
}

bool isIdentChar(QChar c)
{
    return c == u'_' || c.isLetterOrNumber();
}

QString quoted(QChar c)
{
    return c == u'\'' ? QStringLiteral("\"'\"") : u'\'' + QString(c) + u'\'';
}

class LiteralParser final
{
public:
    explicit LiteralParser(const QString &text)
        : m_s(text)
    {
    }

    std::optional<SweepSyntaxError> error() const { return m_error; }
    bool failed() const { return m_error.has_value(); }
    qsizetype pos() const { return m_pos; }
    bool atEnd() const { return m_pos >= m_s.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_s.size() ? m_s.at(m_pos + ahead) : QChar();
    }
    QString text() const { return m_s; }

    void skipWs()
    {
        while (!atEnd() && (peek() == u' ' || peek() == u'\t' || peek() == u'\n' ||
                            peek() == u'\r' || peek() == u'\f' || peek() == u'\v'))
            ++m_pos;
    }

    bool fail(qsizetype at, const QString &reason)
    {
        if (!m_error)
            m_error = SweepSyntaxError{static_cast<int>(at) + 1, reason};
        return false;
    }

    QString foundHere() const { return atEnd() ? QStringLiteral("the end") : quoted(peek()); }

    QString readIdent()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isIdentChar(peek()))
            ++m_pos;
        return m_s.mid(start, m_pos - start);
    }

    // `np.random.uniform`
    QString readDottedName()
    {
        QString name = readIdent();
        while (peek() == u'.' && isIdentStart(peek(1))) {
            ++m_pos;
            name += u'.' + readIdent();
        }
        return name;
    }

    std::optional<PyValue> parseValue(int depth)
    {
        skipWs();
        if (atEnd()) {
            fail(m_pos, QStringLiteral("expected a value"));
            return std::nullopt;
        }
        const QChar c = peek();
        if (c == u'[')
            return parseBracketed(depth);
        if (c == u'(')
            return parseBracketed(depth);
        if (c == u'{') {
            fail(m_pos, QStringLiteral("dicts and sets are not supported"));
            return std::nullopt;
        }
        if (c == u'\'' || c == u'"')
            return parseString(m_pos, false);
        if (c == u'-' || c == u'+') {
            const qsizetype signPos = m_pos;
            ++m_pos;
            skipWs();
            if (isAsciiDigit(peek()) || (peek() == u'.' && isAsciiDigit(peek(1))))
                return parseNumber(signPos, c == u'-');
            fail(signPos, QStringLiteral("expected a number after '%1'").arg(c));
            return std::nullopt;
        }
        if (isAsciiDigit(c) || (c == u'.' && isAsciiDigit(peek(1))))
            return parseNumber(m_pos, false);
        if (isIdentStart(c))
            return parseWord();
        fail(m_pos, QStringLiteral("unexpected %1").arg(quoted(c)));
        return std::nullopt;
    }

    // The items of a list, tuple or argument list, after its opening bracket, up to and
    // including `close`. `sawComma` tells `(1)` from `(1,)`.
    std::optional<QList<PyValue>> parseItems(QChar close, int depth, bool *sawComma = nullptr,
                                             const QString *keywordHint = nullptr)
    {
        QList<PyValue> items;
        skipWs();
        if (atEnd()) {
            fail(m_pos, QStringLiteral("expected %1").arg(quoted(close)));
            return std::nullopt;
        }
        if (peek() == close) {
            ++m_pos;
            return items;
        }
        for (;;) {
            if (keywordHint && isKeywordArgument()) {
                fail(m_pos, QStringLiteral("keyword arguments are not supported; write %1")
                                .arg(*keywordHint));
                return std::nullopt;
            }
            std::optional<PyValue> item = parseValue(depth + 1);
            if (!item)
                return std::nullopt;
            items.append(std::move(*item));
            skipWs();
            if (atEnd()) {
                fail(m_pos, QStringLiteral("expected %1").arg(quoted(close)));
                return std::nullopt;
            }
            if (peek() == close) {
                ++m_pos;
                return items;
            }
            if (peek() != u',') {
                fail(
                    m_pos,
                    QStringLiteral("expected ',' or %1, found %2").arg(quoted(close), foundHere()));
                return std::nullopt;
            }
            ++m_pos;
            if (sawComma)
                *sawComma = true;
            skipWs();
            if (atEnd()) {
                fail(m_pos, QStringLiteral("expected %1").arg(quoted(close)));
                return std::nullopt;
            }
            if (peek() == close) { // trailing comma
                ++m_pos;
                return items;
            }
        }
    }

    // A call's arguments, from its '('; `closePos` gets the offset of its ')'.
    std::optional<QList<PyValue>> parseArguments(const QString &keywordHint, qsizetype *closePos)
    {
        Q_ASSERT(peek() == u'(');
        ++m_pos;
        auto args = parseItems(u')', 0, nullptr, &keywordHint);
        if (args)
            *closePos = m_pos - 1;
        return args;
    }

private:
    static constexpr int kMaxDepth = 64;

    bool isKeywordArgument() const
    {
        qsizetype p = m_pos;
        if (p >= m_s.size() || !isIdentStart(m_s.at(p)))
            return false;
        while (p < m_s.size() && isIdentChar(m_s.at(p)))
            ++p;
        while (p < m_s.size() && (m_s.at(p) == u' ' || m_s.at(p) == u'\t'))
            ++p;
        return p < m_s.size() && m_s.at(p) == u'=' &&
               (p + 1 >= m_s.size() || m_s.at(p + 1) != u'=');
    }

    std::optional<PyValue> parseBracketed(int depth)
    {
        const qsizetype open = m_pos;
        const bool isList = peek() == u'[';
        if (depth >= kMaxDepth) {
            fail(open, QStringLiteral("nested too deeply"));
            return std::nullopt;
        }
        ++m_pos;
        bool sawComma = false;
        auto items = parseItems(isList ? u']' : u')', depth, &sawComma);
        if (!items)
            return std::nullopt;
        if (!isList && items->size() == 1 && !sawComma)
            return items->front(); // (x) is just x
        PyValue v;
        v.type = isList ? PyValue::Type::List : PyValue::Type::Tuple;
        v.items = std::move(*items);
        v.pos = open;
        return v;
    }

    std::optional<PyValue> parseWord()
    {
        const qsizetype start = m_pos;
        const QString word = readIdent();
        PyValue v;
        v.pos = start;
        if (word == QLatin1String("True") || word == QLatin1String("False")) {
            v.type = PyValue::Type::Bool;
            v.text = word;
            return v;
        }
        if (word == QLatin1String("None")) {
            v.type = PyValue::Type::None;
            return v;
        }
        const QString prefix = word.toLower();
        if (peek() == u'\'' || peek() == u'"') {
            if (prefix == QLatin1String("r") || prefix == QLatin1String("u"))
                return parseString(start, prefix == QLatin1String("r"));
            if (prefix.size() <= 2 && !prefix.contains(u'u') &&
                (prefix.contains(u'b') || prefix.contains(u'f'))) {
                fail(start, QStringLiteral("bytes and f-strings are not supported"));
                return std::nullopt;
            }
        }
        skipWs();
        if (peek() == u'(') {
            fail(start, QStringLiteral("a call like %1(...) cannot be an element; list its values")
                            .arg(word));
            return std::nullopt;
        }
        fail(start, QStringLiteral("unquoted text '%1'; quote strings, e.g. '%1'").arg(word));
        return std::nullopt;
    }

    // At a quote character; `start` is where the literal began (its prefix, if any).
    std::optional<PyValue> parseString(qsizetype start, bool raw)
    {
        const QChar quote = peek();
        if (peek(1) == quote && peek(2) == quote) {
            fail(m_pos, QStringLiteral("triple-quoted strings are not supported"));
            return std::nullopt;
        }
        ++m_pos;
        PyValue v;
        v.type = PyValue::Type::Str;
        v.pos = start;
        for (;;) {
            if (atEnd() || peek() == u'\n' || peek() == u'\r') {
                fail(start, QStringLiteral("unterminated string"));
                return std::nullopt;
            }
            const QChar c = peek();
            ++m_pos;
            if (c == quote)
                return v;
            if (c != u'\\') {
                v.text += c;
                continue;
            }
            if (atEnd()) {
                fail(start, QStringLiteral("unterminated string"));
                return std::nullopt;
            }
            const qsizetype escapePos = m_pos - 1;
            const QChar e = peek();
            ++m_pos;
            if (raw) { // r'\'' keeps both characters
                v.text += c;
                v.text += e;
                continue;
            }
            switch (e.unicode()) {
            case u'\n':
                break;
            case u'\\':
            case u'\'':
            case u'"':
                v.text += e;
                break;
            case u'a':
                v.text += QChar(0x07);
                break;
            case u'b':
                v.text += QChar(0x08);
                break;
            case u'f':
                v.text += QChar(0x0c);
                break;
            case u'n':
                v.text += QChar(0x0a);
                break;
            case u'r':
                v.text += QChar(0x0d);
                break;
            case u't':
                v.text += QChar(0x09);
                break;
            case u'v':
                v.text += QChar(0x0b);
                break;
            case u'x':
            case u'u':
            case u'U': {
                const int width = e == u'x' ? 2 : e == u'u' ? 4 : 8;
                const QString hex = m_s.mid(m_pos, width);
                bool ok = hex.size() == width;
                for (QChar h : hex)
                    ok = ok && (isAsciiDigit(h) || (h.toLower() >= u'a' && h.toLower() <= u'f'));
                const uint code = ok ? hex.toUInt(nullptr, 16) : 0;
                if (!ok || code > 0x10ffff) {
                    fail(escapePos, QStringLiteral("invalid \\%1 escape").arg(e));
                    return std::nullopt;
                }
                const char32_t ucs4 = code;
                v.text += QString::fromUcs4(&ucs4, 1);
                m_pos += width;
                break;
            }
            case u'N':
                fail(escapePos, QStringLiteral("\\N{...} escapes are not supported"));
                return std::nullopt;
            default:
                if (e >= u'0' && e <= u'7') {
                    uint code = e.unicode() - u'0';
                    for (int i = 0; i < 2 && peek() >= u'0' && peek() <= u'7'; ++i, ++m_pos)
                        code = code * 8 + (peek().unicode() - u'0');
                    v.text += QChar(static_cast<char16_t>(code));
                } else { // Python keeps unknown escapes such as \d as they are
                    v.text += c;
                    v.text += e;
                }
            }
        }
    }

    // digit (['_'] digit)*; empty when there is no digit here.
    std::string readDigits(bool (*isDigit)(QChar))
    {
        std::string digits;
        while (!atEnd()) {
            if (isDigit(peek())) {
                digits += static_cast<char>(peek().toLower().unicode());
                ++m_pos;
            } else if (peek() == u'_' && !digits.empty() && isDigit(peek(1))) {
                ++m_pos;
            } else {
                break;
            }
        }
        return digits;
    }

    bool checkNumberEnd()
    {
        if (peek() == u'j' || peek() == u'J')
            return fail(m_pos, QStringLiteral("complex numbers are not supported"));
        if (!atEnd() && (isIdentChar(peek()) || peek() == u'.'))
            return fail(m_pos, QStringLiteral("invalid number: unexpected %1").arg(quoted(peek())));
        return true;
    }

    // At the first digit or '.'; `start` includes the sign.
    std::optional<PyValue> parseNumber(qsizetype start, bool negative)
    {
        PyValue v;
        v.pos = start;
        const QChar radix = peek(1).toLower();
        if (peek() == u'0' && (radix == u'x' || radix == u'o' || radix == u'b'))
            return parseRadixInteger(v, negative, radix);

        const qsizetype digitsStart = m_pos;
        const std::string intPart = readDigits(isAsciiDigit);
        std::string fraction;
        std::string exponent;
        bool isFloat = false;
        if (peek() == u'.') {
            ++m_pos;
            isFloat = true;
            fraction = readDigits(isAsciiDigit);
        }
        if (peek() == u'e' || peek() == u'E') {
            const QChar sign = peek(1);
            const bool hasSign = sign == u'+' || sign == u'-';
            if (!isAsciiDigit(peek(hasSign ? 2 : 1))) {
                fail(m_pos, QStringLiteral("invalid number: missing exponent digits"));
                return std::nullopt;
            }
            m_pos += hasSign ? 2 : 1;
            exponent = (sign == u'-' ? "-" : "") + readDigits(isAsciiDigit);
            isFloat = true;
        }
        if (!checkNumberEnd())
            return std::nullopt;

        if (!isFloat) {
            const size_t firstNonZero = intPart.find_first_not_of('0');
            if (intPart.size() > 1 && intPart.front() == '0' && firstNonZero != std::string::npos) {
                fail(digitsStart, QStringLiteral("leading zeros are not allowed in an integer "
                                                 "(Python 3); write %1")
                                      .arg(QString::fromLatin1(intPart.substr(firstNonZero))));
                return std::nullopt;
            }
            const std::string canonical =
                firstNonZero == std::string::npos ? "0" : intPart.substr(firstNonZero);
            v.type = PyValue::Type::Int;
            v.text = QString::fromLatin1(((negative && canonical != "0") ? "-" : "") + canonical);
            qint64 parsed = 0;
            const std::string signedText = (negative ? "-" : "") + canonical;
            const auto r =
                std::from_chars(signedText.data(), signedText.data() + signedText.size(), parsed);
            if (r.ec == std::errc())
                v.integer = parsed;
            v.number = toDouble(signedText, canonical, 0);
            return v;
        }

        v.type = PyValue::Type::Float;
        const std::string text = (negative ? "-" : "") + (intPart.empty() ? "0" : intPart) + '.' +
                                 (fraction.empty() ? "0" : fraction) +
                                 (exponent.empty() ? "" : 'e' + exponent);
        // Digits before the point, counted from the first significant one, decide whether an
        // out-of-range literal overflows (inf, as Python) or underflows (0.0).
        const std::string significant = intPart + fraction;
        const size_t first = significant.find_first_not_of('0');
        long long magnitude = 0;
        if (first != std::string::npos)
            magnitude = static_cast<long long>(intPart.size()) - static_cast<long long>(first);
        v.number = toDouble(text, significant, saturatedExponent(exponent) + magnitude);
        return v;
    }

    static long long saturatedExponent(const std::string &exponent)
    {
        if (exponent.empty())
            return 0;
        long long e = 0;
        const bool neg = exponent.front() == '-';
        for (char c : exponent) {
            if (c >= '0' && c <= '9')
                e = std::min<long long>(e * 10 + (c - '0'), 1'000'000'000LL);
        }
        return neg ? -e : e;
    }

    static double toDouble(const std::string &text, const std::string &digits, long long magnitude)
    {
        double d = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), d);
        if (r.ec == std::errc())
            return d;
        const bool negative = !text.empty() && text.front() == '-';
        const bool zero = digits.find_first_not_of('0') == std::string::npos;
        if (zero || magnitude <= 0)
            return negative ? -0.0 : 0.0;
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    }

    std::optional<PyValue> parseRadixInteger(PyValue &v, bool negative, QChar radix)
    {
        const qsizetype prefixPos = m_pos;
        m_pos += 2;
        if (peek() == u'_')
            ++m_pos;
        const int base = radix == u'x' ? 16 : radix == u'o' ? 8 : 2;
        auto isDigit = base == 16 ? +[](QChar c) {
            return isAsciiDigit(c) || (c.toLower() >= u'a' && c.toLower() <= u'f');
        }
                                  : base == 8 ? +[](QChar c) { return c >= u'0' && c <= u'7'; }
                                              : +[](QChar c) { return c == u'0' || c == u'1'; };
        const std::string digits = readDigits(isDigit);
        if (digits.empty()) {
            fail(prefixPos, QStringLiteral("invalid number: no digits after 0%1").arg(radix));
            return std::nullopt;
        }
        if (!checkNumberEnd())
            return std::nullopt;
        quint64 magnitude = 0;
        const auto r =
            std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
        if (r.ec != std::errc()) {
            fail(prefixPos, QStringLiteral("integer too large"));
            return std::nullopt;
        }
        v.type = PyValue::Type::Int;
        v.text = (negative && magnitude != 0 ? QStringLiteral("-") : QString()) +
                 QString::number(magnitude);
        constexpr quint64 kMinMagnitude = quint64(1) << 63;
        if (!negative && magnitude < kMinMagnitude)
            v.integer = static_cast<qint64>(magnitude);
        else if (negative && magnitude <= kMinMagnitude)
            v.integer = static_cast<qint64>(0 - magnitude);
        v.number = negative ? -static_cast<double>(magnitude) : static_cast<double>(magnitude);
        return v;
    }

    const QString &m_s;
    qsizetype m_pos = 0;
    std::optional<SweepSyntaxError> m_error;
};

// Checks and converts the arguments of a known distribution.
class CallChecker final
{
public:
    CallChecker(LiteralParser &parser, QString name)
        : m_p(parser)
        , m_name(std::move(name))
    {
    }

    std::optional<double> number(const PyValue &arg, const char *what)
    {
        if (arg.type != PyValue::Type::Int && arg.type != PyValue::Type::Float) {
            m_p.fail(arg.pos, QStringLiteral("%1: %2 must be a number, got %3")
                                  .arg(m_name, QLatin1String(what), pyRepr(arg)));
            return std::nullopt;
        }
        if (!std::isfinite(arg.number)) {
            m_p.fail(arg.pos,
                     QStringLiteral("%1: %2 must be finite").arg(m_name, QLatin1String(what)));
            return std::nullopt;
        }
        return arg.number;
    }

    std::optional<qint64> integer(const PyValue &arg, const char *what)
    {
        if (arg.type != PyValue::Type::Int) {
            m_p.fail(arg.pos, QStringLiteral("%1: %2 must be an integer, got %3")
                                  .arg(m_name, QLatin1String(what), pyRepr(arg)));
            return std::nullopt;
        }
        if (!arg.integer) {
            m_p.fail(arg.pos,
                     QStringLiteral("%1: %2 is out of range").arg(m_name, QLatin1String(what)));
            return std::nullopt;
        }
        return *arg.integer;
    }

    std::optional<qint64> count(const PyValue &arg)
    {
        if (arg.type != PyValue::Type::Int || arg.text.startsWith(u'-') || arg.text == u'0') {
            m_p.fail(arg.pos, QStringLiteral("%1: the count (last argument) must be a positive "
                                             "integer, got %2")
                                  .arg(m_name, pyRepr(arg)));
            return std::nullopt;
        }
        if (!arg.integer || *arg.integer > SweepValue::kMaxSampleCount) {
            m_p.fail(arg.pos,
                     QStringLiteral("%1: the count %2 is too large; the limit is 1,000,000")
                         .arg(m_name, arg.text));
            return std::nullopt;
        }
        return *arg.integer;
    }

private:
    LiteralParser &m_p;
    QString m_name;
};

QString signatureOf(const QString &name)
{
    if (name == QLatin1String("normal"))
        return QStringLiteral("mean, std, count");
    if (name == QLatin1String("lognormal"))
        return QStringLiteral("mean, sigma, count");
    if (name == QLatin1String("choice"))
        return QStringLiteral("values, count");
    if (name == QLatin1String("range"))
        return QStringLiteral("start, stop[, step]");
    return QStringLiteral("low, high, count");
}

std::optional<SweepValue::Kind> distributionKind(const QString &name)
{
    using Kind = SweepValue::Kind;
    if (name == QLatin1String("uniform"))
        return Kind::Uniform;
    if (name == QLatin1String("loguniform"))
        return Kind::LogUniform;
    if (name == QLatin1String("randint"))
        return Kind::RandInt;
    if (name == QLatin1String("normal"))
        return Kind::Normal;
    if (name == QLatin1String("lognormal"))
        return Kind::LogNormal;
    if (name == QLatin1String("choice"))
        return Kind::Choice;
    if (name == QLatin1String("range"))
        return Kind::Range;
    return std::nullopt;
}

// At the '(' of a call to a known distribution.
std::optional<SweepValue> parseCall(LiteralParser &p, const QString &name, SweepValue::Kind kind,
                                    qsizetype nameStart)
{
    using Kind = SweepValue::Kind;
    const QString signature = signatureOf(name);
    qsizetype closePos = 0;
    const auto args = p.parseArguments(QStringLiteral("%1(%2)").arg(name, signature), &closePos);
    if (!args)
        return std::nullopt;
    p.skipWs();
    if (!p.atEnd()) {
        p.fail(p.pos(), QStringLiteral("unexpected %1 after ')'").arg(quoted(p.peek())));
        return std::nullopt;
    }

    const qsizetype got = args->size();
    CallChecker check(p, name);
    if (kind == Kind::Range) {
        if (got < 1 || got > 3) {
            p.fail(closePos, QStringLiteral("range needs 1 to 3 arguments (%1), got %2")
                                 .arg(signature)
                                 .arg(got));
            return std::nullopt;
        }
        static const char *const names[] = {"start", "stop", "step"};
        qint64 values[3] = {0, 0, 1};
        for (qsizetype i = 0; i < got; ++i) {
            const auto v = check.integer(args->at(i), got == 1 ? "stop" : names[i]);
            if (!v)
                return std::nullopt;
            values[i] = *v;
        }
        if (got == 1)
            std::swap(values[0], values[1]);
        if (values[2] == 0) {
            p.fail(args->at(2).pos, QStringLiteral("range: step must not be zero"));
            return std::nullopt;
        }
        const bool empty = values[2] > 0 ? values[1] <= values[0] : values[1] >= values[0];
        if (empty) {
            p.fail(nameStart, QStringLiteral("%1 has no values; a sweep needs at least one")
                                  .arg(p.text().mid(nameStart, closePos + 1 - nameStart)));
            return std::nullopt;
        }
        return SweepValue::range(values[0], values[1], values[2]);
    }

    const qsizetype want = kind == Kind::Choice ? 2 : 3;
    if (got != want) {
        p.fail(closePos, QStringLiteral("%1 needs %2 arguments (%3), got %4")
                             .arg(name)
                             .arg(want)
                             .arg(signature)
                             .arg(got));
        return std::nullopt;
    }

    if (kind == Kind::Choice) {
        const PyValue &list = args->at(0);
        if (list.type != PyValue::Type::List || list.items.isEmpty()) {
            p.fail(list.pos, QStringLiteral("choice: the first argument must be a non-empty list, "
                                            "got %1")
                                 .arg(pyRepr(list)));
            return std::nullopt;
        }
        const auto n = check.count(args->at(1));
        if (!n)
            return std::nullopt;
        QStringList values;
        for (const PyValue &item : list.items)
            values.append(pyStr(item));
        return SweepValue::choice(values, *n);
    }

    if (kind == Kind::RandInt) {
        const auto low = check.integer(args->at(0), "low");
        const auto high = low ? check.integer(args->at(1), "high") : std::nullopt;
        const auto n = high ? check.count(args->at(2)) : std::nullopt;
        if (!n)
            return std::nullopt;
        if (*low >= *high) {
            p.fail(args->at(1).pos, QStringLiteral("randint: high must be greater than low "
                                                   "(high is exclusive), got low=%1, high=%2")
                                        .arg(*low)
                                        .arg(*high));
            return std::nullopt;
        }
        return SweepValue::randint(*low, *high, *n);
    }

    const bool normalLike = kind == Kind::Normal || kind == Kind::LogNormal;
    const char *firstName = normalLike ? "mean" : "low";
    const char *secondName = kind == Kind::Normal      ? "std"
                             : kind == Kind::LogNormal ? "sigma"
                                                       : "high";
    const auto a = check.number(args->at(0), firstName);
    const auto b = a ? check.number(args->at(1), secondName) : std::nullopt;
    const auto n = b ? check.count(args->at(2)) : std::nullopt;
    if (!n)
        return std::nullopt;
    if (normalLike && *b < 0) {
        p.fail(args->at(1).pos, QStringLiteral("%1: %2 must be >= 0, got %3")
                                    .arg(name, QLatin1String(secondName), pyRepr(args->at(1))));
        return std::nullopt;
    }
    if (kind == Kind::LogUniform) {
        for (int i = 0; i < 2; ++i) {
            if (args->at(i).number <= 0) {
                p.fail(args->at(i).pos,
                       QStringLiteral("loguniform: %1 must be > 0, got %2")
                           .arg(QLatin1String(i == 0 ? "low" : "high"), pyRepr(args->at(i))));
                return std::nullopt;
            }
        }
    }
    if (kind == Kind::Uniform && !std::isfinite(*b - *a)) {
        p.fail(nameStart, QStringLiteral("uniform: the interval is too wide"));
        return std::nullopt;
    }
    return SweepValue::distribution(kind, *a, *b, *n);
}

bool isLowerIdentifier(const QString &name)
{
    if (name.isEmpty() || !((name.front() >= u'a' && name.front() <= u'z') || name.front() == u'_'))
        return false;
    for (QChar c : name)
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    return true;
}

} // namespace

SweepParseResult parseSweepValue(const QString &text)
{
    SweepParseResult result;
    result.value = SweepValue::fixed(text);
    LiteralParser p(text);
    p.skipWs();
    if (p.atEnd())
        return result;

    if (p.peek() == u'[') {
        const auto list = p.parseValue(0);
        if (list) {
            p.skipWs();
            if (!p.atEnd())
                p.fail(p.pos(),
                       QStringLiteral("unexpected %1 after the list").arg(quoted(p.peek())));
            else if (list->items.isEmpty())
                p.fail(list->pos,
                       QStringLiteral("the list is empty; a sweep needs at least one value"));
        }
        if (p.failed()) {
            result.error = p.error();
            return result;
        }
        QStringList values;
        values.reserve(list->items.size());
        for (const PyValue &item : list->items)
            values.append(pyStr(item));
        result.value = SweepValue::list(values);
        return result;
    }

    if (!isIdentStart(p.peek()))
        return result;
    const qsizetype nameStart = p.pos();
    QString name = p.readDottedName();
    p.skipWs();
    if (p.peek() != u'(')
        return result;
    bool prefixed = false;
    for (const QLatin1String prefix :
         {QLatin1String("np.random."), QLatin1String("numpy.random.")}) {
        if (name.startsWith(prefix)) {
            name = name.mid(prefix.size());
            prefixed = true;
        }
    }
    if (const auto kind = distributionKind(name)) {
        if (const auto value = parseCall(p, name, *kind, nameStart))
            result.value = *value;
        else
            result.error = p.error();
        return result;
    }
    // Not ours. Dotted or capitalised calls (`nn.Dropout(0.5)`) belong to the script; a
    // lower-case name with literal arguments is most likely a misspelt distribution.
    if (!prefixed) {
        if (!isLowerIdentifier(name))
            return result;
        qsizetype closePos = 0;
        const auto args = p.parseArguments(name + QStringLiteral("(...)"), &closePos);
        p.skipWs();
        if (!args || args->isEmpty() || !p.atEnd() || p.failed())
            return result;
    }
    result.error = SweepSyntaxError{
        static_cast<int>(nameStart) + 1,
        QStringLiteral("unknown distribution '%1' (known: %2)").arg(name, kKnownNames)};
    return result;
}

} // namespace og
