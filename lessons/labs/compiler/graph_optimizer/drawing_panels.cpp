// The graph-optimizer Lab's optional panels: the IR text, the post-dominator tree with the fusion
// groups, and the Conv-BN folding numbers (see drawing.h).
#include "lessons/labs/compiler/graph_optimizer/drawing.h"

#include "engine/compiler/graph_print.h"

#include "engine/compiler/passes/fusion.h"
#include "engine/graph/ops.h"
#include "lessons/common/draw_helpers.h"

#include <cmath>
#include <map>

namespace aisys::lessons {

namespace {

using viz::HAlign;
using viz::Rect;
using viz::VAlign;
using viz::Vec2;

} // namespace

std::string clipUtf8(const std::string& s, std::size_t maxBytes) {
    if (s.size() <= maxBytes)
        return s;
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return s.substr(0, cut) + "…";
}

std::vector<std::string> wrapText(const std::string& s, float width, float size) {
    std::vector<std::string> lines;
    std::string cur;
    std::size_t lastSpace = std::string::npos;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        const std::string ch = s.substr(i, len);
        i += len;
        if (ch == " ")
            lastSpace = cur.size();
        cur += ch;
        if (viz::approxTextWidth(cur, size) > width) {
            if (lastSpace != std::string::npos && lastSpace > 0) {
                lines.push_back(cur.substr(0, lastSpace));
                cur = cur.substr(lastSpace + 1);
            } else {
                lines.push_back(cur.substr(0, cur.size() - ch.size()));
                cur = ch;
            }
            lastSpace = std::string::npos;
        }
    }
    if (!cur.empty())
        lines.push_back(cur);
    return lines;
}

std::vector<std::string> graphIrText(const engine::Graph& g, int maxLines) {
    // The engine's IR printer (short form), cut to `maxLines` lines of at most 100 bytes.
    std::vector<std::string> lines = engine::compiler::graphLines(g);
    if (static_cast<int>(lines.size()) > maxLines) {
        const std::size_t more = lines.size() - static_cast<std::size_t>(maxLines - 1);
        lines.resize(static_cast<std::size_t>(maxLines - 1));
        lines.push_back("  … " + std::to_string(more) + " more lines");
    }
    for (auto& l : lines)
        l = clipUtf8(l, 100);
    return lines;
}

std::string passDescription(const std::string& pass, Lang lang) {
    static const std::map<std::string, std::string> zh = {
        {"constant-folding",
         "输入全是常量（含静态形状上的形状计算）的节点在编译时算出，变成初始值。"},
        {"dead-code-elimination", "删除任何输出都用不到的节点和初始值。"},
        {"common-subexpression-elimination",
         "(算子, 输入, 属性) 相同的节点只留一个；相等的常量合并。"},
        {"redundant-node-elimination",
         "删除无意义的节点（Identity、推理中的 Dropout、同类型 Cast）和互逆的节点对。"},
        {"algebraic-simplification", "代数化简：x·1、x+0、常量链合并、广播重排。"},
        {"conv-bn-folding",
         "把 BatchNormalization 折叠进前面的 Conv：W' = W·γ/σ，b' = (b−μ)·γ/σ + β。"},
        {"matmul-add-to-gemm", "MatMul 后接加偏置的 Add 合并成一个 Gemm。"},
        {"pattern-recognition", "识别拆散的子图（LayerNorm、GELU、HardSwish），换成一个算子。"},
        {"matmul-epilogue-fusion", "MatMul 后的缩放、偏置和残差加法并入一个 kernel 的尾处理。"},
        {"activation-fusion", "把激活函数并入前面的 Conv / Gemm / MatMul：少写一次、少读一次。"},
        {"operator-fusion", "按融合类别沿后支配树把节点组融合成一个 kernel（仿 TVM 的 FuseOps，"
                            "但由每个节点自身的模式决定，而不是它所在组的模式）。"},
        {"operator-fusion-tvm", "按 TVM FuseOps 的规则沿后支配树融合：含有 Conv 的组只沿逐元素边"
                                "继续增长。"},
        {"memory-planning",
         "内存规划：活跃区间、逐元素算子原地更新、最佳适配的缓冲复用（图不变）。"},
    };
    if (lang == Lang::Zh)
        if (auto it = zh.find(pass); it != zh.end())
            return it->second;
    const auto* p = engine::compiler::PassRegistry::builtin().find(pass);
    return p ? p->description() : pass;
}

Rect drawIrPanel(viz::DisplayList& list, Vec2 o, const engine::Graph& g, const viz::Palette& pal,
                 Lang L) {
    list.text(o, tr2(L, "The graph as text (the IR printer)", "计算图的文本形式（IR 打印）"),
              pal.foreground, 14)
        .bold = true;
    float y = o.y + 22;
    float w = 300;
    for (const auto& l : graphIrText(g, 36)) {
        list.text({o.x + 6, y}, l, pal.foreground, 11);
        w = std::max(w, viz::approxTextWidth(l, 11) + 12);
        y += 15;
    }
    list.box({o.x, o.y + 18, w, y - o.y - 14}, pal.panel.withAlpha(0.5f), pal.panelBorder, 4)
        .layer = -1;
    return {o.x, o.y, w, y - o.y};
}

Rect drawPostDomPanel(viz::Scene& s, Vec2 o, const engine::Graph& graph, const viz::Palette& pal,
                      Lang L, engine::compiler::FusionRule rule) {
    // 1. The tree and the grouping `rule` makes of the graph (shapes inferred on a copy).
    // 2. A layered drawing: every node above its immediate post-dominator; boxes coloured by
    //    fusion group; the edge's label is the strongest pattern on the paths to the parent.
    namespace ec = engine::compiler;
    auto& list = s.list;
    engine::Graph g = graph;
    engine::inferShapes(g);
    const ec::FusionPlan plan = ec::planFusion(g, {.rule = rule});
    list.text(o,
              tr2(L,
                  "Post-dominator tree (TVM): parent = nearest node on every path to the outputs",
                  "后支配树（TVM）：父节点 = 通往输出的每条路径都经过的最近节点"),
              pal.foreground, 14)
        .bold = true;
    std::vector<viz::SugiyamaNode> nodes;
    std::vector<int> graphNode;
    std::map<int, int> index;
    for (const auto& pn : plan.tree.nodes) {
        index[pn.node] = static_cast<int>(nodes.size());
        graphNode.push_back(pn.node);
        const auto& n = g.nodes[pn.node];
        nodes.push_back({std::max({54.0f, viz::approxTextWidth(n.op, 11) + 14,
                                   viz::approxTextWidth(n.name, 9) + 10}),
                         30, n.name});
    }
    std::vector<viz::SugiyamaEdge> edges;
    std::vector<std::string> labels;
    for (const auto& pn : plan.tree.nodes)
        if (pn.parent >= 0 && index.count(pn.parent)) {
            edges.push_back({index[pn.node], index[pn.parent]});
            labels.push_back(engine::fusionCategoryName(pn.pattern));
        }
    if (nodes.empty())
        return {o.x, o.y, 200, 22};
    viz::SugiyamaOptions opt;
    opt.layerGap = 22;
    opt.nodeGap = 10;
    opt.labelLayers = false;
    const viz::SugiyamaResult r = viz::sugiyamaLayout(nodes, edges, opt);
    const Vec2 d{o.x - r.bounds.x, o.y + 26 - r.bounds.y};
    for (std::size_t e = 0; e < edges.size(); ++e) {
        std::vector<Vec2> pts = viz::flattenBezier(r.routes[e].bezier, 6);
        for (auto& p : pts)
            p = p + d;
        if (pts.size() >= 2)
            list.arrow(pts, pal.muted, 1.1f);
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const int n = graphNode[i];
        const int grp = n < static_cast<int>(plan.groupOf.size()) ? plan.groupOf[n] : -1;
        Rect b = r.boxes[i];
        b.x += d.x;
        b.y += d.y;
        const viz::Color fill =
            grp >= 0 ? pal.category(static_cast<std::size_t>(grp)).withAlpha(0.35f) : pal.panel;
        const std::uint32_t id = kPostDomId + static_cast<std::uint32_t>(i);
        list.box(b, fill, pal.panelBorder, 4, 1, id);
        list.text({b.x + b.w / 2, b.y + 10}, g.nodes[n].op, pal.foreground, 11, HAlign::Center,
                  VAlign::Middle, id);
        list.text({b.x + b.w / 2, b.y + 22}, g.nodes[n].name, pal.muted, 9, HAlign::Center,
                  VAlign::Middle, id);
        viz::ObjectInfo info;
        info.title = g.nodes[n].op + " · " + g.nodes[n].name;
        const auto* pn = plan.tree.of(n);
        info.facts.push_back({tr2(L, "post-dominator", "后支配节点"),
                              pn && pn->parent >= 0 ? g.nodes[pn->parent].name
                                                    : std::string(tr2(L, "(root)", "（根）"))});
        if (pn)
            info.facts.push_back(
                {tr2(L, "pattern to it", "到它的模式"), engine::fusionCategoryName(pn->pattern)});
        info.facts.push_back(
            {tr2(L, "fusion group", "融合组"),
             grp >= 0 ? "#" + std::to_string(grp + 1) + " (" + plan.groups[grp].kernel + ")"
                      : std::string(tr2(L, "alone", "单独"))});
        s.objects[id] = info;
    }
    const float h = r.bounds.h + 30;
    const bool tvm = rule == ec::FusionRule::Tvm;
    list.text({o.x, o.y + h},
              std::to_string(plan.groups.size()) +
                  (tvm ? tr2(L, " fusion groups by TVM's rule (same colour = one kernel)",
                             " 个融合组，按 TVM 的规则（同色 = 一个 kernel）")
                       : tr2(L, " fusion groups by the lab's rule (same colour = one kernel)",
                             " 个融合组，按本 Lab 的规则（同色 = 一个 kernel）")),
              pal.muted, 12);
    return {o.x, o.y, std::max(r.bounds.w, 300.0f), h + 18};
}

Rect drawFoldingPanel(viz::DisplayList& list, Vec2 o, const OptimizerFrame& before,
                      const OptimizerFrame& after, const viz::Palette& pal, Lang L) {
    // 1. The first conv-bn-fold rewrite of the frame: Conv c and BatchNormalization bn before,
    //    the Conv after.
    // 2. Per channel k (at most 4): σ = √(var+ε), W[k,0,0,0]·γ/σ against the pass's W'[k,0,0,0],
    //    and (b−μ)·γ/σ + β against its b'.
    namespace ec = engine::compiler;
    auto node = [](const engine::Graph& g, const std::string& name) -> const engine::Node* {
        for (const auto& n : g.nodes)
            if (n.name == name)
                return &n;
        return nullptr;
    };
    auto init = [](const engine::Graph& g, const engine::Node& n,
                   std::size_t k) -> const engine::Tensor* {
        if (k >= n.inputs.size() || n.inputs[k] < 0)
            return nullptr;
        auto it = g.initializers.find(n.inputs[k]);
        return it == g.initializers.end() ? nullptr : &it->second;
    };
    const engine::Node *conv = nullptr, *bn = nullptr, *folded = nullptr;
    for (const auto& e : after.log)
        if (e.kind == ec::RewriteEntry::Kind::Merged && e.before.size() == 2 &&
            e.after.size() == 1) {
            conv = node(before.graph, e.before[0]);
            bn = node(before.graph, e.before[1]);
            folded = node(after.graph, e.after[0]);
            if (conv && bn && folded && conv->op == "Conv" && bn->op == "BatchNormalization")
                break;
            conv = bn = folded = nullptr;
        }
    if (!conv) {
        list.text(o,
                  tr2(L, "Conv-BN folding: this pass folded no BatchNormalization.",
                      "Conv-BN 折叠：这个 pass 没有折叠 BatchNormalization。"),
                  pal.muted, 12);
        return {o.x, o.y, 300, 18};
    }
    const engine::Tensor *W = init(before.graph, *conv, 1), *b = init(before.graph, *conv, 2),
                         *gm = init(before.graph, *bn, 1), *bt = init(before.graph, *bn, 2),
                         *mu = init(before.graph, *bn, 3), *var = init(before.graph, *bn, 4),
                         *W2 = init(after.graph, *folded, 1), *b2 = init(after.graph, *folded, 2);
    double eps = 1e-5;
    if (auto it = bn->attrs.find("epsilon"); it != bn->attrs.end())
        if (auto* d = std::get_if<double>(&it->second))
            eps = *d;
    list.text(o, tr2(L, "Conv-BN folding of ", "Conv-BN 折叠：") + conv->name + " + " + bn->name,
              pal.foreground, 14)
        .bold = true;
    list.text({o.x, o.y + 20},
              "W' = W·γ/σ,   b' = (b−μ)·γ/σ + β,   σ = √(var + ε),  ε = " + fmtSci(eps, 2),
              pal.foreground, 13);
    if (!W || !gm || !bt || !mu || !var || !W2 || !b2) {
        list.text({o.x, o.y + 40},
                  tr2(L, "(weights are not initializers: nothing to show)",
                      "（权重不是初始值张量，无法显示）"),
                  pal.muted, 12);
        return {o.x, o.y, 400, 58};
    }
    const char* head[] = {"k",
                          "γ",
                          "β",
                          "μ",
                          "σ",
                          "W[k,0,0,0]",
                          "W·γ/σ",
                          tr2(L, "W' (pass)", "W'（pass）"),
                          "b",
                          tr2(L, "b' formula", "b' 公式"),
                          tr2(L, "b' (pass)", "b'（pass）")};
    const float cw[] = {24, 56, 56, 56, 56, 86, 70, 76, 56, 76, 76};
    float y = o.y + 44, x = o.x;
    for (int c = 0; c < 11; ++c) {
        list.text({x + cw[c] - 4, y}, head[c], pal.muted, 12, HAlign::Right).bold = true;
        x += cw[c];
    }
    const std::int64_t K = std::min<std::int64_t>(4, gm->numel());
    const std::int64_t per = W->numel() / std::max<std::int64_t>(1, gm->numel());
    for (std::int64_t k = 0; k < K; ++k) {
        y += 18;
        const double sigma = std::sqrt(var->at(k) + eps), scale = gm->at(k) / sigma;
        const double bias = b ? b->at(k) : 0.0;
        const double vals[] = {double(k),
                               gm->at(k),
                               bt->at(k),
                               mu->at(k),
                               sigma,
                               W->at(k * per),
                               W->at(k * per) * scale,
                               W2->at(k * per),
                               bias,
                               (bias - mu->at(k)) * scale + bt->at(k),
                               b2->at(k)};
        x = o.x;
        for (int c = 0; c < 11; ++c) {
            const bool pass = c == 7 || c == 10;
            list.text({x + cw[c] - 4, y}, c == 0 ? std::to_string(k) : fmtNum(vals[c], 4),
                      pass ? pal.good : pal.foreground, 12, HAlign::Right);
            x += cw[c];
        }
    }
    float total = 0;
    for (float w : cw)
        total += w;
    return {o.x, o.y, total, y - o.y + 20};
}

} // namespace aisys::lessons
