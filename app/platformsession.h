// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/uploadjob.h"

#include <QObject>
#include <QTimer>

namespace og {

class ApiClient;
class CredentialStore;
class EventsClient;

// The app's one connection to a platform. Which one, in order: the server set in Settings
// (key from the keyring), the CLI's configuration (GRID_URL / ~/.grid, as `grid` uses), else
// the user's own local gridd, started if none runs — the embedded default. While the
// platform cannot be reached the window stays usable and this retries; the event stream
// reconnects on its own and `resynced` tells the models to re-read what they may have missed.
class PlatformSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlatformSession)
public:
    enum class State { Connecting, Live, Reconnecting, Offline };
    Q_ENUM(State)

    PlatformSession(CredentialStore *credentials, QObject *parent = nullptr);
    ~PlatformSession() override;

    ApiClient *api() const { return m_api; }
    EventsClient *events() const { return m_events; }
    ConnectionInfo connectionInfo() const { return m_info; }

    State state() const { return m_state; }
    QString stateText() const;
    QString url() const { return m_info.baseUrl.toString(); }
    QString username() const { return m_username; }
    QString lastError() const { return m_error; }
    bool isLocal() const { return m_local; }

    // Starts (or restarts, after Settings changed) the connection.
    void start();
    void setRetryInterval(int ms) { m_retry.setInterval(ms); }

Q_SIGNALS:
    void stateChanged(og::PlatformSession::State state);
    void connected();  // first contact with a platform: models attach and load
    void resynced();   // the event stream is back after a break: models reload (merging)
    void errorChanged(const QString &message);

private:
    void useServer(const QUrl &url, const QString &token, const QString &caFile, bool local);
    void startLocal();
    void verify();
    void setState(State s);
    void setError(const QString &message);
    void onEventsConnected(bool connected);

    CredentialStore *m_credentials;
    ApiClient *m_api;
    EventsClient *m_events;
    ConnectionInfo m_info;
    QTimer m_retry;
    State m_state = State::Connecting;
    QString m_username;
    QString m_error;
    bool m_local = false;
    bool m_everConnected = false;
    bool m_localStarting = false;
    quint64 m_attempt = 0;
};

} // namespace og
