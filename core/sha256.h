// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

struct evp_md_ctx_st;

namespace og {

// SHA-256 through OpenSSL, which uses the CPU's SHA instructions where present: several
// times faster than QCryptographicHash, and every datastore byte is hashed on both sides.
class Sha256 final
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(const char *data, qint64 size);
    void add(const QByteArray &data) { add(data.constData(), data.size()); }
    QString hexResult(); // lower-case hex; the object cannot be used afterwards

    static QString hex(const QByteArray &data);
    // Empty with `error` set when the file cannot be read.
    static QString hexOfFile(const QString &path, QString *error);

private:
    evp_md_ctx_st *m_ctx;
};

} // namespace og
