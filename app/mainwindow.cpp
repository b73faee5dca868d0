// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/mainwindow.h"

#include "app/credentialstore.h"
#include "app/platformsession.h"
#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "models/datastoremodel.h"
#include "models/experimentmodel.h"
#include "models/metricstore.h"
#include "models/runmodel.h"
#include "models/sessionmodel.h"
#include "widgets/datastorespanel.h"
#include "widgets/messagebanner.h"
#include "widgets/newrundialog.h"
#include "widgets/runspanel.h"
#include "widgets/sessionspanel.h"
#include "widgets/terminal/terminaltabs.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace og {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_credentials(new CredentialStore(this))
    , m_session(new PlatformSession(m_credentials, this))
    , m_datastoreModel(new DatastoreModel(this))
    , m_runModel(new RunModel(this))
    , m_sessionModel(new SessionModel(this))
    , m_metrics(new MetricStore(m_session->api(), m_session->events(), this))
    , m_experimentModel(new ExperimentModel(m_session->api(), m_session->events(), m_metrics, this))
    , m_banner(new MessageBanner(this))
    , m_nav(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_urlLabel(new QLabel(this))
    , m_userLabel(new QLabel(this))
    , m_stateLabel(new QLabel(this))
{
    setWindowTitle(tr("OpenGrid"));
    setObjectName(QStringLiteral("mainWindow"));
    m_datastoreModel->attach(m_session->api(), m_session->events());
    m_runModel->attach(m_session->api(), m_session->events());
    m_sessionModel->attach(m_session->api(), m_session->events());

    m_datastores = new DatastoresPanel(m_session->api(), m_datastoreModel, [this] { return m_session->connectionInfo(); }, this);
    buildSessionsPage();
    m_runs = new RunsPanel(m_session->api(), m_runModel, m_experimentModel, m_metrics, this);
    m_pages->addWidget(m_datastores);
    m_pages->addWidget(m_sessionsSplit);
    m_pages->addWidget(m_runs);

    m_nav->addItems({tr("Datastores"), tr("Sessions"), tr("Runs")});
    m_nav->item(0)->setIcon(QIcon::fromTheme(QStringLiteral("drive-harddisk")));
    m_nav->item(1)->setIcon(QIcon::fromTheme(QStringLiteral("utilities-terminal")));
    m_nav->item(2)->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-start")));
    m_nav->setIconSize(QSize(22, 22));
    m_nav->setSpacing(2);
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("mainSplitter"));
    split->addWidget(m_nav);
    split->addWidget(m_pages);
    split->setStretchFactor(1, 1);
    split->setCollapsible(1, false);
    split->setSizes({170, 1230});
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);
    setCentralWidget(central);

    statusBar()->addWidget(m_urlLabel);
    statusBar()->addWidget(m_userLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
    buildActions();

    connect(m_session, &PlatformSession::connected, this, [this] {
        m_datastoreModel->reload();
        m_runModel->reload();
        m_sessionModel->reload();
        const QString run = QSettings().value(QStringLiteral("runs/selectedRun")).toString();
        if (!run.isEmpty())
            connect(m_runModel, &QAbstractItemModel::rowsInserted, this, [this, run] { m_runs->selectRun(run); },
                    Qt::SingleShotConnection);
        updateStatus();
    });
    connect(m_session, &PlatformSession::resynced, this, [this] {
        // Whatever changed during the break arrives as a merge, not a reset: the view stays.
        m_datastoreModel->reload();
        m_runModel->reload();
        m_sessionModel->reload();
        m_experimentModel->reload();
        m_metrics->reloadAll();
    });
    connect(m_session, &PlatformSession::stateChanged, this, &MainWindow::updateStatus);
    connect(m_session, &PlatformSession::errorChanged, this, &MainWindow::updateStatus);
    connect(m_runs, &RunsPanel::newRunRequested, this, &MainWindow::openNewRun);
    connect(m_runs, &RunsPanel::cloneRequested, this, [this](const QJsonObject &spec) {
        auto *dialog = new NewRunDialog(m_session->api(), m_session->connectionInfo(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->applySpec(spec);
        connect(dialog, &NewRunDialog::submitted, m_runs, &RunsPanel::selectRun);
        dialog->open();
    });

    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    split->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray());
    connect(split, &QSplitter::splitterMoved, this, [split] { QSettings().setValue(QStringLiteral("window/splitter"), split->saveState()); });
    if (!s.contains(QStringLiteral("window/geometry")))
        resize(1400, 900);
    showPage(s.value(QStringLiteral("window/page"), 0).toInt());
    updateStatus();
    m_session->start();
}

void MainWindow::buildSessionsPage()
{
    m_sessions = new SessionsPanel(m_session->api(), m_sessionModel, this);
    m_terminals = new TerminalTabs(this);
    m_terminals->setApiClient(m_session->api());
    m_terminals->hide(); // until the first terminal opens: the table has the page to itself
    m_sessionsSplit = new QSplitter(Qt::Vertical, this);
    m_sessionsSplit->setObjectName(QStringLiteral("sessionsSplitter"));
    m_sessionsSplit->addWidget(m_sessions);
    m_sessionsSplit->addWidget(m_terminals);
    m_sessionsSplit->setCollapsible(1, false);
    m_sessionsSplit->setStretchFactor(1, 1);
    m_sessionModel->localConnections = [this](const QString &name) { return m_terminals->connectedCount(name); };

    connect(m_sessions, &SessionsPanel::terminalRequested, this, [this](const QString &name) {
        if (m_terminals->isHidden()) {
            m_terminals->show();
            // The terminal gets most of the height; the table keeps a few rows.
            const QByteArray saved = QSettings().value(QStringLiteral("sessions/splitter")).toByteArray();
            if (saved.isEmpty() || !m_sessionsSplit->restoreState(saved))
                m_sessionsSplit->setSizes({m_sessionsSplit->height() / 3, m_sessionsSplit->height() * 2 / 3});
        }
        m_terminals->openSession(name);
    });
    connect(m_terminals, &QTabWidget::currentChanged, this, [this](int index) {
        if (index < 0) // the last terminal closed
            m_terminals->hide();
    });
    connect(m_sessionsSplit, &QSplitter::splitterMoved, this,
            [this] { QSettings().setValue(QStringLiteral("sessions/splitter"), m_sessionsSplit->saveState()); });
    // A tab's Resume resumes the session; the tab reconnects by itself once it runs.
    connect(m_terminals, &TerminalTabs::resumeRequested, m_sessions, [this](const QString &name) { m_sessions->resume(name); });
    connect(m_terminals, &TerminalTabs::openSettingsRequested, this, [this] { openSettings(SettingsDialog::Page::SshKeys); });
}

MainWindow::~MainWindow()
{
    // Views and models let go of the metric store before it goes (children die in creation order).
    delete m_runs;
    delete m_experimentModel;
}

void MainWindow::buildActions()
{
    auto *settings = new QAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("&Settings…"), this);
    // X11 desktops define no standard Preferences key; Ctrl+, is what most apps use there.
    const QKeySequence preferences(QKeySequence::Preferences);
    settings->setShortcut(preferences.isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Comma) : preferences);
    connect(settings, &QAction::triggered, this, [this] { openSettings(); });
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    auto *reconnect = new QAction(QIcon::fromTheme(QStringLiteral("network-connect")), tr("Re&connect"), this);
    connect(reconnect, &QAction::triggered, m_session, &PlatformSession::start);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_datastores->newAction());
    file->addAction(m_sessions->newAction());
    file->addAction(m_runs->newAction());
    file->addSeparator();
    file->addAction(settings);
    file->addAction(reconnect);
    file->addSeparator();
    file->addAction(quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList pages{tr("&Datastores"), tr("&Sessions"), tr("&Runs")};
    for (int i = 0; i < pages.size(); ++i) {
        auto *a = view->addAction(pages[i]);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] { showPage(i); });
    }
    view->addSeparator();
    view->addAction(m_datastores->refreshAction());
    QMenu *sessions = menuBar()->addMenu(tr("S&essions"));
    sessions->addAction(m_sessions->newAction());
    sessions->addSeparator();
    sessions->addActions(m_sessions->sessionActions());
    QMenu *runs = menuBar()->addMenu(tr("&Runs"));
    runs->addActions({m_runs->newAction(), m_runs->stopAction(), m_runs->deleteAction(), m_runs->cloneAction()});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About OpenGrid"), this, [this] {
        QMessageBox::about(this, tr("About OpenGrid"),
                           tr("<h3>OpenGrid %1</h3><p>Datastores, sessions and hyperparameter sweeps on your own "
                              "machines.</p><p>GPL-3.0-or-later</p>").arg(QApplication::applicationVersion()));
    });

    auto *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_datastores->newAction());
    bar->addAction(m_sessions->newAction());
    bar->addAction(m_runs->newAction());
    bar->addSeparator();
    bar->addAction(settings);
}

void MainWindow::showPage(int page)
{
    page = qBound(0, page, m_pages->count() - 1);
    m_nav->setCurrentRow(page);
    m_pages->setCurrentIndex(page);
}

int MainWindow::currentPage() const
{
    return m_pages->currentIndex();
}

QString MainWindow::statusText() const
{
    return QStringList{m_urlLabel->text(), m_userLabel->text(), m_stateLabel->text()}.join(QStringLiteral(" | "));
}

void MainWindow::updateStatus()
{
    const QString url = m_session->url();
    m_urlLabel->setText(url.isEmpty() ? tr("Platform: starting the local platform…")
                                      : (m_session->isLocal() ? tr("Platform: %1 (local)") : tr("Platform: %1")).arg(url));
    m_userLabel->setText(m_session->username().isEmpty() ? QString() : tr("User: %1").arg(m_session->username()));
    const auto state = m_session->state();
    const char *colour = state == PlatformSession::State::Live ? "#2e7d32" : state == PlatformSession::State::Offline ? "#c62828" : "#ef6c00";
    m_stateLabel->setText(QStringLiteral("<span style='color:%1'>●</span> %2").arg(QLatin1String(colour), m_session->stateText()));
    switch (state) {
    case PlatformSession::State::Live:
        m_banner->clear();
        break;
    case PlatformSession::State::Reconnecting:
        m_banner->showMessage(tr("Connection to the platform lost; reconnecting… What you see is kept and updates when it is back."),
                              MessageBanner::Kind::Warning);
        break;
    case PlatformSession::State::Offline:
        m_banner->showMessage(tr("The platform cannot be reached: %1 Retrying.").arg(m_session->lastError()), MessageBanner::Kind::Error);
        break;
    case PlatformSession::State::Connecting:
        if (!m_session->lastError().isEmpty())
            m_banner->showMessage(m_session->lastError(), MessageBanner::Kind::Error);
        break;
    }
}

void MainWindow::openSettings(SettingsDialog::Page page)
{
    auto *dialog = new SettingsDialog(m_session->api(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QSettings s;
    const QString url = s.value(QStringLiteral("platform/url")).toString();
    dialog->setServer(url, s.value(QStringLiteral("platform/caFile")).toString());
    dialog->setLanguage(s.value(QStringLiteral("ui/language")).toString());
    dialog->setConnectionError(m_session->lastError());
    if (!url.isEmpty())
        m_credentials->read(url, [dialog = QPointer<SettingsDialog>(dialog)](const QString &key, const QString &) {
            if (dialog)
                dialog->setApiKey(key);
        });
    dialog->showPage(page);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        applySettings(dialog->platformChanged(), dialog->useLocal(), dialog->url(), dialog->apiKey(), dialog->caFile(), dialog->language());
    });
    dialog->open();
}

void MainWindow::applySettings(bool platformChanged, bool local, const QString &url, const QString &key, const QString &caFile,
                               const QString &language)
{
    QSettings s;
    const QString oldLanguage = s.value(QStringLiteral("ui/language")).toString();
    s.setValue(QStringLiteral("ui/language"), language);
    if (language != oldLanguage)
        QMessageBox::information(this, tr("Language"), tr("The new language applies the next time OpenGrid starts."));
    if (!platformChanged)
        return; // the same platform: its connection (and the terminals on it) stays
    if (local) {
        s.remove(QStringLiteral("platform/url"));
        s.remove(QStringLiteral("platform/caFile"));
        m_session->start();
        return;
    }
    s.setValue(QStringLiteral("platform/url"), url);
    s.setValue(QStringLiteral("platform/caFile"), caFile);
    m_credentials->write(url, key, [this](const QString &error, const QString &where) {
        if (!error.isEmpty())
            m_banner->showMessage(tr("Cannot store the API key (%1): %2").arg(where, error));
        m_session->start();
    });
}

void MainWindow::openNewRun()
{
    auto *dialog = new NewRunDialog(m_session->api(), m_session->connectionInfo(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewRunDialog::submitted, this, [this](const QString &name) {
        showPage(2);
        // The row arrives with the `runs` event; select it then (or now, if it is there).
        if (m_runModel->rowOf(name) >= 0)
            m_runs->selectRun(name);
        else
            connect(m_runModel, &QAbstractItemModel::rowsInserted, this, [this, name] { m_runs->selectRun(name); },
                    Qt::SingleShotConnection);
    });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/page"), currentPage());
    event->accept();
}

} // namespace og
