// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/apiclient.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>

namespace og {

namespace {
bool isRetryable(const ApiResult &r)
{
    // Connection-level failures and "try again" statuses; never client errors.
    if (r.httpStatus == 0)
        return r.errorCode == u"network" || r.errorCode == u"timeout";
    return r.httpStatus == 502 || r.httpStatus == 503 || r.httpStatus == 504;
}

QString networkMessage(QNetworkReply *reply, const QUrl &url)
{
    const QString where = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery).toString();
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("cannot reach the OpenGrid platform at %1: connection refused. Is "
                              "gridd running there? Check the URL with `grid login --url`.")
            .arg(where);
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("cannot reach the OpenGrid platform at %1: host not found.")
            .arg(where);
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake with %1 failed: %2. If gridd uses a self-signed "
                              "certificate, pass it with `grid login --ca-file FILE`.")
            .arg(where, reply->errorString());
    default:
        return QStringLiteral("request to %1 failed: %2").arg(where, reply->errorString());
    }
}
} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_ssl(QSslConfiguration::defaultConfiguration())
{
    qRegisterMetaType<og::ApiResult>();
}

ApiClient::~ApiClient() = default;

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url;
    QString path = m_baseUrl.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    m_baseUrl.setPath(path);
}

QString ApiClient::addCaCertificatesFile(const QString &pemPath)
{
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(pemPath, QSsl::Pem);
    if (certs.isEmpty())
        return QStringLiteral("no PEM certificate could be read from %1").arg(pemPath);
    m_ssl.addCaCertificates(certs);
    return {};
}

QUrl ApiClient::endpointUrl(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    // A query may come written into the path ("/runs?status=active") or separately.
    const qsizetype mark = path.indexOf(u'?');
    url.setPath(m_baseUrl.path() + QStringLiteral("/api/v1") + (mark < 0 ? path : path.left(mark)));
    QUrlQuery merged(mark < 0 ? QString() : path.mid(mark + 1));
    for (const auto &[key, value] : query.queryItems(QUrl::FullyEncoded))
        merged.addQueryItem(key, value);
    if (!merged.isEmpty())
        url.setQuery(merged);
    return url;
}

QUrl ApiClient::eventsUrl() const
{
    QUrl url = endpointUrl(QStringLiteral("/events"));
    url.setScheme(m_baseUrl.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

bool ApiClient::isIdempotent(const QByteArray &method)
{
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE";
}

ApiReply *ApiClient::send(const QByteArray &method, const QString &path, const QJsonValue &body,
                          const QUrlQuery &query)
{
    auto *handle = new ApiReply(this);
    QByteArray payload;
    if (body.isObject())
        payload = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        payload = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    // Defer so callers can connect to finished() even when the first attempt fails at once.
    QTimer::singleShot(0, this, [=, this] {
        attempt(handle, method, endpointUrl(path, query), payload, "application/json", {}, 1);
    });
    return handle;
}

ApiReply *ApiClient::sendBytes(const QByteArray &method, const QString &path, const QByteArray &body,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    auto *handle = new ApiReply(this);
    QTimer::singleShot(0, this, [=, this] {
        attempt(handle, method, endpointUrl(path), body, "application/octet-stream", headers, 1);
    });
    return handle;
}

ApiReply *ApiClient::datastoreFile(const QString &name, int version, const QString &path, qint64 offset)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("path"), QString::fromLatin1(QUrl::toPercentEncoding(path)));
    if (offset > 0)
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    return get(QStringLiteral("/datastores/%1/versions/%2/file").arg(name).arg(version), query);
}

void ApiClient::attempt(ApiReply *handle, QByteArray method, QUrl url, QByteArray body,
                        QByteArray contentType, QList<QPair<QByteArray, QByteArray>> headers, int attemptNo)
{
    QNetworkRequest request(url);
    request.setSslConfiguration(m_ssl);
    request.setTransferTimeout(int(m_timeout.count()));
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", authorizationHeader().toLatin1());
    if (!body.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, body);
    connect(reply, &QNetworkReply::finished, this, [=, this] {
        reply->deleteLater();
        const ApiResult result = resultFrom(reply, url);
        if (!result.ok() && isIdempotent(method) && attemptNo < m_maxAttempts
            && isRetryable(result)) {
            const int delayMs = 200 * (1 << (attemptNo - 1));
            QTimer::singleShot(delayMs, this, [=, this] {
                attempt(handle, method, url, body, contentType, headers, attemptNo + 1);
            });
            return;
        }
        Q_EMIT handle->finished(result);
        handle->deleteLater();
    });
}

ApiResult ApiClient::resultFrom(QNetworkReply *reply, const QUrl &url)
{
    ApiResult r;
    r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        r.headers.insert(name.toLower(), value);
    const bool binary = r.headers.value("content-type").startsWith("application/octet-stream");
    if (binary)
        r.raw = bytes;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!bytes.isEmpty() && parseError.error == QJsonParseError::NoError)
        r.body = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());

    if (r.httpStatus == 0) {
        r.errorCode = reply->error() == QNetworkReply::OperationCanceledError
                              || reply->error() == QNetworkReply::TimeoutError
                          ? QStringLiteral("timeout")
                      : reply->error() == QNetworkReply::SslHandshakeFailedError
                          ? QStringLiteral("tls")
                          : QStringLiteral("network");
        r.message = r.errorCode == u"timeout"
                        ? QStringLiteral("request to %1 timed out").arg(url.toString())
                        : networkMessage(reply, url);
        return r;
    }
    if (r.httpStatus >= 200 && r.httpStatus < 300) {
        if (!binary && !bytes.isEmpty() && parseError.error != QJsonParseError::NoError) {
            r.errorCode = QStringLiteral("bad_response");
            r.message = QStringLiteral("%1 answered with something that is not JSON; is this "
                                       "an OpenGrid platform?")
                            .arg(url.adjusted(QUrl::RemovePath).toString());
        }
        return r;
    }
    const QJsonObject error = r.body.toObject().value(QStringLiteral("error")).toObject();
    r.errorCode = error.value(QStringLiteral("code")).toString();
    r.message = error.value(QStringLiteral("message")).toString();
    if (r.errorCode.isEmpty())
        r.errorCode = QStringLiteral("http_%1").arg(r.httpStatus);
    if (r.message.isEmpty())
        r.message = QStringLiteral("HTTP %1 %2 from %3")
                        .arg(r.httpStatus)
                        .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                             url.toString());
    return r;
}

ApiResult ApiClient::call(const QByteArray &method, const QString &path, const QJsonValue &body,
                          const QUrlQuery &query)
{
    ApiResult result;
    QEventLoop loop;
    ApiReply *reply = send(method, path, body, query);
    connect(reply, &ApiReply::finished, &loop, [&](const ApiResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    return result;
}

} // namespace og
