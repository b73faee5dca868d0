// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/store/migrations.h"

#include "server/store/database.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlQuery>

namespace og {

Q_DECLARE_LOGGING_CATEGORY(lcStore)

const QList<Migration> &migrations()
{
    static const QList<Migration> list = {
        {1,
         QStringLiteral("users and api keys"),
         {QStringLiteral("CREATE TABLE users ("
                         " id TEXT PRIMARY KEY,"
                         " username TEXT NOT NULL UNIQUE,"
                         " display_name TEXT NOT NULL DEFAULT '',"
                         " email TEXT NOT NULL DEFAULT '',"
                         " created_at TEXT NOT NULL)"),
          QStringLiteral("CREATE TABLE api_keys ("
                         " id TEXT PRIMARY KEY,"
                         " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                         " name TEXT NOT NULL,"
                         " secret_sha256 TEXT NOT NULL,"
                         " created_at TEXT NOT NULL,"
                         " last_used_at TEXT,"
                         " revoked_at TEXT)"),
          QStringLiteral("CREATE INDEX api_keys_by_user ON api_keys(user_id)")}},
        {2,
         QStringLiteral("runs, experiments and sessions"),
         {QStringLiteral("CREATE TABLE runs ("
                         " id TEXT PRIMARY KEY,"
                         " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                         " name TEXT NOT NULL,"
                         " project TEXT NOT NULL DEFAULT '',"
                         " status TEXT NOT NULL,"
                         " created_at TEXT NOT NULL,"
                         " finished_at TEXT,"
                         " UNIQUE (user_id, name))"),
          QStringLiteral("CREATE TABLE experiments ("
                         " id TEXT PRIMARY KEY,"
                         " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                         " name TEXT NOT NULL,"
                         " ordinal INTEGER NOT NULL,"
                         " status TEXT NOT NULL,"
                         " created_at TEXT NOT NULL,"
                         " started_at TEXT,"
                         " finished_at TEXT,"
                         " UNIQUE (run_id, ordinal))"),
          QStringLiteral("CREATE TABLE sessions ("
                         " id TEXT PRIMARY KEY,"
                         " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                         " name TEXT NOT NULL,"
                         " status TEXT NOT NULL,"
                         " instance_type TEXT NOT NULL,"
                         " created_at TEXT NOT NULL,"
                         " started_at TEXT,"
                         " UNIQUE (user_id, name))")}},
    };
    return list;
}

int schemaVersion(const QSqlDatabase &db)
{
    QSqlQuery q = execute(db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    return q.next() ? q.value(0).toInt() : 0;
}

QString applyMigrations(const QSqlDatabase &db)
{
    try {
        execute(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   " version INTEGER PRIMARY KEY,"
                                   " name TEXT NOT NULL,"
                                   " applied_at TEXT NOT NULL)"));
        const int current = schemaVersion(db);
        const int latest = migrations().back().version;
        if (current > latest)
            return QStringLiteral("the database has schema version %1 but this gridd knows only "
                                  "up to %2; run a newer gridd")
                .arg(current)
                .arg(latest);
        for (const Migration &m : migrations()) {
            if (m.version <= current)
                continue;
            WriteTransaction tx(db);
            for (const QString &sql : m.statements)
                execute(db, sql);
            execute(db, QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) "
                                       "VALUES (?, ?, ?)"),
                    {m.version, m.name, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)});
            tx.commit();
            qCInfo(lcStore) << "applied migration" << m.version << m.name;
        }
    } catch (const StoreError &e) {
        return QStringLiteral("database migration failed: %1").arg(QString::fromStdString(e.what()));
    }
    return {};
}

} // namespace og
