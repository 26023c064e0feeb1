// A deterministic 20,000-primitive scene shared by the export and GL benchmarks.
#include "bench/bench_scene.h"

#include <string>

namespace aisys::bench {

viz::Scene makeBenchScene(int count) {
    using namespace viz;
    Scene s;
    Palette pal = Palette::forTheme(Theme::Light);
    s.background = pal.background;
    const int cols = 160;
    for (int i = 0; i < count; ++i) {
        float x = float(i % cols) * 24.0f, y = float(i / cols) * 24.0f;
        Color c = pal.category(static_cast<std::size_t>(i));
        std::uint32_t id = static_cast<std::uint32_t>(i + 1);
        switch (i % 10) {
        case 0:
            s.list.text({x, y}, "n" + std::to_string(i), pal.foreground, 9, HAlign::Left,
                        VAlign::Top, id);
            break;
        case 1:
            s.list.box({x, y, 20, 14}, c, pal.panelBorder, 4, 1, id);
            break;
        case 2:
            s.list.line({x, y}, {x + 20, y + 18}, c, 1.5f, id);
            break;
        case 3:
            s.list.arrow({{x, y + 10}, {x + 20, y + 10}}, c, 1.5f, id);
            break;
        case 4:
            s.list.circle({x + 10, y + 10}, 8, c, pal.foreground, 1, id);
            break;
        case 5:
            s.list.polyline({{x, y}, {x + 8, y + 16}, {x + 16, y}, {x + 20, y + 10}}, c, 1.2f, id);
            break;
        case 6:
            s.list.hull({{x, y}, {x + 16, y + 2}, {x + 10, y + 16}}, 3, c.withAlpha(0.2f), c, 1,
                        id);
            break;
        default:
            s.list.heatCell({x, y, 22, 22}, c.withAlpha(0.6f), id);
            break;
        }
    }
    return s;
}

} // namespace aisys::bench
