// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/credentialstore.h"

#include "core/securefile.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcCredentials, "opengrid.app.credentials", QtWarningMsg)

namespace og {

namespace {
const QString kService = QStringLiteral("OpenGrid");
} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{
}

QString CredentialStore::fallbackFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/api-keys.json");
}

QString CredentialStore::readFromFile(const QString &url)
{
    QFile f(fallbackFile());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(url).toString();
}

QString CredentialStore::writeToFile(const QString &url, const QString &key)
{
    QJsonObject all;
    QFile f(fallbackFile());
    if (f.open(QIODevice::ReadOnly))
        all = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    if (key.isEmpty())
        all.remove(url);
    else
        all.insert(url, key);
    return writeFileAtomically(fallbackFile(), QJsonDocument(all).toJson(), true);
}

void CredentialStore::read(const QString &url, ReadDone done)
{
    if (!m_keyring) {
        done(readFromFile(url), tr("file"));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(url);
    connect(job, &QKeychain::Job::finished, this, [url, done = std::move(done)](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError) {
            done(static_cast<QKeychain::ReadPasswordJob *>(j)->textData(), tr("keyring"));
            return;
        }
        // No keyring (or no entry there): the file, where a keyless session put it.
        qCInfo(lcCredentials) << "keyring read failed, using the file:" << j->errorString();
        done(readFromFile(url), tr("file"));
    });
    job->start();
}

void CredentialStore::write(const QString &url, const QString &key, WriteDone done)
{
    if (!m_keyring) {
        done(writeToFile(url, key), tr("file"));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(url);
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [url, key, done = std::move(done)](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError) {
            writeToFile(url, QString()); // no stale copy left in the file
            done(QString(), tr("keyring"));
            return;
        }
        qCInfo(lcCredentials) << "keyring write failed, using the file:" << j->errorString();
        done(writeToFile(url, key), tr("file"));
    });
    job->start();
}

} // namespace og
