// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QUrl;

// The pieces of an HTTP/1.1 Upgrade done by hand on a plain TCP socket, shared by the CLI's
// `grid session proxy` (blocking) and the desktop's SSH tunnel (on the event loop). By hand
// because after `Upgrade: opengrid-ssh` the socket itself goes on to an SSH client, so not one
// byte past the answer's head may be read into a buffer that client will never see.
namespace og::httpupgrade {

// gridd's upgrade of GET /api/v1/sessions/{name}/ssh that hands the client's own socket to
// the session's sshd (docs/api.md).
inline constexpr char kSshProtocol[] = "opengrid-ssh";

// "GET <path> HTTP/1.1" with Host, `upgradeHeaders` (each line ending in CRLF) and
// Authorization, and the blank line.
QByteArray requestHead(const QUrl &url, const QString &authorization,
                       const QByteArray &upgradeHeaders);
// At most how many more bytes can be read without passing the end of a head ("\r\n\r\n")
// that `answer` may be in the middle of.
qsizetype bytesBeforePossibleEnd(const QByteArray &answer);
// The value of header `lowerName` ("sec-websocket-accept") in an answer's head.
QByteArray headerOf(const QByteArray &head, const QByteArray &lowerName);
// The first line of an answer's head, trimmed ("HTTP/1.1 101 Switching Protocols").
QByteArray statusLine(const QByteArray &head);
// Whether `head` (without its blank line) is gridd's 101 switching to `protocol`.
bool switchedTo(const QByteArray &head, const QByteArray &protocol);

} // namespace og::httpupgrade
