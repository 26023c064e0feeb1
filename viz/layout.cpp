// Layered layout for small DAGs (the full Sugiyama pipeline for large graphs comes later).
#include "viz/layout.h"

#include <algorithm>
#include <numeric>

namespace aisys::viz {

LayoutResult layeredLayout(const std::vector<LayoutNode>& nodes,
                           const std::vector<LayoutEdge>& edges, const LayoutOptions& opt) {
    const int n = static_cast<int>(nodes.size());
    LayoutResult res;
    res.layer.assign(n, 0);
    res.boxes.resize(n);
    if (n == 0)
        return res;
    // 1. Longest-path layering: relax edges n times (n is small; a DAG converges).
    for (int it = 0; it < n; ++it) {
        bool changed = false;
        for (const auto& e : edges)
            if (res.layer[e.to] < res.layer[e.from] + 1) {
                res.layer[e.to] = res.layer[e.from] + 1;
                changed = true;
            }
        if (!changed)
            break;
    }
    // Sources (no incoming edge) move down to just before their first consumer, so a weight
    // read late in the graph sits next to the op that reads it instead of in the first layer.
    std::vector<int> indeg(n, 0);
    for (const auto& e : edges)
        ++indeg[e.to];
    for (int v = 0; v < n; ++v) {
        if (indeg[v] != 0)
            continue;
        int first = -1;
        for (const auto& e : edges)
            if (e.from == v)
                first = first < 0 ? res.layer[e.to] : std::min(first, res.layer[e.to]);
        if (first > 0)
            res.layer[v] = first - 1;
    }
    const int layers = *std::max_element(res.layer.begin(), res.layer.end()) + 1;
    std::vector<std::vector<int>> byLayer(layers);
    for (int i = 0; i < n; ++i)
        byLayer[res.layer[i]].push_back(i);
    // 2. Barycentre ordering: sort each layer by the mean position of its neighbours in the
    //    previous layer (down sweep), then of the next layer (up sweep).
    std::vector<float> posInLayer(n, 0);
    auto index = [&] {
        for (auto& l : byLayer)
            for (std::size_t k = 0; k < l.size(); ++k)
                posInLayer[l[k]] = static_cast<float>(k);
    };
    index();
    auto sweep = [&](bool down) {
        for (int li = down ? 1 : layers - 2; down ? li < layers : li >= 0; li += down ? 1 : -1) {
            std::vector<std::pair<float, int>> keyed;
            for (int v : byLayer[li]) {
                float sum = 0;
                int cnt = 0;
                for (const auto& e : edges) {
                    int other = down ? (e.to == v ? e.from : -1) : (e.from == v ? e.to : -1);
                    if (other >= 0 && res.layer[other] == li + (down ? -1 : 1)) {
                        sum += posInLayer[other];
                        ++cnt;
                    }
                }
                keyed.push_back({cnt ? sum / cnt : posInLayer[v], v});
            }
            std::stable_sort(keyed.begin(), keyed.end(),
                             [](auto& a, auto& b) { return a.first < b.first; });
            for (std::size_t k = 0; k < keyed.size(); ++k)
                byLayer[li][k] = keyed[k].second;
            index();
        }
    };
    sweep(true);
    sweep(false);
    // 3. Coordinates: each layer as deep as its deepest node (along the direction); nodes
    //    side by side across it, centred. Computed for left-to-right, then swapped for
    //    top-to-bottom (node sizes are swapped going in and coming out).
    const bool tb = opt.direction == LayoutDirection::TopToBottom;
    auto along = [&](int v) { return tb ? nodes[v].h : nodes[v].w; };
    auto across = [&](int v) { return tb ? nodes[v].w : nodes[v].h; };
    float x = 0;
    std::vector<float> extent(layers, 0);
    for (int li = 0; li < layers; ++li)
        for (int v : byLayer[li])
            extent[li] += across(v) + (extent[li] > 0 ? opt.nodeGap : 0);
    const float widest = *std::max_element(extent.begin(), extent.end());
    for (int li = 0; li < layers; ++li) {
        float depth = 0;
        for (int v : byLayer[li])
            depth = std::max(depth, along(v));
        float y = (widest - extent[li]) / 2;
        for (int v : byLayer[li]) {
            const float a = x + (depth - along(v)) / 2;
            res.boxes[v] =
                tb ? Rect{y, a, nodes[v].w, nodes[v].h} : Rect{a, y, nodes[v].w, nodes[v].h};
            y += across(v) + opt.nodeGap;
        }
        x += depth + opt.layerGap;
    }
    return res;
}

} // namespace aisys::viz
