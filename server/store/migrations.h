// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace og {

// Numbered schema changes, applied in order at start, each in its own transaction and
// recorded in schema_migrations. Never edit a released migration: add the next number.
struct Migration
{
    int version;
    QString name;
    QStringList statements;
};

const QList<Migration> &migrations();
int schemaVersion(const QSqlDatabase &db);
// Applies what is missing; empty on success, else the reason. Refuses a database written by a
// newer gridd rather than guessing.
QString applyMigrations(const QSqlDatabase &db);

} // namespace og
