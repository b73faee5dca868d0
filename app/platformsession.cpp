// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platformsession.h"

#include "app/credentialstore.h"
#include "core/apiclient.h"
#include "core/clientconfig.h"
#include "core/eventsclient.h"
#include "core/localplatform.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QCoreApplication>
#include <QThread>

Q_LOGGING_CATEGORY(lcSession, "opengrid.app.session", QtWarningMsg)

namespace og {

PlatformSession::PlatformSession(CredentialStore *credentials, QObject *parent)
    : QObject(parent)
    , m_credentials(credentials)
    , m_api(new ApiClient(this))
    , m_events(new EventsClient(m_api, this))
{
    // Short timeouts and one attempt: the window shows "offline" and retries on its own
    // rather than hanging in a request.
    m_api->setTimeout(std::chrono::seconds(15));
    m_retry.setInterval(5000);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &PlatformSession::start);
    connect(m_events, &EventsClient::connectedChanged, this, &PlatformSession::onEventsConnected);
}

PlatformSession::~PlatformSession() = default;

QString PlatformSession::stateText() const
{
    switch (m_state) {
    case State::Connecting: return tr("connecting");
    case State::Live: return tr("live");
    case State::Reconnecting: return tr("reconnecting");
    case State::Offline: return tr("offline");
    }
    return {};
}

void PlatformSession::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void PlatformSession::setError(const QString &message)
{
    m_error = message;
    Q_EMIT errorChanged(message);
}

void PlatformSession::start()
{
    m_retry.stop();
    ++m_attempt;
    {
        // Our own stop is no connection loss: no "reconnecting" and no restart loop.
        const QSignalBlocker quiet(m_events);
        m_events->stop();
    }
    setState(State::Connecting);
    QSettings settings;
    const QString serverUrl = settings.value(QStringLiteral("platform/url")).toString();
    if (!serverUrl.isEmpty()) {
        const QString caFile = settings.value(QStringLiteral("platform/caFile")).toString();
        const quint64 attempt = m_attempt;
        m_credentials->read(serverUrl, [this, serverUrl, caFile, attempt](const QString &key, const QString &) {
            if (attempt != m_attempt)
                return;
            if (key.isEmpty()) {
                setError(tr("No API key is stored for %1; enter one in Settings.").arg(serverUrl));
                m_info.baseUrl = QUrl(serverUrl);
                setState(State::Offline);
                return;
            }
            useServer(QUrl(serverUrl), key, caFile, false);
        });
        return;
    }
    // The CLI's configuration, so the app and `grid` see the same platform.
    QString error;
    const auto cli = clientconfig::loadSettings(&error);
    if (!cli.gridUrl.isEmpty()) {
        const auto credentials = clientconfig::loadCredentials(&error);
        if (credentials) {
            useServer(QUrl(cli.gridUrl), credentials->apiKey, cli.caFile, false);
            return;
        }
    }
    startLocal();
}

void PlatformSession::startLocal()
{
    if (m_localStarting)
        return;
    m_localStarting = true;
    // Starting gridd can take seconds (first start creates its database); a worker thread
    // keeps the window responsive meanwhile.
    QPointer<PlatformSession> self(this);
    const quint64 attempt = m_attempt;
    QThread *worker = QThread::create([self, attempt] {
        QString error;
        const auto endpoint = localplatform::ensureRunning(localplatform::findGriddProgram(),
                                                           localplatform::defaultDataDir(), &error);
        QMetaObject::invokeMethod(qApp, [self, attempt, endpoint, error] {
            if (!self)
                return;
            self->m_localStarting = false;
            if (attempt != self->m_attempt)
                return;
            if (!endpoint) {
                self->setError(tr("Cannot start the local platform: %1").arg(error));
                self->setState(State::Offline);
                self->m_retry.start();
                return;
            }
            self->useServer(endpoint->url, endpoint->apiKey, QString(), true);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void PlatformSession::useServer(const QUrl &url, const QString &token, const QString &caFile, bool local)
{
    m_local = local;
    m_info = {url, token, caFile};
    m_api->setBaseUrl(url);
    m_api->setToken(token);
    if (!caFile.isEmpty())
        if (const QString e = m_api->addCaCertificatesFile(caFile); !e.isEmpty()) {
            setError(e);
            setState(State::Offline);
            return;
        }
    verify();
}

void PlatformSession::verify()
{
    const quint64 attempt = m_attempt;
    ApiReply *reply = m_api->get(QStringLiteral("/user"));
    connect(reply, &ApiReply::finished, this, [this, attempt](const ApiResult &r) {
        if (attempt != m_attempt)
            return;
        if (!r.ok()) {
            // TLS problems and a refused key are shown as they are, never worked around.
            setError(r.errorCode == u"tls" ? tr("TLS error: %1").arg(r.message) : r.message);
            setState(State::Offline);
            if (r.httpStatus != 401)
                m_retry.start();
            return;
        }
        m_username = r.object().value(QStringLiteral("user")).toObject().value(QStringLiteral("username")).toString();
        setError(QString());
        const bool first = !m_everConnected;
        m_everConnected = true;
        m_events->start();
        if (first)
            Q_EMIT connected();
        else
            Q_EMIT resynced();
        setState(m_events->isConnected() ? State::Live : State::Connecting);
    });
}

void PlatformSession::onEventsConnected(bool connected)
{
    if (connected) {
        m_retry.stop(); // the stream came back by itself: no restart needed
        const bool wasBroken = m_state == State::Reconnecting;
        setState(State::Live);
        if (wasBroken)
            Q_EMIT resynced(); // events may have been missed during the break
        return;
    }
    if (m_state == State::Live)
        setState(State::Reconnecting);
    // The local gridd may have stopped (a crash, a reboot): start it again, as the CLI would.
    // The event stream's own reconnects cover a platform that comes back at the same address.
    if (m_local && !m_retry.isActive())
        m_retry.start();
}

} // namespace og
