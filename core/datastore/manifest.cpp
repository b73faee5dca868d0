// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/datastore/manifest.h"

#include "core/jsonreader.h"
#include "core/sha256.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QHash>

#include <algorithm>
#include <numeric>
#include <vector>

namespace og {

namespace {
} // namespace

std::optional<ManifestEntry::Type> Manifest::typeFromName(const QString &name)
{
    if (name == u"file")
        return ManifestEntry::Type::File;
    if (name == u"dir")
        return ManifestEntry::Type::Directory;
    if (name == u"symlink")
        return ManifestEntry::Type::Symlink;
    return std::nullopt;
}

namespace {

// A symlink may point anywhere inside the tree, never out of it. ".." is allowed only as
// leading components: otherwise a chain of links (d/x -> .., d/y -> x/../..) can pass a
// purely lexical check and still resolve outside the tree.
bool targetStaysInside(const QString &linkPath, const QString &target)
{
    if (target.isEmpty() || target.startsWith(u'/') || target.contains(QChar(0)))
        return false;
    QStringList parts = linkPath.split(u'/');
    parts.removeLast();
    bool leading = true;
    for (const QString &part : target.split(u'/')) {
        if (part.isEmpty() || part == u".")
            continue;
        if (part == u"..") {
            if (!leading || parts.isEmpty())
                return false;
            parts.removeLast();
        } else {
            leading = false;
            parts.append(part);
        }
    }
    return true;
}
} // namespace

Manifest::Manifest(QList<ManifestEntry> entries)
{
    // Sorted by UTF-8 bytes, which is code point order. UTF-16 code units (QString's own
    // order) sort the same unless a path has a character from U+D800 on, where surrogate
    // pairs sort before U+E000–U+FFFF: only then is each path encoded (once) to sort it.
    const bool utf16OrderIsUtf8Order = std::all_of(entries.cbegin(), entries.cend(), [](const ManifestEntry &e) {
        return std::all_of(e.path.cbegin(), e.path.cend(), [](QChar c) { return c.unicode() < 0xd800; });
    });
    std::vector<qsizetype> order(size_t(entries.size()));
    std::iota(order.begin(), order.end(), 0);
    if (utf16OrderIsUtf8Order) {
        // A parsed manifest is in order already: checked in one pass, not sorted again.
        const auto byPath = [&entries](qsizetype a, qsizetype b) { return entries[a].path < entries[b].path; };
        if (!std::is_sorted(order.begin(), order.end(), byPath))
            std::sort(order.begin(), order.end(), byPath);
    } else {
        std::vector<QByteArray> keys;
        keys.reserve(order.size());
        for (const ManifestEntry &e : std::as_const(entries))
            keys.push_back(e.path.toUtf8());
        std::sort(order.begin(), order.end(), [&keys](qsizetype a, qsizetype b) { return keys[size_t(a)] < keys[size_t(b)]; });
    }
    m_entries.reserve(entries.size());
    for (const qsizetype i : order)
        m_entries.append(std::move(entries[i]));
}

QString Manifest::typeName(ManifestEntry::Type type)
{
    switch (type) {
    case ManifestEntry::Type::File: return QStringLiteral("file");
    case ManifestEntry::Type::Directory: return QStringLiteral("dir");
    case ManifestEntry::Type::Symlink: return QStringLiteral("symlink");
    }
    return {};
}

namespace {
// Whether `text` is printable ASCII without '"' and '\\': exactly the strings JSON writes as
// they are, with no escaping — nearly every path. The fast writer and reader below handle
// only those and leave everything else to QJsonDocument, so the bytes never differ from what
// QJsonDocument gives (which is what makes them canonical).
bool plain(QStringView text)
{
    for (QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == u'"' || c == u'\\')
            return false;
    return true;
}

// Hand-written canonical line of a plain entry: QJsonObject's key order (sorted), Compact
// format. Building a QJsonObject and a QJsonDocument per entry cost tens of milliseconds for
// ten thousand files, on every upload and every commit.
// Appends printable ASCII text (see plain()) without a temporary per string.
void appendPlain(QByteArray &out, const QString &text)
{
    const qsizetype at = out.size();
    out.resize(at + text.size());
    char *to = out.data() + at;
    for (const QChar c : text)
        *to++ = char(c.unicode());
}

void appendPlainLine(QByteArray &out, const ManifestEntry &e)
{
    out += "{\"mode\":";
    out += QByteArray::number(e.mode);
    out += ",\"path\":\"";
    appendPlain(out, e.path);
    switch (e.type) {
    case ManifestEntry::Type::File:
        out += "\",\"sha256\":\"";
        appendPlain(out, e.sha256);
        out += "\",\"size\":";
        out += QByteArray::number(e.size);
        out += ",\"type\":\"file\"}\n";
        break;
    case ManifestEntry::Type::Directory:
        out += "\",\"type\":\"dir\"}\n";
        break;
    case ManifestEntry::Type::Symlink:
        out += "\",\"target\":\"";
        appendPlain(out, e.target);
        out += "\",\"type\":\"symlink\"}\n";
        break;
    }
}

// Reads a line in exactly the form appendPlainLine writes; nothing for any other line, which
// then goes the general way (QJsonDocument and JsonReader) with its precise error messages.
class CanonicalLine
{
public:
    explicit CanonicalLine(QByteArrayView line) : m_rest(line) {}

    std::optional<ManifestEntry> read()
    {
        ManifestEntry e;
        qint64 mode = 0;
        if (!literal("{\"mode\":") || !integer(&mode, 07777) || !literal(",\"path\":\"") || !string(&e.path))
            return std::nullopt;
        e.mode = int(mode);
        if (literal(",\"sha256\":\"")) {
            e.type = ManifestEntry::Type::File;
            if (!string(&e.sha256) || !literal(",\"size\":") || !integer(&e.size, qint64(1) << 50)
                || !literal(",\"type\":\"file\"}") || !isSha256Hex(e.sha256))
                return std::nullopt;
        } else if (literal(",\"target\":\"")) {
            e.type = ManifestEntry::Type::Symlink;
            if (!string(&e.target) || !literal(",\"type\":\"symlink\"}"))
                return std::nullopt;
        } else if (literal(",\"type\":\"dir\"}")) {
            e.type = ManifestEntry::Type::Directory;
        } else {
            return std::nullopt;
        }
        if (!m_rest.isEmpty())
            return std::nullopt;
        return e;
    }

private:
    bool literal(const char *text)
    {
        const QByteArrayView want(text);
        if (!m_rest.startsWith(want))
            return false;
        m_rest = m_rest.sliced(want.size());
        return true;
    }
    // A non-negative decimal without sign or leading zeros, at most `max`.
    bool integer(qint64 *value, qint64 max)
    {
        qsizetype n = 0;
        qint64 v = 0;
        while (n < m_rest.size() && m_rest[n] >= '0' && m_rest[n] <= '9' && n < 16)
            v = v * 10 + (m_rest[n++] - '0');
        if (n == 0 || (n > 1 && m_rest[0] == '0') || v > max || (n < m_rest.size() && m_rest[n] >= '0' && m_rest[n] <= '9'))
            return false;
        *value = v;
        m_rest = m_rest.sliced(n);
        return true;
    }
    // A plain string up to its closing quote (which is consumed).
    bool string(QString *value)
    {
        qsizetype n = 0;
        while (n < m_rest.size() && m_rest[n] != '"') {
            const uchar c = uchar(m_rest[n]);
            if (c < 0x20 || c > 0x7e || c == '\\')
                return false;
            ++n;
        }
        if (n == m_rest.size())
            return false;
        *value = QString::fromLatin1(m_rest.first(n));
        m_rest = m_rest.sliced(n + 1);
        return true;
    }

    QByteArrayView m_rest;
};
} // namespace

QByteArray Manifest::toCanonicalBytes() const
{
    QByteArray out;
    out.reserve(m_entries.size() * 120);
    for (const ManifestEntry &e : m_entries) {
        if (plain(e.path) && plain(e.sha256) && plain(e.target)) {
            appendPlainLine(out, e);
            continue;
        }
        QJsonObject o{{QStringLiteral("path"), e.path},
                      {QStringLiteral("type"), typeName(e.type)},
                      {QStringLiteral("mode"), e.mode}};
        if (e.type == ManifestEntry::Type::File) {
            o.insert(QStringLiteral("size"), e.size);
            o.insert(QStringLiteral("sha256"), e.sha256);
        } else if (e.type == ManifestEntry::Type::Symlink) {
            o.insert(QStringLiteral("target"), e.target);
        }
        // QJsonObject keeps keys sorted, so Compact output is canonical.
        out += QJsonDocument(o).toJson(QJsonDocument::Compact);
        out += '\n';
    }
    return out;
}

QString Manifest::rootHash() const
{
    return Sha256::hex(toCanonicalBytes());
}

qint64 Manifest::totalBytes() const
{
    qint64 total = 0;
    for (const ManifestEntry &e : m_entries)
        total += e.size;
    return total;
}

int Manifest::fileCount() const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(),
                             [](const ManifestEntry &e) { return e.type == ManifestEntry::Type::File; }));
}

bool isSha256Hex(const QString &text)
{
    if (text.size() != 64)
        return false;
    const ushort *c = text.utf16();
    for (int i = 0; i < 64; ++i)
        if (!(ushort(c[i] - u'0') < 10 || ushort(c[i] - u'a') < 6))
            return false;
    return true;
}

QString Manifest::validatePath(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("an empty path");
    if (path.contains(QChar(0)))
        return QStringLiteral("path '%1' contains a NUL character").arg(QString(path).replace(QChar(0), u'?'));
    if (path.startsWith(u'/'))
        return QStringLiteral("path '%1' is absolute; datastore paths are relative to its root").arg(path);
    // Lengths in UTF-8 bytes, counted without converting: this runs for every entry of every
    // manifest scanned or committed (ten thousand and more), and splitting and encoding each
    // path cost a good part of a commit.
    const auto utf8Bytes = [](QStringView text) {
        qsizetype bytes = 0;
        for (const QChar c : text)
            bytes += c.unicode() < 0x80 ? 1 : c.unicode() < 0x800 || c.isSurrogate() ? 2 : 3; // a pair: 2 + 2
        return bytes;
    };
    if (utf8Bytes(path) > kMaxPathBytes)
        return QStringLiteral("path '%1…' is longer than %2 bytes").arg(path.left(40)).arg(kMaxPathBytes);
    for (const QStringView part : QStringView(path).tokenize(u'/')) {
        if (part.isEmpty() || part == u"." || part == u"..")
            return QStringLiteral("path '%1' has an empty, '.' or '..' component").arg(path);
        if (utf8Bytes(part) > kMaxNameBytes)
            return QStringLiteral("path '%1' has a name longer than %2 bytes").arg(path).arg(kMaxNameBytes);
    }
    return {};
}

namespace {
// What is wrong with an entry read from a manifest beyond its syntax, or empty: its path, a
// link leaving the tree, a path listed before (`seen`: path → type).
QString checkEntry(const ManifestEntry &e, const QHash<QString, ManifestEntry::Type> &seen)
{
    if (const QString problem = Manifest::validatePath(e.path); !problem.isEmpty())
        return problem;
    if (e.type == ManifestEntry::Type::Symlink && !targetStaysInside(e.path, e.target))
        return QStringLiteral("symbolic link '%1' points outside the datastore ('%2')").arg(e.path, e.target);
    if (seen.contains(e.path))
        return QStringLiteral("path '%1' appears twice").arg(e.path);
    return {};
}
} // namespace

std::optional<Manifest> Manifest::parse(const QByteArray &bytes, QString *error)
{
    QList<ManifestEntry> entries;
    QHash<QString, ManifestEntry::Type> seen; // path → type, for the duplicate and parent checks
    const qsizetype expected = bytes.count('\n') + 1;
    entries.reserve(expected);
    seen.reserve(expected);
    int lineNo = 0;
    for (qsizetype start = 0; start < bytes.size();) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        const QByteArrayView line = QByteArrayView(bytes).sliced(start, end - start);
        start = end + 1;
        ++lineNo;
        if (line.isEmpty())
            continue;
        if (std::optional<ManifestEntry> fast = CanonicalLine(line).read()) {
            if (const QString problem = checkEntry(*fast, seen); !problem.isEmpty()) {
                *error = QStringLiteral("manifest line %1: %2").arg(lineNo).arg(problem);
                return std::nullopt;
            }
            seen.insert(fast->path, fast->type);
            entries.append(std::move(*fast));
            continue;
        }
        const QString where = QStringLiteral("manifest line %1").arg(lineNo);
        auto object = JsonReader::parseObject(line.toByteArray(), error, where);
        if (!object)
            return std::nullopt;
        JsonReader r(*object, where);
        ManifestEntry e;
        e.path = r.requiredString(QStringLiteral("path"));
        const auto type = typeFromName(r.requiredString(QStringLiteral("type")));
        e.mode = int(r.optionalInteger(QStringLiteral("mode"), 0644, 0, 07777));
        if (r.ok() && !type)
            r.fail(where + QStringLiteral(": type must be file, dir or symlink"));
        if (type)
            e.type = *type;
        if (e.type == ManifestEntry::Type::File) {
            e.size = r.optionalInteger(QStringLiteral("size"), -1, 0, qint64(1) << 50);
            e.sha256 = r.requiredString(QStringLiteral("sha256"));
            if (r.ok() && (e.size < 0 || !isSha256Hex(e.sha256)))
                r.fail(where + QStringLiteral(": a file needs a size and a lower-case hex sha256"));
        } else if (e.type == ManifestEntry::Type::Symlink) {
            e.target = r.requiredString(QStringLiteral("target"));
        }
        r.rejectUnknown({QStringLiteral("path"), QStringLiteral("type"), QStringLiteral("mode"),
                         QStringLiteral("size"), QStringLiteral("sha256"), QStringLiteral("target")});
        if (r.ok())
            if (const QString problem = checkEntry(e, seen); !problem.isEmpty())
                r.fail(where + QStringLiteral(": ") + problem);
        if (!r.ok()) {
            *error = r.error();
            return std::nullopt;
        }
        seen.insert(e.path, e.type);
        entries.append(std::move(e));
    }
    // Every parent of an entry must be listed, as a directory.
    for (const ManifestEntry &e : std::as_const(entries)) {
        const qsizetype slash = e.path.lastIndexOf(u'/');
        if (slash <= 0)
            continue;
        const QString parent = e.path.left(slash);
        const auto it = seen.constFind(parent);
        if (it == seen.constEnd()) {
            *error = QStringLiteral("manifest: '%1' is listed without its directory '%2'").arg(e.path, parent);
            return std::nullopt;
        }
        if (*it != ManifestEntry::Type::Directory) {
            *error = QStringLiteral("manifest: '%1' is inside '%2', which is not a directory").arg(e.path, parent);
            return std::nullopt;
        }
    }
    return Manifest(std::move(entries));
}

QString sha256OfFile(const QString &path, QString *error)
{
    return Sha256::hexOfFile(path, error);
}

} // namespace og
