// Step animation: key matching between two display lists and per-primitive interpolation.
#include "viz/animation.h"

#include <algorithm>
#include <unordered_map>

namespace aisys::viz {

namespace {

/// (id, kind, ordinal) packed into one integer: 32 bits id, 8 bits kind, 24 bits ordinal.
std::uint64_t packKey(std::uint32_t id, PrimKind kind, std::uint32_t ordinal) {
    return (std::uint64_t(id) << 32) | (std::uint64_t(kind) << 24) | (ordinal & 0xFFFFFFu);
}

/// Computes the key of every primitive (0 for id == 0, which never matches).
std::vector<std::uint64_t> keysOf(const DisplayList& list) {
    std::vector<std::uint64_t> keys(list.prims.size(), 0);
    std::unordered_map<std::uint64_t, std::uint32_t> seen;
    seen.reserve(list.prims.size());
    for (std::size_t i = 0; i < list.prims.size(); ++i) {
        const Prim& p = list.prims[i];
        if (p.id == 0)
            continue;
        std::uint32_t& ordinal = seen[packKey(p.id, p.kind, 0)];
        keys[i] = packKey(p.id, p.kind, ordinal++);
    }
    return keys;
}

float lerp(float a, float b, float t) {
    return a + (b - a) * t;
}

/// Colour mix that keeps the hue of the visible end when the other end is transparent.
Color mixColor(const Color& a, const Color& b, float t) {
    if (a.a <= 0.0f && b.a <= 0.0f)
        return b;
    if (a.a <= 0.0f)
        return b.withAlpha(b.a * t);
    if (b.a <= 0.0f)
        return a.withAlpha(a.a * (1.0f - t));
    return {lerp(a.r, b.r, t), lerp(a.g, b.g, t), lerp(a.b, b.b, t), lerp(a.a, b.a, t)};
}

void scaleAlpha(Prim& p, float f) {
    p.fill.a *= f;
    p.stroke.a *= f;
}

} // namespace

float easeInOut(float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

DisplayList interpolate(const DisplayList& from, const DisplayList& to, float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    const std::vector<std::uint64_t> fromKeys = keysOf(from);
    const std::vector<std::uint64_t> toKeys = keysOf(to);

    // 1. Index the old primitives by key.
    std::unordered_map<std::uint64_t, std::size_t> fromIndex;
    fromIndex.reserve(from.prims.size());
    for (std::size_t i = 0; i < fromKeys.size(); ++i)
        if (fromKeys[i] != 0)
            fromIndex.emplace(fromKeys[i], i);
    std::vector<char> matched(from.prims.size(), 0);

    DisplayList out;
    out.prims.reserve(to.prims.size() + from.prims.size() / 8);
    // 2. Walk the new list: interpolate matched primitives, fade in new ones.
    for (std::size_t i = 0; i < to.prims.size(); ++i) {
        Prim p = to.prims[i];
        if (toKeys[i] == 0) {
            out.prims.push_back(std::move(p));
            continue;
        }
        auto it = fromIndex.find(toKeys[i]);
        if (it == fromIndex.end()) {
            scaleAlpha(p, t);
            out.prims.push_back(std::move(p));
            continue;
        }
        matched[it->second] = 1;
        const Prim& a = from.prims[it->second];
        p.rect = {lerp(a.rect.x, p.rect.x, t), lerp(a.rect.y, p.rect.y, t),
                  lerp(a.rect.w, p.rect.w, t), lerp(a.rect.h, p.rect.h, t)};
        if (a.pts.size() == p.pts.size())
            for (std::size_t k = 0; k < p.pts.size(); ++k)
                p.pts[k] = mix(a.pts[k], p.pts[k], t);
        p.radius = lerp(a.radius, p.radius, t);
        p.strokeWidth = lerp(a.strokeWidth, p.strokeWidth, t);
        p.fontSize = lerp(a.fontSize, p.fontSize, t);
        p.fill = mixColor(a.fill, p.fill, t);
        p.stroke = mixColor(a.stroke, p.stroke, t);
        out.prims.push_back(std::move(p));
    }
    // 3. Fade out what disappeared (pickable objects only).
    for (std::size_t i = 0; i < from.prims.size(); ++i) {
        if (matched[i] || fromKeys[i] == 0 || t >= 1.0f)
            continue;
        Prim p = from.prims[i];
        scaleAlpha(p, 1.0f - t);
        out.prims.push_back(std::move(p));
    }
    return out;
}

} // namespace aisys::viz
