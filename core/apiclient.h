// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace og {

// The outcome of one API call. `message` is always a sentence fit to show a user.
struct ApiResult
{
    int httpStatus = 0;  // 0 when no HTTP response arrived
    QJsonValue body;     // parsed JSON response (null when none)
    QString errorCode;   // empty on success; the server's error.code, or network/timeout/tls/bad_response
    QString message;
    QByteArray raw; // the body as received, for binary answers (artifact downloads)
    QHash<QByteArray, QByteArray> headers; // response headers, names lower-cased

    bool ok() const { return errorCode.isEmpty(); }
    QJsonObject object() const { return body.toObject(); }
};

// One pending call; emits finished() once and deletes itself afterwards.
class ApiReply final : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
Q_SIGNALS:
    void finished(const og::ApiResult &result);
};

// Client of gridd's REST API (/api/v1) on QNetworkAccessManager: bearer auth, JSON error bodies
// turned into readable messages, per-request timeouts and retries with backoff for idempotent
// methods. Shared by the CLI (through call(), which blocks) and the desktop app (async).
class ApiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiClient)
public:
    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    void setToken(const QString &token) { m_token = token; }
    bool hasToken() const { return !m_token.isEmpty(); }
    // Trust the certificates in a PEM file in addition to the system store (self-signed gridd).
    QString addCaCertificatesFile(const QString &pemPath);
    QSslConfiguration sslConfiguration() const { return m_ssl; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setMaxAttempts(int attempts) { m_maxAttempts = qMax(1, attempts); }

    // `path` is relative to /api/v1, e.g. "/user" or "/api-keys/abc".
    ApiReply *send(const QByteArray &method, const QString &path,
                   const QJsonValue &body = QJsonValue(), const QUrlQuery &query = {});
    // Raw bytes (content objects) instead of JSON, with extra headers.
    ApiReply *sendBytes(const QByteArray &method, const QString &path, const QByteArray &body,
                        const QList<QPair<QByteArray, QByteArray>> &headers = {});
    ApiReply *get(const QString &path, const QUrlQuery &query = {})
    {
        return send("GET", path, QJsonValue(), query);
    }
    ApiReply *post(const QString &path, const QJsonValue &body) { return send("POST", path, body); }
    ApiReply *del(const QString &path) { return send("DELETE", path); }
    // A piece (at most 1 MiB) of a file of a succeeded datastore version, from `offset`: the
    // bytes in ApiResult::raw, the file's size in the "x-total-size" header.
    ApiReply *datastoreFile(const QString &name, int version, const QString &path, qint64 offset = 0);

    // Blocking form for command-line tools: runs a local event loop until the reply arrives.
    ApiResult call(const QByteArray &method, const QString &path,
                   const QJsonValue &body = QJsonValue(), const QUrlQuery &query = {});

    QUrl endpointUrl(const QString &path, const QUrlQuery &query = {}) const;
    QUrl eventsUrl() const;
    QString authorizationHeader() const { return QStringLiteral("Bearer ") + m_token; }

    static bool isIdempotent(const QByteArray &method);
    // Turns a finished reply into an ApiResult; public so tests can feed canned replies.
    static ApiResult resultFrom(QNetworkReply *reply, const QUrl &url);

private:
    void attempt(ApiReply *handle, QByteArray method, QUrl url, QByteArray body, QByteArray contentType,
                 QList<QPair<QByteArray, QByteArray>> headers, int attemptNo);

    QNetworkAccessManager *m_nam;
    QUrl m_baseUrl;
    QString m_token;
    QSslConfiguration m_ssl;
    std::chrono::milliseconds m_timeout{30000};
    int m_maxAttempts = 3;
};

} // namespace og

Q_DECLARE_METATYPE(og::ApiResult)
