// The proper layered graph the Sugiyama stages share (private to viz/sugiyama*.cpp).
#pragma once

#include "viz/sugiyama.h"

#include <vector>

namespace aisys::viz::sg {

/// Every edge joins adjacent layers; long edges run through dummy nodes.
struct LayeredGraph {
    // Per node (units first, then dummies).
    std::vector<float> left, right; ///< extent across the layer from the node's anchor
    std::vector<float> thick;       ///< extent along the direction
    std::vector<int> layer, pos, group;
    std::vector<char> dummy;
    std::vector<char> side;     ///< side inputs (weights): they do not pull their consumer aside
    std::vector<int> fixedRank; ///< stable mode: rank among survivors of its layer, else -1
    std::vector<std::vector<int>> up, down; ///< neighbours in layer − 1 / layer + 1
    std::vector<std::vector<int>> layers;   ///< node ids left to right
    int units = 0;

    int size() const { return static_cast<int>(layer.size()); }
    int addNode(float l, float r, float t, int lay, int grp, bool isDummy) {
        left.push_back(l);
        right.push_back(r);
        thick.push_back(t);
        layer.push_back(lay);
        pos.push_back(0);
        group.push_back(grp);
        dummy.push_back(isDummy ? 1 : 0);
        side.push_back(0);
        fixedRank.push_back(-1);
        up.emplace_back();
        down.emplace_back();
        return size() - 1;
    }
    void link(int a, int b) { // a in layer k, b in layer k + 1
        down[a].push_back(b);
        up[b].push_back(a);
    }
    void reindex() {
        for (auto& l : layers)
            for (std::size_t k = 0; k < l.size(); ++k)
                pos[l[k]] = static_cast<int>(k);
    }
};

/// Stage 4a: initial order, depth (or breadth) first from the top (or bottom) layers; nodes with a
/// previous place (`prevAcross` not NaN) come first in that order and keep it (fixedRank).
void initialOrder(LayeredGraph& g, const std::vector<float>& prevAcross, bool fromBottom,
                  bool breadth = false);

/// Stage 4: orders every layer to few crossings (initial order: `layers` as given).
/// Returns the crossings of the order kept.
long long reduceCrossings(LayeredGraph& g, const SugiyamaOptions& opt);

/// Crossings of the current order of `g`.
long long crossingsOf(const LayeredGraph& g);

/// Stage 5: x of every node's anchor (Brandes–Köpf, four alignments balanced).
std::vector<float> assignCoordinates(const LayeredGraph& g, float nodeGap, float edgeGap);

/// Stage 8 (opt.wrapAspect > 0): cuts a long layout into bands side by side. `centre` and
/// `thick` are the internal layers' centre lines and thicknesses (before `alongShift`).
void wrapBands(SugiyamaResult& res, const std::vector<float>& centre,
               const std::vector<float>& thick, bool tb, float alongShift,
               const SugiyamaOptions& opt);

} // namespace aisys::viz::sg
