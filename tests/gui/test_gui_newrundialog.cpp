// SPDX-License-Identifier: GPL-3.0-or-later
// The New-run dialog's validation: the live sweep preview, errors with their position while
// typing, Submit disabled on an error, and the YAML tab round-tripping with the form.
#include "core/apiclient.h"
#include "widgets/newrundialog.h"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QTest>

using og::NewRunDialog;

class TestGuiNewRunDialog final : public QObject
{
    Q_OBJECT

    og::ApiClient m_api; // no platform: the dialog's lists stay at their defaults

    static bool submitEnabled(NewRunDialog &d)
    {
        for (QPushButton *b : d.findChildren<QPushButton *>())
            if (b->text().contains(QStringLiteral("ubmit")))
                return b->isEnabled();
        return false;
    }

private Q_SLOTS:
    void previewCountsAndListsExperiments()
    {
        NewRunDialog d(&m_api, {});
        d.setScript(QStringLiteral("train.py"));
        d.setArguments(QStringLiteral("--lr \"[0.1, 0.01, 0.001]\" --layers \"range(1, 3)\" --epochs 5"));
        QVERIFY2(d.previewText().startsWith(QStringLiteral("6 experiment")), qPrintable(d.previewText()));
        QVERIFY(d.previewText().contains(QStringLiteral("lr, layers")));
        QVERIFY(d.previewText().contains(QStringLiteral("exp0: --lr 0.1 --layers 1 --epochs 5")));
        QVERIFY(d.previewText().contains(QStringLiteral("and 1 more")));
        QVERIFY(d.previewOk());
        QVERIFY(submitEnabled(d));
    }

    void sweepErrorsShowTheirPositionAndDisableSubmit()
    {
        NewRunDialog d(&m_api, {});
        d.setScript(QStringLiteral("train.py"));
        d.setArguments(QStringLiteral("--backbone \"['resnet18', 'resnet34'\""));
        QVERIFY(!d.previewOk());
        QVERIFY2(d.previewText().contains(QStringLiteral("character")), qPrintable(d.previewText()));
        QVERIFY(d.previewText().contains(QStringLiteral("--backbone")));
        QVERIFY(!submitEnabled(d));
        d.setArguments(QStringLiteral("--backbone \"['resnet18', 'resnet34']\""));
        QVERIFY(d.previewOk());
        QVERIFY(submitEnabled(d));
        d.setArguments(QStringLiteral("--lr \"gaussian(0, 1, 3)\""));
        QVERIFY(!d.previewOk());
    }

    void randomSearchUsesTrials()
    {
        NewRunDialog d(&m_api, {});
        d.setScript(QStringLiteral("train.py"));
        d.setArguments(QStringLiteral("--lr \"uniform(1e-5, 1e-1, 20)\" --bs \"[32, 64]\""));
        QVERIFY(d.previewText().startsWith(QStringLiteral("40 experiment")));
        d.setStrategy(QStringLiteral("random_search"));
        d.setTrials(7);
        QVERIFY2(d.previewText().startsWith(QStringLiteral("7 experiment")), qPrintable(d.previewText()));
        QCOMPARE(d.config().numTrials.value_or(0), 7);
    }

    void emptyScriptCannotBeSubmitted()
    {
        NewRunDialog d(&m_api, {});
        d.setArguments(QStringLiteral("--lr 0.1"));
        QVERIFY(d.previewOk());
        QVERIFY(!submitEnabled(d));
    }

    void yamlRoundTripsWithTheForm()
    {
        NewRunDialog d(&m_api, {});
        d.setScript(QStringLiteral("train.py"));
        d.setArguments(QStringLiteral("data/ --lr \"[0.1, 0.01]\" --fast"));
        d.setStrategy(QStringLiteral("random_search"));
        d.setTrials(2);
        d.showYaml();
        const QString yaml = d.yamlText();
        QVERIFY2(yaml.contains(QStringLiteral("strategy: random_search")), qPrintable(yaml));
        QVERIFY(yaml.contains(QStringLiteral("num_trials: 2")));
        QVERIFY(yaml.contains(QStringLiteral("--lr: \"[0.1, 0.01]\"")));
        // Edited YAML comes back into the form; positionals and toggles stayed there.
        d.setYamlText(QString(yaml).replace(QStringLiteral("[0.1, 0.01]"), QStringLiteral("[0.5, 0.05, 0.005]"))
                          .replace(QStringLiteral("random_search"), QStringLiteral("grid_search")));
        QVERIFY(d.applyYaml());
        QCOMPARE(d.typedArguments(), (QStringList{QStringLiteral("data/"), QStringLiteral("--fast"), QStringLiteral("--lr"),
                                                  QStringLiteral("[0.5, 0.05, 0.005]")}));
        QVERIFY2(d.previewText().startsWith(QStringLiteral("3 experiment")), qPrintable(d.previewText()));
    }

    void invalidYamlIsShownAndKeepsTheForm()
    {
        NewRunDialog d(&m_api, {});
        d.setScript(QStringLiteral("train.py"));
        d.setArguments(QStringLiteral("--lr 0.1"));
        d.showYaml();
        d.setYamlText(QStringLiteral("compute:\n  train:\n    instance_typo: cpu-2\n"));
        QVERIFY(!d.applyYaml());
        QVERIFY2(d.yamlError().contains(QStringLiteral("instance_typo")), qPrintable(d.yamlError()));
        QVERIFY(!submitEnabled(d));
        QCOMPARE(d.typedArguments(), (QStringList{QStringLiteral("--lr"), QStringLiteral("0.1")}));
    }
};

QTEST_MAIN(TestGuiNewRunDialog)
#include "test_gui_newrundialog.moc"
