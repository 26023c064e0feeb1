// Graph layout benchmark (bench/layout_vs_dot.sh drives it against Graphviz dot):
//   bench_layout write DIR   — builds seeded DNN-like graphs (ResNet-style chains with skips,
//                              Inception-style branches, transformer blocks; 100, 1k, 10k
//                              nodes), times sugiyamaLayout (median wall and thread-CPU
//                              time, one thread), writes
//                              DIR/NAME.dot (dot's input, same box sizes and gaps),
//                              DIR/NAME.ours.plain (our layout in dot's `plain` format) and
//                              DIR/NAME.ours.ms (wall and CPU ms)
//   bench_layout models DIR  — writes bigger engine models as ONNX for `aisyslab export --model`
//                              (a 12-layer transformer, a MobileNet-style CNN)
//   bench_layout count FILE  — crossings of a layout in `plain` format (ours or dot's), counted
//                              the same way for both: nodes are ranked by their y, every edge's
//                              spline is cut at the ranks it passes, and crossings between
//                              adjacent ranks are counted (Barth–Jünger–Mutzel).
#include "engine/graph/ops.h"
#include "engine/models/zoo.h"
#include "engine/onnx/onnx_import.h"
#include "viz/sugiyama.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>

using namespace aisys::viz;
namespace fs = std::filesystem;

namespace {

constexpr float kNodeGap = 18, kLayerGap = 36; // dot's defaults: nodesep 0.25 in, ranksep 0.5 in

struct Graph {
    std::vector<SugiyamaNode> nodes;
    std::vector<std::string> ops;
    std::vector<SugiyamaEdge> edges;
    int add(const std::string& op, std::initializer_list<int> inputs) {
        const int id = static_cast<int>(nodes.size());
        nodes.push_back({7.0f * float(op.size()) + 20.0f, 30.0f, "n" + std::to_string(id)});
        ops.push_back(op);
        for (int i : inputs)
            edges.push_back({i, id, 0, 0});
        return id;
    }
};

/// ResNet-style: conv-bn-relu-conv-bn, add with the block input (a projection conv on the skip
/// path every few blocks), relu.
int resnetBlock(Graph& g, int x, std::mt19937& rng) {
    int a = g.add("Conv", {x});
    a = g.add("BatchNormalization", {a});
    a = g.add("Relu", {a});
    a = g.add("Conv", {a});
    a = g.add("BatchNormalization", {a});
    int skip = x;
    if (rng() % 4 == 0)
        skip = g.add("BatchNormalization", {g.add("Conv", {x})});
    return g.add("Relu", {g.add("Add", {a, skip})});
}

/// Inception-style: 3–5 branches of 1–3 convs (one with a pool first), concatenated.
int inceptionBlock(Graph& g, int x, std::mt19937& rng) {
    const int branches = 3 + int(rng() % 3);
    std::vector<int> ends;
    for (int b = 0; b < branches; ++b) {
        int y = b == branches - 1 ? g.add("MaxPool", {x}) : x;
        const int len = 1 + int(rng() % 3);
        for (int k = 0; k < len; ++k)
            y = g.add(k == 0 ? "Conv 1x1" : "Conv 3x3", {y});
        ends.push_back(y);
    }
    const int c = g.add("Concat", {});
    for (int e : ends)
        g.edges.push_back({e, c, 0, 0});
    return c;
}

/// Pre-LN transformer block: attention with Q/K/V projections and a residual, then the MLP.
int transformerBlock(Graph& g, int x, std::mt19937& rng) {
    const int ln = g.add("LayerNormalization", {x});
    int qkv[3];
    for (int k = 0; k < 3; ++k)
        qkv[k] = g.add("Transpose", {g.add("Reshape", {g.add("MatMul", {ln})})});
    int s = g.add("MatMul", {qkv[0], g.add("Transpose", {qkv[1]})});
    s = g.add("Softmax", {g.add("Div", {s})});
    if (rng() % 2)
        s = g.add("Dropout", {s});
    int o = g.add("Reshape", {g.add("Transpose", {g.add("MatMul", {s, qkv[2]})})});
    const int r1 = g.add("Add", {g.add("MatMul", {o}), x});
    int m = g.add("LayerNormalization", {r1});
    m = g.add("MatMul", {g.add("Gelu", {g.add("MatMul", {m})})});
    return g.add("Add", {m, r1});
}

/// DenseNet-style: 4–6 layers (BN-ReLU-Conv), each reading the concatenation of every earlier
/// output of the block.
int denseBlock(Graph& g, int x, std::mt19937& rng) {
    std::vector<int> outs = {x};
    const int layers = 4 + int(rng() % 3);
    for (int k = 0; k < layers; ++k) {
        const int c = g.add("Concat", {});
        for (int o : outs)
            g.edges.push_back({o, c, 0, 0});
        outs.push_back(g.add("Conv", {g.add("Relu", {g.add("BatchNormalization", {c})})}));
    }
    return g.add("AveragePool", {g.add("Conv 1x1", {outs.back()})});
}

/// NASNet-style cell: inputs h[-2], h[-1]; five nodes each adding two ops on inputs picked at
/// random among the cell inputs and earlier nodes; unused nodes concatenated.
int nasCell(Graph& g, int prev2, int prev1, std::mt19937& rng) {
    static const char* ops[] = {"SepConv 3x3", "SepConv 5x5", "MaxPool", "AvgPool", "Identity"};
    std::vector<int> avail = {prev2, prev1};
    std::vector<char> used(7, 0);
    for (int k = 0; k < 5; ++k) {
        const int a = int(rng() % avail.size()), b = int(rng() % avail.size());
        used[a] = used[b] = 1;
        const int x = g.add(ops[rng() % 5], {avail[a]});
        const int y = g.add(ops[rng() % 5], {avail[b]});
        avail.push_back(g.add("Add", {x, y}));
    }
    const int c = g.add("Concat", {});
    for (std::size_t k = 2; k < avail.size(); ++k)
        if (!used[k])
            g.edges.push_back({avail[k], c, 0, 0});
    return c;
}

Graph build(const std::string& family, int target, unsigned seed) {
    std::mt19937 rng(seed);
    Graph g;
    int x = g.add("Input", {}), before = x;
    while (static_cast<int>(g.nodes.size()) < target - 1) {
        const int last = x;
        x = family == "resnet"      ? resnetBlock(g, x, rng)
            : family == "inception" ? inceptionBlock(g, x, rng)
            : family == "densenet"  ? denseBlock(g, x, rng)
            : family == "nasnet"    ? nasCell(g, before, x, rng)
                                    : transformerBlock(g, x, rng);
        before = last;
    }
    g.add("Output", {x});
    return g;
}

SugiyamaOptions benchOptions() {
    SugiyamaOptions o;
    o.nodeGap = kNodeGap;
    o.layerGap = kLayerGap;
    o.edgeGap = kNodeGap / 2;
    return o;
}

void writeDot(const Graph& g, const fs::path& file) {
    std::ofstream f(file);
    f << "digraph G {\n  nodesep=" << kNodeGap / 72 << "; ranksep=" << kLayerGap / 72
      << ";\n  node [shape=box, fixedsize=true, label=\"\"];\n";
    for (const auto& n : g.nodes)
        f << "  " << n.name << " [width=" << n.w / 72 << ", height=" << n.h / 72 << "];\n";
    for (const auto& e : g.edges)
        f << "  " << g.nodes[e.from].name << " -> " << g.nodes[e.to].name << ";\n";
    f << "}\n";
}

/// Our layout in dot's `plain` format (inches, y up), so one reader counts both.
void writePlain(const Graph& g, const SugiyamaResult& r, const fs::path& file) {
    std::ofstream f(file);
    const float H = r.bounds.y + r.bounds.h;
    auto px = [](float v) { return v / 72; };
    f << "graph 1 " << px(r.bounds.w) << " " << px(r.bounds.h) << "\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Rect& b = r.boxes[i];
        f << "node " << g.nodes[i].name << " " << px(b.x + b.w / 2) << " " << px(H - b.y - b.h / 2)
          << " " << px(b.w) << " " << px(b.h) << " \"\" solid box black lightgrey\n";
    }
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
        const auto& bz = r.routes[e].bezier;
        f << "edge " << g.nodes[g.edges[e].from].name << " " << g.nodes[g.edges[e].to].name << " "
          << bz.size();
        for (const Vec2& p : bz)
            f << " " << px(p.x) << " " << px(H - p.y);
        f << " solid black\n";
    }
    f << "stop\n";
}

/// CPU time of this thread in ms: on a shared machine it counts only our own work.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

int write(const fs::path& dir) {
    fs::create_directories(dir);
    std::printf("%-16s %7s %7s %8s %10s %10s %10s\n", "graph", "nodes", "edges", "dummies",
                "wall ms", "cpu ms", "crossings");
    for (const char* family : {"resnet", "inception", "transformer", "densenet", "nasnet"})
        for (int size : {100, 1000, 10000}) {
            const Graph g = build(family, size, 42u + unsigned(size));
            const std::string name = std::string(family) + "_" + std::to_string(size);
            const int runs = size >= 10000 ? 5 : size >= 1000 ? 9 : 21;
            std::vector<double> wall, cpu;
            SugiyamaResult r;
            for (int k = 0; k < runs; ++k) {
                const auto t0 = std::chrono::steady_clock::now();
                const double c0 = threadCpuMs();
                r = sugiyamaLayout(g.nodes, g.edges, benchOptions());
                cpu.push_back(threadCpuMs() - c0);
                wall.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count());
            }
            std::sort(wall.begin(), wall.end());
            std::sort(cpu.begin(), cpu.end());
            const double wallMs = wall[wall.size() / 2], cpuMs = cpu[cpu.size() / 2];
            writeDot(g, dir / (name + ".dot"));
            writePlain(g, r, dir / (name + ".ours.plain"));
            std::ofstream(dir / (name + ".ours.ms")) << wallMs << " " << cpuMs << "\n";
            std::printf("%-16s %7zu %7zu %8d %10.2f %10.2f %10d\n", name.c_str(), g.nodes.size(),
                        g.edges.size(), r.dummies, wallMs, cpuMs, r.crossings);
        }
    return 0;
}

/// Reads `plain`, ranks nodes by y, cuts every edge's spline at the ranks between its ends, and
/// counts crossings between adjacent ranks.
int count(const fs::path& file) {
    std::ifstream f(file);
    if (!f) {
        std::fprintf(stderr, "bench_layout count: cannot read %s\n", file.string().c_str());
        return 2;
    }
    std::map<std::string, int> id;
    std::vector<Vec2> at;
    std::vector<std::pair<int, std::vector<Vec2>>> splines; // (tail) → points
    std::vector<int> heads;
    std::string line;
    int lineNo = 0;
    while (std::getline(f, line)) {
        ++lineNo;
        std::istringstream s(line);
        std::string kind;
        s >> kind;
        if (kind == "node") {
            std::string name;
            float x, y;
            if (!(s >> name >> x >> y)) {
                std::fprintf(stderr, "%s:%d: malformed node line\n", file.string().c_str(), lineNo);
                return 2;
            }
            id[name] = static_cast<int>(at.size());
            at.push_back({x, y});
        } else if (kind == "edge") {
            std::string a, b;
            int n = 0;
            s >> a >> b >> n;
            std::vector<Vec2> pts(std::max(0, n));
            for (auto& p : pts)
                s >> p.x >> p.y;
            if (!s || !id.count(a) || !id.count(b)) {
                std::fprintf(stderr, "%s:%d: malformed edge line\n", file.string().c_str(), lineNo);
                return 2;
            }
            splines.push_back({id[a], flattenBezier(pts, 16)});
            heads.push_back(id[b]);
        }
    }
    // 1. Ranks: distinct node y (within 0.01 in), top (largest y) first.
    std::vector<float> ys;
    for (const Vec2& p : at)
        ys.push_back(p.y);
    std::sort(ys.begin(), ys.end(), std::greater<float>());
    std::vector<float> rankY;
    for (float y : ys)
        if (rankY.empty() || rankY.back() - y > 0.01f)
            rankY.push_back(y);
    auto rankOf = [&](float y) {
        int best = 0;
        for (int k = 0; k < static_cast<int>(rankY.size()); ++k)
            if (std::abs(rankY[k] - y) < std::abs(rankY[best] - y))
                best = k;
        return best;
    };
    std::vector<int> layer;
    std::vector<float> xs;
    for (const Vec2& p : at) {
        layer.push_back(rankOf(p.y));
        xs.push_back(p.x);
    }
    // 2. Every edge becomes a chain through points where its spline meets each rank between.
    std::vector<std::pair<int, int>> proper;
    for (std::size_t e = 0; e < splines.size(); ++e) {
        int a = splines[e].first, b = heads[e];
        int ra = layer[a], rb = layer[b];
        if (ra == rb)
            continue;
        const std::vector<Vec2>& pts = splines[e].second;
        int prev = ra < rb ? a : b;
        const int lo = std::min(ra, rb), hi = std::max(ra, rb);
        for (int r = lo + 1; r < hi; ++r) {
            float x = at[prev].x;
            for (std::size_t k = 1; k < pts.size(); ++k) {
                const float y0 = pts[k - 1].y, y1 = pts[k].y, Y = rankY[r];
                if ((y0 - Y) * (y1 - Y) <= 0 && y0 != y1) {
                    x = pts[k - 1].x + (pts[k].x - pts[k - 1].x) * (Y - y0) / (y1 - y0);
                    break;
                }
            }
            const int v = static_cast<int>(xs.size());
            xs.push_back(x);
            layer.push_back(r);
            proper.push_back({prev, v});
            prev = v;
        }
        proper.push_back({prev, ra < rb ? b : a});
    }
    // 3. Positions by x within each rank, then count.
    std::vector<int> idx(xs.size()), pos(xs.size());
    for (std::size_t i = 0; i < idx.size(); ++i)
        idx[i] = static_cast<int>(i);
    std::sort(idx.begin(), idx.end(), [&](int p, int q) {
        return layer[p] != layer[q] ? layer[p] < layer[q] : xs[p] < xs[q];
    });
    for (std::size_t k = 0; k < idx.size(); ++k)
        pos[idx[k]] = k == 0 || layer[idx[k]] != layer[idx[k - 1]] ? 0 : pos[idx[k - 1]] + 1;
    std::printf("%lld\n", countCrossings(layer, pos, proper));
    return 0;
}

} // namespace

int models(const fs::path& dir) {
    fs::create_directories(dir);
    struct M {
        const char* name;
        aisys::engine::Graph g;
    };
    M ms[] = {{"transformer_12l", aisys::engine::models::smallTransformer(32, 64, 4, 12)},
              {"mobilenet_style", aisys::engine::models::mobileNetStyle(96, 0.25, 100)}};
    for (M& m : ms) {
        aisys::engine::inferShapes(m.g);
        const fs::path f = dir / (std::string(m.name) + ".onnx");
        aisys::engine::exportOnnxFile(m.g, f.string());
        std::printf("wrote %s (%zu nodes)\n", f.string().c_str(), m.g.nodes.size());
    }
    return 0;
}

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "models" && argc == 3)
        return models(argv[2]);
    if (mode == "write" && argc == 3)
        return write(argv[2]);
    if (mode == "count" && argc == 3)
        return count(argv[2]);
    std::fprintf(stderr, "usage: bench_layout write DIR | models DIR | count FILE.plain\n");
    return 2;
}
