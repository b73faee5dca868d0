// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/newrundialog.h"

#include "core/apiclient.h"
#include "core/names.h"
#include "core/runs/runconfigwriter.h"
#include "core/sweep/scriptarguments.h"
#include "core/sweep/sweepexpander.h"
#include "models/runsubmitjob.h"
#include "widgets/codehighlighter.h"
#include "widgets/computechoices.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace og {

QString joinCommandLine(const QStringList &args)
{
    // QProcess::splitCommand's rules (it reads the field back): double quotes group, and a
    // literal quote inside them is written as three.
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9@%+=:,./_-]+$"));
    QStringList out;
    for (const QString &a : args)
        out.append(safe.match(a).hasMatch() ? a : u'"' + QString(a).replace(u'"', QStringLiteral("\"\"\"")) + u'"');
    return out.join(u' ');
}

NewRunDialog::NewRunDialog(ApiClient *api, ConnectionInfo connection, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_connection(std::move(connection))
    , m_tabs(new QTabWidget(this))
    , m_script(new QLineEdit(this))
    , m_args(new QLineEdit(this))
    , m_strategy(new QComboBox(this))
    , m_trials(new QSpinBox(this))
    , m_seed(new QSpinBox(this))
    , m_choices(new ComputeChoices(api, this))
    , m_name(new QLineEdit(this))
    , m_preview(new QLabel(this))
    , m_status(new QLabel(this))
    , m_yaml(new QPlainTextEdit(this))
    , m_yamlError(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New run"));
    m_script->setPlaceholderText(tr("train.py or run.sh, in a git repository or a folder"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Choose the script"), QString(), tr("Scripts (*.py *.sh);;All files (*)"));
        if (!f.isEmpty())
            setScript(f);
    });
    auto *scriptRow = new QHBoxLayout;
    scriptRow->addWidget(m_script, 1);
    scriptRow->addWidget(browse);
    m_args->setPlaceholderText(QStringLiteral("--learning_rate \"uniform(1e-5, 1e-1, 5)\" --backbone \"['resnet18', 'resnet34']\""));
    m_args->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_strategy->addItem(tr("Grid search (every combination)"), QStringLiteral("grid_search"));
    m_strategy->addItem(tr("Random search (some combinations)"), QStringLiteral("random_search"));
    m_strategy->addItem(tr("None (arguments verbatim)"), QStringLiteral("none"));
    m_trials->setRange(1, 1000);
    m_trials->setValue(10);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_name->setPlaceholderText(tr("generated, e.g. gifted-seahorse-83"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setMinimumHeight(90);
    m_preview->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_status->setWordWrap(true);

    auto *formPage = new QWidget(this);
    auto *form = new QFormLayout(formPage);
    // Rows whose field is a layout need their label's buddy set by hand (else the & shows).
    auto *scriptLabel = new QLabel(tr("&Script:"), this);
    scriptLabel->setBuddy(m_script);
    form->addRow(scriptLabel, scriptRow);
    form->addRow(tr("&Arguments:"), m_args);
    form->addRow(tr("S&trategy:"), m_strategy);
    form->addRow(tr("T&rials:"), m_trials);
    form->addRow(tr("S&eed:"), m_seed);
    form->addRow(tr("&Instance type:"), m_choices->instanceTypeBox());
    auto *datastoreLabel = new QLabel(tr("&Datastore:"), this);
    datastoreLabel->setBuddy(m_choices->datastoreBox());
    form->addRow(datastoreLabel, m_choices->makeDatastoreRow());
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Preview:"), m_preview);

    auto *yamlPage = new QWidget(this);
    auto *yamlLayout = new QVBoxLayout(yamlPage);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *highlighter = new CodeHighlighter(m_yaml->document());
    highlighter->setLanguage(CodeHighlighter::Language::Yaml);
    highlighter->setDarkBackground(palette().color(QPalette::Base).lightness() < 128);
    m_yamlError->setWordWrap(true);
    yamlLayout->addWidget(new QLabel(tr("Grid's run config. The script and arguments that are not flags stay on the form."), yamlPage));
    yamlLayout->addWidget(m_yaml, 1);
    yamlLayout->addWidget(m_yamlError);

    m_tabs->addTab(formPage, tr("&Form"));
    m_tabs->addTab(yamlPage, tr("&YAML"));
    auto *submit = m_buttons->addButton(tr("S&ubmit"), QDialogButtonBox::AcceptRole);
    connect(submit, &QPushButton::clicked, this, &NewRunDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    resize(720, 560);

    for (QLineEdit *e : {m_script, m_args, m_name})
        connect(e, &QLineEdit::textChanged, this, &NewRunDialog::updatePreview);
    for (QSpinBox *s : {m_trials, m_seed})
        connect(s, &QSpinBox::valueChanged, this, &NewRunDialog::updatePreview);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, &NewRunDialog::updatePreview);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == 1)
            showYaml();
        else
            applyYaml();
    });
    connect(m_yaml, &QPlainTextEdit::textChanged, this, [this] {
        if (m_tabs->currentIndex() != 1)
            return;
        const RunConfig parsed = RunConfig::fromYaml(m_yaml->toPlainText().toUtf8(), tr("the YAML tab"));
        m_yamlOk = parsed.ok();
        m_yamlError->setText(parsed.ok() ? QString() : parsed.error);
        for (QAbstractButton *b : m_buttons->buttons())
            if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
                b->setEnabled(canSubmit());
    });
    updatePreview();
}

void NewRunDialog::setScript(const QString &path)
{
    m_script->setText(path);
}

void NewRunDialog::setArguments(const QString &commandLine)
{
    m_args->setText(commandLine);
}

void NewRunDialog::setStrategy(const QString &strategy)
{
    const int i = m_strategy->findData(strategy);
    if (i >= 0)
        m_strategy->setCurrentIndex(i);
}

void NewRunDialog::setTrials(int trials)
{
    m_trials->setValue(trials);
}

void NewRunDialog::setRunName(const QString &name)
{
    m_name->setText(name);
}

void NewRunDialog::applySpec(const QJsonObject &spec)
{
    m_script->setText(spec.value(QStringLiteral("script")).toString());
    QStringList args;
    for (const QJsonValue &a : spec.value(QStringLiteral("args")).toArray())
        args.append(a.toString());
    m_args->setText(joinCommandLine(args));
    setStrategy(spec.value(QStringLiteral("strategy")).toString(QStringLiteral("grid_search")));
    if (spec.contains(QStringLiteral("num_trials")))
        m_trials->setValue(spec.value(QStringLiteral("num_trials")).toInt());
    m_seed->setValue(spec.value(QStringLiteral("seed")).toInt());
    const QString type = spec.value(QStringLiteral("instance_type")).toString();
    if (!type.isEmpty())
        m_choices->setInstanceType(type);
    if (const QString ds = spec.value(QStringLiteral("datastore_name")).toString(); !ds.isEmpty())
        m_choices->setDatastore(ds);
    m_status->setText(tr("Cloned from %1. Point Script at your local copy of %2 before submitting.")
                          .arg(spec.value(QStringLiteral("name")).toString(), spec.value(QStringLiteral("script")).toString()));
}

QStringList NewRunDialog::typedArguments() const
{
    return QProcess::splitCommand(m_args->text());
}

RunConfig NewRunDialog::config() const
{
    RunConfig c;
    if (!m_name->text().trimmed().isEmpty())
        c.name = m_name->text().trimmed();
    const QString strategy = m_strategy->currentData().toString();
    if (strategy != u"grid_search")
        c.strategy = strategy;
    if (strategy == u"random_search")
        c.numTrials = m_trials->value();
    if (m_seed->value() != 0)
        c.seed = m_seed->value();
    if (!m_choices->instanceType().isEmpty())
        c.instanceType = m_choices->instanceType();
    if (const QString ds = m_choices->datastore(); !ds.isEmpty()) {
        c.datastoreName = ds;
        if (const int v = m_choices->datastoreVersion(); v > 0)
            c.datastoreVersion = v;
    }
    return c;
}

bool NewRunDialog::canSubmit() const
{
    return m_previewOk && m_yamlOk && !m_submitting && !m_script->text().trimmed().isEmpty();
}

void NewRunDialog::setError(const QString &message)
{
    m_preview->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("color: #d32f2f;"));
}

void NewRunDialog::updatePreview()
{
    m_trials->setEnabled(m_strategy->currentData().toString() == u"random_search");
    const RunConfig c = config();
    QString problem;
    if (c.name)
        if (const auto bad = names::validate(*c.name, tr("Run")))
            problem = *bad;
    SweepResult sweep;
    if (problem.isEmpty()) {
        const auto strategy = sweepStrategyFromString(c.strategy.value_or(QStringLiteral("grid_search")));
        sweep = expandSweep(c.scriptArguments(typedArguments()), strategy.value_or(SweepStrategy::GridSearch), c.numTrials,
                            quint64(c.seed.value_or(0)));
        problem = sweep.error;
    }
    m_previewOk = problem.isEmpty();
    if (!m_previewOk) {
        m_preview->setText(problem);
        setError(problem);
    } else {
        setError(QString());
        QStringList lines{tr("%n experiment(s)", nullptr, int(sweep.experiments.size()))
                          + (sweep.sweptFlags.isEmpty() ? QString() : tr(", sweeping %1").arg(sweep.sweptFlags.join(QStringLiteral(", "))))};
        constexpr int kShown = 5;
        for (int i = 0; i < qMin(kShown, int(sweep.experiments.size())); ++i)
            lines.append(QStringLiteral("exp%1: %2").arg(sweep.experiments[i].index).arg(joinCommandLine(sweep.experiments[i].args)));
        if (sweep.experiments.size() > kShown)
            lines.append(tr("… and %n more", nullptr, int(sweep.experiments.size()) - kShown));
        m_preview->setText(lines.join(u'\n'));
    }
    for (QAbstractButton *b : m_buttons->buttons())
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(canSubmit());
}

QString NewRunDialog::previewText() const
{
    return m_preview->text();
}

QString NewRunDialog::yamlText() const
{
    return m_yaml->toPlainText();
}

QString NewRunDialog::yamlError() const
{
    return m_yamlError->text();
}

void NewRunDialog::setYamlText(const QString &yaml)
{
    if (m_tabs->currentIndex() != 1) {
        const QSignalBlocker block(m_tabs);
        m_tabs->setCurrentIndex(1);
    }
    m_yaml->setPlainText(yaml);
}

void NewRunDialog::showYaml()
{
    // Flags with values go to hyper_params.params; positionals and toggles stay on the form.
    RunConfig c = config();
    QStringList rest;
    for (const ScriptArgument &a : splitScriptArguments(typedArguments())) {
        if (a.hasValue())
            c.params.append({a.flag, a.value});
        else
            a.appendTo(rest);
    }
    m_args->setProperty("restArgs", rest);
    const QSignalBlocker block(m_yaml);
    m_yaml->setPlainText(QString::fromUtf8(runConfigToYaml(c)));
    m_yamlOk = true;
    m_yamlError->clear();
}

bool NewRunDialog::applyYaml()
{
    const RunConfig c = RunConfig::fromYaml(m_yaml->toPlainText().toUtf8(), tr("the YAML tab"));
    if (!c.ok()) {
        m_yamlOk = false;
        m_yamlError->setText(c.error);
        const QSignalBlocker block(m_tabs);
        m_tabs->setCurrentIndex(1); // stay where the error is
        return false;
    }
    m_yamlOk = true;
    m_yamlError->clear();
    QStringList args = m_args->property("restArgs").toStringList();
    for (const auto &[flag, value] : c.params)
        args << flag << value;
    m_args->setText(joinCommandLine(args));
    setStrategy(c.strategy.value_or(QStringLiteral("grid_search")));
    if (c.numTrials)
        m_trials->setValue(*c.numTrials);
    m_seed->setValue(int(c.seed.value_or(0)));
    if (c.instanceType)
        m_choices->setInstanceType(*c.instanceType);
    m_choices->setDatastore(c.datastoreName.value_or(QString()), c.datastoreVersion.value_or(0));
    updatePreview();
    return true;
}

void NewRunDialog::submit()
{
    if (m_tabs->currentIndex() == 1 && !applyYaml())
        return;
    if (!canSubmit())
        return;
    m_submitting = true;
    updatePreview();
    auto *job = new RunSubmitJob(m_connection, m_script->text().trimmed(), typedArguments(), config(), this);
    connect(job, &RunSubmitJob::phase, m_status, &QLabel::setText);
    connect(job, &RunSubmitJob::finished, this, [this, job](const ApiResult &r, const QStringList &warnings) {
        job->deleteLater();
        m_submitting = false;
        updatePreview();
        if (!r.ok()) {
            // The form keeps everything; the platform's sentence says what to change.
            m_status->setText(r.message);
            m_status->setStyleSheet(QStringLiteral("color: #d32f2f;"));
            return;
        }
        Q_UNUSED(warnings)
        Q_EMIT submitted(r.object().value(QStringLiteral("run")).toObject().value(QStringLiteral("name")).toString());
        accept();
    });
    job->start();
}

} // namespace og
