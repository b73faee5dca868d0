// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runs/runnames.h"

#include <QRandomGenerator>

namespace og {

QString randomRunName()
{
    static const char *const kAdjectives[] = {"gifted", "peculiar", "lurking", "spiffy", "nice", "happy", "brave",
                                              "calm", "eager", "fancy", "gentle", "jolly", "keen", "lively",
                                              "mellow", "nimble", "proud", "quiet", "rapid", "sunny", "tidy",
                                              "vivid", "witty", "zesty", "bold", "clever", "daring", "earnest"};
    static const char *const kNouns[] = {"seahorse", "shockley", "sunfish", "nightingale", "owl", "rabbit", "otter",
                                         "falcon", "lynx", "heron", "panda", "badger", "gecko", "koala", "lemur",
                                         "marmot", "newt", "orca", "puffin", "quokka", "raven", "stork", "tapir",
                                         "turing", "hopper", "lovelace", "noether", "curie"};
    auto *rng = QRandomGenerator::global();
    return QStringLiteral("%1-%2-%3")
        .arg(QLatin1String(kAdjectives[rng->bounded(int(std::size(kAdjectives)))]),
             QLatin1String(kNouns[rng->bounded(int(std::size(kNouns)))]))
        .arg(rng->bounded(1000));
}

} // namespace og
