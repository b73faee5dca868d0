// SPDX-License-Identifier: GPL-3.0-or-later
// `grid session ssh|proxy|mount`: OpenSSH to sessions through gridd (its opengrid-ssh upgrade
// or its WebSocket tunnel). `ssh` writes the managed block in ~/.ssh/config (one Host per
// running session, reached with `grid session proxy --fdpass %n`, host keys pinned in a
// platform-managed known_hosts), then runs ssh.
#include "cli/commands/commands.h"
#include "cli/connection.h"
#include "cli/output.h"
#include "core/apiclient.h"
#include "core/domain/sessionsummary.h"
#include "core/fdpass.h"
#include "core/httpupgrade.h"
#include "core/ssh/sshhostentries.h"
#include "core/websocketpump.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QEventLoop>
#include <QFile>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcess>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QWebSocket>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace og::cli {

namespace {

QList<SessionSummary> fetchSessions(ApiClient &api, ApiResult *result)
{
    *result = api.call("GET", QStringLiteral("/sessions"));
    QList<SessionSummary> out;
    for (const QJsonValue &v : result->object().value(QStringLiteral("sessions")).toArray())
        out.append(SessionSummary::fromJson(v.toObject()));
    return out;
}

QStringList namesWhere(const QList<SessionSummary> &sessions, bool runningOnly)
{
    QStringList names;
    for (const SessionSummary &s : sessions)
        if (!runningOnly || s.status == u"running")
            names << s.name;
    return names;
}

// The session `name` if it is running; else fails with Grid's messages and nothing.
std::optional<SessionSummary> runningSession(CommandContext &ctx, ApiClient &api, const QString &name, int *code)
{
    ApiResult r;
    const QList<SessionSummary> sessions = fetchSessions(api, &r);
    if (!r.ok()) {
        *code = ctx.out.fail(r);
        return std::nullopt;
    }
    if (const QString e = sshhostentries::writeSshConfig(sessions, QCoreApplication::applicationFilePath()); !e.isEmpty()) {
        *code = ctx.out.fail(QStringLiteral("cannot update the SSH configuration: %1").arg(e));
        return std::nullopt;
    }
    for (const SessionSummary &s : sessions) {
        if (s.name != name)
            continue;
        if (s.status == u"running")
            return s;
        const QStringList ready = namesWhere(sessions, true);
        *code = ctx.out.fail(QStringLiteral("Interactive session %1 is %2, not ready.%3 Sessions that are ready to SSH are: %4")
                                 .arg(name, s.status,
                                      s.status == u"paused" ? QStringLiteral(" Resume it with: grid session resume %1.").arg(name) : QString(),
                                      ready.isEmpty() ? QStringLiteral("none") : ready.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    const QStringList all = namesWhere(sessions, false);
    *code = ctx.out.fail(QStringLiteral("Interactive session %1 does not exist. Available Interactive Sessions are: %2")
                             .arg(name, all.isEmpty() ? QStringLiteral("none (create one with grid session create)") : all.join(QStringLiteral(", "))));
    return std::nullopt;
}

// Replaces this process with `program args`; returns only on failure.
int execute(CommandContext &ctx, const QString &program, const QStringList &args)
{
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty())
        return ctx.out.fail(QStringLiteral("%1 is not installed (OpenSSH's client: apt-get install openssh-client)").arg(program));
    QList<QByteArray> bytes{QFile::encodeName(program)};
    for (const QString &a : args)
        bytes << a.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &b : bytes)
        argv.push_back(b.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    ::execv(QFile::encodeName(path).constData(), argv.data());
    return ctx.out.fail(QStringLiteral("cannot start %1: %2").arg(program, QString::fromLocal8Bit(std::strerror(errno))));
}

QStringList sshConfigArgs()
{
    // ssh reads ~/.ssh/config anyway; a config elsewhere must be named.
    return qEnvironmentVariableIsSet("GRID_SSH_CONFIG") ? QStringList{QStringLiteral("-F"), sshhostentries::sshConfigPath()} : QStringList{};
}

int openVsCode(CommandContext &ctx, const SessionSummary &session)
{
    const QString &name = session.name;
    const QString code = QStandardPaths::findExecutable(QStringLiteral("code"));
    if (code.isEmpty()) {
        ctx.out.line(QStringLiteral("VS Code (`code`) is not installed here. To open session %1 in VS Code:").arg(name));
        ctx.out.line(QStringLiteral("  1. Install VS Code and its \"Remote - SSH\" extension."));
        ctx.out.line(QStringLiteral("  2. Remote Explorer → SSH Targets: pick \"%1\" (grid wrote it to %2).").arg(name, sshhostentries::sshConfigPath()));
        return 0;
    }
    ctx.out.line(QStringLiteral("Opening session %1 in VS Code…").arg(name));
    return QProcess::startDetached(code, sshhostentries::vsCodeArguments(session)) ? 0
           : ctx.out.fail(QStringLiteral("cannot start VS Code"));
}

int ssh(CommandContext &ctx)
{
    QStringList args = ctx.args.positional;
    QString name = args.takeFirst();
    const bool vscode = ctx.args.has(QStringLiteral("vscode"));
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    if (name == u"vscode" && !vscode) {
        // The spec's `grid session ssh vscode`: VS Code on the running session, when there
        // is one and no session is itself named "vscode".
        ApiResult r;
        const QList<SessionSummary> sessions = fetchSessions(*api, &r);
        if (!r.ok())
            return ctx.out.fail(r);
        if (!namesWhere(sessions, false).contains(name)) {
            const QStringList running = namesWhere(sessions, true);
            if (running.size() != 1)
                return ctx.out.fail(running.isEmpty() ? QStringLiteral("no session is running; start one with grid session create")
                                                      : QStringLiteral("several sessions are running (%1); name one: grid session ssh NAME --vscode")
                                                            .arg(running.join(QStringLiteral(", "))), 2);
            const auto s = runningSession(ctx, *api, running.first(), &code);
            return s ? openVsCode(ctx, *s) : code;
        }
    }
    const auto s = runningSession(ctx, *api, name, &code);
    if (!s)
        return code;
    if (vscode)
        return openVsCode(ctx, *s);
    return execute(ctx, QStringLiteral("ssh"), sshConfigArgs() + QStringList{name} + args);
}

int mount(CommandContext &ctx)
{
    const QString spec = ctx.args.positional.at(0);
    const QString name = spec.section(u':', 0, 0);
    const QString dir = spec.contains(u':') ? spec.section(u':', 1) : QString();
    const QString local = ctx.args.positional.at(1);
    if (QStandardPaths::findExecutable(QStringLiteral("sshfs")).isEmpty())
        return ctx.out.fail(QStringLiteral("grid session mount needs sshfs: apt-get install sshfs"));
    if (!QFileInfo(local).isDir())
        return ctx.out.fail(QStringLiteral("%1 is not a directory; create it first (mkdir -p %1)").arg(local), 2);
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    int code = 0;
    if (!runningSession(ctx, *api, name, &code))
        return code;
    ctx.out.line(QStringLiteral("Mounting %1:%2 on %3; unmount with: fusermount3 -u %3").arg(name, dir.isEmpty() ? QStringLiteral("~") : dir, local));
    return execute(ctx, QStringLiteral("sshfs"), sshConfigArgs() + QStringList{name + u':' + dir, local});
}

// Why the tunnel to `name` could not open, in the API's own words where it has them.
int explainRefusal(CommandContext &ctx, ApiClient &api, const QString &name, const QString &detail)
{
    const ApiResult r = api.call("GET", QStringLiteral("/sessions/") + name);
    const QString status = r.object().value(QStringLiteral("session")).toObject().value(QStringLiteral("status")).toString();
    if (!r.ok())
        return ctx.out.fail(r);
    return ctx.out.fail(status != u"running"
                            ? QStringLiteral("session %1 is %2, not running").arg(name, status)
                            : QStringLiteral("cannot open the SSH tunnel to session %1: %2 (is an SSH key registered? grid ssh-keys list)")
                                  .arg(name, detail));
}

// A connected TCP socket to `url`'s host and port, or -1 with `error` set.
int connectTcp(const QUrl &url, QString *error)
{
    addrinfo hints = {};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const QByteArray host = url.host().toUtf8();
    const QByteArray port = QByteArray::number(url.port(80));
    if (const int e = ::getaddrinfo(host.constData(), port.constData(), &hints, &found); e != 0) {
        *error = QStringLiteral("cannot resolve %1: %2").arg(url.host(), QString::fromLocal8Bit(::gai_strerror(e)));
        return -1;
    }
    int fd = -1;
    for (addrinfo *a = found; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            *error = QStringLiteral("cannot connect to %1:%2: %3").arg(url.host(), QString::fromLatin1(port),
                                                                       QString::fromLocal8Bit(std::strerror(errno)));
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    if (fd >= 0) {
        // Each keystroke is one small message: send it now, not after the last one's ACK.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

bool sendAll(int fd, const QByteArray &bytes, QString *detail)
{
    for (qsizetype sent = 0; sent < bytes.size();) {
        const ssize_t n = ::send(fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n <= 0 && errno != EINTR) {
            *detail = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        sent += qMax<ssize_t>(n, 0);
    }
    return true;
}

// Reads the head of the HTTP answer on `fd` (without its blank line) into `head`. With
// `rest`, reads in large chunks and puts what followed the head there; without, reads no
// byte past the head, which then belongs to whoever gets the socket next (after the
// `opengrid-ssh` upgrade, ssh: the session's sshd may already have sent its banner).
bool readAnswerHead(int fd, QByteArray *head, QByteArray *rest, QString *detail)
{
    QByteArray answer;
    qsizetype end = -1;
    while ((end = answer.indexOf("\r\n\r\n")) < 0) {
        pollfd p{fd, POLLIN, 0};
        char buffer[4096];
        const size_t want = rest ? sizeof buffer : size_t(httpupgrade::bytesBeforePossibleEnd(answer));
        const ssize_t n = ::poll(&p, 1, 30000) == 1 ? ::read(fd, buffer, want) : -2;
        if (n == 0 || n == -2 || (n < 0 && errno != EINTR) || answer.size() > 64 * 1024) {
            *detail = n == -2 ? QStringLiteral("no answer within 30 s") : QStringLiteral("the connection closed during the handshake");
            return false;
        }
        if (n > 0)
            answer.append(buffer, n);
    }
    *head = answer.left(end);
    if (rest)
        *rest = answer.mid(end + 4);
    return true;
}

// Sends the WebSocket handshake for `url` on `fd` and reads the answer's head. True on
// "101 Switching Protocols" with the right Sec-WebSocket-Accept; `early` then holds the bytes
// that followed the head. Else false with `detail` saying what came back.
bool webSocketHandshake(int fd, const QUrl &url, const QString &authorization, QByteArray *early, QString *detail)
{
    const QByteArray key = websocket::newClientKey();
    QByteArray head;
    if (!sendAll(fd, httpupgrade::requestHead(url, authorization, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                                                         + "\r\nSec-WebSocket-Version: 13\r\n"), detail)
        || !readAnswerHead(fd, &head, early, detail))
        return false;
    const QByteArray statusLine = httpupgrade::statusLine(head);
    if (!statusLine.startsWith("HTTP/1.1 101") || httpupgrade::headerOf(head, "sec-websocket-accept") != websocket::acceptKey(key)) {
        *detail = QString::fromLatin1(statusLine);
        return false;
    }
    return true;
}

// `ProxyUseFdpass yes`: ssh reads the socket to use from our stdout (a Unix socket).
bool passToSsh(CommandContext &ctx, int fd)
{
    if (sendDescriptor(STDOUT_FILENO, fd))
        return true;
    ctx.out.fail(QStringLiteral("cannot hand the connection to ssh: %1 (--fdpass needs 'ProxyUseFdpass yes' beside the ProxyCommand)")
                     .arg(QString::fromLocal8Bit(std::strerror(errno))));
    return false;
}

// With --fdpass on a path that needs a process in the middle (the WebSocket): ssh gets one
// end of a socket pair and a child of ours pumps the other (ssh waits for this process to
// exit before it starts). Returns -1 in the child, whose stdin and stdout are now that end,
// else the parent's exit code.
int forkPumpingChild(CommandContext &ctx)
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return ctx.out.fail(QStringLiteral("cannot create a socket pair: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    const pid_t child = ::fork();
    if (child < 0)
        return ctx.out.fail(QStringLiteral("cannot fork: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    if (child == 0) {
        ::dup2(pair[1], STDIN_FILENO);
        ::dup2(pair[1], STDOUT_FILENO);
        ::close(pair[0]);
        ::close(pair[1]);
        return -1;
    }
    ::close(pair[1]);
    const bool passed = passToSsh(ctx, pair[0]);
    ::close(pair[0]);
    return passed ? 0 : 1;
}

// Plain HTTP with --fdpass: the `opengrid-ssh` upgrade, then ssh gets the TCP socket itself
// and talks to the session's sshd with no process in between. -1 when gridd does not offer
// the upgrade (an older gridd: 400; a session or a server that needs the WebSocket: 426).
int proxyDirect(CommandContext &ctx, ApiClient &api, const QString &name, const QUrl &url)
{
    QString detail;
    const int fd = connectTcp(url, &detail);
    if (fd < 0)
        return ctx.out.fail(detail);
    QByteArray head;
    const QByteArray upgrade = QByteArray("Upgrade: ") + httpupgrade::kSshProtocol + "\r\nConnection: Upgrade\r\n";
    const bool answered = sendAll(fd, httpupgrade::requestHead(url, api.authorizationHeader(), upgrade), &detail)
                          && readAnswerHead(fd, &head, nullptr, &detail);
    const QByteArray statusLine = httpupgrade::statusLine(head);
    if (answered && httpupgrade::switchedTo(head, httpupgrade::kSshProtocol)) {
        // ssh sets TCP_NODELAY itself for interactive sessions, as on any connection of its own.
        const int zero = 0;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &zero, sizeof zero);
        const bool passed = passToSsh(ctx, fd);
        ::close(fd);
        return passed ? 0 : 1;
    }
    ::close(fd);
    if (statusLine.startsWith("HTTP/1.1 426") || statusLine.startsWith("HTTP/1.1 400"))
        return -1;
    return explainRefusal(ctx, api, name, answered ? QString::fromLatin1(statusLine) : detail);
}

constexpr int kPipeBytes = 1024 * 1024; // /proc/sys/fs/pipe-max-size's default

// Plain HTTP: the handshake by hand, then websocket::pump on this thread: no event loop, no
// per-message objects, each chunk of stdin out as one message at once.
int proxyPlain(CommandContext &ctx, ApiClient &api, const QString &name, const QUrl &url, bool fdpass)
{
    QString detail;
    const int fd = connectTcp(url, &detail);
    if (fd < 0)
        return ctx.out.fail(detail);
    QByteArray early;
    if (!webSocketHandshake(fd, url, api.authorizationHeader(), &early, &detail)) {
        ::close(fd);
        return explainRefusal(ctx, api, name, detail);
    }
    if (fdpass) {
        if (const int code = forkPumpingChild(ctx); code >= 0) {
            ::close(fd);
            return code;
        }
    }
    // ssh's pipes hold 64 KiB: a bulk transfer would cost ssh and us a wake-up per 64 KiB. As
    // large as an unprivileged process may make them (fails harmlessly on a non-pipe).
    for (int std : {STDIN_FILENO, STDOUT_FILENO})
        ::fcntl(std, F_SETPIPE_SZ, kPipeBytes);
    // ssh closing its end is the normal way this ends; the pump sees the error and stops.
    ::signal(SIGPIPE, SIG_IGN);
    websocket::pump({fd, STDIN_FILENO, STDOUT_FILENO}, websocket::Role::Client, early);
    ::close(fd);
    return 0;
}

// The OpenSSH ProxyCommand. With --fdpass (and `ProxyUseFdpass yes`) over plain HTTP: ssh gets
// a TCP socket to the session's sshd itself. Else, or with --websocket: stdin → WebSocket →
// the session's sshd → stdout, where with --fdpass stdin and stdout are a socket pair's end
// and the pumping happens in a child.
int proxy(CommandContext &ctx)
{
    const QString name = ctx.args.positional.at(0);
    const bool fdpass = ctx.args.has(QStringLiteral("fdpass"));
    if (struct stat out; fdpass && (::fstat(STDOUT_FILENO, &out) != 0 || !S_ISSOCK(out.st_mode)))
        return ctx.out.fail(QStringLiteral("--fdpass hands ssh a socket over stdout, which must be a Unix socket: set "
                                           "'ProxyUseFdpass yes' beside this ProxyCommand, or drop --fdpass"), 2);
    QString error;
    ApiClient *api = ctx.api(&error);
    if (!api)
        return ctx.out.fail(error);
    QUrl url = api->endpointUrl(QStringLiteral("/sessions/%1/ssh").arg(name));
    if (url.scheme() == u"http") {
        if (fdpass && !ctx.args.has(QStringLiteral("websocket")))
            if (const int code = proxyDirect(ctx, *api, name, url); code >= 0)
                return code;
        return proxyPlain(ctx, *api, name, url, fdpass);
    }
    if (fdpass) // before any of Qt's networking starts a thread
        if (const int code = forkPumpingChild(ctx); code >= 0)
            return code;
    // TLS: Qt's WebSocket.
    url.setScheme(QStringLiteral("wss"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", api->authorizationHeader().toLatin1());
    QWebSocket socket;
    socket.setSslConfiguration(api->sslConfiguration());
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    input.setEnabled(false);
    QEventLoop loop;
    int exitCode = 0;
    bool opened = false;
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] {
        opened = true;
        input.setEnabled(true);
    });
    QObject::connect(&input, &QSocketNotifier::activated, &loop, [&] {
        char buffer[64 * 1024];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) {
            socket.sendBinaryMessage(QByteArray(buffer, n));
        } else if (n == 0 || errno != EINTR) {
            input.setEnabled(false);
            socket.flush();
            socket.close();
        }
    });
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &loop, [&](const QByteArray &bytes) {
        qsizetype done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(STDOUT_FILENO, bytes.constData() + done, size_t(bytes.size() - done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) { // ssh went away
                socket.close();
                return;
            }
            done += n;
        }
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, [&] {
        if (!opened) // the handshake was refused: ask the API why, in its own words
            exitCode = explainRefusal(ctx, *api, name, socket.errorString());
        loop.quit();
    });
    socket.open(request);
    loop.exec();
    return exitCode;
}
} // namespace

QList<CommandSpec> sessionSshCommands()
{
    const QString group = QStringLiteral("session");
    CommandSpec sshSpec = makeCommand({group, QStringLiteral("ssh")}, QStringLiteral("SSH into a running session (updates ~/.ssh/config)."),
                                      QStringLiteral("NAME [-- SSH_ARGS]   |   vscode   |   NAME --vscode"),
                                      {{QStringLiteral("vscode"), QString(), QStringLiteral("Open the session in VS Code (Remote - SSH) instead"), {}}},
                                      1, -1, ssh);
    return {
        sshSpec,
        makeCommand({group, QStringLiteral("proxy")}, QStringLiteral("Connect ssh to a session's SSH server (OpenSSH ProxyCommand)."),
                    QStringLiteral("NAME"),
                    {{QStringLiteral("fdpass"), QString(), QStringLiteral("Hand ssh the connection itself (needs ProxyUseFdpass yes)"), {}},
                     {QStringLiteral("websocket"), QString(), QStringLiteral("Always go through gridd's WebSocket tunnel"), {}}},
                    1, 1, proxy),
        makeCommand({group, QStringLiteral("mount")}, QStringLiteral("Mount a session's directory locally with sshfs."),
                    QStringLiteral("SESSION[:DIR] LOCAL_DIR"), {}, 2, 2, mount),
    };
}

} // namespace og::cli
