// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;

namespace og {

class ApiClient;
class CodeHighlighter;

// An experiment's log, following it while it runs: the API's `offset` continues where the last
// answer stopped (polled every second; the platform has no log topic on the event stream).
// Stops polling once the experiment has ended and everything was read.
class LogView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)
public:
    LogView(ApiClient *api, QWidget *parent = nullptr);

    void setExperiment(const QString &experiment);
    QString experiment() const { return m_experiment; }
    QString text() const;
    bool isFollowing() const { return m_poll.isActive(); }

private:
    void fetch();

    ApiClient *m_api;
    QString m_experiment;
    qint64 m_offset = 0;
    bool m_inFlight = false;
    quint64 m_generation = 0;
    QLabel *m_title;
    QCheckBox *m_follow;
    QPlainTextEdit *m_text;
    CodeHighlighter *m_highlighter;
    QTimer m_poll;
};

} // namespace og
