// SPDX-License-Identifier: GPL-3.0-or-later
// The metrics wire format as the app reads it: the REST series (full and decimated) and the
// `metrics` event (column-wise per key, and the earlier row-wise form).
#include "models/metricsprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>

using namespace og;

namespace {
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

class TestGuiMetricsProtocol final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void restSeries()
    {
        const auto full = metricsprotocol::parseSeries(json("{\"key\":\"loss\",\"total_points\":2,\"points\":[[0,1.5,100.25],[1,0.5,101]]}"));
        QCOMPARE(full.points.size(), size_t(2));
        QCOMPARE(full.points[1].value, 0.5);
        QCOMPARE(full.points[0].wallTime, 100.25);
        QVERIFY(!full.decimated);
        const auto reduced = metricsprotocol::parseSeries(json("{\"key\":\"loss\",\"total_points\":1000,\"points\":[[0,1],[999,-3]]}"));
        QVERIFY(reduced.decimated);
        QCOMPARE(reduced.totalPoints, 1000);
        QVERIFY(std::isnan(reduced.points[1].wallTime)); // an older gridd's decimated answer
        // Decimated answers carry each kept point's wall time: the time axes place it.
        const auto timed = metricsprotocol::parseSeries(json("{\"key\":\"loss\",\"total_points\":1000,\"points\":[[0,1,1700000000.5],[999,-3,1700000999]]}"));
        QVERIFY(timed.decimated);
        QCOMPARE(timed.points[0].wallTime, 1700000000.5);
        QCOMPARE(timed.points[1].wallTime, 1700000999.0);
        QCOMPARE(metricsprotocol::seriesQuery(QStringLiteral("a b"), 800).queryItemValue(QStringLiteral("buckets")), QStringLiteral("800"));
    }

    void columnWiseEvent()
    {
        const auto e = metricsprotocol::parseEvent(json(
            "{\"name\":\"r-exp1\",\"run\":\"r\",\"series\":[{\"key\":\"loss\",\"time\":50.5,\"steps\":[0,1,2],\"values\":[0.9,null,0.6]},"
            "{\"key\":\"acc\",\"time\":51,\"steps\":[0],\"values\":[0.1]},{\"key\":\"loss\",\"time\":52,\"steps\":[3],\"values\":[0.5]}]}"));
        QCOMPARE(e.experiment, QStringLiteral("r-exp1"));
        QCOMPARE(e.run, QStringLiteral("r"));
        const auto &loss = e.byKey.value(QStringLiteral("loss"));
        QCOMPARE(loss.size(), size_t(4)); // both entries of the key, in order
        QCOMPARE(loss[2].value, 0.6);
        QVERIFY(std::isnan(loss[1].value)); // null: a non-finite value
        QCOMPARE(loss[3].step, 3.0);
        QCOMPARE(loss[3].wallTime, 52.0);
        QCOMPARE(e.byKey.value(QStringLiteral("acc")).size(), size_t(1));
    }

    void rowWiseEvent()
    {
        const auto e = metricsprotocol::parseEvent(json("{\"name\":\"x\",\"run\":\"r\",\"points\":[[\"loss\",3,10.5,0.25],[\"bad\"]]}"));
        QCOMPARE(e.byKey.value(QStringLiteral("loss")).size(), size_t(1));
        QCOMPARE(e.byKey.value(QStringLiteral("loss"))[0].value, 0.25);
        QCOMPARE(e.byKey.value(QStringLiteral("loss"))[0].wallTime, 10.5);
        QVERIFY(!e.byKey.contains(QStringLiteral("bad")));
    }
};

QTEST_APPLESS_MAIN(TestGuiMetricsProtocol)
#include "test_gui_metricsprotocol.moc"
