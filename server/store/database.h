// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <stdexcept>

namespace og {

// A database operation failed in a way the caller cannot fix (disk, corruption, a bug).
// Handlers turn it into a 500 with a generic message; the detail goes to the log only.
class StoreError final : public std::runtime_error
{
public:
    explicit StoreError(const std::string &what, bool diskFull = false)
        : std::runtime_error(what)
        , m_diskFull(diskFull)
    {
    }
    // The database could not grow: answered 507, "free space", rather than a generic 500.
    bool diskFull() const { return m_diskFull; }

private:
    bool m_diskFull;
};

// The metadata database: SQLite (WAL, foreign keys) in local mode. Statements stick to SQL
// that PostgreSQL accepts too (TEXT ids and ISO timestamps, no AUTOINCREMENT), so the server
// mode driver can follow. QSqlDatabase connections are per thread: each HTTP worker gets its
// own, so readers never wait on each other.
class Database final
{
    Q_DISABLE_COPY_MOVE(Database)
public:
    explicit Database(QString sqlitePath);
    ~Database();

    // Opens, applies pragmas and pending migrations. Empty on success, else why not.
    QString open();
    // This thread's connection (opened on first use).
    QSqlDatabase connection() const;
    // Must be called on every thread that used connection() before it ends.
    void closeThreadConnection() const;
    const QString &path() const { return m_path; }

private:
    QString connectionName() const;
    QString m_path;
    QString m_prefix;
    quint64 m_serial; // tells apart instances that reuse an address, for the thread cache
};

// Timestamps are stored as UTC ISO 8601 text with milliseconds (portable to PostgreSQL).
QString sqlNow();
QString toSqlTime(const QDateTime &t);
QDateTime fromSqlTime(const QVariant &v); // invalid for NULL

// Throws the StoreError for a failed query, marking a full disk as such.
[[noreturn]] void throwQueryError(const QSqlQuery &query, const std::string &what);

// Runs `sql` with positional bindings; throws StoreError on failure.
QSqlQuery execute(const QSqlDatabase &db, const QString &sql, const QVariantList &binds = {});

// A write transaction. SQLite's plain BEGIN takes the write lock late and can fail with BUSY
// on upgrade; BEGIN IMMEDIATE waits (busy_timeout) up front instead. Rolls back unless
// commit() was called.
class WriteTransaction final
{
    Q_DISABLE_COPY_MOVE(WriteTransaction)
public:
    explicit WriteTransaction(QSqlDatabase db);
    ~WriteTransaction();
    void commit();

private:
    QSqlDatabase m_db;
    bool m_done = false;
};

} // namespace og
