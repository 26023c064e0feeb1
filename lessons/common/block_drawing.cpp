// Colour ramps, fact tables, labelled blocks and curves for the systolic-array and TPU Labs.
#include "lessons/common/block_drawing.h"

#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>

namespace aisys::lessons {

viz::Color rampColor(double t) {
    static const viz::Color stops[] = {viz::Color::rgb(0x1e3a8a), viz::Color::rgb(0x2563eb),
                                       viz::Color::rgb(0x14b8a6), viz::Color::rgb(0x84cc16),
                                       viz::Color::rgb(0xfacc15)};
    const double x = std::clamp(t, 0.0, 1.0) * 4.0;
    const int i = std::min(3, static_cast<int>(x));
    return viz::mix(stops[i], stops[i + 1], static_cast<float>(x - i));
}

float drawFactTable(viz::DisplayList& list, viz::Vec2 origin, const std::vector<FactRow>& rows,
                    const viz::Palette& pal, float size, float labelWidth) {
    float y = origin.y;
    for (const auto& [label, value] : rows) {
        list.text({origin.x, y}, label, pal.muted, size);
        list.text({origin.x + labelWidth, y}, value, pal.foreground, size).bold = true;
        y += size * 1.55f;
    }
    return y;
}

void drawBlock(viz::DisplayList& list, viz::Rect r, const std::string& title,
               const std::vector<std::string>& lines, viz::Color fill, viz::Color border,
               std::uint32_t id, float titleSize) {
    list.box(r, fill, border, 6, 1.5f, id);
    const float lineH = titleSize * 0.85f * 1.35f;
    const float total = titleSize * 1.3f + lineH * static_cast<float>(lines.size());
    float y = r.y + (r.h - total) / 2;
    const viz::Color ink = textOn(fill);
    list.text({r.x + r.w / 2, y}, title, ink, titleSize, viz::HAlign::Center, viz::VAlign::Top, id)
        .bold = true;
    y += titleSize * 1.3f;
    for (const auto& l : lines) {
        list.text({r.x + r.w / 2, y}, l, ink, titleSize * 0.85f, viz::HAlign::Center,
                  viz::VAlign::Top, id);
        y += lineH;
    }
}

std::vector<viz::Vec2> bowedCurve(viz::Vec2 a, viz::Vec2 b, float bow, int segments) {
    const viz::Vec2 d = b - a;
    const float len = std::sqrt(d.x * d.x + d.y * d.y);
    const viz::Vec2 n = len > 0 ? viz::Vec2{d.y / len, -d.x / len} : viz::Vec2{0, 0};
    const viz::Vec2 ctrl = (a + b) * 0.5f + n * (2 * bow);
    std::vector<viz::Vec2> pts;
    for (int k = 0; k <= segments; ++k) {
        const float t = static_cast<float>(k) / segments, u = 1 - t;
        pts.push_back(a * (u * u) + ctrl * (2 * u * t) + b * (t * t));
    }
    return pts;
}

} // namespace aisys::lessons
