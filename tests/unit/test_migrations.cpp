// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/datastores/datastorestore.h"
#include "server/store/database.h"
#include "server/store/migrations.h"

#include <memory>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using og::Database;
using og::StoreError;
using og::WriteTransaction;

namespace {

QVariant scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q = og::execute(db, sql);
    return q.next() ? q.value(0) : QVariant();
}

QList<int> appliedVersions(const QSqlDatabase &db)
{
    QList<int> versions;
    QSqlQuery q =
        og::execute(db, QStringLiteral("SELECT version FROM schema_migrations ORDER BY version"));
    while (q.next())
        versions.append(q.value(0).toInt());
    return versions;
}

QList<int> knownVersions()
{
    QList<int> versions;
    for (const og::Migration &m : og::migrations())
        versions.append(m.version);
    return versions;
}

QStringList tables(const QSqlDatabase &db)
{
    QStringList names;
    QSqlQuery q = og::execute(
        db, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    while (q.next())
        names.append(q.value(0).toString());
    return names;
}

int userCount(const QSqlDatabase &db)
{
    return scalar(db, QStringLiteral("SELECT COUNT(*) FROM users")).toInt();
}

void insertUser(const QSqlDatabase &db, const QString &id)
{
    og::execute(db, QStringLiteral("INSERT INTO users (id, username, created_at) VALUES (?, ?, ?)"),
                {id, QStringLiteral("user-") + id, QStringLiteral("2026-01-01T00:00:00.000Z")});
}

// Runs `work` with a plain QtSql connection of its own, outside Database, then drops it.
template <typename Work> void withRawConnection(const QString &path, Work work)
{
    const QString name = QStringLiteral("raw-setup");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        work(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

class TestMigrations final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void knownMigrationsAreOrdered();
    void openCreatesSchema();
    void secondOpenIsNoop();
    void reopenWithNewObjectIsNoop();
    void twoInstancesOnOnePath();
    void pragmasOnConnection();
    void foreignKeysAreEnforced();
    void upgradesFromVersionOne();
    void datastoreFilesSurviveTheListingsMigration();
    void newerSchemaIsRefused();
    void damagedFileIsRefused();
    void writeTransactionRollsBackWhenNotCommitted();
    void writeTransactionRollsBackOnException();
    void writeTransactionCommits();
    void connectionPerThread();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path() const { return m_dir->filePath(QStringLiteral("grid.sqlite")); }
};

void TestMigrations::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("opengrid.server.store.info=false"));
}

void TestMigrations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // Handles kept past closeThreadConnection() or used from another thread are bugs in the code
    // under test (or in this test): QtSql only warns about them, so make them fail.
    QTest::failOnWarning(
        QRegularExpression(QStringLiteral("still in use|does not belong to the calling thread")));
}

void TestMigrations::knownMigrationsAreOrdered()
{
    const QList<int> versions = knownVersions();
    QVERIFY(!versions.isEmpty());
    QCOMPARE(versions.front(), 1);
    for (qsizetype i = 1; i < versions.size(); ++i)
        QCOMPARE(versions[i], versions[i - 1] + 1);
    for (const og::Migration &m : og::migrations()) {
        QVERIFY(!m.name.isEmpty());
        QVERIFY(!m.statements.isEmpty());
    }
}

void TestMigrations::openCreatesSchema()
{
    Database db(path());
    QCOMPARE(db.path(), path());
    QCOMPARE(db.open(), QString());
    QVERIFY(QFile::exists(path()));
    const QSqlDatabase conn = db.connection();
    QCOMPARE(appliedVersions(conn), knownVersions());
    QCOMPARE(og::schemaVersion(conn), og::migrations().back().version);
    const QStringList names = tables(conn);
    for (const char *table :
         {"schema_migrations", "users", "api_keys", "runs", "experiments", "sessions"})
        QVERIFY2(names.contains(QLatin1String(table)), table);

    QSqlQuery q = og::execute(
        conn,
        QStringLiteral("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
    for (const og::Migration &m : og::migrations()) {
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), m.version);
        QCOMPARE(q.value(1).toString(), m.name);
        const QDateTime applied = QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs);
        QVERIFY2(applied.isValid(), qPrintable(q.value(2).toString()));
        QVERIFY(qAbs(applied.secsTo(QDateTime::currentDateTimeUtc())) < 600);
    }
}

void TestMigrations::secondOpenIsNoop()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    insertUser(db.connection(), QStringLiteral("u1"));
    const QString before =
        scalar(db.connection(),
               QStringLiteral(
                   "SELECT group_concat(version || '@' || applied_at) FROM schema_migrations"))
            .toString();

    QCOMPARE(db.open(), QString());
    const QString after =
        scalar(db.connection(),
               QStringLiteral(
                   "SELECT group_concat(version || '@' || applied_at) FROM schema_migrations"))
            .toString();
    QCOMPARE(after, before);
    QCOMPARE(appliedVersions(db.connection()), knownVersions());
    QCOMPARE(userCount(db.connection()), 1);
    QCOMPARE(og::applyMigrations(db.connection()), QString());
    QCOMPARE(appliedVersions(db.connection()), knownVersions());
}

void TestMigrations::reopenWithNewObjectIsNoop()
{
    {
        Database first(path());
        QCOMPARE(first.open(), QString());
        insertUser(first.connection(), QStringLiteral("u1"));
    }
    Database second(path());
    QCOMPARE(second.open(), QString());
    QCOMPARE(appliedVersions(second.connection()), knownVersions());
    QCOMPARE(userCount(second.connection()), 1);
}

void TestMigrations::twoInstancesOnOnePath()
{
    // Two Database objects for the same file on one thread (an admin command next to a server,
    // a test next to its fixture): ending one must not close the other's connection.
    Database first(path());
    QCOMPARE(first.open(), QString());
    insertUser(first.connection(), QStringLiteral("u1"));
    {
        Database second(path());
        QCOMPARE(second.open(), QString());
        QCOMPARE(userCount(second.connection()), 1);
    }
    QVERIFY(first.connection().isOpen());
    try {
        QCOMPARE(userCount(first.connection()), 1);
    } catch (const StoreError &e) {
        QFAIL(e.what());
    }
}

void TestMigrations::pragmasOnConnection()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    const QSqlDatabase conn = db.connection();
    QVERIFY(conn.isOpen());
    QCOMPARE(conn.driverName(), QStringLiteral("QSQLITE"));
    QCOMPARE(scalar(conn, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(scalar(conn, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(scalar(conn, QStringLiteral("PRAGMA busy_timeout")).toInt(), 10000);
    QCOMPARE(scalar(conn, QStringLiteral("PRAGMA synchronous")).toInt(), 2); // FULL
    QVERIFY(QFile::exists(path() + QStringLiteral("-wal")));
}

void TestMigrations::foreignKeysAreEnforced()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("statement failed.*FOREIGN KEY")));
    QVERIFY_THROWS_EXCEPTION(
        StoreError,
        og::execute(
            db.connection(),
            QStringLiteral("INSERT INTO api_keys (id, user_id, name, secret_sha256, created_at) "
                           "VALUES ('k', 'no-such-user', 'n', 'x', 'now')")));
    QCOMPARE(scalar(db.connection(), QStringLiteral("SELECT COUNT(*) FROM api_keys")).toInt(), 0);

    // ON DELETE CASCADE works because foreign keys are on.
    insertUser(db.connection(), QStringLiteral("u1"));
    og::execute(
        db.connection(),
        QStringLiteral("INSERT INTO api_keys (id, user_id, name, secret_sha256, created_at) "
                       "VALUES ('k', 'u1', 'n', 'x', 'now')"));
    og::execute(db.connection(), QStringLiteral("DELETE FROM users WHERE id = 'u1'"));
    QCOMPARE(scalar(db.connection(), QStringLiteral("SELECT COUNT(*) FROM api_keys")).toInt(), 0);
}

void TestMigrations::upgradesFromVersionOne()
{
    // A database as an older gridd left it: only migration 1 applied, with a user in it.
    withRawConnection(path(), [](QSqlDatabase &raw) {
        og::execute(raw,
                    QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                   "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
        for (const QString &sql : og::migrations().front().statements)
            og::execute(raw, sql);
        og::execute(raw,
                    QStringLiteral("INSERT INTO schema_migrations VALUES (1, 'users and api keys', "
                                   "'2025-01-01T00:00:00.000Z')"));
        insertUser(raw, QStringLiteral("old"));
    });

    Database db(path());
    QCOMPARE(db.open(), QString());
    QCOMPARE(appliedVersions(db.connection()), knownVersions());
    QCOMPARE(userCount(db.connection()), 1);
    QVERIFY(tables(db.connection()).contains(QStringLiteral("runs")));
    // Migration 1 was not re-run: its row keeps the old date.
    QCOMPARE(scalar(db.connection(),
                    QStringLiteral("SELECT applied_at FROM schema_migrations WHERE version = 1"))
                 .toString(),
             QStringLiteral("2025-01-01T00:00:00.000Z"));
}

void TestMigrations::datastoreFilesSurviveTheListingsMigration()
{
    // A version's files as gridd recorded them up to migration 5 (a row per file) are listed
    // the same after migration 6 (a listing per directory).
    const QString hash(64, u'a');
    withRawConnection(path(), [&hash](QSqlDatabase &raw) {
        og::execute(raw, QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
        for (const og::Migration &m : og::migrations()) {
            if (m.version > 5)
                break;
            for (const QString &sql : m.statements)
                og::execute(raw, sql);
            og::execute(raw, QStringLiteral("INSERT INTO schema_migrations VALUES (?, ?, '2025-01-01T00:00:00.000Z')"),
                        {m.version, m.name});
        }
        insertUser(raw, QStringLiteral("u"));
        og::execute(raw, QStringLiteral("INSERT INTO datastores (id, user_id, name, next_version, created_at)"
                                        " VALUES ('ds', 'u', 'old', 2, '2025-01-01T00:00:00.000Z')"));
        og::execute(raw, QStringLiteral("INSERT INTO datastore_versions (id, datastore_id, version, status, root_hash,"
                                        " size_bytes, file_count, created_at, updated_at) VALUES ('v1', 'ds', 1, 'succeeded', ?,"
                                        " 7, 2, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')"), {hash});
        const QString insert = QStringLiteral("INSERT INTO version_files (version_id, path, parent, type, mode, size_bytes, sha256, target)"
                                              " VALUES ('v1', ?, ?, ?, ?, ?, ?, ?)");
        og::execute(raw, insert, {QStringLiteral("top.txt"), QString(""), QStringLiteral("file"), 0644, 3, hash, QVariant()});
        og::execute(raw, insert, {QStringLiteral("d"), QString(""), QStringLiteral("dir"), 0755, 0, QVariant(), QVariant()});
        og::execute(raw, insert, {QStringLiteral("d/é.bin"), QStringLiteral("d"), QStringLiteral("file"), 0600, 4, hash, QVariant()});
        og::execute(raw, insert, {QStringLiteral("d/l"), QStringLiteral("d"), QStringLiteral("symlink"), 0777, 0, QVariant(), QStringLiteral("é.bin")});
        og::execute(raw, insert, {QStringLiteral("d/e"), QStringLiteral("d"), QStringLiteral("dir"), 0700, 0, QVariant(), QVariant()});
    });

    Database db(path());
    QCOMPARE(db.open(), QString());
    QVERIFY(!tables(db.connection()).contains(QStringLiteral("version_files")));
    og::DatastoreStore store(db.connection());
    auto describe = [](const QList<og::VersionFile> &files) {
        QStringList out;
        for (const og::VersionFile &f : files)
            out.append(QStringLiteral("%1 %2 %3 %4 %5 %6").arg(f.path, og::Manifest::typeName(f.type)).arg(f.mode).arg(f.size).arg(f.sha256, f.target));
        return out;
    };
    QCOMPARE(describe(store.listFiles(QStringLiteral("v1"), QString())),
             (QStringList{QStringLiteral("d dir 493 0  "), QStringLiteral("top.txt file 420 3 %1 ").arg(hash)}));
    QCOMPARE(describe(store.listFiles(QStringLiteral("v1"), QStringLiteral("d"))),
             (QStringList{QStringLiteral("d/e dir 448 0  "), QStringLiteral("d/l symlink 511 0  é.bin"),
                          QStringLiteral("d/é.bin file 384 4 %1 ").arg(hash)}));
    QVERIFY(store.listFiles(QStringLiteral("v1"), QStringLiteral("d/e")).isEmpty());
    const auto found = store.findFile(QStringLiteral("v1"), QStringLiteral("d/é.bin"));
    QVERIFY(found);
    QCOMPARE(found->size, 4);
    QCOMPARE(store.fileHashes(QStringLiteral("v1")), QSet<QString>{hash});
    // Migrated listings belong to their version alone: nothing new ever matches them.
    QCOMPARE(store.knownListings(store.listingsOf(QStringLiteral("v1")).values()).size(), 3);
    QVERIFY(!store.listingsOf(QStringLiteral("v1")).contains(hash));
}

void TestMigrations::newerSchemaIsRefused()
{
    withRawConnection(path(), [](QSqlDatabase &raw) {
        og::execute(raw,
                    QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                   "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
        og::execute(raw,
                    QStringLiteral("INSERT INTO schema_migrations VALUES (999, 'from the future', "
                                   "'2030-01-01T00:00:00.000Z')"));
    });

    Database db(path());
    const QString error = db.open();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(u"schema version 999"), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("up to %1").arg(og::migrations().back().version)),
             qPrintable(error));
    QVERIFY2(error.contains(u"newer gridd"), qPrintable(error));
    // Nothing was applied on top of the newer schema.
    QVERIFY(!tables(db.connection()).contains(QStringLiteral("users")));
    QCOMPARE(appliedVersions(db.connection()), QList<int>{999});
}

void TestMigrations::damagedFileIsRefused()
{
    {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
    }
    Database db(path());
    const QString error = db.open();
    QVERIFY2(error.contains(u"not a database"), qPrintable(error));
}

void TestMigrations::writeTransactionRollsBackWhenNotCommitted()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    {
        WriteTransaction tx(db.connection());
        insertUser(db.connection(), QStringLiteral("u1"));
        QCOMPARE(userCount(db.connection()), 1); // visible inside the transaction
    }
    QCOMPARE(userCount(db.connection()), 0);
    // The connection is usable again (no transaction left open).
    {
        WriteTransaction tx(db.connection());
        insertUser(db.connection(), QStringLiteral("u2"));
        tx.commit();
    }
    QCOMPARE(userCount(db.connection()), 1);
}

void TestMigrations::writeTransactionRollsBackOnException()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("statement failed")));
    try {
        WriteTransaction tx(db.connection());
        insertUser(db.connection(), QStringLiteral("u1"));
        insertUser(db.connection(), QStringLiteral("u1")); // duplicate primary key: throws
        tx.commit();
        QFAIL("the duplicate insert did not throw");
    } catch (const StoreError &) {
    }
    QCOMPARE(userCount(db.connection()), 0);
}

void TestMigrations::writeTransactionCommits()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    {
        WriteTransaction tx(db.connection());
        insertUser(db.connection(), QStringLiteral("u1"));
        tx.commit();
    }
    QCOMPARE(userCount(db.connection()), 1);
    // Committed data is on disk for a fresh connection too.
    withRawConnection(path(), [](QSqlDatabase &raw) { QCOMPARE(userCount(raw), 1); });
}

void TestMigrations::connectionPerThread()
{
    Database db(path());
    QCOMPARE(db.open(), QString());
    const QString mainName = db.connection().connectionName();
    const QStringList before = QSqlDatabase::connectionNames();
    QVERIFY(before.contains(mainName));

    QString threadName;
    QString threadError;
    bool listedWhileOpen = false;
    int threadJournalIsWal = -1;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        try {
            const QSqlDatabase conn = db.connection();
            threadName = conn.connectionName();
            listedWhileOpen = QSqlDatabase::connectionNames().contains(threadName);
            threadJournalIsWal =
                scalar(conn, QStringLiteral("PRAGMA journal_mode")).toString() == u"wal";
            WriteTransaction tx(conn);
            insertUser(conn, QStringLiteral("from-thread"));
            tx.commit();
            // The same thread gets the same connection back.
            if (db.connection().connectionName() != threadName)
                threadError =
                    QStringLiteral("second connection() on the thread gave another connection");
        } catch (const StoreError &e) {
            threadError = QString::fromStdString(e.what());
        }
        db.closeThreadConnection();
    }));
    thread->start();
    QVERIFY(thread->wait(30000));
    QVERIFY2(threadError.isEmpty(), qPrintable(threadError));

    QVERIFY(!threadName.isEmpty());
    QVERIFY(threadName != mainName);
    QVERIFY(listedWhileOpen);
    QCOMPARE(threadJournalIsWal, 1);
    // closeThreadConnection() removed the thread's connection and left ours alone.
    QVERIFY(!QSqlDatabase::connectionNames().contains(threadName));
    QVERIFY(QSqlDatabase::connectionNames().contains(mainName));
    QCOMPARE(db.connection().connectionName(), mainName);
    QCOMPARE(scalar(db.connection(),
                    QStringLiteral("SELECT COUNT(*) FROM users WHERE id = 'from-thread'"))
                 .toInt(),
             1);

    // Closing twice is harmless.
    db.closeThreadConnection();
    QVERIFY(!QSqlDatabase::connectionNames().contains(mainName));
    db.closeThreadConnection();
    QCOMPARE(userCount(db.connection()), 1); // reopened on demand
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "test_migrations.moc"
