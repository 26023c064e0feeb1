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
    // 3. Coordinates: layer columns as wide as their widest node; nodes stacked and centred.
    float x = 0;
    std::vector<float> heights(layers, 0);
    for (int li = 0; li < layers; ++li)
        for (int v : byLayer[li])
            heights[li] += nodes[v].h + (heights[li] > 0 ? opt.nodeGap : 0);
    const float tallest = *std::max_element(heights.begin(), heights.end());
    for (int li = 0; li < layers; ++li) {
        float width = 0;
        for (int v : byLayer[li])
            width = std::max(width, nodes[v].w);
        float y = (tallest - heights[li]) / 2;
        for (int v : byLayer[li]) {
            res.boxes[v] = {x + (width - nodes[v].w) / 2, y, nodes[v].w, nodes[v].h};
            y += nodes[v].h + opt.nodeGap;
        }
        x += width + opt.layerGap;
    }
    return res;
}

} // namespace aisys::viz
