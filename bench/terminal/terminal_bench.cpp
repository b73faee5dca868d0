// SPDX-License-Identifier: GPL-3.0-or-later
// Bytes per second through the terminal screen model (libvterm + scrollback), the part of
// `cat bigfile` in the embedded terminal that is not transport or painting; and the time to
// read a whole screen of cells, which a repaint does at most ~30 times a second.
//   terminal_bench [MiB=100] [rows=50] [columns=200]
#include "bench/terminal/cpuclock.h"
#include "core/terminal/terminalscreen.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>

namespace {

// Log-like output: mostly plain text, some SGR colour runs, lines of varying length (some
// wider than the screen, so they wrap), like `cat` of a build log or `ls --color`.
QByteArray makeChunk(qsizetype size)
{
    QByteArray out;
    out.reserve(size + 256);
    int line = 0;
    while (out.size() < size) {
        out += "2026-11-26 14:00:";
        out += QByteArray::number(line % 60).rightJustified(2, '0');
        if (line % 7 == 0)
            out += " \x1b[1;31mERROR\x1b[0m ";
        else if (line % 5 == 0)
            out += " \x1b[38;5;214mWARN\x1b[0m ";
        else
            out += " INFO ";
        out += "step=" + QByteArray::number(line) + " loss=0." + QByteArray::number(line * 7919 % 100000);
        out += QByteArray(20 + (line * 37) % 180, 'x');
        out += "\r\n";
        ++line;
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 mib = argc > 1 ? std::max(1, atoi(argv[1])) : 100;
    const int rows = argc > 2 ? std::max(2, atoi(argv[2])) : 50;
    const int columns = argc > 3 ? std::max(2, atoi(argv[3])) : 200;
    const qint64 total = mib * 1024 * 1024;
    const QByteArray chunk = makeChunk(4 * 1024 * 1024);
    constexpr qsizetype kRead = 64 * 1024; // what one channel read hands the model

    og::TerminalScreen screen(rows, columns);
    const double cpuStart = cpuSeconds();
    QElapsedTimer clock;
    clock.start();
    qint64 fed = 0;
    qint64 worstNs = 0;
    while (fed < total) {
        for (qsizetype at = 0; at < chunk.size() && fed < total; at += kRead) {
            const qsizetype n = std::min<qsizetype>(kRead, chunk.size() - at);
            const qint64 before = clock.nsecsElapsed();
            screen.feed(chunk.constData() + at, n);
            (void)screen.takeDamage();
            worstNs = std::max(worstNs, clock.nsecsElapsed() - before);
            fed += n;
        }
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuStart;

    // A full repaint's worth of cell reads, averaged.
    QElapsedTimer readClock;
    readClock.start();
    constexpr int kFrames = 50;
    qint64 checksum = 0;
    for (int frame = 0; frame < kFrames; ++frame)
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c)
                checksum += screen.cell(r, c).chars[0];
    const double frameMs = double(readClock.nsecsElapsed()) / 1e6 / kFrames;

    std::printf("terminal_bench: %lld MiB through a %dx%d screen in %.2f s = %.1f MB/s "
                "(%.2f CPU s = %.1f MB/s per CPU second; worst 64 KiB read %.2f ms); scrollback "
                "%d lines; full-screen cell read %.2f ms (checksum %lld)\n",
                static_cast<long long>(mib), rows, columns, seconds,
                double(fed) / 1e6 / seconds, cpu, double(fed) / 1e6 / cpu,
                double(worstNs) / 1e6, screen.historyLineCount(),
                frameMs, static_cast<long long>(checksum));
    return 0;
}
