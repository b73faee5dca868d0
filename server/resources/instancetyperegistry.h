// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"

#include <optional>
#include <QList>
#include <QString>

namespace og {

struct InstanceTypeResolution
{
    std::optional<InstanceType> type;
    int httpStatus = 200; // 404: unknown name, 422: can never fit this cluster
    QString errorCode;    // "unknown_instance_type" / "instance_type_unsatisfiable"
    QString message;
};

// The instance types one cluster offers: shapes cut from the machine itself, the named types of
// gridd's config, and Grid's AWS catalog so that existing Grid commands and YAML keep working.
// Immutable after construction, so it may be read from any thread.
class InstanceTypeRegistry final
{
public:
    // `configured` are the named types of gridd's config; their source becomes "config".
    InstanceTypeRegistry(ClusterResources cluster, QList<InstanceType> configured);

    const ClusterResources &cluster() const { return m_cluster; }
    // Machine shapes, then configured types, then the Grid catalog; each with `available` set.
    // A type whose name an earlier one already uses is left out: resolve() could never reach it.
    QList<InstanceType> list() const { return m_types; }
    // Configured types first (an admin may redefine `g3.8xlarge` as something this cluster has),
    // then machine shapes, then Grid's AWS names and nicknames. Names are case-insensitive.
    InstanceTypeResolution resolve(const QString &name) const;

    // Whether a shape can ever run on the cluster; whyNot (if given) says what is missing.
    static bool fits(const InstanceShape &shape, const ClusterResources &cluster, QString *whyNot);

private:
    std::optional<InstanceType> findOwn(const QString &name, QLatin1StringView source) const;
    InstanceTypeResolution unsatisfiable(const QString &asked, const InstanceType &type) const;

    ClusterResources m_cluster;
    QList<InstanceType> m_types;
};

} // namespace og
