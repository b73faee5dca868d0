// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/domain/apikey.h"
#include "core/domain/runsummary.h"
#include "core/domain/sessionsummary.h"
#include "core/domain/user.h"
#include "core/jsonreader.h"

#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using og::ApiKey;
using og::JsonReader;
using og::RunSummary;
using og::SessionSummary;
using og::User;

namespace {

QDateTime utc(const char *iso)
{
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
    Q_ASSERT(t.isValid());
    return t.toUTC();
}

// Through text, as the objects really travel.
QJsonObject viaText(const QJsonObject &json)
{
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QJsonDocument(json).toJson(QJsonDocument::Compact), &error);
    Q_ASSERT(error.error == QJsonParseError::NoError);
    return doc.object();
}

QStringList sortedKeys(const QJsonObject &json)
{
    QStringList keys = json.keys();
    keys.sort();
    return keys;
}

std::optional<QJsonObject> parse(const char *text, QString *error)
{
    return JsonReader::parseObject(QByteArray(text), error);
}

} // namespace

class TestDomainJson final : public QObject
{
    Q_OBJECT

private slots:
    void userRoundTrip();
    void userNullCreatedAt();
    void apiKeyRoundTrip();
    void apiKeyNullTimes();
    void runSummaryRoundTrip();
    void runSummaryNullFinishedAt();
    void sessionSummaryRoundTrip();
    void sessionSummaryNullTimes();
    void timesAreWrittenAsUtcWithMilliseconds();
    void timesWithAnOffsetAreReadAsUtc();
    void unreadableTimesBecomeInvalid_data();
    void unreadableTimesBecomeInvalid();

    void parseObjectAcceptsAnObject();
    void parseObjectRejectsEmpty_data();
    void parseObjectRejectsEmpty();
    void parseObjectRejectsInvalidJson();
    void parseObjectRejectsNonObjects_data();
    void parseObjectRejectsNonObjects();
    void parseObjectUsesContext();
    void requiredString();
    void requiredStringMissing();
    void requiredStringNullCountsAsMissing();
    void requiredStringWrongType();
    void firstErrorIsKept();
    void optionalString();
    void optionalBool();
    void optionalIntegerInRange();
    void optionalIntegerBounds_data();
    void optionalIntegerBounds();
    void optionalIntegerRejectsNonIntegers_data();
    void optionalIntegerRejectsNonIntegers();
    void optionalIntegerKeepsExactLargeIntegers();
    void optionalIntegerRejectsValuesBeyondQint64();
    void optionalStringList();
    void optionalStringListRejectsWrongTypes_data();
    void optionalStringListRejectsWrongTypes();
    void rejectUnknownNamesTheField();
    void rejectUnknownAcceptsKnownFields();
    void readerContextAppearsInErrors();
};

void TestDomainJson::userRoundTrip()
{
    const User user{QStringLiteral("u1x2y3z4w5v6"), QStringLiteral("alice"),
                    QStringLiteral("Alice A."), QStringLiteral("alice@example.org"),
                    utc("2026-11-26T09:49:17.123Z")};
    const QJsonObject json = user.toJson();
    QCOMPARE(sortedKeys(json),
             (QStringList{"created_at", "display_name", "email", "id", "username"}));
    QCOMPARE(json.value(u"id").toString(), user.id);
    QCOMPARE(json.value(u"username").toString(), QStringLiteral("alice"));
    QCOMPARE(json.value(u"display_name").toString(), QStringLiteral("Alice A."));
    QCOMPARE(json.value(u"email").toString(), QStringLiteral("alice@example.org"));
    QCOMPARE(json.value(u"created_at").toString(), QStringLiteral("2026-11-26T09:49:17.123Z"));

    const User back = User::fromJson(viaText(json));
    QCOMPARE(back, user);
    QCOMPARE(back.createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(back.createdAt.toMSecsSinceEpoch(), user.createdAt.toMSecsSinceEpoch());
    QCOMPARE(back.toJson(), json);
}

void TestDomainJson::userNullCreatedAt()
{
    const User user{QStringLiteral("id"), QStringLiteral("bob"), QString(), QString(), QDateTime()};
    const QJsonObject json = user.toJson();
    QVERIFY(json.contains(u"created_at"));
    QVERIFY(json.value(u"created_at").isNull());
    const User back = User::fromJson(viaText(json));
    QVERIFY(!back.createdAt.isValid());
    QCOMPARE(back, user);
}

void TestDomainJson::apiKeyRoundTrip()
{
    const ApiKey key{QStringLiteral("abc123def456"), QStringLiteral("laptop"),
                     utc("2026-01-02T03:04:05.006Z"), utc("2026-02-03T04:05:06.789Z"),
                     utc("2026-03-04T05:06:07.000Z")};
    QVERIFY(key.isRevoked());
    const QJsonObject json = key.toJson();
    QCOMPARE(sortedKeys(json),
             (QStringList{"created_at", "id", "last_used_at", "name", "revoked_at"}));
    QCOMPARE(json.value(u"created_at").toString(), QStringLiteral("2026-01-02T03:04:05.006Z"));
    QCOMPARE(json.value(u"last_used_at").toString(), QStringLiteral("2026-02-03T04:05:06.789Z"));
    QCOMPARE(json.value(u"revoked_at").toString(), QStringLiteral("2026-03-04T05:06:07.000Z"));
    // The secret never appears in a listed key.
    QVERIFY(!json.contains(u"secret"));
    QVERIFY(!json.contains(u"token"));

    const ApiKey back = ApiKey::fromJson(viaText(json));
    QCOMPARE(back, key);
    QVERIFY(back.isRevoked());
    QCOMPARE(back.toJson(), json);
}

void TestDomainJson::apiKeyNullTimes()
{
    const ApiKey key{QStringLiteral("abc123def456"),
                     QStringLiteral("ci"),
                     utc("2026-01-02T03:04:05.006Z"),
                     {},
                     {}};
    QVERIFY(!key.isRevoked());
    const QJsonObject json = key.toJson();
    QVERIFY(json.value(u"last_used_at").isNull());
    QVERIFY(json.value(u"revoked_at").isNull());
    QVERIFY(json.contains(u"last_used_at"));
    QVERIFY(json.contains(u"revoked_at"));
    const ApiKey back = ApiKey::fromJson(viaText(json));
    QCOMPARE(back, key);
    QVERIFY(!back.isRevoked());
    QVERIFY(!back.lastUsedAt.isValid());
}

void TestDomainJson::runSummaryRoundTrip()
{
    RunSummary run;
    run.name = QStringLiteral("sweep-1");
    run.project = QStringLiteral("cifar");
    run.status = QStringLiteral("failed");
    run.createdAt = utc("2026-05-06T07:08:09.010Z");
    run.finishedAt = utc("2026-05-06T08:09:10.011Z");
    run.experiments = 11;
    run.running = 1;
    run.queued = 2;
    run.completed = 3;
    run.failed = 4;
    run.stopped = 5;
    const QJsonObject json = run.toJson();
    QCOMPARE(sortedKeys(json),
             (QStringList{"completed", "created_at", "experiments", "failed", "finished_at", "name",
                          "project", "queued", "running", "status", "stopped"}));
    QCOMPARE(json.value(u"experiments").toInt(), 11);
    QCOMPARE(json.value(u"stopped").toInt(), 5);
    QCOMPARE(json.value(u"finished_at").toString(), QStringLiteral("2026-05-06T08:09:10.011Z"));

    const RunSummary back = RunSummary::fromJson(viaText(json));
    QCOMPARE(back, run);
    QCOMPARE(back.toJson(), json);
    QVERIFY(!back.isActive());
}

void TestDomainJson::runSummaryNullFinishedAt()
{
    RunSummary run;
    run.name = QStringLiteral("r");
    run.status = QStringLiteral("running");
    run.createdAt = utc("2026-05-06T07:08:09.010Z");
    const QJsonObject json = run.toJson();
    QVERIFY(json.value(u"finished_at").isNull());
    QCOMPARE(json.value(u"project").toString(), QString());
    const RunSummary back = RunSummary::fromJson(viaText(json));
    QCOMPARE(back, run);
    QVERIFY(!back.finishedAt.isValid());
    QVERIFY(back.isActive());
}

void TestDomainJson::sessionSummaryRoundTrip()
{
    const SessionSummary session{
        QStringLiteral("dev"),           QStringLiteral("running"),
        QStringLiteral("gpu-small"),     utc("2026-07-08T09:10:11.012Z"),
        utc("2026-07-08T09:11:00.500Z"), QStringLiteral("ssh://dev.local:2222"),
        QStringLiteral("cifar5"),        1,
        QStringLiteral("/datastores/cifar5"), QString(),
        QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPc4"), QStringLiteral("alice"),
        2,                               200};
    const QJsonObject json = session.toJson();
    QCOMPARE(sortedKeys(json),
             (QStringList{"created_at", "datastore", "datastore_mount_dir", "datastore_version", "disk_size", "host_key",
                          "instance_type", "name", "reason", "ssh_connections", "ssh_user", "started_at", "status", "url"}));
    QCOMPARE(json.value(u"ssh_connections").toInt(), 2);
    QCOMPARE(json.value(u"instance_type").toString(), QStringLiteral("gpu-small"));
    QCOMPARE(json.value(u"started_at").toString(), QStringLiteral("2026-07-08T09:11:00.500Z"));
    const SessionSummary back = SessionSummary::fromJson(viaText(json));
    QCOMPARE(back, session);
    QCOMPARE(back.toJson(), json);
}

void TestDomainJson::sessionSummaryNullTimes()
{
    SessionSummary session;
    session.name = QStringLiteral("dev");
    session.status = QStringLiteral("pending");
    session.instanceType = QStringLiteral("cpu");
    const QJsonObject json = session.toJson();
    QVERIFY(json.value(u"created_at").isNull());
    QVERIFY(json.value(u"started_at").isNull());
    const SessionSummary back = SessionSummary::fromJson(viaText(json));
    QCOMPARE(back, session);
    QVERIFY(!back.createdAt.isValid());
    QVERIFY(!back.startedAt.isValid());
}

void TestDomainJson::timesAreWrittenAsUtcWithMilliseconds()
{
    // A time in another zone is written as the same instant in UTC, milliseconds always shown.
    const QDateTime plusTwo(QDate(2026, 11, 26), QTime(11, 49, 17), QTimeZone(7200));
    User user;
    user.createdAt = plusTwo;
    const QJsonObject json = user.toJson();
    QCOMPARE(json.value(u"created_at").toString(), QStringLiteral("2026-11-26T09:49:17.000Z"));
    const User back = User::fromJson(json);
    QCOMPARE(back.createdAt, plusTwo); // same instant
    QCOMPARE(back.createdAt.timeSpec(), Qt::UTC);
}

void TestDomainJson::timesWithAnOffsetAreReadAsUtc()
{
    const ApiKey key =
        ApiKey::fromJson(QJsonObject{{"id", "k"}, {"created_at", "2026-11-26T10:49:17.123+01:00"}});
    QVERIFY(key.createdAt.isValid());
    QCOMPARE(key.createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(key.createdAt, utc("2026-11-26T09:49:17.123Z"));
    QCOMPARE(key.toJson().value(u"created_at").toString(),
             QStringLiteral("2026-11-26T09:49:17.123Z"));
}

void TestDomainJson::unreadableTimesBecomeInvalid_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("number") << QJsonValue(1764150557123.0);
    QTest::newRow("garbage") << QJsonValue(QStringLiteral("yesterday"));
    QTest::newRow("empty string") << QJsonValue(QString());
}

void TestDomainJson::unreadableTimesBecomeInvalid()
{
    QFETCH(QJsonValue, value);
    QJsonObject json{{"name", "r"}, {"status", "running"}};
    if (!value.isUndefined())
        json.insert(u"created_at", value);
    const RunSummary run = RunSummary::fromJson(json);
    QCOMPARE(run.name, QStringLiteral("r"));
    QVERIFY(!run.createdAt.isValid());
    QVERIFY(run.toJson().value(u"created_at").isNull());
}

void TestDomainJson::parseObjectAcceptsAnObject()
{
    QString error;
    const auto object = parse(R"( {"name": "x", "n": 3} )", &error);
    QVERIFY(object);
    QVERIFY(error.isEmpty());
    QCOMPARE(object->value(u"name").toString(), QStringLiteral("x"));
    QCOMPARE(object->value(u"n").toInt(), 3);
    const auto empty = parse("{}", &error);
    QVERIFY(empty);
    QVERIFY(empty->isEmpty());
}

void TestDomainJson::parseObjectRejectsEmpty_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("whitespace") << QByteArray(" \r\n\t ");
}

void TestDomainJson::parseObjectRejectsEmpty()
{
    QFETCH(QByteArray, body);
    QString error;
    QVERIFY(!JsonReader::parseObject(body, &error));
    QCOMPARE(error, QStringLiteral("request body is empty; send a JSON object"));
}

void TestDomainJson::parseObjectRejectsInvalidJson()
{
    QString error;
    QVERIFY(!parse(R"({"name": )", &error));
    QVERIFY2(error.startsWith(u"request body is not valid JSON: "), qPrintable(error));
    QVERIFY2(error.contains(u" at offset "), qPrintable(error));

    error.clear();
    QVERIFY(!parse(R"({"a": 1,})", &error));
    QVERIFY2(error.startsWith(u"request body is not valid JSON: "), qPrintable(error));

    error.clear();
    QVERIFY(!parse("{'a': 1}", &error));
    QVERIFY2(error.startsWith(u"request body is not valid JSON: "), qPrintable(error));
}

void TestDomainJson::parseObjectRejectsNonObjects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("array") << QByteArray("[1, 2]");
    QTest::newRow("empty array") << QByteArray("[]");
    QTest::newRow("array of objects") << QByteArray(R"([{"a": 1}])");
}

void TestDomainJson::parseObjectRejectsNonObjects()
{
    QFETCH(QByteArray, body);
    QString error;
    QVERIFY(!JsonReader::parseObject(body, &error));
    QCOMPARE(error, QStringLiteral("request body must be a JSON object"));
}

void TestDomainJson::parseObjectUsesContext()
{
    QString error;
    QVERIFY(!JsonReader::parseObject("[]", &error, QStringLiteral("settings.json")));
    QCOMPARE(error, QStringLiteral("settings.json must be a JSON object"));
    QVERIFY(!JsonReader::parseObject("", &error, QStringLiteral("settings.json")));
    QCOMPARE(error, QStringLiteral("settings.json is empty; send a JSON object"));
}

void TestDomainJson::requiredString()
{
    JsonReader reader(QJsonObject{{"name", "cifar"}, {"empty", ""}});
    QCOMPARE(reader.requiredString(QStringLiteral("name")), QStringLiteral("cifar"));
    // Present but empty is still present: whether empty is allowed is the caller's call.
    QCOMPARE(reader.requiredString(QStringLiteral("empty")), QString());
    QVERIFY2(reader.ok(), qPrintable(reader.error()));
    QVERIFY(reader.error().isEmpty());
}

void TestDomainJson::requiredStringMissing()
{
    JsonReader reader(QJsonObject{{"other", "x"}});
    QCOMPARE(reader.requiredString(QStringLiteral("name")), QString());
    QVERIFY(!reader.ok());
    QCOMPARE(reader.error(), QStringLiteral("request body: missing required field 'name'"));
}

void TestDomainJson::requiredStringNullCountsAsMissing()
{
    JsonReader reader(QJsonObject{{"name", QJsonValue::Null}});
    QCOMPARE(reader.requiredString(QStringLiteral("name")), QString());
    QCOMPARE(reader.error(), QStringLiteral("request body: missing required field 'name'"));
}

void TestDomainJson::requiredStringWrongType()
{
    const QList<QJsonValue> wrong{QJsonValue(42), QJsonValue(true), QJsonValue(QJsonArray{"a"}),
                                  QJsonValue(QJsonObject{{"a", "b"}})};
    for (const QJsonValue &v : wrong) {
        JsonReader reader(QJsonObject{{"name", v}});
        QCOMPARE(reader.requiredString(QStringLiteral("name")), QString());
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error(), QStringLiteral("request body: field 'name' must be a string"));
    }
}

void TestDomainJson::firstErrorIsKept()
{
    JsonReader reader(QJsonObject{{"count", "seven"}});
    reader.requiredString(QStringLiteral("name"));
    reader.optionalInteger(QStringLiteral("count"), 1, 0, 10);
    reader.fail(QStringLiteral("something else"));
    QCOMPARE(reader.error(), QStringLiteral("request body: missing required field 'name'"));

    JsonReader manual(QJsonObject{});
    manual.fail(QStringLiteral("first"));
    manual.fail(QStringLiteral("second"));
    QVERIFY(!manual.ok());
    QCOMPARE(manual.error(), QStringLiteral("first"));
}

void TestDomainJson::optionalString()
{
    JsonReader reader(QJsonObject{{"project", "p"}, {"nothing", QJsonValue::Null}});
    QCOMPARE(reader.optionalString(QStringLiteral("project"), QStringLiteral("default")),
             QStringLiteral("p"));
    QCOMPARE(reader.optionalString(QStringLiteral("absent"), QStringLiteral("default")),
             QStringLiteral("default"));
    QCOMPARE(reader.optionalString(QStringLiteral("nothing"), QStringLiteral("default")),
             QStringLiteral("default"));
    QVERIFY(reader.ok());

    JsonReader wrong(QJsonObject{{"project", 3}});
    QCOMPARE(wrong.optionalString(QStringLiteral("project"), QStringLiteral("d")),
             QStringLiteral("d"));
    QCOMPARE(wrong.error(), QStringLiteral("request body: field 'project' must be a string"));
}

void TestDomainJson::optionalBool()
{
    JsonReader reader(QJsonObject{{"yes", true}, {"no", false}});
    QCOMPARE(reader.optionalBool(QStringLiteral("yes"), false), true);
    QCOMPARE(reader.optionalBool(QStringLiteral("no"), true), false);
    QCOMPARE(reader.optionalBool(QStringLiteral("absent"), true), true);
    QVERIFY(reader.ok());

    JsonReader wrong(QJsonObject{{"flag", "true"}});
    QCOMPARE(wrong.optionalBool(QStringLiteral("flag"), false), false);
    QCOMPARE(wrong.error(), QStringLiteral("request body: field 'flag' must be true or false"));
    JsonReader number(QJsonObject{{"flag", 1}});
    number.optionalBool(QStringLiteral("flag"), false);
    QVERIFY(!number.ok());
}

void TestDomainJson::optionalIntegerInRange()
{
    JsonReader reader(
        QJsonObject{{"n", 7}, {"zero", 0}, {"negative", -3}, {"null", QJsonValue::Null}});
    QCOMPARE(reader.optionalInteger(QStringLiteral("n"), 1, 0, 10), 7);
    QCOMPARE(reader.optionalInteger(QStringLiteral("zero"), 1, 0, 10), 0);
    QCOMPARE(reader.optionalInteger(QStringLiteral("negative"), 1, -5, 10), -3);
    QCOMPARE(reader.optionalInteger(QStringLiteral("absent"), 4, 0, 10), 4);
    QCOMPARE(reader.optionalInteger(QStringLiteral("null"), 5, 0, 10), 5);
    QVERIFY2(reader.ok(), qPrintable(reader.error()));

    // From text: "2.0" is an integral number in JSON, so it is read as 2.
    QString error;
    const auto object = parse(R"({"n": 2.0, "big": 1099511627776})", &error);
    QVERIFY(object);
    JsonReader fromText(*object);
    QCOMPARE(fromText.optionalInteger(QStringLiteral("n"), 0, 0, 10), 2);
    QCOMPARE(
        fromText.optionalInteger(QStringLiteral("big"), 0, 0, std::numeric_limits<qint64>::max()),
        Q_INT64_C(1099511627776));
    QVERIFY2(fromText.ok(), qPrintable(fromText.error()));
}

void TestDomainJson::optionalIntegerBounds_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("below min") << qint64(0) << false;
    QTest::newRow("min") << qint64(1) << true;
    QTest::newRow("max") << qint64(100) << true;
    QTest::newRow("above max") << qint64(101) << false;
    QTest::newRow("far below") << qint64(-1000000) << false;
}

void TestDomainJson::optionalIntegerBounds()
{
    QFETCH(qint64, value);
    QFETCH(bool, accepted);
    JsonReader reader(QJsonObject{{"replicas", value}});
    const qint64 got = reader.optionalInteger(QStringLiteral("replicas"), 42, 1, 100);
    QCOMPARE(reader.ok(), accepted);
    if (accepted) {
        QCOMPARE(got, value);
    } else {
        QCOMPARE(got, qint64(42));
        QCOMPARE(reader.error(),
                 QStringLiteral("request body: field 'replicas' must be between 1 and 100"));
    }
}

void TestDomainJson::optionalIntegerRejectsNonIntegers_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("fraction") << QJsonValue(2.5);
    QTest::newRow("negative fraction") << QJsonValue(-0.5);
    QTest::newRow("numeric string") << QJsonValue(QStringLiteral("5"));
    QTest::newRow("bool") << QJsonValue(true);
    QTest::newRow("array") << QJsonValue(QJsonArray{1});
    QTest::newRow("object") << QJsonValue(QJsonObject{{"n", 1}});
}

void TestDomainJson::optionalIntegerRejectsNonIntegers()
{
    QFETCH(QJsonValue, value);
    JsonReader reader(QJsonObject{{"n", value}});
    QCOMPARE(reader.optionalInteger(QStringLiteral("n"), 9, 0, 10), qint64(9));
    QVERIFY(!reader.ok());
    QCOMPARE(reader.error(), QStringLiteral("request body: field 'n' must be an integer"));
}

void TestDomainJson::optionalIntegerKeepsExactLargeIntegers()
{
    // 2^53 + 1 is an exact JSON integer (QJsonValue holds it as qint64); it must not come back
    // rounded to 2^53 through a double.
    QString error;
    const auto object = parse(R"({"n": 9007199254740993})", &error);
    QVERIFY(object);
    JsonReader reader(*object);
    QCOMPARE(reader.optionalInteger(QStringLiteral("n"), 0, 0, std::numeric_limits<qint64>::max()),
             Q_INT64_C(9007199254740993));
    QVERIFY(reader.ok());
}

void TestDomainJson::optionalIntegerRejectsValuesBeyondQint64()
{
    // 2^63 does not fit in qint64: with max = INT64_MAX it is out of range, not a wrapped value.
    QString error;
    const auto object = parse(R"({"n": 9223372036854775808})", &error);
    QVERIFY(object);
    JsonReader reader(*object);
    QCOMPARE(reader.optionalInteger(QStringLiteral("n"), 7, 0, std::numeric_limits<qint64>::max()),
             qint64(7));
    QVERIFY(!reader.ok());
    QCOMPARE(reader.error(),
             QStringLiteral("request body: field 'n' must be between 0 and 9223372036854775807"));
}

void TestDomainJson::optionalStringList()
{
    JsonReader reader(QJsonObject{{"tags", QJsonArray{"a", "b c", ""}}, {"none", QJsonArray{}}});
    QCOMPARE(reader.optionalStringList(QStringLiteral("tags")), (QStringList{"a", "b c", ""}));
    QCOMPARE(reader.optionalStringList(QStringLiteral("none")), QStringList());
    QCOMPARE(reader.optionalStringList(QStringLiteral("absent")), QStringList());
    QVERIFY2(reader.ok(), qPrintable(reader.error()));
}

void TestDomainJson::optionalStringListRejectsWrongTypes_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("string") << QJsonValue(QStringLiteral("a"));
    QTest::newRow("number") << QJsonValue(1);
    QTest::newRow("object") << QJsonValue(QJsonObject{{"a", "b"}});
    QTest::newRow("mixed array") << QJsonValue(QJsonArray{"a", 1});
    QTest::newRow("array with null") << QJsonValue(QJsonArray{"a", QJsonValue::Null});
    QTest::newRow("nested array") << QJsonValue(QJsonArray{QJsonArray{"a"}});
}

void TestDomainJson::optionalStringListRejectsWrongTypes()
{
    QFETCH(QJsonValue, value);
    JsonReader reader(QJsonObject{{"tags", value}});
    QCOMPARE(reader.optionalStringList(QStringLiteral("tags")), QStringList());
    QVERIFY(!reader.ok());
    QCOMPARE(reader.error(),
             QStringLiteral("request body: field 'tags' must be an array of strings"));
}

void TestDomainJson::rejectUnknownNamesTheField()
{
    JsonReader reader(QJsonObject{{"name", "x"}, {"projcet", "typo"}});
    reader.rejectUnknown({QStringLiteral("name"), QStringLiteral("project")});
    QVERIFY(!reader.ok());
    QCOMPARE(reader.error(),
             QStringLiteral("request body: unknown field 'projcet' (accepted: name, project)"));
}

void TestDomainJson::rejectUnknownAcceptsKnownFields()
{
    JsonReader reader(QJsonObject{{"name", "x"}, {"project", "p"}});
    reader.rejectUnknown(
        {QStringLiteral("name"), QStringLiteral("project"), QStringLiteral("tags")});
    QVERIFY2(reader.ok(), qPrintable(reader.error()));
    JsonReader empty(QJsonObject{});
    empty.rejectUnknown({});
    QVERIFY(empty.ok());
    // Field names are case-sensitive: "Name" is not "name".
    JsonReader cased(QJsonObject{{"Name", "x"}});
    cased.rejectUnknown({QStringLiteral("name")});
    QVERIFY(cased.error().contains(u"unknown field 'Name'"));
}

void TestDomainJson::readerContextAppearsInErrors()
{
    JsonReader reader(QJsonObject{}, QStringLiteral("run.json"));
    reader.requiredString(QStringLiteral("script"));
    QCOMPARE(reader.error(), QStringLiteral("run.json: missing required field 'script'"));
}

QTEST_APPLESS_MAIN(TestDomainJson)
#include "test_domain_json.moc"
