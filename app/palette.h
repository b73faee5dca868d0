// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QApplication;

namespace og {

// The system's palette is used as it is (light or dark, whatever the desktop says). This dark
// Fusion palette is for `opengrid --dark`: desktops whose Qt theme does not pass a dark choice
// on, and for checking the dark look.
void applyDarkPalette(QApplication &app);

} // namespace og
