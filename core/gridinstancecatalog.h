// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/domain/instancetype.h"

#include <optional>
#include <QList>
#include <QString>

namespace og {

// One row of the instance table Grid.ai offered: the AWS type, Grid's
// `<count>_<accelerator>_<memory>` nickname for it, and the AWS shape behind it.
struct GridInstanceEntry
{
    QString awsName;
    QString nickname;
    InstanceShape shape;
};

// Every AWS type Grid users could name, in a fixed order (biggest GPU machines first, like Grid's
// own table). Several types share a nickname.
const QList<GridInstanceEntry> &gridInstanceCatalog();

// Looks up an AWS name or a nickname, ignoring case and surrounding whitespace. A nickname shared
// by several AWS types resolves to the smallest of them (fewest CPUs, then least memory).
std::optional<GridInstanceEntry> findGridInstance(const QString &nameOrNickname);

} // namespace og
