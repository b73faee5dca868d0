// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httprequest.h"

namespace og {

// Incremental HTTP/1.1 request parser with hard limits, so a client can never make gridd
// buffer more than maxHeaderBytes + maxBodyBytes per connection. Bodies need Content-Length:
// the API's bodies are small JSON documents and bulk data moves in bounded parts.
class HttpParser final
{
public:
    enum class State { NeedMore, HeadersDone, Complete, Error };

    HttpParser(qint64 maxHeaderBytes, qint64 maxBodyBytes);

    // Looks at `buffer` (bytes received so far) and consumes a complete request from its
    // front. HeadersDone is reported once, as soon as the head is parsed, so the caller can
    // act before the body arrives (WebSocket upgrade, early 413); feed again to continue.
    State feed(QByteArray &buffer);
    HttpRequest takeRequest();
    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }
    bool headersParsed() const { return m_headersParsed; }
    const HttpRequest &current() const { return m_request; }
    qint64 contentLength() const { return m_contentLength; }

private:
    State fail(int status, const QString &message);
    bool parseHead(const QByteArray &head);

    qint64 m_maxHeaderBytes;
    qint64 m_maxBodyBytes;
    HttpRequest m_request;
    qint64 m_contentLength = 0;
    bool m_headersParsed = false;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace og
