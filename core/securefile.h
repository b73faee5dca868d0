// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace og {

// Writes `contents` to `path` atomically (temp file, fsync, rename) with mode 0600, creating
// the parent directory (0700) if needed. Used for credentials and every small state file a
// crash must never leave half-written. Returns an empty string on success, else the reason.
QString writeFileAtomically(const QString &path, const QByteArray &contents, bool privateFile);

} // namespace og
