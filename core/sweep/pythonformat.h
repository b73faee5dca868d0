// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace og {

// Sweep values reach the script as Python's str() would print them, because that is what Grid
// did (it evaluated the argument in Python): a sampled 0.0785894467397437 is printed as
// "0.07858944673974376", 1e-5 as "1e-05", 100.0 as "100.0".

// Python's repr(float) (== str(float)): the shortest digits that round-trip, fixed notation
// for decimal exponents -4..15, otherwise d.ddde±XX; "inf", "-inf", "nan".
QString pythonFloatRepr(double value);

// Python's repr(str): single quotes unless the text holds ' and no ", with Python's escapes.
// Used for strings nested in lists and tuples ("['a', 'b']").
QString pythonStringRepr(QStringView text);

} // namespace og
