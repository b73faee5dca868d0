// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace og::names {

// Grid's rule for run, session, datastore and key names: lower-case alphanumerics or '-',
// starting with a letter and ending with a letter or digit. Returns the user-facing error
// message when `name` breaks it, nothing when it is valid. `kind` names the object ("Run").
std::optional<QString> validate(const QString &name, const QString &kind);

// Longest name we accept; names end up in paths, hostnames (sessions) and table cells.
inline constexpr int kMaxLength = 63;

} // namespace og::names
