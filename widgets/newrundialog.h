// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/runconfig.h"
#include "models/uploadjob.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace og {

class ApiClient;
class ComputeChoices;

// "New run": the script, its arguments with sweep syntax, strategy, trials, seed, instance
// type and datastore — with a live preview of the experiments the arguments expand to, or the
// sweep error and where it is, as the user types (Submit is disabled then). The YAML tab
// shows the same settings as Grid's run config and reads edits back into the form.
class NewRunDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewRunDialog)
public:
    NewRunDialog(ApiClient *api, ConnectionInfo connection, QWidget *parent = nullptr);

    void setScript(const QString &path);
    void setArguments(const QString &commandLine);
    void setStrategy(const QString &strategy);
    void setTrials(int trials);
    void setRunName(const QString &name);
    // Fills the form from a stored run's spec (Clone).
    void applySpec(const QJsonObject &spec);

    // The form as a run config (params stay in the arguments) and the typed arguments.
    RunConfig config() const;
    QStringList typedArguments() const;

    QString previewText() const;
    bool previewOk() const { return m_previewOk; }
    bool canSubmit() const;
    QString yamlText() const;
    void setYamlText(const QString &yaml); // as if typed on the YAML tab
    QString yamlError() const;
    // Form → YAML and YAML → form, as switching tabs does.
    void showYaml();
    bool applyYaml();

    void submit();

Q_SIGNALS:
    void submitted(const QString &runName);

private:
    void updatePreview();
    void setError(const QString &message);

    ApiClient *m_api;
    ConnectionInfo m_connection;
    QTabWidget *m_tabs;
    QLineEdit *m_script;
    QLineEdit *m_args;
    QComboBox *m_strategy;
    QSpinBox *m_trials;
    QSpinBox *m_seed;
    ComputeChoices *m_choices;
    QLineEdit *m_name;
    QLabel *m_preview;
    QLabel *m_status;
    QPlainTextEdit *m_yaml;
    QLabel *m_yamlError;
    QDialogButtonBox *m_buttons;
    bool m_previewOk = false;
    bool m_yamlOk = true;
    bool m_submitting = false;
};

// Joins arguments into one line that QProcess::splitCommand() splits back the same way.
QString joinCommandLine(const QStringList &args);

} // namespace og
