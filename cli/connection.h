// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/commandline.h"
#include "cli/output.h"
#include "core/apiclient.h"

#include <memory>

namespace og::cli {

// What a command runs with: its parsed arguments, the output, and the platform connection,
// made on first use so `grid version` and `grid --help` never start or reach a gridd.
class CommandContext final
{
public:
    CommandContext(const ParsedCommand &args, const Output &out);

    const ParsedCommand &args;
    const Output &out;

    // Connected client, or nullptr with `error` set. Resolution order: $GRID_USER_ID and
    // $GRID_API_KEY or ~/.grid/credentials.json for the key; $GRID_URL or settings.json for
    // the URL; with neither, the user's local gridd (started if needed).
    ApiClient *api(QString *error);
    bool isLocalPlatform() const { return m_local; }

private:
    std::unique_ptr<ApiClient> m_api;
    bool m_local = false;
};

} // namespace og::cli
