// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace og {

// Grid's automatic run names: adjective-noun-number ("gifted-seahorse-83").
QString randomRunName();

} // namespace og
