// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "opengrid/version.h"

#include <QJsonObject>

namespace og::cli {

namespace {
int version(CommandContext &ctx)
{
    if (ctx.out.isJson()) {
        ctx.out.json(QJsonObject{{QStringLiteral("version"), QStringLiteral(OPENGRID_VERSION)}});
        return 0;
    }
    ctx.out.line(QStringLiteral(
        "  ____ ____  ___ ____\n"
        " / ___|  _ \\|_ _|  _ \\\n"
        "| |  _| |_) || || | | |\n"
        "| |_| |  _ < | || |_| |\n"
        " \\____|_| \\_\\___|____/\n"));
    ctx.out.line(QStringLiteral("OpenGrid CLI (v%1)").arg(QStringLiteral(OPENGRID_VERSION)));
    ctx.out.line(QStringLiteral("Docs: the README and docs/ of your OpenGrid installation"));
    return 0;
}
} // namespace

QList<CommandSpec> versionCommands()
{
    return {{{QStringLiteral("version")}, {}, QStringLiteral("Show the version of the CLI."), QString(), {}, 0, 0, false, version}};
}

} // namespace og::cli
