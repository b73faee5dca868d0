// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>

namespace og::colors {

// The colour of an experiment in every chart and legend: by its index in the run, so exp3 is
// the same colour in the loss chart, the accuracy chart and the parallel-coordinates view.
QColor forExperiment(int index);
// The index from a `<run>-exp<N>` name (0 when there is none).
int experimentIndex(const QString &experimentName);

// The tint of a status word in tables: green for done, red for failed, blue while active.
QColor forStatus(const QString &status, bool darkBackground);

} // namespace og::colors
