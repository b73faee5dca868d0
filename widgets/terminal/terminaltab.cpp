// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/terminal/terminaltab.h"

#include "core/apiclient.h"
#include "core/clientconfig.h"
#include "core/domain/sessionsummary.h"
#include "core/ssh/sshclient.h"
#include "core/ssh/sshknownhosts.h"
#include "core/terminal/terminalscreen.h"
#include "widgets/terminal/terminalview.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace og {

namespace {
// After Resume, how often and how long to look for the session running again.
constexpr int kResumePollMs = 1000;
constexpr int kResumeWaitPolls = 120;
// What a new shell after a dropped one starts from: plain attributes, the cursor shown, no
// modes the old shell's programs had switched on, and a fresh line under the old text.
constexpr char kFreshShellReset[] =
    "\x1b[0m\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?2004l\r\n";
// Back to the primary screen when the old shell died under a full-screen program.
constexpr char kLeaveAltScreen[] = "\x1b[?1049l";
} // namespace

TerminalTab::TerminalTab(const ApiClient *api, const QString &sessionName, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_session(sessionName)
    , m_screen(new TerminalScreen(24, 80, this))
    , m_view(new TerminalView(m_screen, this))
    , m_client(new SshClient(this))
    , m_banner(new QFrame(this))
    , m_bannerLabel(new QLabel(m_banner))
    , m_bannerButton(new QPushButton(m_banner))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("terminalTab"));
    m_view->setObjectName(QStringLiteral("terminalView"));
    m_banner->setObjectName(QStringLiteral("terminalBanner"));
    m_bannerButton->setObjectName(QStringLiteral("terminalBannerButton"));
    m_status->setObjectName(QStringLiteral("terminalStatus"));
    static_cast<QFrame *>(m_banner)->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    QPalette warn = m_banner->palette();
    warn.setColor(QPalette::Window, QColor(0xfff3cd));
    warn.setColor(QPalette::WindowText, QColor(0x5c4400));
    m_banner->setPalette(warn);
    m_bannerLabel->setWordWrap(true);
    m_bannerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(8, 4, 8, 4);
    bannerLayout->addWidget(m_bannerLabel, 1);
    bannerLayout->addWidget(m_bannerButton);
    m_banner->hide();
    m_status->setContentsMargins(6, 2, 6, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    setFocusProxy(m_view);

    connect(m_bannerButton, &QPushButton::clicked, this, [this] {
        switch (m_action) {
        case Action::Reconnect: connectToSession(); break;
        case Action::Settings: emit openSettingsRequested(); break;
        case Action::Resume:
            emit resumeRequested(m_session);
            showBanner(tr("Resuming session %1…").arg(m_session), Action::None);
            m_resumePolls = 0;
            m_awaitingResume = true;
            m_resumeWait.start();
            break;
        case Action::None: break;
        }
    });
    m_resumeWait.setInterval(kResumePollMs);
    connect(&m_resumeWait, &QTimer::timeout, this, [this] {
        if (++m_resumePolls > kResumeWaitPolls) {
            m_resumeWait.stop();
            m_awaitingResume = false;
            showBanner(tr("Session %1 did not start running; try again.").arg(m_session),
                       Action::Reconnect);
            return;
        }
        connectToSession(); // goes on waiting while the session is not running yet
    });

    connect(m_screen, &TerminalScreen::outputReady, m_client, &SshClient::write);
    connect(m_client, &SshClient::dataReceived, this, [this](const QByteArray &bytes) {
        m_screen->feed(bytes);
        if (m_firstBytes) {
            m_firstBytes = false;
            emit shellReady();
        }
    });
    connect(m_view, &TerminalView::terminalResized, m_client, &SshClient::resizePty);
    connect(m_screen, &TerminalScreen::titleChanged, this, [this](const QString &title) {
        emit titleChanged(title.isEmpty() ? m_session : title);
    });
    connect(m_client, &SshClient::shellOpened, this, [this] {
        m_awaitingResume = false;
        m_wasOpen = true;
        m_firstBytes = true;
        hideBanner();
        updateStatus();
        emit connectionChanged(true);
    });
    connect(m_client, &SshClient::stateChanged, this, &TerminalTab::updateStatus);
    connect(m_client, &SshClient::latencyMeasured, this, &TerminalTab::updateStatus);
    connect(m_client, &SshClient::errorOccurred, this, &TerminalTab::onError);
    connect(m_client, &SshClient::closed, this, &TerminalTab::onClosed);
    m_client->passphraseProvider = [this](const QString &keyFile) { return askPassphrase(keyFile); };
    updateStatus();
}

TerminalTab::~TerminalTab()
{
    // The remote gets a clean close; nothing of ours may react to it any more.
    m_client->disconnect(this);
    m_client->close();
}

bool TerminalTab::isConnected() const
{
    return m_client->state() == SshClient::State::Open;
}

QString TerminalTab::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_bannerLabel->text();
}

QString TerminalTab::statusText() const
{
    return m_status->text();
}

void TerminalTab::connectToSession()
{
    if (!m_api) {
        showBanner(tr("Not connected to a platform."), Action::None);
        return;
    }
    if (m_client->state() != SshClient::State::Idle && m_client->state() != SshClient::State::Closed) {
        m_errorShown = true; // a deliberate close: no "lost" banner for it
        m_client->close();
    }
    if (!m_resumeWait.isActive())
        hideBanner();
    m_status->setText(tr("%1 — looking up the session…").arg(m_session));
    const int lookup = ++m_lookup;
    ApiReply *reply = const_cast<ApiClient *>(m_api.data())->get(QStringLiteral("/sessions/") + m_session);
    connect(reply, &ApiReply::finished, this, [this, lookup](const ApiResult &result) {
        if (lookup != m_lookup)
            return; // a newer Reconnect superseded it
        onSessionLooked(result.httpStatus, result.ok() ? QString() : result.message,
                        result.object().value(QStringLiteral("session")).toObject());
    });
}

void TerminalTab::onSessionLooked(int httpStatus, const QString &message, const QJsonObject &json)
{
    if (!message.isEmpty()) {
        m_resumeWait.stop();
        showBanner(httpStatus == 404 ? tr("Session %1 does not exist.").arg(m_session)
                                     : tr("Cannot look up session %1: %2").arg(m_session, message),
                   httpStatus == 404 ? Action::None : Action::Reconnect);
        updateStatus();
        return;
    }
    const SessionSummary session = SessionSummary::fromJson(json);
    if (session.status != u"running") {
        if (m_resumeWait.isActive() && session.status != u"failed")
            return; // still resuming; the next poll looks again
        m_resumeWait.stop();
        const bool resumable = session.status == u"paused" || session.status == u"pausing";
        showBanner(tr("Session %1 is %2, not running.").arg(m_session, session.status),
                   resumable ? Action::Resume : Action::Reconnect);
        updateStatus();
        return;
    }
    m_resumeWait.stop(); // a failed first connection after Resume starts it again (onError)
    hideBanner();
    SshConnectOptions options;
    options.user = session.sshUser;
    options.knownHostsFile = clientconfig::gridDir() + QStringLiteral("/known_hosts");
    options.rows = m_screen->rows();
    options.columns = m_screen->columns();
    // The platform is the trust anchor for a session's host key (as for `grid session ssh`):
    // pin what it says now, so a key the tunnel's far end presents differently is refused.
    if (!session.hostKey.isEmpty()) {
        if (const QString e = sshknownhosts::pin(options.knownHostsFile, m_session, session.hostKey);
            !e.isEmpty()) {
            showBanner(tr("Cannot record the host key of session %1: %2").arg(m_session, e),
                       Action::Reconnect);
            return;
        }
    }
    if (m_wasOpen) {
        if (m_screen->isAltScreen())
            m_screen->feed(QByteArray(kLeaveAltScreen));
        m_screen->feed(QByteArray(kFreshShellReset));
    }
    m_errorShown = false;
    m_client->connectToSession(*m_api, m_session, options);
}

void TerminalTab::onError(SshError error, const QString &message)
{
    m_errorShown = true;
    if (m_awaitingResume && error == SshError::Tunnel && m_client->state() != SshClient::State::Open) {
        // A just-resumed session runs a moment before its SSH server takes connections:
        // keep looking, as the Resume wait does, instead of failing the first try.
        showBanner(tr("Waiting for session %1 to accept connections…").arg(m_session), Action::None);
        m_resumeWait.start();
        return;
    }
    switch (error) {
    case SshError::AuthFailed:
        showBanner(message, Action::Settings);
        break;
    case SshError::HostKeyChanged:
        showBanner(message, Action::None); // never offer to go on
        break;
    case SshError::Tunnel:
    case SshError::Protocol:
        if (m_client->state() == SshClient::State::Open) { // errors come before closed()
            showBanner(tr("Connection to %1 lost — %2").arg(m_session, message), Action::Reconnect);
            break;
        }
        [[fallthrough]];
    default:
        showBanner(message, Action::Reconnect);
        break;
    }
    updateStatus();
}

void TerminalTab::onClosed()
{
    emit connectionChanged(false);
    updateStatus();
    if (m_errorShown)
        return;
    const int status = m_client->exitStatus();
    showBanner(status >= 0 ? tr("The shell in %1 exited with status %2.").arg(m_session).arg(status)
                           : tr("Connection to %1 closed.").arg(m_session),
               Action::Reconnect);
}

void TerminalTab::showBanner(const QString &text, Action action)
{
    m_action = action;
    m_bannerLabel->setText(text);
    switch (action) {
    case Action::Reconnect: m_bannerButton->setText(tr("Reconnect")); break;
    case Action::Resume: m_bannerButton->setText(tr("Resume")); break;
    case Action::Settings: m_bannerButton->setText(tr("Open Settings")); break;
    case Action::None: break;
    }
    m_bannerButton->setVisible(action != Action::None);
    m_banner->show();
}

void TerminalTab::hideBanner()
{
    m_action = Action::None;
    m_bannerLabel->clear();
    m_banner->hide();
}

void TerminalTab::updateStatus()
{
    QString state;
    switch (m_client->state()) {
    case SshClient::State::Idle: state = tr("not connected"); break;
    case SshClient::State::Tunnel: state = tr("opening the tunnel…"); break;
    case SshClient::State::Handshake: state = tr("checking the host key…"); break;
    case SshClient::State::Authenticating: state = tr("authenticating…"); break;
    case SshClient::State::OpeningShell: state = tr("starting the shell…"); break;
    case SshClient::State::Open: state = tr("connected"); break;
    case SshClient::State::Closed: state = tr("disconnected"); break;
    }
    QString text = tr("%1 — %2").arg(m_session, state);
    // A direct connection to a local platform answers in microseconds: "0 ms" would read as
    // unmeasured.
    if (m_client->state() == SshClient::State::Open && m_client->latencyMs() == 0)
        text += tr(" · latency under 1 ms");
    else if (m_client->state() == SshClient::State::Open && m_client->latencyMs() > 0)
        text += tr(" · latency %1 ms").arg(m_client->latencyMs());
    m_status->setText(text);
}

QString TerminalTab::askPassphrase(const QString &keyFile)
{
    // Runs inside libssh's key import (a nested event loop): the tab must outlive it, so a
    // close meanwhile only rejects the dialog and the tab goes once libssh has returned.
    QInputDialog dialog(this);
    dialog.setWindowTitle(tr("SSH key passphrase"));
    dialog.setLabelText(tr("The key %1 is encrypted. Passphrase to unlock it for session %2:")
                            .arg(keyFile, m_session));
    dialog.setTextEchoMode(QLineEdit::Password);
    m_passphraseDialog = &dialog;
    const bool ok = dialog.exec() == QDialog::Accepted;
    m_passphraseDialog = nullptr;
    if (m_closeWhenAsked) {
        m_client->close(); // finishes when the import returns
        deleteLater();
        return QString();
    }
    return ok ? dialog.textValue() : QString();
}

void TerminalTab::closeLater()
{
    if (m_passphraseDialog) {
        m_closeWhenAsked = true;
        m_passphraseDialog->reject();
        return;
    }
    deleteLater();
}

} // namespace og
