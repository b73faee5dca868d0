// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QListWidget;

namespace og {

class ApiClient;
class FilePreview;

// The files an experiment created (GET /experiments/{name}/artifacts), with the preview pane:
// text highlighted, images as thumbnails. Only the first MiB of a file is fetched for it.
class ArtifactsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArtifactsView)
public:
    ArtifactsView(ApiClient *api, QWidget *parent = nullptr);

    void setExperiment(const QString &experiment);
    void reload();
    QListWidget *list() const { return m_list; }
    FilePreview *preview() const { return m_preview; }

private:
    void showArtifact(const QString &path, qint64 size);

    ApiClient *m_api;
    QString m_experiment;
    quint64 m_generation = 0;
    QLabel *m_title;
    QListWidget *m_list;
    FilePreview *m_preview;
};

} // namespace og
