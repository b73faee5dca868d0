// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's Sessions page against a real gridd with real sessions (bubblewrap sandboxes,
// OpenSSH's sshd inside): the model follows the event stream row by row, a session made with
// the New-session dialog goes pending → running without a refresh, a double-click opens a
// terminal at the session's shell (timed), pause / resume / change instance type / delete act
// from the panel, VS Code's ssh config is written as the CLI writes it, and Settings' SSH keys
// page adds, generates and removes keys.
#include "app/mainwindow.h"
#include "app/platformsession.h"
#include "core/ssh/sshidentities.h"
#include "models/sessionmodel.h"
#include "tests/gui/guifixtures.h"
#include "tests/support/griddprocess.h"
#include "tests/support/sessionfixture.h"
#include "widgets/computechoices.h"
#include "widgets/filteredview.h"
#include "widgets/messagebanner.h"
#include "widgets/newsessiondialog.h"
#include "widgets/sessionspanel.h"
#include "widgets/settingsdialog.h"
#include "widgets/sshkeyspage.h"
#include "widgets/terminal/terminaltab.h"
#include "widgets/terminal/terminaltabs.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QTreeWidget>

using namespace og;
using og::test::GriddProcess;

namespace {
constexpr auto kSession = "panel-test";

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
} // namespace

class TestGuiSessions final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<GriddProcess> m_gridd;
    std::unique_ptr<MainWindow> m_window;
    SessionsPanel *m_panel = nullptr;
    SessionModel *m_model = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QSignalSpy> m_resets;
    QString m_skip; // why sessions cannot run here

    QString statusOf(const QString &name) const
    {
        const int row = m_model->rowOf(name);
        return row < 0 ? QString() : m_model->items()[row].status;
    }

    void select(const QString &name)
    {
        m_panel->selectSession(name);
        QCOMPARE(m_panel->currentSession(), name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Nothing of the real user's: settings, ~/.ssh, ~/.grid all in a temp home.
        QStandardPaths::setTestModeEnabled(true);
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("GRID_DIR", m_home.filePath(QStringLiteral("grid")).toUtf8());
        qputenv("GRID_SSH_CONFIG", m_home.filePath(QStringLiteral(".ssh/config")).toUtf8());
        qunsetenv("SSH_AUTH_SOCK"); // only the keys this test makes
        QCoreApplication::setOrganizationName(QStringLiteral("OpenGridTest"));
        QCoreApplication::setApplicationName(QStringLiteral("opengrid-sessions-test"));
        QSettings().clear();
        m_skip = test::sessionSkipReason();

        m_gridd = std::make_unique<GriddProcess>(m_home.filePath(QStringLiteral("data")));
        QString error;
        QVERIFY2(m_gridd->start(&error), qPrintable(error));
        // The window finds the platform as the CLI would (GRID_URL and the user's key).
        QFile credentials(m_gridd->dataDir() + QStringLiteral("/local-credentials.json"));
        QVERIFY(credentials.open(QIODevice::ReadOnly));
        qputenv("GRID_URL", m_gridd->url().toString().toUtf8());
        qputenv("GRID_USER_ID", QJsonDocument::fromJson(credentials.readAll()).object().value(QStringLiteral("UserID")).toString().toUtf8());
        qputenv("GRID_API_KEY", m_gridd->localToken().toUtf8());

        m_window = std::make_unique<MainWindow>();
        m_window->resize(1300, 850);
        m_window->show();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), PlatformSession::State::Live, 20000);
        m_window->showPage(1);
        m_panel = m_window->sessionsPanel();
        m_model = qobject_cast<SessionModel *>(m_panel->table()->proxy()->sourceModel());
        QVERIFY(m_model);
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_resets = std::make_unique<QSignalSpy>(m_model, &QAbstractItemModel::modelReset);
    }

    void modelMergesRowByRow()
    {
        SessionModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        const auto row = [](const char *name, const char *status, qint64 age, std::optional<int> connections) {
            SessionRow r;
            r.name = QString::fromLatin1(name);
            r.status = QString::fromLatin1(status);
            r.instanceType = QStringLiteral("cpu-1");
            r.createdAt = QDateTime::currentDateTimeUtc().addSecs(-age);
            r.startedAt = r.createdAt;
            r.reportsConnections = connections.has_value();
            r.sshConnections = connections.value_or(0);
            return r;
        };
        model.mergeAll({row("newer", "running", 10, 2), row("older", "paused", 100, std::nullopt)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, SessionModel::NameColumn).data().toString(), QStringLiteral("newer"));
        QCOMPARE(model.index(0, SessionModel::ConnectedColumn).data().toInt(), 2);
        QVERIFY(!model.index(0, SessionModel::DurationColumn).data().toString().isEmpty());
        // Absent from the platform's answer: blank, not 0. A paused session's time does not run.
        QCOMPARE(model.index(1, SessionModel::ConnectedColumn).data().toString(), QString());
        QCOMPARE(model.index(1, SessionModel::DurationColumn).data().toString(), QString());
        // A reload that lost one row and changed the other: one removal, one dataChanged.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.mergeAll({row("older", "running", 100, 0)});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(resets.count(), 0);
    }

    void emptyPanelSaysWhatToDo()
    {
        QLabel *hint = m_panel->emptyHint();
        QTRY_VERIFY(hint->isVisible());
        QVERIFY(hint->text().contains(QStringLiteral("grid session create")));
        for (QAction *a : m_panel->sessionActions())
            QVERIFY2(!a->isEnabled(), qPrintable(a->text()));
        QVERIFY(m_panel->newAction()->isEnabled());
    }

    void badInputInTheDialogDisablesCreate()
    {
        NewSessionDialog dialog(m_window->session()->api());
        QVERIFY(dialog.canCreate()); // empty name: the platform generates one
        dialog.setName(QStringLiteral("Bad_Name"));
        QVERIFY(!dialog.canCreate());
        QVERIFY2(dialog.errorText().contains(QStringLiteral("lower case")), qPrintable(dialog.errorText()));
        dialog.setName(QStringLiteral("good-name"));
        QVERIFY(dialog.canCreate());
        QVERIFY(dialog.errorText().isEmpty());
        dialog.setMountDir(QStringLiteral("relative/dir"));
        QVERIFY(dialog.canCreate()); // no datastore: the mount dir is not used
        // What the platform refuses shows in the dialog, which stays open with what was typed.
        dialog.choices()->setInstanceType(QStringLiteral("p3dn.24xlarge")); // 8 V100s
        QCOMPARE(dialog.requestBody().value(QStringLiteral("instance_type")).toString(), QStringLiteral("p3dn.24xlarge"));
        dialog.create();
        QTRY_VERIFY2_WITH_TIMEOUT(dialog.errorText().contains(QStringLiteral("GPU")), qPrintable(dialog.errorText()), 10000);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.canCreate());
        // The form refreshing itself (instance types or datastores arriving late) keeps the answer...
        Q_EMIT dialog.choices()->changed();
        QVERIFY2(dialog.errorText().contains(QStringLiteral("GPU")), qPrintable(dialog.errorText()));
        // ...and the user's next edit retires it.
        QLineEdit *name = nullptr;
        for (QLineEdit *edit : dialog.findChildren<QLineEdit *>())
            if (edit->text() == u"good-name")
                name = edit;
        QVERIFY(name != nullptr);
        QTest::keyClick(name, Qt::Key_S);
        QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
        QVERIFY(dialog.canCreate());
    }

    void sshKeysPageAddsGeneratesAndRemoves()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty())
            QSKIP("OpenSSH's ssh-keygen is not installed (scripts/install-deps.sh installs it)");
        m_window->openSettings(SettingsDialog::Page::SshKeys);
        SettingsDialog *settings = nullptr;
        QTRY_VERIFY((settings = m_window->findChild<SettingsDialog *>()) != nullptr);
        SshKeysPage *page = settings->sshKeysPage();
        QVERIFY(page);
        QTRY_VERIFY(page->isVisible()); // opened on this page, as a terminal's "Settings" asks
        QSignalSpy loaded(page, &SshKeysPage::loaded);
        QTRY_VERIFY(page->messageText().contains(QStringLiteral("no SSH keys")));

        // Grid's tutorial passes the private key's path; its .pub beside it is what is added.
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        const QString rsa = m_home.filePath(QStringLiteral(".ssh/grid_ssh_creds"));
        QCOMPARE(test::runProgram(QStringLiteral("ssh-keygen"), {QStringLiteral("-b"), QStringLiteral("2048"), QStringLiteral("-t"),
                                                                 QStringLiteral("rsa"), QStringLiteral("-f"), rsa, QStringLiteral("-q"),
                                                                 QStringLiteral("-N"), QString()}), 0);
        page->addFromFile(rsa, QStringLiteral("key_1"));
        QTRY_COMPARE_WITH_TIMEOUT(page->list()->topLevelItemCount(), 1, 10000);
        QTreeWidgetItem *item = page->list()->topLevelItem(0);
        QCOMPARE(item->text(0), QStringLiteral("key_1"));
        QVERIFY(item->text(1).startsWith(QStringLiteral("ssh-rsa")));
        QVERIFY(item->text(2).startsWith(QStringLiteral("SHA256:")));
        QVERIFY(sshidentities::registeredFiles().contains(rsa));

        // Bad input: the file named with what is wrong; the same key twice: the platform's reason.
        const QString junk = m_home.filePath(QStringLiteral("junk.pub"));
        QVERIFY(test::writeFile(junk, "not a key\n"));
        page->addFromFile(junk, QStringLiteral("junk"));
        QVERIFY2(page->messageText().contains(junk), qPrintable(page->messageText()));
        page->addFromFile(rsa + QStringLiteral(".pub"), QStringLiteral("again"));
        QTRY_VERIFY2(page->messageText().contains(QStringLiteral("already")), qPrintable(page->messageText()));

        // Generate: an Ed25519 pair OpenSSH reads, private 0600, registered and remembered.
        page->generateKey(QStringLiteral("laptop"));
        QTRY_COMPARE_WITH_TIMEOUT(page->list()->topLevelItemCount(), 2, 10000);
        const QString generated = SshKeysPage::generatedKeyPath();
        QVERIFY(test::onlyOwnerCanRead(generated));
        QString derived;
        QCOMPARE(test::runProgram(QStringLiteral("ssh-keygen"), {QStringLiteral("-y"), QStringLiteral("-f"), generated}, &derived), 0);
        QCOMPARE(derived.trimmed().section(u' ', 0, 1), readAll(generated + QStringLiteral(".pub")).section(u' ', 0, 1));
        QVERIFY(sshidentities::registeredFiles().contains(generated));
        page->generateKey(QStringLiteral("twice")); // never over an existing key
        QVERIFY2(page->messageText().contains(QStringLiteral("already exists")), qPrintable(page->messageText()));

        // Remove asks first; "no" keeps the key.
        page->list()->setCurrentItem(page->list()->topLevelItem(0));
        QString asked;
        page->confirm = [&asked](const QString &q) {
            asked = q;
            return false;
        };
        page->removeSelected();
        QVERIFY(asked.contains(QStringLiteral("key_1")));
        page->confirm = [](const QString &) { return true; };
        page->removeSelected();
        QTRY_COMPARE_WITH_TIMEOUT(page->list()->topLevelItemCount(), 1, 10000);
        QCOMPARE(page->list()->topLevelItem(0)->text(0), QStringLiteral("laptop"));
        settings->reject();
    }

    void createdSessionGoesLiveWithoutRefresh()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        QStringList seen; // every status the row showed
        connect(m_model, &QAbstractItemModel::dataChanged, this, [this, &seen] {
            const QString s = statusOf(QString::fromLatin1(kSession));
            if (!s.isEmpty() && (seen.isEmpty() || seen.last() != s))
                seen << s;
        });
        connect(m_model, &QAbstractItemModel::rowsInserted, this, [this, &seen] {
            if (const QString s = statusOf(QString::fromLatin1(kSession)); !s.isEmpty() && seen.isEmpty())
                seen << s;
        });
        m_panel->openNewDialog();
        NewSessionDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_panel->findChild<NewSessionDialog *>()) != nullptr);
        dialog->setName(QString::fromLatin1(kSession));
        QElapsedTimer clock;
        clock.start();
        dialog->create();
        QTRY_VERIFY_WITH_TIMEOUT(m_model->rowOf(QString::fromLatin1(kSession)) >= 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(QString::fromLatin1(kSession)), QStringLiteral("running"), 30000);
        qInfo("Create to a running row: %lld ms", clock.elapsed());
        disconnect(m_model, nullptr, this, nullptr);
        QCOMPARE(seen.first(), QStringLiteral("pending"));
        QCOMPARE(seen.last(), QStringLiteral("running"));
        QTRY_COMPARE(m_panel->currentSession(), QString::fromLatin1(kSession)); // the new row is selected
        QVERIFY(!m_panel->emptyHint()->isVisible());
        QVERIFY(m_panel->pauseAction()->isEnabled());
        QVERIFY(!m_panel->resumeAction()->isEnabled());
        QVERIFY(!m_panel->changeTypeAction()->isEnabled());
        QVERIFY(m_panel->vsCodeAction()->isEnabled());
        // A filter that hides every row says so instead.
        m_panel->table()->filterEdit()->setText(QStringLiteral("no-such-session"));
        QTRY_VERIFY(m_panel->emptyHint()->isVisible());
        QVERIFY(m_panel->emptyHint()->text().contains(QStringLiteral("filter")));
        m_panel->table()->filterEdit()->clear();
        QTRY_VERIFY(!m_panel->emptyHint()->isVisible());
        QCOMPARE(m_resets->count(), 0);
    }

    void doubleClickOpensATerminalAtTheShell()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        TerminalTabs *tabs = m_window->terminals();
        QVERIFY(!tabs->isVisible());
        QSignalSpy ready(tabs, &TerminalTabs::shellReady);
        select(QString::fromLatin1(kSession));
        QTreeView *view = m_panel->table()->view();
        const QRect rect = view->visualRect(view->currentIndex());
        // A real double-click: the item view acts on the second press's double-click event.
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, rect.center());
        QElapsedTimer clock;
        clock.start();
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(tabs->count(), 1);
        auto *tab = qobject_cast<TerminalTab *>(tabs->currentWidget());
        QVERIFY(tab);
        // The "at a shell prompt in under 2 seconds" — measured, not asserted (shared machine).
        QTRY_VERIFY2_WITH_TIMEOUT(ready.count() == 1, qPrintable(tab->statusText() + u' ' + tab->bannerText()), 30000);
        qInfo("double-click to shell prompt: %lld ms", clock.elapsed());
        QCOMPARE(ready.first().first().toString(), QString::fromLatin1(kSession));
        QVERIFY(tabs->isVisible());
        QCOMPARE(tabs->count(), 1);
        QTRY_COMPARE(tabs->connectedCount(QString::fromLatin1(kSession)), 1);
        // A tab whose key is refused offers Settings: it opens on the SSH keys page.
        Q_EMIT tabs->openSettingsRequested();
        SettingsDialog *settings = nullptr;
        QTRY_VERIFY((settings = m_window->findChild<SettingsDialog *>()) != nullptr && settings->isVisible());
        QTRY_VERIFY(settings->sshKeysPage()->isVisible());
        QVERIFY(!settings->platformChanged());
        settings->accept(); // nothing about the platform changed: the connection stays
        QCOMPARE(m_window->session()->state(), PlatformSession::State::Live);
        // Who is connected: the platform's count arrives as an `updated` event, no reload.
        const QModelIndex connected = m_model->index(m_model->rowOf(QString::fromLatin1(kSession)), SessionModel::ConnectedColumn);
        QTRY_COMPARE_WITH_TIMEOUT(connected.data().toInt(), 1, 10000);
        QVERIFY(connected.data(Qt::ToolTipRole).toString().contains(QStringLiteral("this app's terminals: 1")));
    }

    void vsCodeAndCopyUseTheCliWay()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        select(QString::fromLatin1(kSession));
        m_panel->copySshAction()->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("grid session ssh panel-test"));

        if (!QStandardPaths::findExecutable(QStringLiteral("code")).isEmpty())
            QSKIP("VS Code is installed here; this checks the steps shown without it");
        QString shown;
        m_panel->inform = [&shown](const QString &text) { shown = text; };
        m_panel->vsCodeAction()->trigger();
        QVERIFY2(shown.contains(QStringLiteral("\"Remote - SSH\" extension")), qPrintable(shown + m_panel->banner()->text()));
        QVERIFY(shown.contains(QStringLiteral("pick \"panel-test\"")));
        QVERIFY(!shown.contains(QStringLiteral("grid login"))); // the CLI is set up for this platform
        // A CLI set up for another platform could not carry VS Code here: the steps say how to fix it.
        const QByteArray url = qgetenv("GRID_URL");
        qputenv("GRID_URL", "https://grid.example.org:7411");
        m_panel->vsCodeAction()->trigger();
        qputenv("GRID_URL", url);
        QVERIFY2(shown.contains(QStringLiteral("grid login --url ") + m_gridd->url().toString()), qPrintable(shown));
        // The managed block as `grid session ssh` writes it, with the grid CLI as ProxyCommand.
        const QString config = readAll(m_home.filePath(QStringLiteral(".ssh/config")));
        QVERIFY2(config.contains(QStringLiteral("Host panel-test\n")), qPrintable(config));
        QVERIFY(config.contains(QStringLiteral("/grid session proxy --fdpass %n\n    ProxyUseFdpass yes\n")));
        QVERIFY(config.contains(QStringLiteral("IdentityFile ") + SshKeysPage::generatedKeyPath()));
        const QString hostKey = m_gridd->call("GET", QStringLiteral("/sessions/panel-test")).object().value(QStringLiteral("session"))
                                    .toObject().value(QStringLiteral("host_key")).toString();
        QVERIFY(readAll(m_home.filePath(QStringLiteral("grid/known_hosts"))).contains(QStringLiteral("panel-test ") + hostKey));
    }

    void pauseChangeTypeAndResumeFromThePanel()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString name = QString::fromLatin1(kSession);
        select(name);
        m_panel->pauseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(name), QStringLiteral("paused"), 30000);
        QVERIFY(m_panel->resumeAction()->isEnabled());
        QVERIFY(m_panel->changeTypeAction()->isEnabled());
        QVERIFY(!m_panel->pauseAction()->isEnabled());
        QVERIFY(!m_panel->vsCodeAction()->isEnabled());

        // Change instance type: the platform's types listed, the current one preselected.
        QStringList offered;
        QString preselected, picked;
        m_panel->chooseInstanceType = [&](const QStringList &choices, int current, const QString &) {
            offered = choices;
            preselected = choices.value(current);
            picked = choices.size() > 1 ? choices.value(current == 0 ? 1 : 0) : QString();
            return picked;
        };
        m_panel->changeTypeAction()->trigger();
        QTRY_VERIFY(!offered.isEmpty());
        QVERIFY2(preselected.startsWith(QStringLiteral("cpu-1 — ")), qPrintable(offered.join(u'\n')));
        if (!picked.isEmpty()) {
            QTRY_COMPARE_WITH_TIMEOUT(m_model->items()[m_model->rowOf(name)].instanceType, picked.section(QStringLiteral(" — "), 0, 0), 10000);
            QVERIFY2(m_panel->banner()->text().isEmpty(), qPrintable(m_panel->banner()->text()));
        }

        // Open terminal on a paused session offers Resume, and the terminal opens once it runs.
        QSignalSpy requested(m_panel, &SessionsPanel::terminalRequested);
        QString asked;
        m_panel->confirm = [&asked](const QString &q) {
            asked = q;
            return true;
        };
        m_panel->terminalAction()->trigger();
        QVERIFY2(asked.contains(QStringLiteral("paused")), qPrintable(asked));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(name), QStringLiteral("running"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 1, 5000);
        QCOMPARE(m_window->terminals()->count(), 2);

        // A terminal tab's own Resume (its session was paused under it) resumes it too.
        m_panel->pauseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(name), QStringLiteral("paused"), 30000);
        Q_EMIT m_window->terminals()->resumeRequested(name);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(name), QStringLiteral("running"), 30000);
        QCOMPARE(m_resets->count(), 0);
    }

    void deleteAsksThenRemovesTheRow()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString name = QString::fromLatin1(kSession);
        select(name);
        m_panel->confirm = [](const QString &) { return false; };
        m_panel->deleteAction()->trigger();
        QTest::qWait(300);
        QVERIFY(m_model->rowOf(name) >= 0);
        m_panel->confirm = [](const QString &) { return true; };
        m_panel->deleteAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_model->rowOf(name) < 0, 30000);
        QTRY_VERIFY(m_panel->emptyHint()->isVisible());
        QCOMPARE(m_resets->count(), 0);
    }

    void cleanupTestCase()
    {
        m_tester.reset();
        m_window.reset();
        // Sessions outlive gridd by design: none may be left behind.
        if (m_gridd && m_gridd->isRunning())
            for (const QJsonValue &v : m_gridd->call("GET", QStringLiteral("/sessions")).object().value(QStringLiteral("sessions")).toArray()) {
                const QString path = QStringLiteral("/sessions/") + v.toObject().value(QStringLiteral("name")).toString();
                m_gridd->call("DELETE", path);
                QTRY_COMPARE_WITH_TIMEOUT(m_gridd->call("GET", path).httpStatus, 404, 30000);
            }
    }
};

QTEST_MAIN(TestGuiSessions)
#include "test_gui_sessions.moc"
