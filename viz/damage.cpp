// DamageTracker and the primitive comparisons it rests on.
#include "viz/damage.h"

#include "viz/tessellator.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace aisys::viz {

bool samePrim(const Prim& a, const Prim& b) {
    return a.kind == b.kind && a.id == b.id && a.layer == b.layer && a.closed == b.closed &&
           a.doubleHead == b.doubleHead && a.bold == b.bold && a.dashed == b.dashed &&
           a.halign == b.halign && a.valign == b.valign && a.rect.x == b.rect.x &&
           a.rect.y == b.rect.y && a.rect.w == b.rect.w && a.rect.h == b.rect.h &&
           a.radius == b.radius && a.strokeWidth == b.strokeWidth && a.fontSize == b.fontSize &&
           a.fill == b.fill && a.stroke == b.stroke && a.pts == b.pts && a.text == b.text;
}

Rect damageBounds(const Prim& p) {
    const Rect b = primBounds(p);
    if (p.kind == PrimKind::Text)
        return {b.x - std::max(p.fontSize, b.w / 2), b.y - p.fontSize,
                b.w + 2 * std::max(p.fontSize, b.w / 2), b.h + 2 * p.fontSize};
    return b.adjusted(kAaMargin + 1);
}

void DamageTracker::add(const Rect& r) {
    // 1. Merge with a rectangle it touches. 2. Otherwise keep it apart, and when there are
    //    more than kMaxDamageRects, merge the pair whose union grows the area least.
    constexpr std::size_t kMaxDamageRects = 4;
    auto area = [](const Rect& a) { return double(a.w) * double(a.h); };
    Rect add = r;
    for (std::size_t i = 0; i < m_regions.size();)
        if (m_regions[i].touches(add)) {
            add = add.united(m_regions[i]);
            m_regions.erase(m_regions.begin() + std::ptrdiff_t(i));
            i = 0; // the grown rectangle may touch ones already passed
        } else {
            ++i;
        }
    m_regions.push_back(add);
    while (m_regions.size() > kMaxDamageRects) {
        std::size_t bi = 0, bj = 1;
        double best = 1e300;
        for (std::size_t i = 0; i < m_regions.size(); ++i)
            for (std::size_t j = i + 1; j < m_regions.size(); ++j) {
                const double grow = area(m_regions[i].united(m_regions[j])) - area(m_regions[i]) -
                                    area(m_regions[j]);
                if (grow < best) {
                    best = grow;
                    bi = i;
                    bj = j;
                }
            }
        m_regions[bi] = m_regions[bi].united(m_regions[bj]);
        m_regions.erase(m_regions.begin() + std::ptrdiff_t(bj));
    }
}

bool DamageTracker::note(const DisplayList& current, const DisplayList& next) {
    // One pass over both lists (see the header).
    if (next.prims.size() != current.prims.size() || current.prims.empty()) {
        m_all = true;
        return true;
    }
    bool changed = false;
    for (std::size_t i = 0; i < next.prims.size(); ++i)
        if (!samePrim(next.prims[i], current.prims[i])) {
            changed = true;
            if (!m_all)
                add(damageBounds(current.prims[i]).united(damageBounds(next.prims[i])));
        }
    return changed;
}

void DamageTracker::clear() {
    m_regions.clear();
    m_all = false;
}

bool DamageTracker::deviceRects(const Camera& camera, Vec2 view, float dpr, int w, int h,
                                std::vector<std::array<int, 4>>& rects) const {
    if (m_all)
        return false;
    double covered = 0;
    for (const Rect& d : m_regions) {
        const Vec2 a = camera.toView({d.x, d.y}, view);
        const Vec2 b = camera.toView({d.x + d.w, d.y + d.h}, view);
        const int x0 = std::max(0, int(std::floor(a.x * dpr)) - 2);
        const int x1 = std::min(w, int(std::ceil(b.x * dpr)) + 2);
        const int top = std::max(0, int(std::floor(a.y * dpr)) - 2);
        const int bottom = std::min(h, int(std::ceil(b.y * dpr)) + 2);
        if (x1 <= x0 || bottom <= top)
            continue;
        rects.push_back({x0, h - bottom, x1 - x0, bottom - top});
        covered += double(x1 - x0) * double(bottom - top);
    }
    return covered <= 0.5 * double(w) * double(h);
}

} // namespace aisys::viz
