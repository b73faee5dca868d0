// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands/commands.h"

namespace og::cli {

CommandSpec makeCommand(QStringList path, QString summary, QString usage, QList<OptionSpec> options, int minArgs,
                        int maxArgs, std::function<int(CommandContext &)> run)
{
    CommandSpec s;
    s.path = std::move(path);
    s.summary = std::move(summary);
    s.usage = std::move(usage);
    s.options = std::move(options);
    s.minArgs = minArgs;
    s.maxArgs = maxArgs;
    s.run = std::move(run);
    return s;
}

} // namespace og::cli
