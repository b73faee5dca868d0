// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/logging.h"

#include <QLoggingCategory>

namespace og {

void setupServerLogging(const QString &rules)
{
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddThh:mm:ss.zzz} "
        "%{if-debug}debug%{endif}%{if-info}info%{endif}%{if-warning}warning%{endif}"
        "%{if-critical}error%{endif}%{if-fatal}fatal%{endif} %{category}: %{message}"));
    QString all = QStringLiteral("opengrid.*.debug=false\nopengrid.*.info=true");
    if (!rules.isEmpty())
        all += u'\n' + QString(rules).replace(u';', u'\n');
    QLoggingCategory::setFilterRules(all);
}

} // namespace og
