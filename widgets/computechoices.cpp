// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/computechoices.h"

#include "core/apiclient.h"
#include "core/domain/instancetype.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>

namespace og {

ComputeChoices::ComputeChoices(ApiClient *api, QWidget *parent)
    : QObject(parent)
    , m_api(api)
    , m_instanceType(new QComboBox(parent))
    , m_datastore(new QComboBox(parent))
    , m_version(new QComboBox(parent))
{
    m_instanceType->setEditable(true);
    m_instanceType->addItem(QStringLiteral("cpu-1"));
    m_datastore->addItem(tr("(none)"), QString());
    m_version->setEnabled(false);
    connect(m_datastore, &QComboBox::currentIndexChanged, this, &ComputeChoices::fillVersions);
    connect(m_instanceType, &QComboBox::currentTextChanged, this, &ComputeChoices::changed);
    connect(m_version, &QComboBox::currentIndexChanged, this, &ComputeChoices::changed);
    load();
}

QHBoxLayout *ComputeChoices::makeDatastoreRow() const
{
    auto *row = new QHBoxLayout;
    row->addWidget(m_datastore, 1);
    row->addWidget(m_version);
    return row;
}

void ComputeChoices::load()
{
    ApiReply *types = m_api->get(QStringLiteral("/instance-types"));
    connect(types, &ApiReply::finished, this, [this](const ApiResult &r) {
        if (!r.ok())
            return; // the field stays editable; the platform checks the name on submit
        const QString current = m_instanceType->currentText();
        m_instanceType->clear();
        for (const QJsonValue &v : r.object().value(QStringLiteral("instance_types")).toArray()) {
            const InstanceType t = InstanceType::fromJson(v.toObject());
            if (!t.available)
                continue;
            m_instanceType->addItem(t.name);
            m_instanceType->setItemData(m_instanceType->count() - 1, t.shape.describe(), Qt::ToolTipRole);
        }
        m_instanceType->setCurrentText(current.isEmpty() ? QStringLiteral("cpu-1") : current);
    });
    ApiReply *datastores = m_api->get(QStringLiteral("/datastores"));
    connect(datastores, &ApiReply::finished, this, [this](const ApiResult &r) {
        if (!r.ok())
            return;
        for (const QJsonValue &v : r.object().value(QStringLiteral("datastores")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("status")).toString() != u"succeeded")
                continue;
            const QString name = o.value(QStringLiteral("name")).toString();
            if (!m_versions.contains(name) && m_datastore->findData(name) < 0)
                m_datastore->addItem(name, name);
            m_versions[name].prepend(o.value(QStringLiteral("version")).toInt());
        }
        fillVersions();
    });
}

void ComputeChoices::fillVersions()
{
    const QString ds = datastore();
    // A refill for the same datastore (its versions arrived) keeps the version chosen.
    const int chosen = ds == m_versionsOf ? datastoreVersion() : 0;
    m_versionsOf = ds;
    m_version->clear();
    m_version->setEnabled(!ds.isEmpty());
    if (!ds.isEmpty()) {
        m_version->addItem(tr("latest"), 0);
        for (int v : m_versions.value(ds))
            m_version->addItem(tr("version %1").arg(v), v);
        if (chosen > 0)
            setDatastore(ds, chosen);
    }
    Q_EMIT changed();
}

QString ComputeChoices::instanceType() const
{
    return m_instanceType->currentText().trimmed();
}

QString ComputeChoices::datastore() const
{
    return m_datastore->currentData().toString();
}

int ComputeChoices::datastoreVersion() const
{
    return m_version->currentData().toInt();
}

void ComputeChoices::setInstanceType(const QString &name)
{
    m_instanceType->setCurrentText(name);
}

void ComputeChoices::setDatastore(const QString &name, int version)
{
    if (name.isEmpty()) {
        m_datastore->setCurrentIndex(0);
        return;
    }
    if (m_datastore->findData(name) < 0)
        m_datastore->addItem(name, name);
    m_datastore->setCurrentIndex(m_datastore->findData(name));
    if (version > 0) {
        if (m_version->findData(version) < 0)
            m_version->addItem(tr("version %1").arg(version), version);
        m_version->setCurrentIndex(m_version->findData(version));
    }
}

} // namespace og
