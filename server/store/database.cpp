// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/store/database.h"

#include "server/store/migrations.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QSqlError>
#include <QThread>

#include <atomic>

namespace og {

Q_LOGGING_CATEGORY(lcStore, "opengrid.server.store", QtInfoMsg)

namespace {
std::atomic<quint64> g_nextSerial{1};
// Each thread's open connections by database instance. QSqlDatabase::database() takes a
// process-wide lock on every call; this lookup takes none, which matters at 10k+ requests/s.
thread_local QHash<quint64, QSqlDatabase> t_connections;
} // namespace

Database::Database(QString sqlitePath)
    : m_path(std::move(sqlitePath))
    , m_prefix(QString::fromLatin1(
          QCryptographicHash::hash(m_path.toUtf8(), QCryptographicHash::Sha1).toHex().left(8)))
    , m_serial(g_nextSerial.fetch_add(1))
{
}

Database::~Database()
{
    closeThreadConnection();
}

QString Database::connectionName() const
{
    // The serial keeps two instances on one file (tests, admin commands) from sharing a
    // connection that one of them would close under the other.
    return QStringLiteral("og-%1-%2-%3").arg(m_prefix).arg(m_serial).arg(quintptr(QThread::currentThreadId()));
}

QSqlDatabase Database::connection() const
{
    if (const auto it = t_connections.constFind(m_serial); it != t_connections.constEnd())
        return *it;
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(m_path);
    if (!db.open())
        throw StoreError("cannot open " + m_path.toStdString() + ": "
                         + db.lastError().text().toStdString());
    // busy_timeout: writers from several threads queue instead of failing at once.
    // synchronous=FULL: an acknowledged write survives a power cut, not just a crash.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
                               "PRAGMA busy_timeout=10000", "PRAGMA synchronous=FULL"})
        execute(db, QString::fromLatin1(pragma));
    t_connections.insert(m_serial, db);
    return db;
}

void Database::closeThreadConnection() const
{
    t_connections.remove(m_serial);
    const QString name = connectionName();
    if (!QSqlDatabase::contains(name))
        return;
    QSqlDatabase::database(name, false).close();
    QSqlDatabase::removeDatabase(name);
}

QString Database::open()
{
    try {
        QSqlDatabase db = connection();
        QSqlQuery q = execute(db, QStringLiteral("PRAGMA quick_check"));
        if (q.next() && q.value(0).toString() != u"ok")
            return QStringLiteral("database %1 is damaged: %2").arg(m_path, q.value(0).toString());
        q.finish(); // an unfinished statement would make SQLite refuse a migration's DROP TABLE
        return applyMigrations(db);
    } catch (const StoreError &e) {
        return QString::fromStdString(e.what());
    }
}

QString toSqlTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QString sqlNow()
{
    return toSqlTime(QDateTime::currentDateTimeUtc());
}

QDateTime fromSqlTime(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}

void throwQueryError(const QSqlQuery &query, const std::string &what)
{
    qCWarning(lcStore).noquote() << QString::fromStdString(what) << query.lastError().text();
    // SQLITE_FULL (13): the disk is full; the statement (and its transaction) did nothing.
    throw StoreError(what + ": " + query.lastError().text().toStdString(), query.lastError().nativeErrorCode() == u"13");
}

QSqlQuery execute(const QSqlDatabase &db, const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(db);
    if (!q.prepare(sql))
        throw StoreError("prepare failed: " + q.lastError().text().toStdString() + " in: "
                         + sql.toStdString());
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec())
        throwQueryError(q, "statement failed");
    return q;
}

WriteTransaction::WriteTransaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    execute(m_db, m_db.driverName() == u"QSQLITE" ? QStringLiteral("BEGIN IMMEDIATE")
                                                   : QStringLiteral("BEGIN"));
}

WriteTransaction::~WriteTransaction()
{
    if (!m_done) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("ROLLBACK"));
    }
}

void WriteTransaction::commit()
{
    execute(m_db, QStringLiteral("COMMIT"));
    m_done = true;
}

} // namespace og
