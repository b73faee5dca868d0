// SPDX-License-Identifier: GPL-3.0-or-later
// A harness for looking at the terminal: starts a gridd and a session like the tests, opens
// a TerminalTabs window, types each argument as a command line (a pause between), and saves
// a picture of the window after each. Not a test: a person judges the pictures.
//   xvfb-run -a terminal_look OUT_DIR 'vim -u NONE /etc/passwd' ':q!' htop …
#include "tests/support/sessionfixture.h"
#include "widgets/terminal/terminaltab.h"
#include "widgets/terminal/terminaltabs.h"
#include "widgets/terminal/terminalview.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QTest>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: terminal_look OUT_DIR COMMAND…\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(out);
    og::test::SessionFixture fixture;
    if (const QString e = fixture.start(QStringLiteral("look")); !e.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        fixture.stop();
        return 1;
    }
    const QString gridDir = fixture.dir.filePath(QStringLiteral("grid"));
    QDir().mkpath(gridDir);
    qputenv("GRID_DIR", gridDir.toUtf8());
    QFile list(gridDir + QStringLiteral("/ssh_identities"));
    if (list.open(QIODevice::WriteOnly))
        list.write(fixture.key.toUtf8() + '\n');
    list.close();
    {
        og::TerminalTabs tabs;
        tabs.setApiClient(fixture.api.get());
        tabs.resize(960, 600);
        tabs.show();
        tabs.openSession(QStringLiteral("look"));
        QTest::qWait(2500);
        auto *tab = qobject_cast<og::TerminalTab *>(tabs.currentWidget());
        for (int i = 2; i < argc; ++i) {
            const QString command = QString::fromLocal8Bit(argv[i]);
            if (command.startsWith(u"key:")) // key:Escape, key:F10
                QTest::keyClick(tab->view(), QKeySequence(command.mid(4))[0].key());
            else {
                QTest::keyClicks(tab->view(), command);
                QTest::keyClick(tab->view(), Qt::Key_Return);
            }
            QTest::qWait(1500);
            tabs.grab().save(QStringLiteral("%1/step%2.png").arg(out).arg(i - 1));
        }
    }
    fixture.stop();
    return 0;
}
