// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/config.h"

#include <QDateTime>

namespace og {

class Database;
class DatastoreWorker;
class EventHub;
class InstanceTypeRegistry;
class LocalIntake;
class ObjectStore;
class Scheduler;
class SessionManager;

// What every request handler may reach. Created once at start; all members outlive the
// HTTP workers. The database hands each thread its own connection.
struct ServerContext
{
    ServerConfig config;
    Database *database = nullptr;
    EventHub *events = nullptr;
    InstanceTypeRegistry *instanceTypes = nullptr;
    ObjectStore *objects = nullptr;
    LocalIntake *localIntake = nullptr; // null when not offered (see POST /objects/local)
    DatastoreWorker *datastores = nullptr;
    Scheduler *scheduler = nullptr;
    SessionManager *sessions = nullptr;
    QDateTime startedAt;
};

} // namespace og
