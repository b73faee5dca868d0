// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QString>

namespace og::cli {

// One self-rewriting status line on stderr: phase, files, bytes, rate and ETA. Drawn only
// when stderr is a terminal (cron and pipes get no noise), at most ten times a second.
class ProgressBar final
{
public:
    ProgressBar();
    ~ProgressBar();

    void update(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void finish(); // clears the line
    bool enabled() const { return m_enabled; }

    // The text of one line, for tests.
    static QString render(const QString &phase, qint64 bytesDone, qint64 bytesTotal, int filesDone,
                          int filesTotal, double bytesPerSecond, int width);

private:
    bool m_enabled;
    bool m_drawn = false;
    QString m_phase;
    QElapsedTimer m_sinceDraw;
    QElapsedTimer m_sincePhase;
};

} // namespace og::cli
