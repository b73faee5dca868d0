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
        {3,
         QStringLiteral("datastores and the content store"),
         {QStringLiteral("CREATE TABLE datastores ("
                         " id TEXT PRIMARY KEY,"
                         " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                         " name TEXT NOT NULL,"
                         " next_version INTEGER NOT NULL DEFAULT 1," // numbers are never reused
                         " created_at TEXT NOT NULL,"
                         " UNIQUE (user_id, name))"),
          QStringLiteral("CREATE TABLE datastore_versions ("
                         " id TEXT PRIMARY KEY,"
                         " datastore_id TEXT NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,"
                         " version INTEGER NOT NULL,"
                         " status TEXT NOT NULL,"
                         " reason TEXT NOT NULL DEFAULT '',"
                         " root_hash TEXT NOT NULL,"
                         " size_bytes BIGINT NOT NULL DEFAULT 0,"
                         " file_count INTEGER NOT NULL DEFAULT 0,"
                         " source TEXT NOT NULL DEFAULT '',"
                         " created_at TEXT NOT NULL,"
                         " updated_at TEXT NOT NULL,"
                         " UNIQUE (datastore_id, version))"),
          QStringLiteral("CREATE TABLE objects ("
                         " sha256 TEXT PRIMARY KEY,"
                         " size_bytes BIGINT NOT NULL,"
                         " created_at TEXT NOT NULL)"),
          // Who has proven they hold an object's bytes: only they may reference it, so a
          // hash alone never gives access to another user's data.
          QStringLiteral("CREATE TABLE user_objects ("
                         " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                         " sha256 TEXT NOT NULL REFERENCES objects(sha256) ON DELETE CASCADE,"
                         " created_at TEXT NOT NULL,"
                         " PRIMARY KEY (user_id, sha256))"),
          QStringLiteral("CREATE TABLE version_files ("
                         " version_id TEXT NOT NULL REFERENCES datastore_versions(id) ON DELETE CASCADE,"
                         " path TEXT NOT NULL,"
                         " parent TEXT NOT NULL,"
                         " type TEXT NOT NULL,"
                         " mode INTEGER NOT NULL,"
                         " size_bytes BIGINT NOT NULL DEFAULT 0,"
                         " sha256 TEXT,"
                         " target TEXT,"
                         " PRIMARY KEY (version_id, path))"),
          QStringLiteral("CREATE INDEX version_files_by_parent ON version_files(version_id, parent)"),
          QStringLiteral("CREATE INDEX version_files_by_hash ON version_files(sha256)"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN datastore_version_id TEXT REFERENCES datastore_versions(id)"),
          QStringLiteral("ALTER TABLE experiments ADD COLUMN datastore_version_id TEXT REFERENCES datastore_versions(id)")}},
        {4,
         QStringLiteral("run specs, experiment outcomes and metrics"),
         {QStringLiteral("ALTER TABLE runs ADD COLUMN spec TEXT NOT NULL DEFAULT '{}'"),
          QStringLiteral("ALTER TABLE experiments ADD COLUMN args TEXT NOT NULL DEFAULT '[]'"),
          QStringLiteral("ALTER TABLE experiments ADD COLUMN params TEXT NOT NULL DEFAULT '[]'"),
          QStringLiteral("ALTER TABLE experiments ADD COLUMN exit_code INTEGER"),
          QStringLiteral("ALTER TABLE experiments ADD COLUMN reason TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("ALTER TABLE experiments ADD COLUMN gpus TEXT NOT NULL DEFAULT '[]'"),
          QStringLiteral("CREATE INDEX experiments_by_status ON experiments(status)"),
          QStringLiteral("CREATE TABLE metrics ("
                         " experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,"
                         " key TEXT NOT NULL,"
                         " step BIGINT NOT NULL,"
                         " wall_time DOUBLE PRECISION NOT NULL,"
                         " value DOUBLE PRECISION NOT NULL,"
                         " PRIMARY KEY (experiment_id, key, step))")}},
        {5,
         QStringLiteral("objects verified and durable"),
         // Set once an object has been re-read, hash-checked and flushed to disk by an
         // optimize: later versions that reuse it need not read it again.
         {QStringLiteral("ALTER TABLE objects ADD COLUMN verified INTEGER NOT NULL DEFAULT 0")}},
        {6,
         QStringLiteral("datastore files stored once per distinct directory"),
         // A version's files were one row each per version: ten thousand rows again for a
         // re-upload that changed one file. Now each directory's entries are a listing named
         // by the SHA-256 of its content (server/datastores/dirlisting.h), stored once, and a
         // version is its directories' listings. Existing versions keep their rows, each
         // directory under a listing id of its own ("migrated:<version id>:<path>", never a
         // hash, so never shared).
         {QStringLiteral("CREATE TABLE dir_entries ("
                         " listing TEXT NOT NULL,"
                         " name TEXT NOT NULL,"
                         " type TEXT NOT NULL,"
                         " mode INTEGER NOT NULL,"
                         " size_bytes BIGINT NOT NULL DEFAULT 0,"
                         " sha256 TEXT,"
                         " target TEXT,"
                         " PRIMARY KEY (listing, name))"),
          QStringLiteral("CREATE INDEX dir_entries_by_hash ON dir_entries(sha256)"),
          QStringLiteral("CREATE TABLE version_dirs ("
                         " version_id TEXT NOT NULL REFERENCES datastore_versions(id) ON DELETE CASCADE,"
                         " path TEXT NOT NULL,"
                         " listing TEXT NOT NULL,"
                         " PRIMARY KEY (version_id, path))"),
          QStringLiteral("CREATE INDEX version_dirs_by_listing ON version_dirs(listing)"),
          QStringLiteral("INSERT INTO version_dirs (version_id, path, listing)"
                         " SELECT id, '', 'migrated:' || id || ':' FROM datastore_versions WHERE status = 'succeeded'"),
          QStringLiteral("INSERT INTO version_dirs (version_id, path, listing)"
                         " SELECT version_id, path, 'migrated:' || version_id || ':' || path FROM version_files WHERE type = 'dir'"),
          QStringLiteral("INSERT INTO dir_entries (listing, name, type, mode, size_bytes, sha256, target)"
                         " SELECT 'migrated:' || version_id || ':' || parent,"
                         " CASE WHEN parent = '' THEN path ELSE substr(path, length(parent) + 2) END,"
                         " type, mode, size_bytes, sha256, target FROM version_files"),
          QStringLiteral("DROP TABLE version_files")}},
        {7,
         QStringLiteral("ssh keys and live sessions"),
         {QStringLiteral("CREATE TABLE ssh_keys ("
                         " id TEXT PRIMARY KEY,"
                         " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                         " name TEXT NOT NULL,"
                         " key_type TEXT NOT NULL,"
                         " bits INTEGER NOT NULL,"
                         " public_key TEXT NOT NULL,"
                         " fingerprint TEXT NOT NULL,"
                         " created_at TEXT NOT NULL,"
                         " UNIQUE (user_id, name),"
                         " UNIQUE (user_id, fingerprint))"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN datastore_mount_dir TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN datastore_path TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN disk_size_gb INTEGER NOT NULL DEFAULT 0"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN gpus TEXT NOT NULL DEFAULT '[]'"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN reason TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN host_key TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("ALTER TABLE sessions ADD COLUMN ssh_user TEXT NOT NULL DEFAULT ''"),
          QStringLiteral("CREATE INDEX sessions_by_status ON sessions(status)")}},
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
