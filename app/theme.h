// The interface themes: the dark palette, applying a theme app-wide, and its settings name.
#pragma once

#include "viz/scene.h"

#include <QPalette>
#include <QString>

namespace aisys::app {

/// The dark interface palette (Fusion-style colours; readable text, visible focus).
QPalette darkPalette();

/// Gives the whole application the palette of `theme` (the style's standard one for Light).
void applyTheme(viz::Theme theme);

/// "dark" or "light", as kept in the settings.
QString themeName(viz::Theme theme);
/// Dark for "dark", else Light.
viz::Theme themeFromName(const QString& name);

} // namespace aisys::app
