// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/store/database.h"
#include "server/store/userstore.h"

#include <memory>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using og::ApiKey;
using og::ApiToken;
using og::Database;
using og::User;
using og::UserStore;

class TestUserStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void createUser();
    void createUserDefaults();
    void duplicateUsername();
    void validUsernames_data();
    void validUsernames();
    void invalidUsernames_data();
    void invalidUsernames();
    void findAndListUsers();
    void createApiKeyReturnsWorkingToken();
    void onlyTheSecretHashIsStored();
    void wrongSecretDoesNotAuthenticate();
    void unknownKeyIdDoesNotAuthenticate();
    void revokedKeyDoesNotAuthenticate();
    void revokeIsIdempotent();
    void revokeWithAnotherUsersIdDoesNothing();
    void revokeById();
    void listApiKeysOnlyTheOwners();
    void findApiKeyOnlyTheOwners();
    void recordKeyUse();

private:
    User makeUser(const QString &username);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<UserStore> m_store;
};

void TestUserStore::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("opengrid.server.store.info=false"));
}

void TestUserStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>(m_dir->filePath(QStringLiteral("grid.sqlite")));
    QCOMPARE(m_db->open(), QString());
    m_store = std::make_unique<UserStore>(m_db->connection());
}

void TestUserStore::cleanup()
{
    m_store.reset(); // drops its QSqlDatabase handle before the connection is removed
    m_db.reset();
    m_dir.reset();
}

User TestUserStore::makeUser(const QString &username)
{
    QString error;
    const auto user = m_store->createUser(username, QString(), QString(), &error);
    if (!user)
        qFatal("createUser(%s) failed: %s", qPrintable(username), qPrintable(error));
    return *user;
}

void TestUserStore::createUser()
{
    QString error;
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const auto user = m_store->createUser(QStringLiteral("alice"), QStringLiteral("Alice Liddell"),
                                          QStringLiteral("alice@example.org"), &error);
    QVERIFY2(user, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(user->id.size(), 12);
    QCOMPARE(user->username, QStringLiteral("alice"));
    QCOMPARE(user->displayName, QStringLiteral("Alice Liddell"));
    QCOMPARE(user->email, QStringLiteral("alice@example.org"));
    QVERIFY(user->createdAt.isValid());
    QVERIFY(user->createdAt >= before);
    QVERIFY(user->createdAt <= QDateTime::currentDateTimeUtc());

    // What was returned is what is stored.
    const auto found = m_store->findUserByName(QStringLiteral("alice"));
    QVERIFY(found);
    QCOMPARE(*found, *user);
}

void TestUserStore::createUserDefaults()
{
    QString error;
    const auto user = m_store->createUser(QStringLiteral("bob"), QString(), QString(), &error);
    QVERIFY2(user, qPrintable(error));
    QCOMPARE(user->displayName, QStringLiteral("bob")); // defaults to the username
    QCOMPARE(user->email, QString());
    const auto found = m_store->findUserById(user->id);
    QVERIFY(found);
    QCOMPARE(*found, *user);
}

void TestUserStore::duplicateUsername()
{
    const User first = makeUser(QStringLiteral("alice"));
    QString error;
    QVERIFY(
        !m_store->createUser(QStringLiteral("alice"), QStringLiteral("Other"), QString(), &error));
    QCOMPARE(error, QStringLiteral("a user named 'alice' already exists"));
    QCOMPARE(m_store->listUsers().size(), 1);
    QCOMPARE(m_store->listUsers().front(), first);
    // The failed attempt left no transaction open: the next write works.
    makeUser(QStringLiteral("bob"));
    QCOMPARE(m_store->listUsers().size(), 2);
}

void TestUserStore::validUsernames_data()
{
    QTest::addColumn<QString>("username");
    QTest::newRow("github name") << QStringLiteral("octo-cat");
    QTest::newRow("mixed case") << QStringLiteral("OctoCat");
    QTest::newRow("digit first") << QStringLiteral("1password");
    QTest::newRow("one character") << QStringLiteral("a");
    QTest::newRow("e-mail") << QStringLiteral("first.last+grid@example.org");
    QTest::newRow("underscore") << QStringLiteral("a_b");
    QTest::newRow("64 characters") << QString(64, u'x');
}

void TestUserStore::validUsernames()
{
    QFETCH(QString, username);
    QVERIFY(!UserStore::validateUsername(username));
    QString error;
    const auto user = m_store->createUser(username, QString(), QString(), &error);
    QVERIFY2(user, qPrintable(error));
    QCOMPARE(user->username, username);
}

void TestUserStore::invalidUsernames_data()
{
    QTest::addColumn<QString>("username");
    QTest::newRow("empty") << QString();
    QTest::newRow("65 characters") << QString(65, u'x');
    QTest::newRow("space") << QStringLiteral("alice smith");
    QTest::newRow("leading dot") << QStringLiteral(".alice");
    QTest::newRow("leading hyphen") << QStringLiteral("-alice");
    QTest::newRow("leading at") << QStringLiteral("@alice");
    QTest::newRow("slash") << QStringLiteral("alice/bob");
    QTest::newRow("quote") << QStringLiteral("alice'--");
    QTest::newRow("non-ASCII") << QStringLiteral("j\u00fcrgen");
    QTest::newRow("trailing newline") << QStringLiteral("alice\n");
}

void TestUserStore::invalidUsernames()
{
    QFETCH(QString, username);
    const auto problem = UserStore::validateUsername(username);
    QVERIFY(problem);
    QVERIFY2(problem->startsWith(QStringLiteral("invalid username '%1'").arg(username)),
             qPrintable(*problem));
    QString error;
    QVERIFY(!m_store->createUser(username, QString(), QString(), &error));
    QCOMPARE(error, *problem);
    QVERIFY(m_store->listUsers().isEmpty());
}

void TestUserStore::findAndListUsers()
{
    const User carol = makeUser(QStringLiteral("carol"));
    const User alice = makeUser(QStringLiteral("alice"));
    const User bob = makeUser(QStringLiteral("bob"));
    QCOMPARE(m_store->listUsers(), (QList<User>{alice, bob, carol})); // ordered by name
    QCOMPARE(m_store->findUserById(bob.id), std::optional<User>(bob));
    QVERIFY(!m_store->findUserByName(QStringLiteral("dave")));
    QVERIFY(!m_store->findUserById(QStringLiteral("nosuchid0000")));
    QVERIFY(alice.id != bob.id && bob.id != carol.id && alice.id != carol.id);
}

void TestUserStore::createApiKeyReturnsWorkingToken()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const UserStore::CreatedKey created = m_store->createApiKey(alice.id, QStringLiteral("laptop"));
    QCOMPARE(created.key.name, QStringLiteral("laptop"));
    QVERIFY(created.key.createdAt >= before);
    QVERIFY(!created.key.lastUsedAt.isValid());
    QVERIFY(!created.key.isRevoked());

    const auto token = ApiToken::parse(created.token);
    QVERIFY2(token, qPrintable(created.token));
    QCOMPARE(token->id, created.key.id);

    const auto who = m_store->authenticate(*token);
    QVERIFY(who);
    QVERIFY(who->isValid());
    QCOMPARE(who->userId, alice.id);
    QCOMPARE(who->username, QStringLiteral("alice"));
    QCOMPARE(who->keyId, created.key.id);
    QCOMPARE(who->profile, alice); // the users row comes along with the key check

    // The listed key is the one returned at creation.
    const QList<ApiKey> keys = m_store->listApiKeys(alice.id);
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys.front(), created.key);
}

void TestUserStore::onlyTheSecretHashIsStored()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const UserStore::CreatedKey created = m_store->createApiKey(alice.id, QStringLiteral("ci"));
    const auto token = ApiToken::parse(created.token);
    QVERIFY(token);
    const QString secret = QString::fromLatin1(token->secret);

    QSqlQuery q = og::execute(m_db->connection(),
                              QStringLiteral("SELECT * FROM api_keys WHERE id = ?"), {token->id});
    QVERIFY(q.next());
    const QSqlRecord row = q.record();
    bool sawHash = false;
    for (int i = 0; i < row.count(); ++i) {
        const QString value = q.value(i).toString();
        QVERIFY2(!value.contains(secret), qPrintable(row.fieldName(i)));
        QVERIFY2(!value.contains(secret.left(16)), qPrintable(row.fieldName(i)));
        QVERIFY2(!value.contains(created.token), qPrintable(row.fieldName(i)));
        if (row.fieldName(i) == u"secret_sha256") {
            QCOMPARE(value, QString::fromLatin1(token->secretSha256Hex()));
            sawHash = true;
        }
    }
    QVERIFY(sawHash);
    QVERIFY(!q.next());

    // Nowhere else in the database either (a log or copy table added later must not leak it).
    QSqlQuery tables = og::execute(
        m_db->connection(), QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"));
    while (tables.next()) {
        QSqlQuery all =
            og::execute(m_db->connection(),
                        QStringLiteral("SELECT * FROM \"%1\"").arg(tables.value(0).toString()));
        while (all.next())
            for (int i = 0; i < all.record().count(); ++i)
                QVERIFY2(!all.value(i).toString().contains(secret),
                         qPrintable(tables.value(0).toString()));
    }
}

void TestUserStore::wrongSecretDoesNotAuthenticate()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const auto token = ApiToken::parse(m_store->createApiKey(alice.id, QStringLiteral("k")).token);
    QVERIFY(token);
    ApiToken wrong = *token;
    wrong.secret[0] = wrong.secret[0] == 'a' ? 'b' : 'a';
    QVERIFY(!m_store->authenticate(wrong));
    ApiToken other = *token;
    other.secret = ApiToken::generate().secret;
    QVERIFY(!m_store->authenticate(other));
    ApiToken empty = *token;
    empty.secret.clear();
    QVERIFY(!m_store->authenticate(empty));
    // The right one still works.
    QVERIFY(m_store->authenticate(*token));
}

void TestUserStore::unknownKeyIdDoesNotAuthenticate()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const auto token = ApiToken::parse(m_store->createApiKey(alice.id, QStringLiteral("k")).token);
    QVERIFY(token);
    ApiToken unknown = *token;
    unknown.id = QStringLiteral("zzzzzzzzzzzz");
    QVERIFY(!m_store->authenticate(unknown));
    QVERIFY(!m_store->authenticate(ApiToken::generate()));
}

void TestUserStore::revokedKeyDoesNotAuthenticate()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const UserStore::CreatedKey created = m_store->createApiKey(alice.id, QStringLiteral("k"));
    const UserStore::CreatedKey kept = m_store->createApiKey(alice.id, QStringLiteral("kept"));
    const auto token = ApiToken::parse(created.token);
    QVERIFY(token);
    QVERIFY(m_store->authenticate(*token));

    const auto revoked = m_store->revokeApiKey(alice.id, created.key.id);
    QVERIFY(revoked);
    QCOMPARE(revoked->id, created.key.id);
    QVERIFY(revoked->isRevoked());
    QVERIFY(!m_store->authenticate(*token));

    // Still listed, marked revoked; the other key is untouched.
    const auto listed = m_store->findApiKey(alice.id, created.key.id);
    QVERIFY(listed);
    QVERIFY(listed->isRevoked());
    QCOMPARE(listed->revokedAt, revoked->revokedAt);
    QVERIFY(m_store->authenticate(*ApiToken::parse(kept.token)));
    QVERIFY(!m_store->findApiKey(alice.id, kept.key.id)->isRevoked());
}

void TestUserStore::revokeIsIdempotent()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const UserStore::CreatedKey created = m_store->createApiKey(alice.id, QStringLiteral("k"));
    const auto first = m_store->revokeApiKey(alice.id, created.key.id);
    QVERIFY(first);
    QTest::qWait(5);
    const auto second = m_store->revokeApiKey(alice.id, created.key.id);
    QVERIFY(second);
    QVERIFY(second->isRevoked());
    QCOMPARE(second->revokedAt, first->revokedAt); // the first revocation time stays
}

void TestUserStore::revokeWithAnotherUsersIdDoesNothing()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const User mallory = makeUser(QStringLiteral("mallory"));
    const UserStore::CreatedKey created = m_store->createApiKey(alice.id, QStringLiteral("k"));

    QVERIFY(!m_store->revokeApiKey(mallory.id, created.key.id));
    QVERIFY(!m_store->revokeApiKey(mallory.id, QStringLiteral("nosuchkey000")));
    QVERIFY(!m_store->revokeApiKey(alice.id, QStringLiteral("nosuchkey000")));

    const auto key = m_store->findApiKey(alice.id, created.key.id);
    QVERIFY(key);
    QVERIFY(!key->isRevoked());
    const auto who = m_store->authenticate(*ApiToken::parse(created.token));
    QVERIFY(who);
    QCOMPARE(who->userId, alice.id);
}

void TestUserStore::revokeById()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const UserStore::CreatedKey created = m_store->createApiKey(alice.id, QStringLiteral("k"));
    QVERIFY(!m_store->revokeApiKeyById(QStringLiteral("nosuchkey000")));
    const auto revoked = m_store->revokeApiKeyById(created.key.id);
    QVERIFY(revoked);
    QVERIFY(revoked->isRevoked());
    QVERIFY(!m_store->authenticate(*ApiToken::parse(created.token)));
}

void TestUserStore::listApiKeysOnlyTheOwners()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const User bob = makeUser(QStringLiteral("bob"));
    const auto a1 = m_store->createApiKey(alice.id, QStringLiteral("a1"));
    const auto b1 = m_store->createApiKey(bob.id, QStringLiteral("b1"));
    const auto a2 = m_store->createApiKey(alice.id, QStringLiteral("a2"));

    const QList<ApiKey> aliceKeys = m_store->listApiKeys(alice.id);
    QCOMPARE(aliceKeys.size(), 2);
    QStringList ids;
    for (const ApiKey &k : aliceKeys)
        ids << k.id;
    QVERIFY(ids.contains(a1.key.id));
    QVERIFY(ids.contains(a2.key.id));
    QVERIFY(!ids.contains(b1.key.id));

    const QList<ApiKey> bobKeys = m_store->listApiKeys(bob.id);
    QCOMPARE(bobKeys.size(), 1);
    QCOMPARE(bobKeys.front(), b1.key);
    QVERIFY(m_store->listApiKeys(QStringLiteral("nosuchuser00")).isEmpty());
}

void TestUserStore::findApiKeyOnlyTheOwners()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const User bob = makeUser(QStringLiteral("bob"));
    const auto key = m_store->createApiKey(alice.id, QStringLiteral("k"));
    QVERIFY(m_store->findApiKey(alice.id, key.key.id));
    QVERIFY(!m_store->findApiKey(bob.id, key.key.id));
}

void TestUserStore::recordKeyUse()
{
    const User alice = makeUser(QStringLiteral("alice"));
    const auto created = m_store->createApiKey(alice.id, QStringLiteral("k"));
    const auto other = m_store->createApiKey(alice.id, QStringLiteral("other"));
    QVERIFY(!m_store->findApiKey(alice.id, created.key.id)->lastUsedAt.isValid());

    // A time in another zone is stored as the same instant.
    const QDateTime when(QDate(2026, 3, 4), QTime(13, 14, 15, 678), QTimeZone(3600));
    m_store->recordKeyUse(created.key.id, when);
    const auto key = m_store->findApiKey(alice.id, created.key.id);
    QVERIFY(key);
    QVERIFY(key->lastUsedAt.isValid());
    QCOMPARE(key->lastUsedAt, when);
    QCOMPARE(key->lastUsedAt.toMSecsSinceEpoch(), when.toMSecsSinceEpoch());
    QVERIFY(!m_store->findApiKey(alice.id, other.key.id)->lastUsedAt.isValid());

    {
        QSqlQuery q = og::execute(m_db->connection(),
                                  QStringLiteral("SELECT last_used_at FROM api_keys WHERE id = ?"),
                                  {created.key.id});
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("2026-03-04T12:14:15.678Z")); // UTC, ISO, ms
    }

    // A later use moves it forward.
    const QDateTime later = when.addSecs(60);
    m_store->recordKeyUse(created.key.id, later);
    QCOMPARE(m_store->findApiKey(alice.id, created.key.id)->lastUsedAt, later);
    // Using the key does not revoke or otherwise change it.
    QVERIFY(m_store->authenticate(*ApiToken::parse(created.token)));
}

QTEST_GUILESS_MAIN(TestUserStore)
#include "test_userstore.moc"
