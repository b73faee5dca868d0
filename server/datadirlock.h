// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace og {

// Exclusive claim on a data directory for one serving gridd: an flock the kernel drops when
// the process dies, so a `kill -9` never leaves a stale lock behind.
class DataDirLock final
{
    Q_DISABLE_COPY_MOVE(DataDirLock)
public:
    DataDirLock() = default;
    ~DataDirLock();
    // Empty on success, else a message naming the other gridd's pid.
    QString acquire(const QString &dataDir);

private:
    int m_fd = -1;
};

} // namespace og
