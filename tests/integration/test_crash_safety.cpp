// SPDX-License-Identifier: GPL-3.0-or-later
// kill -9 during writes, then restart: the database opens, passes SQLite's integrity check,
// every acknowledged write is there and nothing half-written is visible. And two gridd on
// one data directory: the second refuses.
#include "core/apiclient.h"
#include "tests/support/griddprocess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using og::ApiReply;
using og::ApiResult;
using og::test::GriddProcess;

class TestCrashSafety final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killDuringWritesLosesNothingAcknowledged()
    {
        QTemporaryDir dir;
        const QString dataDir = dir.path() + QStringLiteral("/data");
        GriddProcess first(dataDir);
        QString error;
        QVERIFY2(first.start(&error), qPrintable(error));

        // Eight clients create keys as fast as they can; gridd is killed in the middle.
        QSet<QString> acknowledged;
        std::vector<std::unique_ptr<og::ApiClient>> clients;
        int sent = 0;
        bool stop = false;
        std::function<void(og::ApiClient *)> next = [&](og::ApiClient *c) {
            if (stop)
                return;
            ApiReply *reply = c->post(QStringLiteral("/api-keys"),
                                      QJsonObject{{QStringLiteral("name"), QStringLiteral("k%1").arg(sent++)}});
            connect(reply, &ApiReply::finished, this, [&, c](const ApiResult &r) {
                if (r.httpStatus == 201)
                    acknowledged.insert(r.object().value(QStringLiteral("api_key")).toObject().value(QStringLiteral("id")).toString());
                next(c);
            });
        };
        for (int i = 0; i < 8; ++i) {
            clients.push_back(first.client());
            next(clients.back().get());
        }
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() >= 40, 20000);
        first.kill();
        stop = true;
        QTest::qWait(200);
        QVERIFY(!acknowledged.isEmpty());

        GriddProcess second(dataDir);
        QVERIFY2(second.start(&error), qPrintable(error));
        const ApiResult list = second.call("GET", QStringLiteral("/api-keys"));
        QVERIFY2(list.ok(), qPrintable(list.message));
        QSet<QString> present;
        for (const QJsonValue &v : list.object().value(QStringLiteral("api_keys")).toArray()) {
            const QJsonObject key = v.toObject();
            QVERIFY(!key.value(QStringLiteral("name")).toString().isEmpty());
            QVERIFY(key.value(QStringLiteral("created_at")).isString());
            present.insert(key.value(QStringLiteral("id")).toString());
        }
        for (const QString &id : std::as_const(acknowledged))
            QVERIFY2(present.contains(id), qPrintable(QStringLiteral("acknowledged key %1 was lost").arg(id)));
        second.terminate();

        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(dataDir + QStringLiteral("/gridd.db"));
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM api_keys WHERE name = '' OR secret_sha256 = ''")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
    }

    void secondGriddOnSameDataDirRefuses()
    {
        GriddProcess first;
        QString error;
        QVERIFY2(first.start(&error), qPrintable(error));
        QString out;
        const int code = GriddProcess::runGridd({QStringLiteral("--data-dir"), first.dataDir(),
                                                 QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}, &out);
        QCOMPARE(code, 1);
        QVERIFY2(out.contains(QStringLiteral("already serving the data directory")), qPrintable(out));
        QVERIFY(first.call("GET", QStringLiteral("/user")).ok());
    }

    void gracefulShutdownRemovesEndpointAndFreesTheDirectory()
    {
        QTemporaryDir dir;
        const QString dataDir = dir.path() + QStringLiteral("/data");
        GriddProcess first(dataDir);
        QString error;
        QVERIFY2(first.start(&error), qPrintable(error));
        first.terminate();
        QVERIFY(!QFile::exists(dataDir + QStringLiteral("/endpoint.json")));
        GriddProcess second(dataDir);
        QVERIFY2(second.start(&error), qPrintable(error));
        // The local key survives restarts.
        QCOMPARE(second.localToken(), first.localToken());
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "test_crash_safety.moc"
