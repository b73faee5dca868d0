// SPDX-License-Identifier: GPL-3.0-or-later
// gridd: the OpenGrid platform server.
#include "core/localplatform.h"
#include "opengrid/version.h"
#include "server/admincommands.h"
#include "server/config.h"
#include "server/logging.h"
#include "server/platformserver.h"
#include "server/runs/supervisor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &byte, 1);
}

// SIGTERM/SIGINT arrive on a socket pair the event loop watches, so shutdown runs as
// ordinary Qt code instead of inside a signal handler.
void installShutdownSignals(QCoreApplication &app)
{
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe);
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] { app.quit(); });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
}

int fail(const QString &message)
{
    QTextStream(stderr) << "gridd: " << message << "\n";
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    // `gridd supervise DIR`: one experiment's supervisor (started by the local backend).
    if (argc == 3 && std::strcmp(argv[1], "supervise") == 0) {
        QCoreApplication app(argc, argv);
        return og::runSupervisor(QString::fromLocal8Bit(argv[2]));
    }
    // Qt's own event dispatcher: measurably cheaper per socket event than the GLib one.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gridd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPENGRID_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The OpenGrid platform server.\n\n"
        "  gridd [serve]                      serve the API (local mode by default)\n"
        "  gridd user add NAME [--email E]    create a user and print their API key once\n"
        "  gridd user list                    list users\n"
        "  gridd key create USER [--name N]   print a new API key for USER once\n"
        "  gridd key revoke KEY_ID            revoke an API key"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("Address to serve on (default 127.0.0.1:7411; port 0 picks a free one)."), QStringLiteral("host:port"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Directory for the database and content (default ~/.local/share/opengrid)."), QStringLiteral("dir"));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("YAML configuration file."), QStringLiteral("file"));
    const QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("local (one user, loopback) or server (many users)."), QStringLiteral("mode"));
    const QCommandLineOption email(QStringLiteral("email"), QStringLiteral("user add: e-mail address."), QStringLiteral("email"));
    const QCommandLineOption displayName(QStringLiteral("display-name"), QStringLiteral("user add: display name."), QStringLiteral("name"));
    const QCommandLineOption keyName(QStringLiteral("name"), QStringLiteral("key create: name of the key."), QStringLiteral("name"));
    parser.addOptions({listen, dataDir, config, mode, email, displayName, keyName});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("serve, user or key"), QStringLiteral("[command]"));
    parser.process(app);

    og::ServerConfig cfg;
    QString error;
    if (parser.isSet(config)) {
        auto loaded = og::ServerConfig::fromFile(parser.value(config), &error);
        if (!loaded)
            return fail(error);
        cfg = *loaded;
    }
    if (parser.isSet(mode)) {
        const QString m = parser.value(mode);
        if (m != u"local" && m != u"server")
            return fail(QStringLiteral("--mode must be 'local' or 'server', not '%1'").arg(m));
        cfg.mode = m == u"local" ? og::ServerConfig::Mode::Local : og::ServerConfig::Mode::Server;
    }
    if (parser.isSet(listen))
        if (const QString e = cfg.setListen(parser.value(listen)); !e.isEmpty())
            return fail(e);
    if (parser.isSet(dataDir))
        cfg.dataDir = parser.value(dataDir);
    if (cfg.dataDir.isEmpty())
        cfg.dataDir = og::localplatform::defaultDataDir();
    og::setupServerLogging(cfg.logRules);

    QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional.front() != u"serve") {
        if (positional.front() != u"user" && positional.front() != u"key")
            return fail(QStringLiteral("unknown command '%1'; see gridd --help").arg(positional.front()));
        if (parser.isSet(email))
            positional << QStringLiteral("--email") << parser.value(email);
        if (parser.isSet(displayName))
            positional << QStringLiteral("--display-name") << parser.value(displayName);
        if (parser.isSet(keyName))
            positional << QStringLiteral("--name") << parser.value(keyName);
        return og::runAdminCommand(cfg, positional);
    }

    installShutdownSignals(app);
    og::PlatformServer server(cfg);
    if (const QString e = server.start(); !e.isEmpty())
        return fail(e);
    const int code = app.exec();
    server.stop();
    return code;
}
