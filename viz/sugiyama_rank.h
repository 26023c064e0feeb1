// Sugiyama stages 1–2 (private to viz/sugiyama*.cpp): units, cycle removal, layers.
#pragma once

#include "viz/sugiyama.h"

#include <vector>

namespace aisys::viz::sg {

/// An edge between units, oriented downwards (tail's layer < head's) after cycle removal.
struct UnitEdge {
    int tail = 0, head = 0;
    int edge = 0;          ///< index of the input edge
    bool reversed = false; ///< the input edge runs head → tail
};

/// Units (nodes, or one per collapsed group) with their layers.
struct Ranking {
    std::vector<int> unitOf;                        ///< per input node
    std::vector<float> unitW, unitH;                ///< per unit
    std::vector<int> unitGroup;                     ///< per unit: expanded group index or −1
    std::vector<int> unitCollapsed;                 ///< per unit: collapsed group index or −1
    std::vector<char> unitSide;                     ///< per unit: a side input (SugiyamaNode::side)
    std::vector<const PreviousLayout::Place*> prev; ///< per unit: its previous place, if any
    std::vector<UnitEdge> uedges;
    std::vector<int> rank; ///< per unit
    int reversed = 0;
};

/// Stages 1–2: cycle removal by DFS back-edge reversal, longest-path layers, edge shortening.
Ranking rankUnits(const std::vector<SugiyamaNode>& nodes, const std::vector<SugiyamaEdge>& edges,
                  const SugiyamaOptions& opt);

} // namespace aisys::viz::sg
