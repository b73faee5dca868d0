// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/names.h"

namespace og::names {

namespace {
bool isLowerAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}
} // namespace

std::optional<QString> validate(const QString &name, const QString &kind)
{
    const QString rule = QStringLiteral(
        "the %1 name must be lower case alphanumeric characters or '-', start with an alphabetic "
        "character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')")
                             .arg(kind);
    if (name.isEmpty())
        return QStringLiteral("%1 name is empty: %2").arg(kind, rule);
    if (name.size() > kMaxLength)
        return QStringLiteral("%1 name is %2 characters long; the limit is %3")
            .arg(kind)
            .arg(name.size())
            .arg(kMaxLength);
    bool ok = name.front() >= u'a' && name.front() <= u'z' && isLowerAlnum(name.back());
    for (QChar c : name)
        ok = ok && (isLowerAlnum(c) || c == u'-');
    if (!ok)
        return QStringLiteral("invalid %1 name '%2': %3").arg(kind.toLower(), name, rule);
    return std::nullopt;
}

} // namespace og::names
