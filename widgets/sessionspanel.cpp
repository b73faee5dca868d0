// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/sessionspanel.h"

#include "core/apiclient.h"
#include "core/clientconfig.h"
#include "core/domain/instancetype.h"
#include "core/ssh/sshhostentries.h"
#include "models/sessionmodel.h"
#include "widgets/emptyhint.h"
#include "widgets/filteredview.h"
#include "widgets/messagebanner.h"
#include "widgets/newsessiondialog.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace og {

namespace {
bool canResume(const QString &status)
{
    return status == u"paused" || status == u"failed";
}

// VS Code's ProxyCommand is the grid CLI, which reaches the platform of its own configuration
// (GRID_URL / ~/.grid, else the local one): the platform this app shows only if the two agree.
bool cliReaches(const QUrl &appPlatform)
{
    QString error;
    const QString cliUrl = clientconfig::loadSettings(&error).gridUrl;
    if (cliUrl.isEmpty())
        return appPlatform.host() == u"127.0.0.1" || appPlatform.host() == u"localhost";
    const QUrl cli(cliUrl);
    return cli.host() == appPlatform.host() && cli.port(cli.scheme() == u"https" ? 443 : 80) == appPlatform.port(appPlatform.scheme() == u"https" ? 443 : 80);
}
} // namespace

SessionsPanel::SessionsPanel(ApiClient *api, SessionModel *model, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_model(model)
    , m_banner(new MessageBanner(this))
    , m_table(new FilteredView(QStringLiteral("sessions/table"), model, this))
{
    const auto action = [this](const char *icon, const QString &text, void (SessionsPanel::*slot)()) {
        auto *a = new QAction(QIcon::fromTheme(QLatin1String(icon)), text, this);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_new = action("list-add", tr("&New session…"), &SessionsPanel::openNewDialog);
    m_new->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_terminal = action("utilities-terminal", tr("Open &terminal"), &SessionsPanel::openTerminal);
    m_terminal->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_vsCode = action("code-context", tr("Open in &VS Code"), &SessionsPanel::openInVsCode);
    m_copySsh = action("edit-copy", tr("Copy &ssh command"), &SessionsPanel::copySshCommand);
    m_pause = action("media-playback-pause", tr("&Pause"), &SessionsPanel::pauseSelected);
    m_resume = action("media-playback-start", tr("&Resume"), &SessionsPanel::resumeSelected);
    m_changeType = action("preferences-system", tr("Change &instance type…"), &SessionsPanel::changeInstanceType);
    m_delete = action("edit-delete", tr("&Delete"), &SessionsPanel::deleteSelected);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_delete);

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_new);
    bar->addSeparator();
    bar->addActions({m_terminal, m_vsCode, m_copySsh});
    bar->addSeparator();
    bar->addActions({m_pause, m_resume, m_changeType, m_delete});

    m_table->setPlaceholder(tr("Filter sessions…"));
    QTreeView *view = m_table->view();
    view->setRootIsDecorated(false);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    view->header()->resizeSection(SessionModel::NameColumn, 220);
    view->header()->resizeSection(SessionModel::StatusColumn, 100);
    view->header()->resizeSection(SessionModel::InstanceTypeColumn, 120);
    view->header()->resizeSection(SessionModel::DatastoreColumn, 160);
    view->header()->resizeSection(SessionModel::DurationColumn, 120);
    m_table->restoreState();
    m_emptyHint = new EmptyHint(view,
                                tr("<p><b>No sessions yet.</b></p><p>A session is a machine on the platform that keeps running "
                                   "between connections, with your home directory and a datastore.</p>"
                                   "<p>Click <b>New session</b>, or run <code>grid session create</code> in a terminal.</p>"),
                                tr("No session matches the filter."));
    // Double-click and Enter both "activate" a row.
    connect(view, &QAbstractItemView::activated, this, &SessionsPanel::openTerminal);
    connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint &at) {
        if (!view->indexAt(at).isValid())
            return;
        QMenu menu(this);
        menu.addActions({m_terminal, m_vsCode, m_copySsh});
        menu.addSeparator();
        menu.addActions({m_pause, m_resume, m_changeType, m_delete});
        menu.exec(view->viewport()->mapToGlobal(at));
    });
    connect(m_table, &FilteredView::currentSourceChanged, this, [this] {
        m_banner->clear();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SessionsPanel::onModelRowsChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &SessionsPanel::onModelRowsChanged);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SessionsPanel::updateActions);
    connect(m_model, &SessionModel::loadFailed, this, [this](const QString &m) { m_banner->showMessage(m); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);

    confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Sessions"), question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
               == QMessageBox::Yes;
    };
    chooseInstanceType = [this](const QStringList &choices, int current, const QString &session) {
        bool ok = false;
        const QString picked = QInputDialog::getItem(this, tr("Change instance type"),
                                                     tr("Instance type of %1 (from its next resume):").arg(session), choices, current,
                                                     false, &ok);
        return ok ? picked : QString();
    };
    inform = [this](const QString &text) { QMessageBox::information(this, tr("Open in VS Code"), text); };
    updateActions();
}

QList<QAction *> SessionsPanel::sessionActions() const
{
    return {m_terminal, m_vsCode, m_copySsh, m_pause, m_resume, m_changeType, m_delete};
}

const SessionRow *SessionsPanel::current() const
{
    const int row = m_table->currentSourceIndex().row();
    return row >= 0 && row < m_model->items().size() ? &m_model->items()[row] : nullptr;
}

QLabel *SessionsPanel::emptyHint() const
{
    return m_emptyHint;
}

QString SessionsPanel::currentSession() const
{
    const SessionRow *s = current();
    return s ? s->name : QString();
}

void SessionsPanel::selectSession(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_table->view()->setCurrentIndex(m_table->proxy()->mapFromSource(m_model->index(row, 0)));
}

void SessionsPanel::onModelRowsChanged()
{
    updateActions();
    // Sessions resumed from "Open terminal" get their terminal as soon as they run.
    for (const QString &name : QStringList(m_terminalWhenRunning)) {
        const int row = m_model->rowOf(name);
        if (row < 0) {
            m_terminalWhenRunning.removeAll(name);
            continue;
        }
        const SessionRow &session = m_model->items()[row];
        if (session.status == u"running") {
            m_terminalWhenRunning.removeAll(name);
            Q_EMIT terminalRequested(name);
        } else if (session.status == u"failed") {
            m_terminalWhenRunning.removeAll(name);
            m_banner->showMessage(tr("Session %1 failed to start: %2").arg(name, session.reason));
        }
    }
}

void SessionsPanel::updateActions()
{
    const SessionRow *s = current();
    const QString status = s ? s->status : QString();
    m_terminal->setEnabled(s && status != u"deleting");
    m_vsCode->setEnabled(s && s->isRunning());
    m_copySsh->setEnabled(s);
    m_pause->setEnabled(status == u"running" || status == u"pending");
    m_resume->setEnabled(canResume(status));
    m_changeType->setEnabled(canResume(status));
    m_delete->setEnabled(s && status != u"deleting");
}

void SessionsPanel::act(const QString &path, const QJsonObject &body, const QString &failure)
{
    m_banner->clear();
    ApiReply *reply = m_api->post(path, body);
    connect(reply, &ApiReply::finished, this, [this, failure](const ApiResult &r) {
        if (!r.ok())
            m_banner->showMessage(tr("%1: %2").arg(failure, r.message));
        // Success shows as the row's new status (the `updated` event).
    });
}

void SessionsPanel::openNewDialog()
{
    auto *dialog = new NewSessionDialog(m_api, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewSessionDialog::created, this, [this](const QString &name) {
        // The row arrives with the `created` event; select it then (or now, if it is there).
        if (m_model->rowOf(name) >= 0)
            selectSession(name);
        else
            connect(m_model, &QAbstractItemModel::rowsInserted, this, [this, name] { selectSession(name); }, Qt::SingleShotConnection);
    });
    dialog->open();
}

void SessionsPanel::pauseSelected()
{
    if (const SessionRow *s = current())
        act(QStringLiteral("/sessions/%1/pause").arg(s->name), {}, tr("Cannot pause %1").arg(s->name));
}

void SessionsPanel::resumeSelected()
{
    if (const SessionRow *s = current())
        resume(s->name);
}

void SessionsPanel::resume(const QString &name, bool thenOpenTerminal)
{
    if (thenOpenTerminal && !m_terminalWhenRunning.contains(name))
        m_terminalWhenRunning.append(name);
    act(QStringLiteral("/sessions/%1/resume").arg(name), {}, tr("Cannot resume %1").arg(name));
}

void SessionsPanel::deleteSelected()
{
    const SessionRow *s = current();
    if (!s)
        return;
    const QString name = s->name;
    if (!confirm(tr("Delete session %1 with its home directory? Its files and everything installed in it are lost; "
                    "this cannot be undone.").arg(name)))
        return;
    m_banner->clear();
    m_terminalWhenRunning.removeAll(name);
    ApiReply *reply = m_api->del(QStringLiteral("/sessions/") + name);
    connect(reply, &ApiReply::finished, this, [this, name](const ApiResult &r) {
        if (!r.ok())
            m_banner->showMessage(tr("Cannot delete %1: %2").arg(name, r.message));
    });
}

void SessionsPanel::changeInstanceType()
{
    const SessionRow *s = current();
    if (!s)
        return;
    const QString name = s->name;
    const QString currentType = s->instanceType;
    m_banner->clear();
    ApiReply *reply = m_api->get(QStringLiteral("/instance-types"));
    connect(reply, &ApiReply::finished, this, [this, name, currentType](const ApiResult &r) {
        if (!r.ok()) {
            m_banner->showMessage(tr("Cannot list the instance types: %1").arg(r.message));
            return;
        }
        // "cpu-2 — 2 CPUs and 8 GiB of memory": the name first, so the choice reads back.
        QStringList choices;
        int selected = 0;
        for (const QJsonValue &v : r.object().value(QStringLiteral("instance_types")).toArray()) {
            const InstanceType t = InstanceType::fromJson(v.toObject());
            if (!t.available)
                continue;
            if (t.name == currentType)
                selected = int(choices.size());
            choices << QStringLiteral("%1 — %2").arg(t.name, t.shape.describe());
        }
        const QString picked = chooseInstanceType(choices, selected, name).section(QStringLiteral(" — "), 0, 0);
        if (picked.isEmpty() || picked == currentType)
            return;
        act(QStringLiteral("/sessions/%1/instance-type").arg(name), QJsonObject{{QStringLiteral("instance_type"), picked}},
            tr("Cannot change the instance type of %1").arg(name));
    });
}

void SessionsPanel::openTerminal()
{
    const SessionRow *s = current();
    if (!s)
        return;
    const QString name = s->name;
    if (s->isRunning()) {
        Q_EMIT terminalRequested(name);
        return;
    }
    if (s->status == u"pending") {
        m_banner->showMessage(tr("Session %1 is starting; its terminal opens as soon as it runs.").arg(name), MessageBanner::Kind::Info);
        if (!m_terminalWhenRunning.contains(name))
            m_terminalWhenRunning.append(name);
        return;
    }
    if (!canResume(s->status)) {
        m_banner->showMessage(tr("Session %1 is %2, not running. Resume it once it is paused.").arg(name, s->status),
                              MessageBanner::Kind::Warning);
        return;
    }
    if (confirm(tr("Session %1 is %2, not running. Resume it? Its terminal opens as soon as it runs.").arg(name, s->status)))
        resume(name, true);
}

void SessionsPanel::openInVsCode()
{
    const SessionRow *s = current();
    if (!s || !s->isRunning())
        return;
    m_banner->clear();
    const QString grid = sshhostentries::findGridProgram();
    if (grid.isEmpty()) {
        m_banner->showMessage(tr("VS Code reaches sessions through the grid command-line tool, which is not installed here: "
                                 "put the directory with grid on PATH (make install, or build/bin)."));
        return;
    }
    const QList<SessionSummary> sessions(m_model->items().cbegin(), m_model->items().cend());
    if (const QString e = sshhostentries::writeSshConfig(sessions, grid); !e.isEmpty()) {
        m_banner->showMessage(tr("Cannot update the SSH configuration: %1").arg(e));
        return;
    }
    const QString platform = m_api->baseUrl().toString();
    const QString otherPlatform = cliReaches(m_api->baseUrl())
        ? QString()
        : tr("VS Code connects through the grid command-line tool, which is set up for another platform: run "
             "grid login --url %1 first.").arg(platform);
    const QString code = QStandardPaths::findExecutable(QStringLiteral("code"));
    if (code.isEmpty()) {
        inform(tr("<p>VS Code (<code>code</code>) is not installed here. To open session %1 in VS Code:</p>"
                  "<ol><li>Install VS Code and its \"Remote - SSH\" extension.</li>"
                  "<li>Remote Explorer → SSH Targets: pick \"%1\" (OpenGrid wrote it to %2).</li></ol>")
                   .arg(s->name, sshhostentries::sshConfigPath().toHtmlEscaped())
               + (otherPlatform.isEmpty() ? QString() : QStringLiteral("<p>%1</p>").arg(otherPlatform.toHtmlEscaped())));
        return;
    }
    if (!QProcess::startDetached(code, sshhostentries::vsCodeArguments(*s)))
        m_banner->showMessage(tr("Cannot start VS Code (%1).").arg(code));
    else if (!otherPlatform.isEmpty())
        m_banner->showMessage(tr("Opening session %1 in VS Code…").arg(s->name) + u' ' + otherPlatform, MessageBanner::Kind::Warning);
    else
        m_banner->showMessage(tr("Opening session %1 in VS Code…").arg(s->name), MessageBanner::Kind::Info);
}

void SessionsPanel::copySshCommand()
{
    const SessionRow *s = current();
    if (!s)
        return;
    const QString command = QStringLiteral("grid session ssh ") + s->name;
    QGuiApplication::clipboard()->setText(command);
    m_banner->showMessage(tr("Copied “%1” to the clipboard.").arg(command), MessageBanner::Kind::Info);
}

} // namespace og
