// SPDX-License-Identifier: GPL-3.0-or-later
// Submitting runs to a real gridd from tests, the way `grid run` does: the code directory is
// uploaded as a content-addressed snapshot, then the run is posted with it.
#pragma once

#include "core/apiclient.h"
#include "core/datastore/objectuploader.h"
#include "core/datastore/treescanner.h"
#include "tests/support/griddprocess.h"

#include <QDeadlineTimer>
#include <QJsonObject>
#include <QTest>

namespace og::test {

// Uploads `codeDir` and posts `body` (plus its code_root; script defaults to train.py).
inline ApiResult submitRun(ApiClient &api, const QString &codeDir, QJsonObject body)
{
    const auto scan = TreeScanner::scan(codeDir, nullptr);
    ApiResult failed;
    failed.errorCode = QStringLiteral("client");
    if (!scan.error.isEmpty()) {
        failed.message = scan.error;
        return failed;
    }
    ObjectUploadStats stats;
    const QString error =
        uploadManifestObjects(api, scan.manifest, scan.manifest.toCanonicalBytes(), scan.sourceFiles, 4, {}, &stats);
    if (!error.isEmpty()) {
        failed.message = error;
        return failed;
    }
    body.insert(QStringLiteral("code_root"), scan.manifest.rootHash());
    if (!body.contains(QStringLiteral("script")))
        body.insert(QStringLiteral("script"), QStringLiteral("train.py"));
    return api.call("POST", QStringLiteral("/runs"), body);
}

inline ApiResult submitRun(GriddProcess &gridd, const QString &codeDir, QJsonObject body)
{
    auto api = gridd.client();
    return submitRun(*api, codeDir, std::move(body));
}

// GET /runs/NAME until the run has ended (or the timeout passed); returns the last answer.
inline QJsonObject waitForRun(GriddProcess &gridd, const QString &name, int timeoutMs = 60000)
{
    QDeadlineTimer deadline(timeoutMs);
    QJsonObject run;
    while (!deadline.hasExpired()) {
        run = gridd.call("GET", QStringLiteral("/runs/") + name).object();
        const QString status = run.value(QStringLiteral("run")).toObject().value(QStringLiteral("status")).toString();
        if (status == u"succeeded" || status == u"failed" || status == u"cancelled")
            return run;
        QTest::qWait(100);
    }
    return run;
}

// An experiment's captured log lines, joined.
inline QString experimentLog(GriddProcess &gridd, const QString &experiment)
{
    return gridd.call("GET", QStringLiteral("/experiments/%1/logs").arg(experiment))
        .object()
        .value(QStringLiteral("lines"))
        .toVariant()
        .toStringList()
        .join(u'\n');
}

} // namespace og::test
