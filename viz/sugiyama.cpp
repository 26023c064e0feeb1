// Sugiyama layout pipeline: proper layered graph, initial order, coordinates, spline routes.
#include "viz/sugiyama.h"

#include "viz/sugiyama_internal.h"
#include "viz/sugiyama_rank.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisys::viz {

namespace {

std::string bendKey(const std::string& from, const std::string& to, std::size_t k) {
    return from + "\n" + to + "\n" + std::to_string(k);
}

bool hasLabel(const SugiyamaEdge& e) {
    return e.labelW > 0 && e.labelH > 0;
}

} // namespace

SugiyamaResult sugiyamaLayout(const std::vector<SugiyamaNode>& nodes,
                              const std::vector<SugiyamaEdge>& edges, const SugiyamaOptions& opt) {
    const int n = static_cast<int>(nodes.size());
    const bool tb = opt.direction == LayoutDirection::TopToBottom;
    SugiyamaResult res;
    res.boxes.resize(n);
    res.layer.assign(n, 0);
    res.order.assign(n, 0);
    res.routes.resize(edges.size());
    res.groups.resize(opt.groups.size());
    // Stages 1–2: units, cycle removal, layers (internal frame: a across, l along).
    const sg::Ranking rk = sg::rankUnits(nodes, edges, opt);
    const int U = static_cast<int>(rk.unitW.size());
    res.reversedEdges = rk.reversed;
    bool labels = false;
    for (const auto& ue : rk.uedges)
        labels |= opt.labelLayers && hasLabel(edges[ue.edge]);
    const int mul = labels ? 2 : 1;
    // Stage 3: the proper layered graph; long edges get dummies, labels a dummy of their size.
    sg::LayeredGraph g;
    int maxLayer = 0;
    for (int u = 0; u < U; ++u) {
        const float across = tb ? rk.unitW[u] : rk.unitH[u];
        g.addNode(across / 2, across / 2, tb ? rk.unitH[u] : rk.unitW[u], rk.rank[u] * mul,
                  rk.unitGroup[u], false);
        g.side[u] = rk.unitSide[u];
        maxLayer = std::max(maxLayer, rk.rank[u] * mul);
    }
    g.units = U;
    std::vector<std::vector<int>> chain(rk.uedges.size());
    std::vector<int> labelNode(rk.uedges.size(), -1);
    for (std::size_t i = 0; i < rk.uedges.size(); ++i) {
        const sg::UnitEdge& ue = rk.uedges[i];
        const SugiyamaEdge& e = edges[ue.edge];
        const int t = ue.tail, h = ue.head;
        const bool labelled = labels && hasLabel(e);
        const int labelLayer = ue.reversed ? g.layer[h] - 1 : g.layer[t] + 1;
        const int grp =
            rk.unitGroup[t] >= 0 && rk.unitGroup[t] == rk.unitGroup[h] ? rk.unitGroup[t] : -1;
        int prev = t;
        chain[i].push_back(t);
        for (int L = g.layer[t] + 1; L < g.layer[h]; ++L) {
            int d;
            if (labelled && L == labelLayer) {
                d = tb ? g.addNode(2, e.labelW + 6, e.labelH, L, grp, true)
                       : g.addNode(e.labelH + 6, 2, e.labelW, L, grp, true);
                labelNode[i] = d;
            } else {
                d = g.addNode(0, 0, 0, L, grp, true);
            }
            g.side[d] = rk.unitSide[t] && !ue.reversed; // a weight's edge is a side input too
            g.link(prev, d);
            chain[i].push_back(d);
            prev = d;
        }
        g.link(prev, h);
        chain[i].push_back(h);
    }
    res.dummies = g.size() - U;
    g.layers.assign(static_cast<std::size_t>(maxLayer) + 1, {});
    // Stage 4: initial order (previous places first), then crossing reduction.
    std::vector<float> prevAcross(g.size(), std::numeric_limits<float>::quiet_NaN());
    if (opt.previous) {
        for (int u = 0; u < U; ++u)
            if (rk.prev[u])
                prevAcross[u] = tb ? rk.prev[u]->centre.x : rk.prev[u]->centre.y;
        for (std::size_t i = 0; i < rk.uedges.size(); ++i) {
            const SugiyamaEdge& e = edges[rk.uedges[i].edge];
            const std::string &a = nodes[e.from].name, &b = nodes[e.to].name;
            if (a.empty() || b.empty())
                continue;
            for (std::size_t k = 1; k + 1 < chain[i].size(); ++k) {
                auto it = opt.previous->bends.find(bendKey(a, b, k - 1));
                if (it != opt.previous->bends.end())
                    prevAcross[chain[i][k]] = tb ? it->second.x : it->second.y;
            }
        }
    }
    sg::initialOrder(g, prevAcross, false);
    res.crossings = static_cast<int>(sg::reduceCrossings(g, opt));
    // Stage 5: across by Brandes–Köpf; along by layer, each layer as thick as its thickest.
    const std::vector<float> x = sg::assignCoordinates(g, opt.nodeGap, opt.edgeGap);
    std::vector<float> thick(g.layers.size(), 0), centre(g.layers.size(), 0);
    for (int v = 0; v < g.size(); ++v)
        thick[g.layer[v]] = std::max(thick[g.layer[v]], g.thick[v]);
    const float gap = labels ? opt.layerGap / 2 : opt.layerGap;
    for (std::size_t L = 0; L < thick.size(); ++L)
        centre[L] = L == 0 ? thick[0] / 2 : centre[L - 1] + thick[L - 1] / 2 + gap + thick[L] / 2;
    auto real = [&](float a, float l) { return tb ? Vec2{a, l} : Vec2{l, a}; };
    std::vector<Rect> unitBox(U);
    for (int u = 0; u < U; ++u) {
        const Vec2 c = real(x[u], centre[g.layer[u]]);
        unitBox[u] = {c.x - rk.unitW[u] / 2, c.y - rk.unitH[u] / 2, rk.unitW[u], rk.unitH[u]};
    }
    // Stable mode: shift the picture so kept nodes move least (median offset on each axis).
    Vec2 shift{0, 0};
    if (opt.previous) {
        std::vector<float> dx, dy;
        for (int u = 0; u < U; ++u)
            if (rk.prev[u]) {
                dx.push_back(rk.prev[u]->centre.x - (unitBox[u].x + unitBox[u].w / 2));
                dy.push_back(rk.prev[u]->centre.y - (unitBox[u].y + unitBox[u].h / 2));
            }
        if (!dx.empty()) {
            std::nth_element(dx.begin(), dx.begin() + dx.size() / 2, dx.end());
            std::nth_element(dy.begin(), dy.begin() + dy.size() / 2, dy.end());
            shift = {dx[dx.size() / 2], dy[dy.size() / 2]};
        }
    }
    for (auto& b : unitBox) {
        b.x += shift.x;
        b.y += shift.y;
    }
    for (int v = 0; v < n; ++v) {
        const int u = rk.unitOf[v];
        res.boxes[v] = unitBox[u];
        res.layer[v] = rk.rank[u];
        res.order[v] = g.pos[u];
    }
    res.layers = U ? maxLayer / mul + 1 : 0;
    // Stage 6: routes. Ports spread along the box side in the order of the next point; a route
    // crosses each dummy's layer straight, and joins points by cubics with tangents along the
    // direction.
    std::vector<std::vector<std::pair<float, int>>> outPorts(U), inPorts(U);
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const auto& c = chain[i];
        outPorts[c.front()].push_back({x[c[1]], static_cast<int>(i)});
        inPorts[c.back()].push_back({x[c[c.size() - 2]], static_cast<int>(i)});
    }
    std::vector<float> outOff(chain.size(), 0), inOff(chain.size(), 0);
    auto spread = [&](std::vector<std::vector<std::pair<float, int>>>& ports,
                      std::vector<float>& off) {
        for (int u = 0; u < U; ++u) {
            auto& p = ports[u];
            std::stable_sort(p.begin(), p.end(),
                             [](auto& a, auto& b) { return a.first < b.first; });
            const float across = g.left[u] + g.right[u];
            const float s = std::min(12.0f, across / float(p.size() + 1));
            for (std::size_t k = 0; k < p.size(); ++k)
                off[p[k].second] = (float(k) - float(p.size() - 1) / 2) * s;
        }
    };
    spread(outPorts, outOff);
    spread(inPorts, inOff);
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const auto& c = chain[i];
        const sg::UnitEdge& ue = rk.uedges[i];
        const SugiyamaEdge& e = edges[ue.edge];
        std::vector<Vec2> pts; // internal frame (a, l)
        const int t = c.front(), h = c.back();
        pts.push_back({x[t] + outOff[i], centre[g.layer[t]] + g.thick[t] / 2});
        EdgeRoute& route = res.routes[ue.edge];
        for (std::size_t k = 1; k + 1 < c.size(); ++k) {
            const int L = g.layer[c[k]];
            pts.push_back({x[c[k]], centre[L] - thick[L] / 2});
            if (thick[L] > 0)
                pts.push_back({x[c[k]], centre[L] + thick[L] / 2});
            route.bends.push_back(real(x[c[k]], centre[L]) + shift);
        }
        pts.push_back({x[h] + inOff[i], centre[g.layer[h]] - g.thick[h] / 2});
        std::vector<Vec2> bz;
        for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
            const Vec2 a = pts[k], b = pts[k + 1];
            const float half = (b.y - a.y) / 2;
            if (k == 0)
                bz.push_back(real(a.x, a.y) + shift);
            bz.push_back(real(a.x, a.y + half) + shift);
            bz.push_back(real(b.x, b.y - half) + shift);
            bz.push_back(real(b.x, b.y) + shift);
        }
        if (ue.reversed)
            std::reverse(bz.begin(), bz.end());
        route.bezier = std::move(bz);
        route.reversed = ue.reversed;
        if (labelNode[i] >= 0) {
            const int d = labelNode[i];
            const float cl = centre[g.layer[d]];
            route.labelAt = (tb ? Vec2{x[d] + 4, cl - e.labelH / 2}
                                : Vec2{cl - e.labelW / 2, x[d] - 4 - e.labelH}) +
                            shift;
        } else if (hasLabel(e)) {
            const std::vector<Vec2> flat = flattenBezier(route.bezier, 4);
            const Vec2 mid = flat[flat.size() / 2];
            route.labelAt = tb ? Vec2{mid.x + 4, mid.y - e.labelH / 2}
                               : Vec2{mid.x - e.labelW / 2, mid.y - 4 - e.labelH};
        }
    }
    if (opt.wrapAspect > 0)
        sg::wrapBands(res, centre, thick, tb, tb ? shift.y : shift.x, opt);
    // Groups: a collapsed one is its unit's box; an expanded one bounds its members.
    for (std::size_t gi = 0; gi < opt.groups.size(); ++gi) {
        const auto& members = opt.groups[gi].members;
        GroupPlace& gp = res.groups[gi];
        gp.collapsed = opt.groups[gi].collapsed;
        bool first = true;
        for (int m : members) {
            const Rect b = res.boxes[m];
            if (first) {
                gp.box = b;
                first = false;
                continue;
            }
            const float x0 = std::min(gp.box.x, b.x), y0 = std::min(gp.box.y, b.y);
            const float x1 = std::max(gp.box.x + gp.box.w, b.x + b.w);
            const float y1 = std::max(gp.box.y + gp.box.h, b.y + b.h);
            gp.box = {x0, y0, x1 - x0, y1 - y0};
        }
    }
    // Bounds: boxes, routes and labels.
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    auto grow = [&](float ax, float ay, float bx, float by) {
        x0 = std::min(x0, ax);
        y0 = std::min(y0, ay);
        x1 = std::max(x1, bx);
        y1 = std::max(y1, by);
    };
    for (const Rect& b : res.boxes)
        grow(b.x, b.y, b.x + b.w, b.y + b.h);
    for (std::size_t e = 0; e < edges.size(); ++e) {
        for (const Vec2& p : res.routes[e].bezier)
            grow(p.x, p.y, p.x, p.y);
        if (hasLabel(edges[e]) && !res.routes[e].bezier.empty())
            grow(res.routes[e].labelAt.x, res.routes[e].labelAt.y,
                 res.routes[e].labelAt.x + edges[e].labelW,
                 res.routes[e].labelAt.y + edges[e].labelH);
    }
    res.bounds = x1 >= x0 ? Rect{x0, y0, x1 - x0, y1 - y0} : Rect{0, 0, 0, 0};
    // Without a previous picture the layout starts at (0, 0).
    if (!opt.previous && x1 >= x0) {
        const Vec2 d{-x0, -y0};
        auto move = [&](Rect& b) {
            b.x += d.x;
            b.y += d.y;
        };
        for (Rect& b : res.boxes)
            move(b);
        for (GroupPlace& gp : res.groups)
            move(gp.box);
        for (EdgeRoute& r : res.routes) {
            for (Vec2& p : r.bezier)
                p = p + d;
            for (Vec2& p : r.bends)
                p = p + d;
            r.labelAt = r.labelAt + d;
        }
        move(res.bounds);
    }
    return res;
}

PreviousLayout snapshotOf(const std::vector<SugiyamaNode>& nodes,
                          const std::vector<SugiyamaEdge>& edges, const SugiyamaResult& r) {
    PreviousLayout p;
    for (std::size_t v = 0; v < nodes.size() && v < r.boxes.size(); ++v)
        if (!nodes[v].name.empty()) {
            const Rect& b = r.boxes[v];
            p.nodes[nodes[v].name] = {{b.x + b.w / 2, b.y + b.h / 2}, r.layer[v]};
        }
    for (std::size_t e = 0; e < edges.size() && e < r.routes.size(); ++e) {
        const std::string &a = nodes[edges[e].from].name, &b = nodes[edges[e].to].name;
        if (a.empty() || b.empty())
            continue;
        for (std::size_t k = 0; k < r.routes[e].bends.size(); ++k)
            p.bends[bendKey(a, b, k)] = r.routes[e].bends[k];
    }
    p.wrapCuts = r.wrapCuts;
    return p;
}

std::vector<Vec2> flattenBezier(const std::vector<Vec2>& ctrl, int steps) {
    std::vector<Vec2> out;
    if (ctrl.empty())
        return out;
    out.push_back(ctrl[0]);
    for (std::size_t k = 0; k + 3 < ctrl.size(); k += 3) {
        const Vec2 p0 = ctrl[k], c1 = ctrl[k + 1], c2 = ctrl[k + 2], p1 = ctrl[k + 3];
        for (int s = 1; s <= steps; ++s) {
            const float t = float(s) / float(steps), u = 1 - t;
            out.push_back(p0 * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) +
                          p1 * (t * t * t));
        }
    }
    return out;
}

} // namespace aisys::viz
