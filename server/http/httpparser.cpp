// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpparser.h"

#include <QUrl>

namespace og {

HttpParser::HttpParser(qint64 maxHeaderBytes, qint64 maxBodyBytes)
    : m_maxHeaderBytes(maxHeaderBytes)
    , m_maxBodyBytes(maxBodyBytes)
{
}

HttpParser::State HttpParser::fail(int status, const QString &message)
{
    m_errorStatus = status;
    m_errorMessage = message;
    return State::Error;
}

HttpParser::State HttpParser::feed(QByteArray &buffer)
{
    if (m_errorStatus)
        return State::Error;
    if (!m_headersParsed) {
        // Tolerate stray CRLFs between pipelined requests (RFC 9112 §2.2).
        while (buffer.startsWith("\r\n"))
            buffer.remove(0, 2);
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            // +3: a head of exactly the limit may sit here with its final "\r\n\r" unmatched.
            if (buffer.size() > m_maxHeaderBytes + 3)
                return fail(431, QStringLiteral("request headers exceed %1 bytes").arg(m_maxHeaderBytes));
            return State::NeedMore;
        }
        if (end > m_maxHeaderBytes)
            return fail(431, QStringLiteral("request headers exceed %1 bytes").arg(m_maxHeaderBytes));
        if (!parseHead(buffer.left(end)))
            return State::Error;
        buffer.remove(0, end + 4);
        m_headersParsed = true;
        return State::HeadersDone;
    }
    if (buffer.size() < m_contentLength)
        return State::NeedMore;
    if (buffer.size() == m_contentLength) { // the usual case: the body itself, not a copy
        m_request.body = std::move(buffer);
        buffer = QByteArray();
    } else {
        m_request.body = buffer.left(m_contentLength);
        buffer.remove(0, m_contentLength);
    }
    return State::Complete;
}

bool HttpParser::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.front().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith('/')) {
        fail(400, QStringLiteral("malformed HTTP request line"));
        return false;
    }
    const QByteArray &version = requestLine[2];
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
        return false;
    }
    m_request.method = requestLine[0];
    m_request.http10 = version == "HTTP/1.0";
    const QByteArray &target = requestLine[1];
    const qsizetype q = target.indexOf('?');
    m_request.path = QUrl::fromPercentEncoding(q < 0 ? target : target.left(q));
    if (q >= 0)
        m_request.query = QUrlQuery(QString::fromUtf8(target.mid(q + 1)));

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(400, QStringLiteral("malformed header line"));
            return false;
        }
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        // Two different lengths would let a proxy and gridd disagree on where a request ends
        // (request smuggling): RFC 9112 §6.3 makes that an error.
        if (name == "content-length" && m_request.headers.contains(name) && m_request.headers.value(name) != value) {
            fail(400, QStringLiteral("conflicting Content-Length headers"));
            return false;
        }
        m_request.headers.insert(name, value);
    }
    if (m_request.headers.contains("transfer-encoding")) {
        fail(411, QStringLiteral("chunked request bodies are not supported; send Content-Length"));
        return false;
    }
    const QByteArray length = m_request.header("content-length");
    if (!length.isEmpty()) {
        bool ok = false;
        m_contentLength = length.toLongLong(&ok);
        if (!ok || m_contentLength < 0) {
            fail(400, QStringLiteral("Content-Length is not a number"));
            return false;
        }
        if (m_contentLength > m_maxBodyBytes) {
            fail(413, QStringLiteral("request body of %1 bytes exceeds the limit of %2 bytes")
                          .arg(m_contentLength)
                          .arg(m_maxBodyBytes));
            return false;
        }
    }
    return true;
}

HttpRequest HttpParser::takeRequest()
{
    HttpRequest r = std::move(m_request);
    m_request = HttpRequest();
    m_contentLength = 0;
    m_headersParsed = false;
    return r;
}

} // namespace og
