// SPDX-License-Identifier: GPL-3.0-or-later
// The app shell on first start with nothing configured: the window opens, starts the user's
// local gridd and goes live; when the platform goes away it says so and keeps the view.
#include "app/credentialstore.h"
#include "app/mainwindow.h"
#include "app/platformsession.h"
#include "core/localplatform.h"
#include "tests/support/griddprocess.h"
#include "widgets/datastorespanel.h"
#include "widgets/messagebanner.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

class TestGuiMainWindow final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

    QString dataDir() const { return m_home.filePath(QStringLiteral("platform")); }

private Q_SLOTS:
    void initTestCase()
    {
        // Nothing of the real user's: settings, ~/.grid and the local platform all in a temp dir.
        QStandardPaths::setTestModeEnabled(true);
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("OPENGRID_DATA_DIR", dataDir().toUtf8());
        qputenv("GRID_DIR", m_home.filePath(QStringLiteral("grid")).toUtf8());
        qunsetenv("GRID_URL");
        qunsetenv("GRID_USER_ID");
        qunsetenv("GRID_API_KEY");
        QCoreApplication::setOrganizationName(QStringLiteral("OpenGridTest"));
        QCoreApplication::setApplicationName(QStringLiteral("opengrid-test"));
        QSettings().clear();
    }

    void firstStartRunsTheLocalPlatformAndShowsConnectionLoss()
    {
        og::MainWindow window;
        window.show();
        QVERIFY(window.statusText().contains(QStringLiteral("starting the local platform")) || window.session()->state() != og::PlatformSession::State::Live);
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), og::PlatformSession::State::Live, 40000);
        QVERIFY(window.session()->isLocal());
        QVERIFY2(window.statusText().contains(QStringLiteral("127.0.0.1")), qPrintable(window.statusText()));
        QVERIFY2(window.statusText().contains(QStringLiteral("User: ")), qPrintable(window.statusText()));
        QVERIFY2(window.statusText().contains(QStringLiteral("live")), qPrintable(window.statusText()));
        QVERIFY(!window.connectionBanner()->isVisible());

        // Navigation and its shortcut-backed page switch persist.
        window.showPage(2);
        QCOMPARE(window.currentPage(), 2);

        // The platform goes away: the window says so and keeps everything it shows.
        QString error;
        const auto endpoint = og::localplatform::readEndpoint(dataDir(), &error);
        QVERIFY2(endpoint, qPrintable(error));
        QVERIFY(::kill(pid_t(endpoint->pid), SIGKILL) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->state() == og::PlatformSession::State::Reconnecting, 10000);
        QVERIFY(window.connectionBanner()->isVisible());
        QVERIFY2(window.connectionBanner()->text().contains(QStringLiteral("reconnecting")), qPrintable(window.connectionBanner()->text()));
        QVERIFY(window.statusText().contains(QStringLiteral("reconnecting")));
        QCOMPARE(window.currentPage(), 2);
        // The local platform is started again and the window goes live by itself.
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), og::PlatformSession::State::Live, 40000);
        QVERIFY(!window.connectionBanner()->isVisible());
        window.close();
    }

    void settingsPersistAcrossWindows()
    {
        QCOMPARE(QSettings().value(QStringLiteral("window/page")).toInt(), 2);
    }

    void unreachableServerThenSettingsPointAtAWorkingOne()
    {
        // A configured server that does not answer: the window opens, says so, keeps trying.
        og::test::GriddProcess gridd(m_home.filePath(QStringLiteral("server-data")));
        QString error;
        QVERIFY2(gridd.start(&error), qPrintable(error));
        const QString dead = QStringLiteral("http://127.0.0.1:9"); // discard port: nothing listens
        QSettings().setValue(QStringLiteral("platform/url"), dead);
        QVERIFY(og::CredentialStore::writeToFile(dead, gridd.localToken()).isEmpty());
        QVERIFY(og::test::onlyOwnerCanRead(og::CredentialStore::fallbackFile()));
        og::MainWindow window;
        window.session()->setRetryInterval(300);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), og::PlatformSession::State::Offline, 30000);
        QVERIFY(window.connectionBanner()->isVisible());
        QVERIFY2(window.connectionBanner()->text().contains(QStringLiteral("cannot be reached")), qPrintable(window.connectionBanner()->text()));
        QVERIFY(window.statusText().contains(QStringLiteral("offline")));

        // Settings now name the running server (as the dialog's OK stores them): live.
        const QString url = gridd.url().toString();
        QSettings().setValue(QStringLiteral("platform/url"), url);
        QVERIFY(og::CredentialStore::writeToFile(url, gridd.localToken()).isEmpty());
        window.session()->start();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), og::PlatformSession::State::Live, 30000);
        QVERIFY(!window.session()->isLocal());
        QVERIFY2(window.statusText().contains(url), qPrintable(window.statusText()));
        QVERIFY(!window.connectionBanner()->isVisible());
        QSettings().remove(QStringLiteral("platform/url"));
        window.close();
    }

    void cleanupTestCase()
    {
        QString error;
        if (const auto endpoint = og::localplatform::readEndpoint(dataDir(), &error))
            if (og::localplatform::processAlive(endpoint->pid))
                ::kill(pid_t(endpoint->pid), SIGTERM);
    }
};

QTEST_MAIN(TestGuiMainWindow)
#include "test_gui_mainwindow.moc"
