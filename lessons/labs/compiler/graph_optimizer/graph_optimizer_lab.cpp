// Lab "graph-optimizer": runs a pass pipeline with snapshots and turns every pass into a frame
// (see graph_optimizer_lab.h; the drawing is in drawing.cpp).
#include "lessons/labs/compiler/graph_optimizer/graph_optimizer_lab.h"

#include "engine/graph/interpreter.h"
#include "engine/graph/ops.h"
#include "engine/models/random.h"
#include "engine/onnx/onnx_import.h"
#include "lessons/common/graph_topology.h"
#include "lessons/labs/compiler/graph_optimizer/drawing.h"
#include "lessons/labs/compiler/graph_optimizer/example_graphs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace aisys::lessons {

namespace ec = engine::compiler;

int GraphPicture::find(const std::string& name) const {
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].name == name)
            return static_cast<int>(i);
    return -1;
}

namespace {

constexpr float kBoxH = 36, kPillH = 24;

float boxWidth(const std::string& op, const std::string& name) {
    return std::max(
        {72.0f, viz::approxTextWidth(op, 14) + 20, viz::approxTextWidth(name, 11) + 16});
}

/// Names of the initializers (weights) a node reads, in order.
std::vector<std::string> weightNames(const engine::Graph& g, const engine::Node& n) {
    std::vector<std::string> out;
    for (int v : n.inputs)
        if (v >= 0 && g.values[v].initializer)
            out.push_back(g.values[v].name);
    return out;
}

/// 1. Per node of the previous graph and of this one, by name: gone → removed, new → added,
///    same name with another op, other attributes or other weights → rewritten (a node whose
///    activation input now comes from elsewhere is only rewired, not rewritten).
void diffFrames(const engine::Graph& prev, OptimizerFrame& cur) {
    std::map<std::string, const engine::Node*> before, after;
    for (const auto& n : prev.nodes)
        before[n.name] = &n;
    for (const auto& n : cur.graph.nodes)
        after[n.name] = &n;
    for (const auto& [name, n] : before) {
        auto it = after.find(name);
        if (it == after.end())
            cur.removed.insert(name);
        else if (it->second->op != n->op || it->second->attrs != n->attrs ||
                 weightNames(cur.graph, *it->second) != weightNames(prev, *n))
            cur.rewritten.insert(name);
    }
    for (const auto& [name, n] : after)
        if (!before.count(name))
            cur.added.insert(name);
}

} // namespace

GraphPicture buildPicture(const engine::Graph& g) {
    // The boxes and edges are lessons/common/graph_topology's (graph inputs as pills, fused
    // nodes expanded into their members, weights not drawn); this adds the pass view's names
    // ("in:x", "out:y", a member's own name) and box sizes.
    std::set<int> inputs(g.inputs.begin(), g.inputs.end());
    TopologyOptions opt;
    opt.sourceBox = [&](int v) { return inputs.count(v) > 0; };
    opt.expandFused = true;
    const GraphTopology t = graphTopology(g, opt);
    GraphPicture p;
    for (const GraphBox& b : t.boxes) {
        switch (b.kind) {
        case GraphBox::Kind::Source:
            p.nodes.push_back({PictureNode::Kind::Input, "in:" + b.name, "input", "", -1});
            p.sizes.push_back({std::max(56.0f, viz::approxTextWidth(b.name, 12) + 24), kPillH,
                               p.nodes.back().name});
            break;
        case GraphBox::Kind::Sink:
            p.nodes.push_back({PictureNode::Kind::Output, "out:" + b.name, "output", "", -1});
            p.sizes.push_back({std::max(56.0f, viz::approxTextWidth(b.name, 12) + 24), kPillH,
                               p.nodes.back().name});
            break;
        case GraphBox::Kind::Op:
            p.nodes.push_back({PictureNode::Kind::Op, b.name, b.op,
                               b.member >= 0 ? g.nodes[b.node].name : "", b.node});
            p.sizes.push_back({boxWidth(b.op, b.name), kBoxH, b.name});
            break;
        }
    }
    for (const GraphLink& l : t.links) {
        p.edges.push_back({l.from, l.to});
        p.edgeValue.push_back(l.valueName);
    }
    for (const FusedGroup& f : t.fused) {
        viz::SugiyamaGroup grp;
        grp.name = f.name;
        grp.members = f.members;
        p.groups.push_back(std::move(grp));
    }
    return p;
}

OptimizerRun::OptimizerRun(engine::Graph input, std::string source, const ec::Pipeline& pipeline,
                           OptimizerOptions opt)
    : m_source(std::move(source)), m_pipeline(pipeline.label), m_opt(opt) {
    // 1. Infer shapes and verify the input (a broken file is reported, not drawn).
    // 2. Run the pipeline with snapshots; keep the passes that changed the graph (all of them
    //    with showUnchanged) as frames, diff each against the previous frame.
    // 3. Lay out the union of every frame's nodes once, so that a node keeps its place.
    engine::inferShapes(input);
    if (auto err = input.verify(); !err.empty())
        throw std::invalid_argument(m_source + ": the graph does not verify: " + err);
    OptimizerFrame first;
    first.graph = input;
    first.stats = ec::graphStats(input);
    first.changed = true;
    first.picture = buildPicture(first.graph);
    m_frames.push_back(std::move(first));
    ec::PassManager pm(pipeline);
    pm.setSnapshots(true);
    engine::Graph work = std::move(input);
    ec::PipelineReport rep = pm.run(work);
    for (auto& rec : rep.passes) {
        if (!rec.result.changed && !m_opt.showUnchanged) {
            m_unchanged.push_back(rec.pass);
            continue;
        }
        OptimizerFrame f;
        f.pass = rec.pass;
        f.round = rec.round;
        f.changed = rec.result.changed;
        f.graph = std::move(rec.snapshot);
        f.stats = rec.stats;
        f.log = std::move(rec.result.log);
        diffFrames(m_frames.back().graph, f);
        f.picture = buildPicture(f.graph);
        m_frames.push_back(std::move(f));
    }
    checkOutputs();
    layOut();
}

void OptimizerRun::checkOutputs() {
    // Semantics kept: run every frame's graph on the same seeded inputs (the engine's, as
    // `aisyslab infer` draws them) and compare its outputs with frame 0's.
    const engine::Graph& g0 = m_frames.front().graph;
    const std::map<std::string, engine::Tensor> inputs = engine::models::seededInputs(g0, 1);
    auto run = [&](const engine::Graph& g) {
        engine::Interpreter it(g);
        for (const auto& [name, t] : inputs)
            it.setInput(name, t);
        it.run();
        std::vector<engine::Tensor> out;
        for (int o : it.graph().outputs)
            out.push_back(*it.value(o));
        return out;
    };
    std::vector<engine::Tensor> ref;
    try {
        ref = run(g0);
    } catch (const std::exception& e) {
        for (auto& f : m_frames) {
            f.maxError = NAN;
            f.runError = std::string("the input graph does not run: ") + e.what();
        }
        return;
    }
    for (std::size_t k = 1; k < m_frames.size(); ++k) {
        OptimizerFrame& f = m_frames[k];
        try {
            const std::vector<engine::Tensor> out = run(f.graph);
            if (out.size() != ref.size())
                throw std::runtime_error("another number of outputs");
            double worst = 0;
            for (std::size_t o = 0; o < out.size(); ++o) {
                if (out[o].shape() != ref[o].shape())
                    throw std::runtime_error("output " + std::to_string(o) + " changed shape");
                for (std::int64_t i = 0; i < out[o].numel(); ++i) {
                    const double a = ref[o].at(i), b = out[o].at(i);
                    worst = std::max(worst, std::abs(a - b) / std::max(1.0, std::abs(a)));
                }
            }
            f.maxError = worst;
        } catch (const std::exception& e) {
            f.maxError = NAN;
            f.runError = e.what();
        }
    }
}

void OptimizerRun::layOut() {
    // One layered layout of the union of all frames' pictures (nodes by name, edges by their
    // end names, each fused group once), so that every node keeps one place in every frame:
    // a pass's removed nodes leave their place empty, added ones appear in a place that was
    // kept free for them, and nothing else moves (the sugiyama PreviousLayout keeps layers and
    // order, but compacts layers when nodes vanish, which moves the nodes below them).
    //
    // A node a "merged" rewrite created takes the place of the last node it replaced (the
    // pattern's sink: MatMul+Add → Gemm sits where the Add was), so a rewrite happens in place
    // instead of next to a column of ghosts. Chains resolve transitively.
    std::map<std::string, std::string> alias;
    for (std::size_t k = 1; k < m_frames.size(); ++k) {
        const auto& f = m_frames[k];
        for (const auto& e : f.log) {
            if (e.kind != ec::RewriteEntry::Kind::Merged)
                continue;
            std::string target;
            for (const auto& b : e.before)
                if (f.removed.count(b))
                    target = b;
            if (target.empty())
                continue;
            for (const auto& a : e.after)
                if (f.added.count(a) && a != target)
                    alias.emplace(a, target);
        }
    }
    auto resolve = [&](std::string n) {
        for (int guard = 0; guard < 64; ++guard) {
            auto it = alias.find(n);
            if (it == alias.end())
                break;
            n = it->second;
        }
        return n;
    };
    std::map<std::string, int> index; // unit name → layout node
    std::vector<viz::SugiyamaNode> nodes;
    std::vector<std::string> allNames;
    for (const auto& f : m_frames)
        for (std::size_t i = 0; i < f.picture.nodes.size(); ++i) {
            auto sz = f.picture.sizes[i];
            if (std::find(allNames.begin(), allNames.end(), sz.name) == allNames.end())
                allNames.push_back(sz.name);
            sz.name = resolve(sz.name);
            auto [it, fresh] = index.emplace(sz.name, static_cast<int>(nodes.size()));
            if (fresh)
                nodes.push_back(sz);
            else
                nodes[it->second].w = std::max(nodes[it->second].w, sz.w);
        }
    auto unit = [&](const std::string& name) { return index.at(resolve(name)); };
    std::map<std::pair<int, int>, int> edgeIndex;
    std::vector<viz::SugiyamaEdge> edges;
    std::vector<int> grouped(nodes.size(), 0);
    viz::SugiyamaOptions opt;
    opt.direction = viz::LayoutDirection::TopToBottom;
    opt.layerGap = 30;
    opt.nodeGap = 22;
    opt.labelLayers = false;
    // A deep graph is cut into bands side by side (viz/sugiyama wrapping), so that the picture
    // with the panel beside it fits a landscape window.
    opt.wrapAspect = 0.9f;
    std::vector<std::string> groupNames;
    for (const auto& f : m_frames) {
        const auto& pic = f.picture;
        for (const auto& e : pic.edges) {
            const int a = unit(pic.nodes[e.from].name), b = unit(pic.nodes[e.to].name);
            if (a != b && edgeIndex.emplace(std::pair{a, b}, static_cast<int>(edges.size())).second)
                edges.push_back({a, b});
        }
        for (const auto& g : pic.groups) {
            if (std::find(groupNames.begin(), groupNames.end(), g.name) != groupNames.end())
                continue;
            groupNames.push_back(g.name);
            viz::SugiyamaGroup ug;
            ug.name = g.name;
            bool clash = false;
            for (int m : g.members) {
                const int u = unit(pic.nodes[m].name);
                clash |= grouped[u] != 0 ||
                         std::find(ug.members.begin(), ug.members.end(), u) != ug.members.end();
                ug.members.push_back(u);
            }
            if (clash)
                continue;
            for (int u : ug.members)
                grouped[u] = 1;
            opt.groups.push_back(std::move(ug));
        }
    }
    m_layout = viz::sugiyamaLayout(nodes, edges, opt);
    for (std::size_t k = 0; k < allNames.size(); ++k)
        m_ids[allNames[k]] = kPicNodeId + static_cast<std::uint32_t>(k);
    for (std::size_t k = 0; k < groupNames.size(); ++k)
        m_ids.emplace(groupNames[k], kPicNodeId + static_cast<std::uint32_t>(allNames.size() + k));
    for (auto& f : m_frames) {
        auto& pic = f.picture;
        pic.layout.bounds = m_layout.bounds;
        pic.layout.layers = m_layout.layers;
        for (std::size_t i = 0; i < pic.nodes.size(); ++i) {
            const int u = unit(pic.nodes[i].name);
            pic.layout.boxes.push_back(m_layout.boxes[u]);
            pic.layout.layer.push_back(m_layout.layer[u]);
            pic.layout.order.push_back(m_layout.order[u]);
        }
        for (const auto& e : pic.edges) {
            auto it = edgeIndex.find({unit(pic.nodes[e.from].name), unit(pic.nodes[e.to].name)});
            pic.layout.routes.push_back(it == edgeIndex.end() ? viz::EdgeRoute{}
                                                              : m_layout.routes[it->second]);
        }
        for (const auto& g : pic.groups) {
            viz::GroupPlace gp;
            for (int m : g.members)
                gp.box = gp.box.empty() ? pic.layout.boxes[m] : gp.box.united(pic.layout.boxes[m]);
            pic.layout.groups.push_back(gp);
        }
    }
}

std::uint32_t OptimizerRun::objectId(const std::string& name) const {
    auto it = m_ids.find(name);
    return it == m_ids.end() ? 0 : it->second;
}

std::vector<Phase> OptimizerRun::phases() const {
    // With fusion_rule = tvm, operator-fusion-tvm stands in the pipeline's operator-fusion
    // stage and keeps that stage's phase name: a step naming operator-fusion shows the fused
    // frame by either rule.
    const bool tvm = m_opt.fusionRule == ec::FusionRule::Tvm;
    std::vector<Phase> out{{"input", 1}};
    for (std::size_t i = 1; i < m_frames.size(); ++i)
        out.push_back({tvm && m_frames[i].pass == "operator-fusion-tvm" ? "operator-fusion"
                                                                        : m_frames[i].pass,
                       1});
    return out;
}

viz::Scene OptimizerRun::scene(int frame, const DrawOptions& opt) const {
    frame = std::clamp(frame, 0, static_cast<int>(m_frames.size()) - 1);
    return drawOptimizerFrame(*this, frame, opt);
}

engine::Graph loadOnnxForLab(const std::string& path, std::int64_t dim) {
    if (path.empty())
        throw std::invalid_argument("no ONNX file: set the 'file' parameter to an .onnx model");
    if (!std::filesystem::is_regular_file(path))
        throw std::invalid_argument(path + ": no such ONNX file (expected a readable .onnx file)");
    try {
        engine::OnnxImportOptions io;
        io.inferShapes = false;
        engine::Graph probe = engine::importOnnxFile(path, io);
        io.inferShapes = true;
        for (const auto& v : probe.values)
            for (const auto& d : v.dimParams)
                if (!d.empty())
                    io.dims[d] = dim;
        return engine::importOnnxFile(path, io);
    } catch (const std::exception& e) {
        throw std::invalid_argument(path + ": cannot load the ONNX model: " + e.what());
    }
}

LocalText GraphOptimizerLab::title() const {
    return {"Graph optimizer playground", "计算图优化演练场"};
}

std::vector<ParamSpec> GraphOptimizerLab::params() const {
    std::vector<std::string> models = exampleGraphNames();
    // Levels, "custom" (the `passes` list, set by lesson files and --set) and every pass
    // alone, so that the parameter panel can pick one pass without typing.
    std::vector<std::string> pipelines = {"O1", "O2", "O3", "custom"};
    for (const auto& n : ec::PassRegistry::builtin().names())
        pipelines.push_back(n);
    models.push_back("onnx-file");
    ParamSpec file{"file",
                   ParamType::Text,
                   {"ONNX file (model = onnx-file)", "ONNX 文件（模型选 onnx-file 时）"},
                   0,
                   0,
                   {},
                   std::string()};
    file.path = true;
    return {
        {"model", ParamType::Choice, {"model", "模型"}, 0, 0, models, std::string("conv-bn-relu")},
        file,
        {"pipeline",
         ParamType::Choice,
         {"pipeline (a level, one pass, or custom)", "流水线（级别、单个 pass 或自定义）"},
         0,
         0,
         pipelines,
         std::string("O3")},
        {"passes",
         ParamType::Text,
         {"custom passes (a,b,c)", "自定义 pass 列表（a,b,c）"},
         0,
         0,
         {},
         std::string("constant-folding,dead-code-elimination")},
        {"channels", ParamType::Int, {"channels", "通道数"}, 1, 16, {}, std::int64_t{4}},
        {"size",
         ParamType::Int,
         {"spatial size / tokens", "空间尺寸 / token 数"},
         1,
         64,
         {},
         std::int64_t{8}},
        {"dim",
         ParamType::Int,
         {"symbolic dims (batch …)", "符号维度（批大小等）"},
         1,
         64,
         {},
         std::int64_t{1}},
        {"show_unchanged",
         ParamType::Bool,
         {"frames for passes that changed nothing", "未改动图的 pass 也显示"},
         0,
         1,
         {},
         false},
        {"fusion_rule",
         ParamType::Choice,
         {"operator-fusion rule (lab's own or TVM's)", "算子融合规则（本 Lab 的或 TVM 的）"},
         0,
         0,
         {"lab", "tvm"},
         std::string("lab")},
        {"panel",
         ParamType::Choice,
         {"extra panel", "附加面板"},
         0,
         0,
         {"none", "ir-text", "post-dominator-tree", "conv-bn-numbers"},
         std::string("none")},
    };
}

std::vector<std::string> GraphOptimizerLab::phaseNames() const {
    std::vector<std::string> out{"input"};
    for (const auto& n : ec::PassRegistry::builtin().names())
        out.push_back(n);
    return out;
}

std::unique_ptr<LabRun> GraphOptimizerLab::run(const ParamSet& p) const {
    // 1. The graph: a built-in example at the chosen sizes, or the ONNX file.
    // 2. The pipeline: a level, or the custom comma list (unknown names are reported).
    // 3. With fusion_rule = tvm, TVM's operator fusion instead of the lab's.
    const std::string model = p.getString("model", "conv-bn-relu");
    engine::Graph g;
    std::string source = model;
    if (model == "onnx-file") {
        const std::string file = p.getString("file");
        g = loadOnnxForLab(file, p.getInt("dim", 1));
        source = std::filesystem::path(file).filename().string();
    } else {
        g = buildExampleGraph(model, {static_cast<int>(p.getInt("channels", 4)),
                                      static_cast<int>(p.getInt("size", 8))});
    }
    const std::string level = p.getString("pipeline", "O3");
    ec::Pipeline pipe;
    try {
        pipe = ec::parsePipeline(level == "custom" ? p.getString("passes") : level);
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("pipeline: ") + e.what());
    }
    // 3. TVM's fusion rule: operator-fusion-tvm runs where the pipeline has operator-fusion.
    if (p.getString("fusion_rule", "lab") == "tvm") {
        bool replaced = false;
        for (auto& n : pipe.passes)
            if (n == "operator-fusion") {
                n = "operator-fusion-tvm";
                replaced = true;
            }
        if (replaced)
            pipe.label += " + operator-fusion-tvm";
    }
    OptimizerOptions opt;
    if (p.getString("fusion_rule", "lab") == "tvm")
        opt.fusionRule = ec::FusionRule::Tvm;
    opt.showUnchanged = p.getBool("show_unchanged");
    const std::string panel = p.getString("panel", "none");
    opt.showIr = panel == "ir-text";
    opt.showPostDom = panel == "post-dominator-tree";
    opt.showFolding = panel == "conv-bn-numbers";
    return std::make_unique<OptimizerRun>(std::move(g), source, pipe, opt);
}

} // namespace aisys::lessons
