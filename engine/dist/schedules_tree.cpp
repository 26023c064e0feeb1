// NCCL-style double binary tree all-reduce (pipelined) and the hierarchical two-level
// all-reduce (ring inside each node, ring across nodes, ring inside each node).
#include "engine/dist/schedule_kit.h"

#include <algorithm>
#include <array>
#include <memory>

namespace aisys::engine::dist {

namespace {

/// A binary tree over positions 0..p−1: in-order, each range's middle is its root, so about
/// half of the positions are leaves.
struct BinaryTree {
    std::vector<int> parent, height, depth;
    std::vector<std::array<int, 2>> child;
    int root = 0, maxHeight = 0;
    explicit BinaryTree(int p) : parent(p, -1), height(p, 0), depth(p, 0), child(p, {-1, -1}) {
        root = build(0, p - 1, -1, 0);
        maxHeight = p > 0 ? height[root] : 0;
    }
    int build(int lo, int hi, int up, int d) {
        if (lo > hi)
            return -1;
        const int mid = (lo + hi + 1) / 2;
        parent[mid] = up;
        depth[mid] = d;
        child[mid] = {build(lo, mid - 1, mid, d + 1), build(mid + 1, hi, mid, d + 1)};
        int h = 0;
        for (int c : child[mid])
            if (c >= 0)
                h = std::max(h, height[c] + 1);
        height[mid] = h;
        return mid;
    }
};

} // namespace

std::unique_ptr<Schedule> doubleBinaryTreeSchedule(const ScheduleSpec& s, std::string& error) {
    if (s.op != Op::AllReduce) {
        error = "double-binary-tree implements all-reduce only";
        return nullptr;
    }
    // Steps:
    // 1. Tree A is the in-order binary tree over ranks; tree B is tree A with every rank
    //    shifted by one (rank r takes position r−1), so most leaves of A are inner nodes of B.
    // 2. Tree t carries half t of the vector, split into S segments that pipeline: in the
    //    reduction a node of height h sends segment g to its parent in round g + h; the root
    //    (height H) has segment g complete after round g + H − 1, and in the broadcast a node
    //    of depth d sends segment g to its children in round H + g + d.
    const int p = s.ranks, S = s.segments;
    const std::int64_t n = s.count;
    auto tree = std::make_shared<BinaryTree>(p);
    const int H = tree->maxHeight;
    const int rounds = p > 1 ? H + S + H - 1 : 0;
    return std::make_unique<FnSchedule>(rounds, [=](int r, int k, RoundPlan& out) {
        const BinaryTree& t = *tree;
        for (int which = 0; which < 2; ++which) {
            const int pos = which == 0 ? r : (r - 1 + p) % p;
            auto rankAt = [&](int q) { return which == 0 ? q : (q + 1) % p; };
            const std::int64_t base = which == 0 ? 0 : n / 2, len = which == 0 ? n / 2 : n - n / 2;
            auto seg = [&](int g) {
                return std::pair{base + blockBegin(len, S, g), base + blockBegin(len, S, g + 1)};
            };
            // Reduction.
            const int g = k - t.height[pos];
            if (t.parent[pos] >= 0 && g >= 0 && g < S) {
                auto [b, e] = seg(g);
                out.sendRange(rankAt(t.parent[pos]), Combine::Reduce, b, e);
            }
            for (int c : t.child[pos])
                if (c >= 0 && k - t.height[c] >= 0 && k - t.height[c] < S)
                    out.receives += 1;
            // Broadcast.
            const int gb = k - H - t.depth[pos];
            if (gb >= 0 && gb < S)
                for (int c : t.child[pos])
                    if (c >= 0) {
                        auto [b, e] = seg(gb);
                        out.sendRange(rankAt(c), Combine::Copy, b, e);
                    }
            const int gin = k - H - (t.depth[pos] - 1);
            if (t.parent[pos] >= 0 && gin >= 0 && gin < S)
                out.receives += 1;
        }
    });
}

std::unique_ptr<Schedule> hierarchicalSchedule(const ScheduleSpec& s, std::string& error) {
    if (s.op != Op::AllReduce) {
        error = "hierarchical implements all-reduce only";
        return nullptr;
    }
    const int p = s.ranks, G = s.ranksPerNode;
    if (G < 1 || p % G != 0) {
        error = "hierarchical all-reduce needs the ranks per node (" + std::to_string(G) +
                ") to divide the ranks (" + std::to_string(p) +
                "): use a multi-node topology, a file with ranks-per-node, or --gpus-per-node";
        return nullptr;
    }
    // Steps (ranks of node m are m·G … m·G+G−1; local index l = r mod G):
    // 1. rounds [0, G−1): ring reduce-scatter inside each node: local index l ends with block l
    //    (of G) summed over its node;
    // 2. rounds [G−1, G−1+2(M−1)): ring all-reduce of block l among the M ranks with local
    //    index l, one per node (so G rings cross the fabric at once);
    // 3. rounds after: ring all-gather inside each node.
    const int M = p / G;
    const std::int64_t n = s.count;
    const int phase2 = G - 1, phase3 = G - 1 + 2 * (M - 1);
    return std::make_unique<FnSchedule>(
        2 * (G - 1) + 2 * (M - 1), [=](int r, int k, RoundPlan& out) {
            const int m = r / G, l = r % G;
            auto local = [=](int j) { return m * G + j; };
            auto across = [=](int j) { return j * G + l; };
            if (k < phase2) {
                ringStep(G, l, local, k, true, 0, n, out);
            } else if (k < phase3) {
                const std::int64_t b = blockBegin(n, G, l);
                const std::int64_t c = blockBegin(n, G, l + 1) - b;
                const int step = k - phase2;
                if (step < M - 1)
                    ringStep(M, m, across, step, true, b, c, out);
                else
                    ringStep(M, m, across, step - (M - 1), false, b, c, out);
            } else {
                ringStep(G, l, local, k - phase3, false, 0, n, out);
            }
        });
}

} // namespace aisys::engine::dist
