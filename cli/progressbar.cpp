// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/progressbar.h"

#include "cli/durations.h"
#include "cli/table.h"

#include <cstdio>
#include <unistd.h>

namespace og::cli {

ProgressBar::ProgressBar()
    : m_enabled(::isatty(STDERR_FILENO) == 1)
{
    m_sinceDraw.start();
    m_sincePhase.start();
}

ProgressBar::~ProgressBar()
{
    finish();
}

QString ProgressBar::render(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone,
                            int filesTotal, double bytesPerSecond, int width)
{
    QString line = QStringLiteral("%1  %2/%3 files  %4/%5").arg(phase).arg(filesDone).arg(filesTotal)
                       .arg(formatBytes(bytesDone), formatBytes(bytesTotal));
    if (bytesPerSecond > 0) {
        line += QStringLiteral("  %1/s").arg(formatBytes(qint64(bytesPerSecond)));
        if (bytesTotal > bytesDone)
            line += QStringLiteral("  ETA %1").arg(formatDuration(qint64((bytesTotal - bytesDone) / bytesPerSecond)).mid(3));
    }
    const int barWidth = width - int(line.size()) - 4;
    if (barWidth >= 10 && bytesTotal > 0) {
        const int filled = int(double(barWidth) * double(bytesDone) / double(bytesTotal));
        line = QStringLiteral("[%1%2]  ").arg(QString(filled, u'#'), QString(barWidth - filled, u'.')) + line;
    }
    return line.left(width - 1);
}

void ProgressBar::update(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)
{
    if (!m_enabled)
        return;
    if (phase != m_phase) {
        m_phase = phase;
        m_sincePhase.restart();
    } else if (m_sinceDraw.elapsed() < 100 && bytesDone < bytesTotal) {
        return;
    }
    m_sinceDraw.restart();
    const double seconds = double(m_sincePhase.elapsed()) / 1000.0;
    const double rate = seconds > 0.5 ? double(bytesDone) / seconds : 0;
    const QByteArray text = render(phase, bytesDone, bytesTotal, filesDone, filesTotal, rate, terminalWidth()).toUtf8();
    std::fprintf(stderr, "\r\033[K%s", text.constData());
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (m_enabled && m_drawn) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
    m_drawn = false;
}

} // namespace og::cli
