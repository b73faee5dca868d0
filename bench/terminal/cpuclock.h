// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ctime>

// CPU seconds of this process: on a shared machine the wall-clock rate depends on what else
// runs; this one says what the code itself costs.
inline double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}
