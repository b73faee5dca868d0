// SPDX-License-Identifier: GPL-3.0-or-later
// What the GUI tests share: a real gridd with a tiny sweep script, and a datastore upload.
#pragma once

#include "core/apiclient.h"
#include "core/eventsclient.h"
#include "tests/support/griddprocess.h"
#include "tests/support/runfixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace og::test {

// Writes JSON-lines metrics: loss 1/(step+1) for five steps, with a pause so a watcher sees
// points arrive while it runs.
inline const char *const kSweepScript =
    "import json, os, sys, time\n"
    "args = sys.argv[1:]\n"
    "print('training with', ' '.join(args), flush=True)\n"
    "with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "    for step in range(5):\n"
    "        f.write(json.dumps({'step': step, 'loss': 1.0 / (step + 1), 'acc': step * 0.2}) + '\\n')\n"
    "        f.flush()\n"
    "        time.sleep(0.2)\n"
    "os.makedirs('outputs', exist_ok=True)\n"
    "open('outputs/summary.json', 'w').write(json.dumps({'args': args, 'final_loss': 0.2}))\n"
    "print('done', flush=True)\n";

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

inline bool hasBubblewrap()
{
    return !QStandardPaths::findExecutable(QStringLiteral("bwrap")).isEmpty();
}

} // namespace og::test
