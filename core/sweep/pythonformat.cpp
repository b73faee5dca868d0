// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sweep/pythonformat.h"

#include <QChar>
#include <QList>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace og {

QString pythonFloatRepr(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");

    // Without a precision, to_chars gives the shortest digits that round-trip, like Python's
    // repr; only the layout differs, so take the digits and exponent and lay them out again.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
    const bool negative = !s.empty() && s.front() == '-';
    if (negative)
        s.remove_prefix(1);
    const size_t e = s.find('e');
    std::string digits;
    for (char c : s.substr(0, e))
        if (c != '.')
            digits += c;
    int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());

    std::string out = negative ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
        if (exponent >= 0) {
            const size_t intDigits = static_cast<size_t>(exponent) + 1;
            if (digits.size() <= intDigits)
                out += digits + std::string(intDigits - digits.size(), '0') + ".0";
            else
                out += digits.substr(0, intDigits) + '.' + digits.substr(intDigits);
        } else {
            out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
        }
    } else {
        out += digits.front();
        if (digits.size() > 1)
            out += '.' + digits.substr(1);
        out += exponent < 0 ? "e-" : "e+";
        const int magnitude = std::abs(exponent);
        if (magnitude < 10)
            out += '0';
        out += std::to_string(magnitude);
    }
    return QString::fromLatin1(out.data(), static_cast<qsizetype>(out.size()));
}

namespace {
// Python's str.isprintable(): everything but control, format, surrogate, private-use,
// unassigned and separator characters — except the ASCII space.
bool isPythonPrintable(char32_t ucs4)
{
    if (ucs4 == U' ')
        return true;
    switch (QChar::category(ucs4)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

void appendHex(QString &out, char prefix, char32_t value, int width)
{
    out += u'\\';
    out += QLatin1Char(prefix);
    out += QString::number(value, 16).rightJustified(width, u'0');
}
} // namespace

QString pythonStringRepr(QStringView text)
{
    const QChar quote = text.contains(u'\'') && !text.contains(u'"') ? u'"' : u'\'';
    QString out;
    out.reserve(text.size() + 2);
    out += quote;
    for (char32_t c : text.toUcs4()) {
        if (c == quote.unicode() || c == U'\\') {
            out += u'\\';
            out += QChar(static_cast<char16_t>(c));
        } else if (c == U'\t') {
            out += QStringLiteral("\\t");
        } else if (c == U'\n') {
            out += QStringLiteral("\\n");
        } else if (c == U'\r') {
            out += QStringLiteral("\\r");
        } else if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                appendHex(out, 'x', c, 2);
            else
                out += QChar(static_cast<char16_t>(c));
        } else if (isPythonPrintable(c)) {
            out += QString::fromUcs4(&c, 1);
        } else if (c <= 0xff) {
            appendHex(out, 'x', c, 2);
        } else if (c <= 0xffff) {
            appendHex(out, 'u', c, 4);
        } else {
            appendHex(out, 'U', c, 8);
        }
    }
    out += quote;
    return out;
}

} // namespace og
