// SPDX-License-Identifier: GPL-3.0-or-later
// The German translation is complete (no unfinished message in the .ts), keeps every
// placeholder of its source, and the compiled .qm switches the panels' words.
#include "core/apiclient.h"
#include "models/metricstore.h"
#include "core/eventsclient.h"
#include "models/experimentmodel.h"
#include "models/runmodel.h"
#include "widgets/runspanel.h"

#include <QAction>
#include <QDomDocument>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>

class TestGuiTranslation final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void germanIsCompleteAndKeepsPlaceholders()
    {
        QFile ts(QStringLiteral(OPENGRID_SOURCE_DIR "/translations/opengrid_de.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QDomDocument doc;
        QVERIFY(doc.setContent(&ts));
        const QDomNodeList messages = doc.elementsByTagName(QStringLiteral("message"));
        QVERIFY(messages.size() > 100);
        static const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
        for (int i = 0; i < messages.size(); ++i) {
            const QDomElement m = messages.at(i).toElement();
            const QString source = m.firstChildElement(QStringLiteral("source")).text();
            const QDomElement translation = m.firstChildElement(QStringLiteral("translation"));
            QVERIFY2(translation.attribute(QStringLiteral("type")).isEmpty(), qPrintable(QStringLiteral("unfinished: ") + source));
            const QString text = translation.text();
            QVERIFY2(!text.isEmpty(), qPrintable(QStringLiteral("empty: ") + source));
            auto it = placeholder.globalMatch(source);
            while (it.hasNext()) {
                const QString p = it.next().captured();
                QVERIFY2(text.contains(p), qPrintable(QStringLiteral("%1 lost in: %2").arg(p, source)));
            }
        }
    }

    void compiledTranslationSwitchesThePanels()
    {
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(OPENGRID_QM_DIR "/opengrid_de.qm")));
        QVERIFY(QCoreApplication::installTranslator(&german));
        og::ApiClient api;
        og::EventsClient events(&api);
        og::RunModel runs;
        og::MetricStore metrics(&api, &events);
        og::ExperimentModel experiments(&api, &events, &metrics);
        og::RunsPanel panel(&api, &runs, &experiments, &metrics);
        QCOMPARE(panel.newAction()->text(), QStringLiteral("&Neuer Lauf…"));
        QCOMPARE(runs.headerData(og::RunModel::FailedColumn, Qt::Horizontal).toString(), QStringLiteral("Fehlgeschlagen"));
        QCOMPARE(QCoreApplication::translate("og::NewRunDialog", "%n experiment(s)", nullptr, 3), QStringLiteral("3 Experimente"));
        QCOMPARE(QCoreApplication::translate("og::NewRunDialog", "%n experiment(s)", nullptr, 1), QStringLiteral("1 Experiment"));
        QCoreApplication::removeTranslator(&german);
    }
};

QTEST_MAIN(TestGuiTranslation)
#include "test_gui_translation.moc"
