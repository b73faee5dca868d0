// SPDX-License-Identifier: GPL-3.0-or-later
// opengrid: the desktop dashboard.
#include "app/mainwindow.h"
#include "app/palette.h"
#include "opengrid/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("OpenGrid"));
    QApplication::setApplicationName(QStringLiteral("opengrid"));
    QApplication::setApplicationDisplayName(QStringLiteral("OpenGrid"));
    QApplication::setApplicationVersion(QStringLiteral(OPENGRID_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.opengrid.OpenGrid"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "OpenGrid desktop dashboard"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dark(QStringLiteral("dark"), QApplication::translate("main", "Use a dark palette whatever the system's is."));
    const QCommandLineOption language(QStringLiteral("language"), QApplication::translate("main", "Interface language (en, de)."),
                                      QStringLiteral("code"));
    parser.addOptions({dark, language});
    parser.process(app);

    // Language: the option, else Settings, else the system's.
    QString code = parser.value(language);
    if (code.isEmpty())
        code = QSettings().value(QStringLiteral("ui/language")).toString();
    const QLocale locale = code.isEmpty() ? QLocale() : QLocale(code);
    QTranslator qtTranslator;
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(locale, QStringLiteral("opengrid"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    if (parser.isSet(dark))
        og::applyDarkPalette(app);

    og::MainWindow window;
    window.show();
    return QApplication::exec();
}
