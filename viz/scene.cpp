// Light and dark palettes shared by every Lab.
#include "viz/scene.h"

namespace aisys::viz {

Palette Palette::forTheme(Theme t) {
    Palette p;
    if (t == Theme::Light) {
        p.background = Color::rgb(0xffffff);
        p.foreground = Color::rgb(0x1f2933);
        p.muted = Color::rgb(0x6b7785);
        p.grid = Color::rgb(0xd9dee5);
        p.panel = Color::rgb(0xf4f6f9);
        p.panelBorder = Color::rgb(0xaab4c0);
        p.accent = Color::rgb(0x2563eb);
        p.accent2 = Color::rgb(0xd97706);
        p.good = Color::rgb(0x15803d);
        p.bad = Color::rgb(0xdc2626);
        p.warn = Color::rgb(0xca8a04);
        p.highlight = Color::rgb(0xfde68a);
        p.categorical = {Color::rgb(0x4e79a7), Color::rgb(0xf28e2b), Color::rgb(0x59a14f),
                         Color::rgb(0xe15759), Color::rgb(0x76b7b2), Color::rgb(0xedc948),
                         Color::rgb(0xb07aa1), Color::rgb(0xff9da7), Color::rgb(0x9c755f),
                         Color::rgb(0xbab0ac)};
    } else {
        p.background = Color::rgb(0x15191f);
        p.foreground = Color::rgb(0xe6e9ee);
        p.muted = Color::rgb(0x98a2b0);
        p.grid = Color::rgb(0x323a45);
        p.panel = Color::rgb(0x1f252e);
        p.panelBorder = Color::rgb(0x4a5565);
        p.accent = Color::rgb(0x60a5fa);
        p.accent2 = Color::rgb(0xfbbf24);
        p.good = Color::rgb(0x4ade80);
        p.bad = Color::rgb(0xf87171);
        p.warn = Color::rgb(0xfacc15);
        p.highlight = Color::rgb(0x854d0e);
        p.categorical = {Color::rgb(0x6d9eeb), Color::rgb(0xf6a04d), Color::rgb(0x7cc46d),
                         Color::rgb(0xf07c7e), Color::rgb(0x8fd3ce), Color::rgb(0xf3d66b),
                         Color::rgb(0xc99bbd), Color::rgb(0xffb3bb), Color::rgb(0xc09a82),
                         Color::rgb(0xd0c8c4)};
    }
    return p;
}

} // namespace aisys::viz
