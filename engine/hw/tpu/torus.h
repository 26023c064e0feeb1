// k-ary n-dimensional tori and meshes: coordinates, links, hop distances, bisection, routing
// around failed nodes. The interconnect of TPUv2/v3 pods (2-D) and TPUv4 cubes/slices (3-D).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace aisys::engine::tpu {

/// An undirected link between two nodes, `a < b`, along dimension `dim`; `wrap` for the
/// wraparound link that joins the last node of a ring to the first.
struct TorusLink {
    int a = 0;
    int b = 0;
    int dim = 0;
    bool wrap = false;
};

/// A k0×k1×…×k(n−1) grid of nodes, each linked to its ±1 neighbour in every dimension; with
/// `wrap` the ends of every ring are linked too (a torus), without it the grid is a mesh.
/// Node ids are row-major: id = ((c0·k1 + c1)·k2 + c2)….
class Torus {
public:
    /// 1 ≤ dims ≤ 4 dimensions, each of size 2…64, at most 65 536 nodes. A ring of size 2
    /// has a single link (the wraparound would duplicate it). Throws std::invalid_argument.
    explicit Torus(std::vector<int> dims, bool wrap = true);

    const std::vector<int>& dims() const { return m_dims; }
    bool wraps() const { return m_wrap; }
    int nodes() const { return m_nodes; }
    std::vector<int> coord(int id) const;
    int index(const std::vector<int>& coord) const;

    /// Closed form: Σ over dimensions of min(|Δ|, k − |Δ|) on a torus, |Δ| on a mesh.
    int hopDistance(int a, int b) const;
    /// Distinct neighbours of a node.
    std::vector<int> neighbours(int id) const;
    /// Every link once.
    const std::vector<TorusLink>& links() const { return m_links; }
    /// Largest hop distance: Σ ⌊k/2⌋ (torus) or Σ (k − 1) (mesh).
    int diameter() const;
    /// Mean hop distance over all ordered pairs of distinct nodes (closed form per dimension).
    double averageHops() const;

    /// Links cut when the nodes are split in two halves across dimension `dim` (nodes with
    /// coordinate < k/2 against the rest), counted link by link.
    int cutLinks(int dim) const;
    /// The bisection: the smallest `cutLinks` over dimensions of even size (the halves are
    /// equal); if no dimension is even, over all dimensions. For a k-ary n-cube torus with
    /// k ≥ 4 even this equals 2·k^(n−1).
    int bisectionLinks() const;
    /// 2·k^(n−1): the bisection of a k-ary n-cube torus (k even, k ≥ 4).
    static std::int64_t closedFormBisection(int k, int n);

    /// Breadth-first hop counts from `src` avoiding failed nodes (`failed[id]`); −1 where
    /// unreachable or failed. With no failures this equals `hopDistance` (tested).
    std::vector<int> routeDistances(int src, const std::vector<bool>& failed) const;

private:
    std::vector<int> m_dims;
    bool m_wrap;
    int m_nodes = 1;
    std::vector<int> m_stride;
    std::vector<TorusLink> m_links;
};

} // namespace aisys::engine::tpu
