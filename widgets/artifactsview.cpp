// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/artifactsview.h"

#include "core/apiclient.h"
#include "models/displayformat.h"
#include "widgets/filepreview.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace og {

namespace {
constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kSizeRole = Qt::UserRole + 2;
} // namespace

ArtifactsView::ArtifactsView(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_title(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_preview(new FilePreview(this))
{
    auto *refresh = new QPushButton(tr("Re&load"), this);
    connect(refresh, &QPushButton::clicked, this, &ArtifactsView::reload);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(refresh);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_list);
    split->addWidget(m_preview);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            showArtifact(item->data(kPathRole).toString(), item->data(kSizeRole).toLongLong());
    });
    setExperiment(QString());
}

void ArtifactsView::setExperiment(const QString &experiment)
{
    m_experiment = experiment;
    reload();
}

void ArtifactsView::reload()
{
    const quint64 generation = ++m_generation;
    m_list->clear();
    m_preview->showMessage(QString());
    if (m_experiment.isEmpty()) {
        m_title->setText(tr("Select an experiment to see the files it created."));
        return;
    }
    m_title->setText(tr("Files %1 created").arg(m_experiment));
    ApiReply *reply = m_api->get(QStringLiteral("/experiments/%1/artifacts").arg(m_experiment));
    connect(reply, &ApiReply::finished, this, [this, generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            m_preview->showMessage(r.message);
            return;
        }
        const QJsonArray artifacts = r.object().value(QStringLiteral("artifacts")).toArray();
        for (const QJsonValue &v : artifacts) {
            const QJsonObject a = v.toObject();
            const QString path = a.value(QStringLiteral("path")).toString();
            const qint64 size = a.value(QStringLiteral("size_bytes")).toInteger();
            auto *item = new QListWidgetItem(QStringLiteral("%1  (%2)").arg(path, displayformat::bytes(size)), m_list);
            item->setData(kPathRole, path);
            item->setData(kSizeRole, size);
        }
        if (artifacts.isEmpty())
            m_preview->showMessage(tr("%1 has created no files (yet).").arg(m_experiment));
    });
}

void ArtifactsView::showArtifact(const QString &path, qint64 size)
{
    const quint64 generation = m_generation;
    m_preview->showMessage(tr("Loading %1…").arg(path));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("path"), path);
    // The endpoint sends up to 16 MiB per request; a preview needs the start only, and a text
    // file cut there says so.
    ApiReply *reply = m_api->get(QStringLiteral("/experiments/%1/artifacts/file").arg(m_experiment), query);
    connect(reply, &ApiReply::finished, this, [this, generation, path, size](const ApiResult &r) {
        if (generation == m_generation)
            m_preview->showFetched(path, r, size);
    });
}

} // namespace og
