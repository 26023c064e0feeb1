// Layered layout for small DAGs: the Sugiyama pipeline with boxes only (no routes used).
#include "viz/layout.h"

namespace aisys::viz {

LayoutResult layeredLayout(const std::vector<LayoutNode>& nodes,
                           const std::vector<LayoutEdge>& edges, const LayoutOptions& opt) {
    std::vector<SugiyamaNode> sn;
    sn.reserve(nodes.size());
    for (const auto& n : nodes)
        sn.push_back({n.w, n.h, {}});
    std::vector<SugiyamaEdge> se;
    se.reserve(edges.size());
    for (const auto& e : edges)
        se.push_back({e.from, e.to, 0, 0});
    SugiyamaOptions so;
    so.direction = opt.direction;
    so.layerGap = opt.layerGap;
    so.nodeGap = opt.nodeGap;
    so.edgeGap = opt.nodeGap / 2;
    SugiyamaResult r = sugiyamaLayout(sn, se, so);
    return {std::move(r.boxes), std::move(r.layer)};
}

} // namespace aisys::viz
