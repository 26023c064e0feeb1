// Sugiyama stage 8 (optional): a deep layout cut into bands of layers laid side by side.
#include "viz/sugiyama_internal.h"

#include <algorithm>
#include <cmath>

namespace aisys::viz::sg {

void wrapBands(SugiyamaResult& res, const std::vector<float>& centre,
               const std::vector<float>& thick, bool tb, float alongShift,
               const SugiyamaOptions& opt) {
    // 1. Band count k from the aspect: k bands of the picture's width w side by side, each
    //    h / k long, give (k·w) / (h / k) = aspect, so k = √(aspect · h / w) (top to bottom;
    //    left to right the roles swap: k = √(h / (aspect · w))).
    // 2. Cuts between layers near each ideal position j·h/k (within a quarter band), taking
    //    the boundary that the fewest edges cross. A previous picture's cuts are kept.
    // 3. Band j moves back by its start along the direction and by j·(width + gutter) across.
    // 4. Routes: a segment inside a band moves with it; one that crosses a cut becomes a
    //    connector that leaves the band's end, runs in the gutter past the bands' end, across
    //    to the gap between the columns, back to the start and into the next band.
    const int nL = static_cast<int>(centre.size());
    auto A = [&](Vec2 p) { return tb ? p.x : p.y; };
    auto Lg = [&](Vec2 p) { return tb ? p.y : p.x; };
    auto mk = [&](float a, float l) { return tb ? Vec2{a, l} : Vec2{l, a}; };
    float a0 = 1e30f, a1 = -1e30f, l0 = 1e30f, l1 = -1e30f;
    for (const Rect& b : res.boxes) {
        a0 = std::min(a0, A({b.x, b.y}));
        a1 = std::max(a1, A({b.x + b.w, b.y + b.h}));
        l0 = std::min(l0, Lg({b.x, b.y}));
        l1 = std::max(l1, Lg({b.x + b.w, b.y + b.h}));
    }
    for (const EdgeRoute& r : res.routes)
        for (const Vec2& p : r.bezier) {
            a0 = std::min(a0, A(p));
            a1 = std::max(a1, A(p));
        }
    const float w = a1 - a0, h = l1 - l0;
    if (nL < 4 || w <= 0 || h <= 0)
        return;
    const float gutter = 3 * opt.nodeGap;
    std::vector<int> cuts;
    if (opt.previous && !opt.previous->wrapCuts.empty()) {
        for (int c : opt.previous->wrapCuts)
            if (c >= 0 && c + 1 < nL)
                cuts.push_back(c);
    } else {
        const float ratio = tb ? opt.wrapAspect * h / w : h / (opt.wrapAspect * w);
        const int k = static_cast<int>(std::lround(std::sqrt(std::max(0.0f, ratio))));
        if (k < 2)
            return;
        // Edges crossing each boundary (between layer L and L + 1).
        auto boundary = [&](int L) {
            return alongShift + (centre[L] + thick[L] / 2 + centre[L + 1] - thick[L + 1] / 2) / 2;
        };
        std::vector<int> crossing(nL, 0);
        for (const EdgeRoute& r : res.routes) {
            if (r.bezier.empty())
                continue;
            const float s = std::min(Lg(r.bezier.front()), Lg(r.bezier.back()));
            const float e = std::max(Lg(r.bezier.front()), Lg(r.bezier.back()));
            for (int L = 0; L + 1 < nL; ++L)
                crossing[L] += s < boundary(L) && boundary(L) < e;
        }
        int last = -1;
        for (int j = 1; j < k; ++j) {
            const float ideal = l0 + h * float(j) / float(k), window = h / float(k) / 4;
            int best = -1;
            for (int L = last + 1; L + 1 < nL; ++L) {
                const float d = std::abs(boundary(L) - ideal);
                if (d > window)
                    continue;
                if (best < 0 || crossing[L] < crossing[best] ||
                    (crossing[L] == crossing[best] && d < std::abs(boundary(best) - ideal)))
                    best = L;
            }
            if (best >= 0) {
                cuts.push_back(best);
                last = best;
            }
        }
    }
    if (cuts.empty())
        return;
    res.wrapCuts = cuts;
    std::vector<float> cutAt;
    for (int L : cuts)
        cutAt.push_back(alongShift +
                        (centre[L] + thick[L] / 2 + centre[L + 1] - thick[L + 1] / 2) / 2);
    const float start0 = l0 - opt.layerGap / 2;
    std::vector<float> bandStart = {start0};
    bandStart.insert(bandStart.end(), cutAt.begin(), cutAt.end());
    float longest = 0;
    for (std::size_t j = 0; j < bandStart.size(); ++j)
        longest =
            std::max(longest, (j + 1 < bandStart.size() ? bandStart[j + 1] : l1) - bandStart[j]);
    auto bandOf = [&](float l) {
        int j = 0;
        while (j < static_cast<int>(cutAt.size()) && l > cutAt[j])
            ++j;
        return j;
    };
    auto move = [&](Vec2 p, int j) {
        return mk(A(p) + float(j) * (w + gutter), Lg(p) - bandStart[j] + start0);
    };
    for (Rect& b : res.boxes) {
        const Vec2 c =
            move({b.x + b.w / 2, b.y + b.h / 2}, bandOf(Lg({b.x + b.w / 2, b.y + b.h / 2})));
        b.x = c.x - b.w / 2;
        b.y = c.y - b.h / 2;
    }
    const float endGutter = start0 + longest + gutter / 2, startGutter = start0 - gutter / 2;
    int connector = 0;
    for (EdgeRoute& r : res.routes) {
        if (r.bezier.size() < 4)
            continue;
        for (Vec2& p : r.bends)
            p = move(p, bandOf(Lg(p)));
        r.labelAt = move(r.labelAt, bandOf(Lg(r.labelAt) + 4));
        const bool down = Lg(r.bezier.front()) <= Lg(r.bezier.back());
        std::vector<Vec2> out = {};
        for (std::size_t k = 0; k + 3 < r.bezier.size(); k += 3) {
            const Vec2 p = r.bezier[k], q = r.bezier[k + 3];
            const int jp = bandOf(Lg(p)), jq = bandOf(Lg(q));
            if (out.empty())
                out.push_back(move(p, jp));
            if (jp == jq) {
                for (int m = 1; m <= 3; ++m)
                    out.push_back(move(r.bezier[k + m], jp));
                continue;
            }
            // Connector through the gutters, as straight cubic pieces.
            const Vec2 P = move(p, jp), Q = move(q, jq);
            const float off = float(connector++ % 6) * 4;
            const int jFrom = down ? jp : jq;
            const float gap = a0 + float(jFrom) * (w + gutter) + w + gutter / 2 + off;
            const float endL = (down ? endGutter : startGutter) + (down ? off : -off);
            const float startL = (down ? startGutter : endGutter) - (down ? off : -off);
            const std::vector<Vec2> via = {mk(A(P), endL), mk(gap, endL), mk(gap, startL),
                                           mk(A(Q), startL), Q};
            Vec2 from = P;
            for (const Vec2& to : via) {
                out.push_back(from + (to - from) * (1.0f / 3));
                out.push_back(from + (to - from) * (2.0f / 3));
                out.push_back(to);
                from = to;
            }
        }
        r.bezier = std::move(out);
    }
}

} // namespace aisys::viz::sg
