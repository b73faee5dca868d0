// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/admincommands.h"

#include "server/config.h"
#include "server/store/database.h"
#include "server/store/userstore.h"

#include <QDir>
#include <QTextStream>

namespace og {

namespace {
QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}
QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int usage()
{
    err() << "usage: gridd user add NAME [--email EMAIL] [--display-name NAME]\n"
             "       gridd user list\n"
             "       gridd key create USERNAME [--name KEY_NAME]\n"
             "       gridd key revoke KEY_ID\n";
    return 2;
}

QString option(QStringList &args, const QString &name)
{
    const qsizetype i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size())
        return {};
    const QString value = args.at(i + 1);
    args.remove(i, 2);
    return value;
}

void printKey(const QString &username, const UserStore::CreatedKey &key)
{
    // The only time the secret exists outside the user's hands: print it, never log it.
    out() << "API key for " << username << " (shown once, store it now):\n  " << key.token
          << "\nLog in with: grid login --username " << username << " --key " << key.token << "\n";
}
} // namespace

int runAdminCommand(const ServerConfig &config, const QStringList &argsIn)
{
    QStringList args = argsIn;
    const QString email = option(args, QStringLiteral("--email"));
    const QString displayName = option(args, QStringLiteral("--display-name"));
    const QString keyName = option(args, QStringLiteral("--name"));
    if (args.size() < 2)
        return usage();
    if (!QDir().mkpath(config.dataDir)) {
        err() << "gridd: cannot create the data directory " << config.dataDir << "\n";
        return 1;
    }
    Database database(config.dataDir + QStringLiteral("/gridd.db"));
    if (const QString e = database.open(); !e.isEmpty()) {
        err() << "gridd: " << e << "\n";
        return 1;
    }
    try {
        UserStore users(database.connection());
        const QString what = args[0] + u' ' + args[1];
        if (what == u"user add" && args.size() == 3) {
            QString error;
            const auto user = users.createUser(args[2], displayName, email, &error);
            if (!user) {
                err() << "gridd: " << error << "\n";
                return 1;
            }
            printKey(user->username, users.createApiKey(user->id, QStringLiteral("default")));
            return 0;
        }
        if (what == u"user list" && args.size() == 2) {
            for (const User &u : users.listUsers())
                out() << u.username << "\t" << u.email << "\t" << u.createdAt.toString(Qt::ISODate) << "\n";
            return 0;
        }
        if (what == u"key create" && args.size() == 3) {
            const auto user = users.findUserByName(args[2]);
            if (!user) {
                err() << "gridd: no user named '" << args[2] << "'; see `gridd user list`\n";
                return 1;
            }
            printKey(user->username, users.createApiKey(user->id, keyName.isEmpty() ? QStringLiteral("cli") : keyName));
            return 0;
        }
        if (what == u"key revoke" && args.size() == 3) {
            if (!users.revokeApiKeyById(args[2])) {
                err() << "gridd: no API key with id '" << args[2] << "'\n";
                return 1;
            }
            out() << "revoked API key " << args[2] << "\n";
            return 0;
        }
    } catch (const StoreError &e) {
        err() << "gridd: database error: " << e.what() << "\n";
        return 1;
    }
    return usage();
}

} // namespace og
