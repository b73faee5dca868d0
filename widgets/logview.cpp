// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/logview.h"

#include "core/apiclient.h"
#include "widgets/codehighlighter.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace og {

LogView::LogView(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_title(new QLabel(this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_text(new QPlainTextEdit(this))
    , m_highlighter(new CodeHighlighter(m_text->document()))
{
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setMaximumBlockCount(200000); // a runaway log must not eat the machine's memory
    m_highlighter->setLanguage(CodeHighlighter::Language::Log);
    m_highlighter->setDarkBackground(palette().color(QPalette::Base).lightness() < 128);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest lines in view"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &LogView::fetch);
    setExperiment(QString());
}

void LogView::setExperiment(const QString &experiment)
{
    if (experiment == m_experiment && !experiment.isEmpty())
        return;
    ++m_generation;
    m_experiment = experiment;
    m_offset = 0;
    m_inFlight = false;
    m_text->clear();
    m_poll.stop();
    if (experiment.isEmpty()) {
        m_title->setText(tr("Select an experiment to see its log."));
        return;
    }
    m_title->setText(tr("Log of %1").arg(experiment));
    m_poll.start();
    fetch();
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

void LogView::fetch()
{
    if (m_inFlight || m_experiment.isEmpty())
        return;
    m_inFlight = true;
    const quint64 generation = m_generation;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("offset"), QString::number(m_offset));
    ApiReply *reply = m_api->get(QStringLiteral("/experiments/%1/logs").arg(m_experiment), query);
    connect(reply, &ApiReply::finished, this, [this, generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        m_inFlight = false;
        if (!r.ok()) {
            m_title->setText(tr("Log of %1: %2").arg(m_experiment, r.message));
            return;
        }
        const QJsonObject o = r.object();
        const QJsonArray lines = o.value(QStringLiteral("lines")).toArray();
        QScrollBar *bar = m_text->verticalScrollBar();
        const bool atEnd = bar->value() == bar->maximum();
        for (const QJsonValue &l : lines)
            m_text->appendPlainText(l.toString());
        if (m_follow->isChecked() && (atEnd || !lines.isEmpty()))
            bar->setValue(bar->maximum());
        m_offset = o.value(QStringLiteral("offset")).toInteger(m_offset);
        const QString status = o.value(QStringLiteral("status")).toString();
        const bool ended = status == u"succeeded" || status == u"failed" || status == u"cancelled";
        if (ended && lines.isEmpty())
            m_poll.stop(); // everything read
    });
}

} // namespace og
