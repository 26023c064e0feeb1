// The graph-optimizer Lab's frame: the graph after a pass with its changes drawn over it, and
// the per-pass numbers and rewrite log beside it (see drawing.h).
#include "lessons/labs/compiler/graph_optimizer/drawing.h"

#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>

namespace aisys::lessons {

namespace {

namespace ec = engine::compiler;
using viz::Color;
using viz::HAlign;
using viz::Rect;
using viz::VAlign;
using viz::Vec2;

std::string joinNames(const std::vector<std::string>& v, std::size_t max = 4) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < max; ++i)
        s += (i ? ", " : "") + v[i];
    if (v.size() > max)
        s += ", … (" + std::to_string(v.size()) + ")";
    return s;
}

std::string shapeText(const engine::Value& v) {
    std::string s = std::string(engine::dtypeName(v.dtype)) + "[";
    for (std::size_t i = 0; i < v.shape.size(); ++i)
        s += (i ? "," : "") + (v.shape[i] < 0 ? std::string("?") : std::to_string(v.shape[i]));
    return s + "]";
}

/// The rewrite-log entry that names `node` (in its before or after list), or nullptr.
const ec::RewriteEntry* entryFor(const std::vector<ec::RewriteEntry>& log,
                                 const std::string& node) {
    for (const auto& e : log)
        if (std::find(e.before.begin(), e.before.end(), node) != e.before.end() ||
            std::find(e.after.begin(), e.after.end(), node) != e.after.end())
            return &e;
    return nullptr;
}

std::string logLine(const ec::RewriteEntry& e) {
    std::string s = e.rule;
    if (!e.before.empty() || !e.after.empty()) {
        s += ": " + joinNames(e.before, 3);
        if (e.kind == ec::RewriteEntry::Kind::Merged)
            s += " → " + joinNames(e.after, 3);
    }
    return clipUtf8(s, 120);
}

/// Inspector facts of a node of graph `g` (its inputs with shapes, outputs, attributes).
viz::ObjectInfo nodeInfo(const engine::Graph& g, int ni, Lang L) {
    const engine::Node& n = g.nodes[ni];
    viz::ObjectInfo info;
    info.title = n.op + " · " + n.name;
    for (int v : n.inputs)
        if (v >= 0)
            info.facts.push_back(
                {g.values[v].initializer ? tr2(L, "weight", "权重") : tr2(L, "input", "输入"),
                 g.values[v].name + " " + shapeText(g.values[v])});
    for (int v : n.outputs)
        info.facts.push_back(
            {tr2(L, "output", "输出"), g.values[v].name + " " + shapeText(g.values[v])});
    for (const auto& [k, a] : n.attrs) {
        std::string val;
        if (auto* i = std::get_if<std::int64_t>(&a))
            val = std::to_string(*i);
        else if (auto* d = std::get_if<double>(&a))
            val = fmtNum(*d, 5);
        else if (auto* s = std::get_if<std::string>(&a))
            val = *s;
        else if (auto* iv = std::get_if<std::vector<std::int64_t>>(&a)) {
            for (auto x : *iv)
                val += (val.empty() ? "" : ",") + std::to_string(x);
            val = "[" + val + "]";
        } else if (auto* sv = std::get_if<std::vector<std::string>>(&a))
            val = joinNames(*sv, 40);
        else if (std::holds_alternative<engine::Subgraph>(a))
            val = std::to_string(std::get<engine::Subgraph>(a).graph().nodes.size()) +
                  tr2(L, " nodes", " 个节点");
        else
            val = tr2(L, "(tensor)", "（张量）");
        if (k == "bytes_saved")
            val = fmtBytes(static_cast<double>(std::get<std::int64_t>(a)));
        info.facts.push_back({k, val});
    }
    return info;
}

struct StatCol {
    const char* en;
    const char* zh;
    float w;
};

/// The numbers table: one row per frame (rows after `frame` keep their place, values blank).
Rect drawStatsTable(viz::DisplayList& list, Vec2 o, const OptimizerRun& run, int frame,
                    const viz::Palette& pal, Lang L) {
    const StatCol cols[] = {{"pass", "pass", 210},
                            {"nodes", "节点", 58},
                            {"kernels", "kernel", 66},
                            {"bytes between kernels", "kernel 间读写字节", 150},
                            {"peak memory", "峰值内存", 100},
                            {"max error vs input", "与输入图的最大误差", 150}};
    const float rowH = 22, fs = 13;
    float x = o.x;
    for (const auto& c : cols) {
        list.text({x + 4, o.y}, tr2(L, c.en, c.zh), pal.foreground, fs, HAlign::Left, VAlign::Top)
            .bold = true;
        x += c.w;
    }
    const float width = x - o.x;
    list.line({o.x, o.y + rowH - 2}, {o.x + width, o.y + rowH - 2}, pal.panelBorder, 1);
    const auto& frames = run.frames();
    for (std::size_t r = 0; r < frames.size(); ++r) {
        const float y = o.y + rowH * static_cast<float>(r + 1);
        const bool past = static_cast<int>(r) <= frame;
        if (static_cast<int>(r) == frame)
            list.box({o.x, y, width, rowH}, pal.highlight.withAlpha(0.35f), viz::kNoColor, 3);
        const Color c = past ? pal.foreground : pal.muted.withAlpha(0.6f);
        const auto& f = frames[r];
        std::string name = r == 0 ? std::string(tr2(L, "input graph", "输入图")) : f.pass;
        if (f.round > 1)
            name += " #" + std::to_string(f.round);
        const std::uint32_t id = kStatsRowId + static_cast<std::uint32_t>(r);
        list.text({o.x + 4, y + 3}, name, c, fs, HAlign::Left, VAlign::Top, id);
        if (!past)
            continue;
        {
            const std::string err = r == 0 ? std::string("—")
                                    : std::isnan(f.maxError)
                                        ? std::string(tr2(L, "run failed", "运行失败"))
                                        : fmtSci(f.maxError, 2);
            const Color ec = r == 0                                        ? pal.muted
                             : std::isnan(f.maxError) || f.maxError > 1e-4 ? pal.bad
                                                                           : c;
            list.text({o.x + width - 8, y + 3}, err, ec, fs, HAlign::Right, VAlign::Top, id);
        }
        const std::string vals[] = {std::to_string(f.stats.nodes), std::to_string(f.stats.kernels),
                                    fmtBytes(f.stats.activationBytes), fmtBytes(f.stats.peakBytes)};
        float cx = o.x + cols[0].w;
        for (int k = 0; k < 4; ++k) {
            const auto& prevStats = frames[r == 0 ? 0 : r - 1].stats;
            const double before[] = {double(prevStats.nodes), double(prevStats.kernels),
                                     prevStats.activationBytes, prevStats.peakBytes};
            const double now[] = {double(f.stats.nodes), double(f.stats.kernels),
                                  f.stats.activationBytes, f.stats.peakBytes};
            const Color vc = now[k] < before[k] ? pal.good : now[k] > before[k] ? pal.bad : c;
            list.text({cx + cols[k + 1].w - 8, y + 3}, vals[k], vc, fs, HAlign::Right, VAlign::Top,
                      id);
            cx += cols[k + 1].w;
        }
    }
    return {o.x, o.y, width, rowH * static_cast<float>(frames.size() + 1)};
}

} // namespace

viz::Scene drawOptimizerFrame(const OptimizerRun& run, int frame, const DrawOptions& opt) {
    // 1. Ghosts of the removed nodes at their previous places (red, faded), below everything.
    // 2. Edges, then the nodes: added ones green, rewritten ones amber, fused members inside
    //    their group hull (labelled with the kernel and the bytes fusion saved).
    // 3. Dashed hulls around the nodes each "merged" rewrite consumed and produced.
    // 4. The panel: pass title and description, the numbers per pass so far, this pass's
    //    rewrite log, then the optional panels.
    const Lang L = opt.lang;
    const viz::Palette pal = viz::Palette::forTheme(opt.theme);
    viz::Scene s = sceneOn(pal);
    auto& list = s.list;
    const auto& frames = run.frames();
    const OptimizerFrame& f = frames[frame];
    const OptimizerFrame* prev = frame > 0 ? &frames[frame - 1] : nullptr;
    const GraphPicture& pic = f.picture;
    const Rect bounds = pic.layout.bounds.adjusted(30); // the same in every frame

    // 1. Ghosts.
    std::map<std::string, Rect> ghostBox;
    if (prev) {
        for (std::size_t i = 0; i < prev->picture.nodes.size(); ++i) {
            const PictureNode& pn = prev->picture.nodes[i];
            if (pn.kind != PictureNode::Kind::Op)
                continue;
            if (pic.find(pn.name) >= 0)
                continue; // still drawn (e.g. a member now inside a new fused hull)
            const Rect r = prev->picture.layout.boxes[i];
            ghostBox[pn.name] = r;
            const std::uint32_t id = run.objectId(pn.name);
            viz::Prim& b =
                list.box(r, pal.bad.withAlpha(0.10f), pal.bad.withAlpha(0.75f), 6, 1.5f, id);
            b.dashed = true;
            b.layer = -2;
            list.text({r.x + r.w / 2, r.y + 11}, pn.op, pal.bad.withAlpha(0.8f), 13, HAlign::Center,
                      VAlign::Middle, id)
                .layer = -2;
            list.text({r.x + r.w / 2, r.y + 26}, pn.name, pal.bad.withAlpha(0.6f), 10,
                      HAlign::Center, VAlign::Middle, id)
                .layer = -2;
            viz::ObjectInfo info;
            info.title = tr2(L, "removed: ", "已删除：") + pn.op + " · " + pn.name;
            const ec::RewriteEntry* e = entryFor(f.log, pn.owner.empty() ? pn.name : pn.owner);
            info.facts.push_back({tr2(L, "by pass", "删除它的 pass"), f.pass});
            if (e)
                info.facts.push_back({tr2(L, "rule", "规则"), e->rule});
            s.objects[id] = info;
        }
    }

    // 2. Edges and nodes.
    for (std::size_t e = 0; e < pic.edges.size(); ++e) {
        const auto& route = pic.layout.routes[e];
        if (route.bezier.size() < 2)
            continue;
        list.arrow(viz::flattenBezier(route.bezier, 8), pal.muted, 1.3f).layer = -1;
    }
    for (std::size_t g = 0; g < pic.groups.size() && g < pic.layout.groups.size(); ++g) {
        const std::string& fname = pic.groups[g].name;
        int ni = -1;
        for (std::size_t k = 0; k < f.graph.nodes.size(); ++k)
            if (f.graph.nodes[k].name == fname)
                ni = static_cast<int>(k);
        // One hull per connected part of the group (members joined by an edge inside it) and
        // per band of a wrapped layout: a convex hull around siblings that never touch, or
        // across two bands, would enclose strangers. The label goes to the first part.
        const auto& cuts = run.sharedLayout().wrapCuts;
        const auto& members = pic.groups[g].members;
        std::map<int, int> part; // picture node → representative
        for (int m : members)
            part[m] = m;
        auto root = [&](int m) {
            while (part[m] != m)
                m = part[m] = part[part[m]];
            return m;
        };
        auto bandOf = [&](int m) {
            return std::count_if(cuts.begin(), cuts.end(),
                                 [&](int c) { return c < pic.layout.layer[m]; });
        };
        for (const auto& e : pic.edges)
            if (part.count(e.from) && part.count(e.to) && bandOf(e.from) == bandOf(e.to))
                part[root(e.from)] = root(e.to);
        std::map<int, std::vector<Vec2>> parts;
        std::vector<int> partOrder;
        Rect first;
        for (int m : members) {
            const Rect& r = pic.layout.boxes[m];
            const int key = root(m);
            if (!parts.count(key))
                partOrder.push_back(key);
            parts[key].insert(
                parts[key].end(),
                {{r.x, r.y}, {r.x + r.w, r.y}, {r.x, r.y + r.h}, {r.x + r.w, r.y + r.h}});
        }
        const bool isNew = f.added.count(fname) != 0;
        const std::uint32_t id = run.objectId(fname);
        for (int key : partOrder) {
            const auto& pts = parts[key];
            list.hull(pts, 10, pal.accent.withAlpha(0.08f), isNew ? pal.good : pal.accent,
                      isNew ? 2.5f : 1.5f, id)
                .layer = -1;
            if (first.empty()) {
                first = {pts[0].x, pts[0].y, 0, 0};
                for (const auto& q : pts)
                    first = first.united({q.x, q.y, 0.01f, 0.01f});
            }
        }
        const Rect hb = first;
        std::string label = fname;
        if (ni >= 0) {
            const auto& attrs = f.graph.nodes[ni].attrs;
            auto k = attrs.find("kernel");
            auto b = attrs.find("bytes_saved");
            if (k != attrs.end() && std::holds_alternative<std::string>(k->second))
                label += " · " + std::get<std::string>(k->second);
            if (b != attrs.end() && std::holds_alternative<std::int64_t>(b->second))
                label += tr2(L, " · saves ", " · 省 ") +
                         fmtBytes(static_cast<double>(std::get<std::int64_t>(b->second)));
            viz::ObjectInfo info = nodeInfo(f.graph, ni, L);
            info.title = tr2(L, "fused node ", "融合节点 ") + fname;
            s.objects[id] = info;
        }
        list.text({hb.x - 8, hb.y - 14}, label, isNew ? pal.good : pal.accent, 12, HAlign::Left,
                  VAlign::Bottom, id)
            .bold = true;
    }
    for (std::size_t i = 0; i < pic.nodes.size(); ++i) {
        const PictureNode& pn = pic.nodes[i];
        const Rect r = pic.layout.boxes[i];
        const std::uint32_t id = run.objectId(pn.name);
        if (pn.kind != PictureNode::Kind::Op) {
            const bool in = pn.kind == PictureNode::Kind::Input;
            list.box(r, pal.accent2.withAlpha(0.15f), pal.accent2, r.h / 2, 1.2f, id);
            const std::string vname = pn.name.substr(in ? 3 : 4);
            list.text(r.center(), vname, pal.foreground, 12, HAlign::Center, VAlign::Middle, id);
            viz::ObjectInfo info;
            info.title =
                (in ? tr2(L, "graph input ", "图输入 ") : tr2(L, "graph output ", "图输出 ")) +
                vname;
            if (const int v = f.graph.findValue(vname); v >= 0)
                info.facts.push_back({tr2(L, "type", "类型"), shapeText(f.graph.values[v])});
            s.objects[id] = std::move(info);
            continue;
        }
        const std::string& key = pn.owner.empty() ? pn.name : pn.owner;
        const bool added = pn.owner.empty() && f.added.count(pn.name);
        const bool rewritten = pn.owner.empty() && f.rewritten.count(pn.name);
        Color fill = pal.panel, stroke = pal.panelBorder;
        float w = 1.2f;
        if (added)
            fill = mix(pal.panel, pal.good, 0.25f), stroke = pal.good, w = 2.5f;
        else if (rewritten)
            fill = mix(pal.panel, pal.warn, 0.2f), stroke = pal.warn, w = 2.5f;
        list.box(r, fill, stroke, 6, w, id);
        list.text({r.x + r.w / 2, r.y + 12}, pn.op, pal.foreground, 14, HAlign::Center,
                  VAlign::Middle, id)
            .bold = true;
        list.text({r.x + r.w / 2, r.y + 27}, pn.name, pal.muted, 11, HAlign::Center, VAlign::Middle,
                  id);
        viz::ObjectInfo info;
        if (pn.owner.empty() && pn.node >= 0) {
            info = nodeInfo(f.graph, pn.node, L);
        } else {
            info.title = pn.op + " · " + pn.name;
            info.facts.push_back({tr2(L, "fused into", "融合进"), pn.owner});
        }
        if (added || rewritten)
            if (const ec::RewriteEntry* e = entryFor(f.log, key))
                info.facts.push_back({tr2(L, "rule", "规则"), e->rule});
        s.objects[id] = std::move(info);
    }

    // 3. Every merged rewrite: a dashed outline around what was merged.
    for (const auto& e : f.log) {
        if (e.kind != ec::RewriteEntry::Kind::Merged || e.before.empty())
            continue;
        std::vector<Vec2> pts;
        for (const auto* names : {&e.before, &e.after})
            for (const auto& n : *names) {
                Rect r;
                if (auto it = ghostBox.find(n); it != ghostBox.end())
                    r = it->second;
                else if (int k = pic.find(n); k >= 0 && pic.nodes[k].owner.empty())
                    r = pic.layout.boxes[k];
                else
                    continue;
                pts.insert(
                    pts.end(),
                    {{r.x, r.y}, {r.x + r.w, r.y + r.h}, {r.x + r.w, r.y}, {r.x, r.y + r.h}});
            }
        if (pts.size() >= 8)
            list.hull(pts, 8, viz::kNoColor, pal.accent2, 1.5f).dashed = true;
    }

    // 4. The panel.
    Vec2 o{bounds.x + bounds.w + 48, bounds.y};
    const std::string head = frame == 0
                                 ? std::string(tr2(L, "Input graph", "输入图"))
                                 : f.pass + (f.round > 1 ? " #" + std::to_string(f.round) : "");
    list.text(o, head, pal.foreground, 20).bold = true;
    o.y += 30;
    const std::string desc = frame == 0 ? std::string(tr2(L, "Pipeline ", "流水线 ")) +
                                              run.pipelineLabel() + " · " + run.source()
                                        : passDescription(f.pass, L);
    for (const auto& line : wrapText(desc, 600, 12)) {
        list.text(o, line, pal.muted, 12);
        o.y += 16;
    }
    o.y += 12;
    const Rect table = drawStatsTable(list, o, run, frame, pal, L);
    o.y += table.h + 6;
    if (!run.unchangedPasses().empty()) {
        std::string skipped = tr2(L, "Not shown (changed nothing): ", "未显示（没有改动）：");
        skipped += joinNames(run.unchangedPasses(), 5);
        list.text({o.x + 4, o.y}, skipped, pal.muted, 11);
        o.y += 16;
    }
    if (!f.runError.empty()) {
        list.text({o.x + 4, o.y},
                  clipUtf8(tr2(L, "Outputs not compared: ", "输出未能比较：") + f.runError, 140),
                  pal.bad, 11);
        o.y += 16;
    }
    o.y += 10;
    if (frame > 0) {
        list.text(o, tr2(L, "Rewrites of this pass (rule: nodes)", "本 pass 的改写（规则：节点）"),
                  pal.foreground, 14)
            .bold = true;
        o.y += 22;
        const std::size_t maxLines = 10;
        for (std::size_t i = 0; i < f.log.size() && i < maxLines; ++i) {
            list.text({o.x + 8, o.y}, "• " + logLine(f.log[i]), pal.foreground, 12);
            o.y += 18;
        }
        if (f.log.size() > maxLines) {
            list.text({o.x + 8, o.y},
                      "+ " + std::to_string(f.log.size() - maxLines) + tr2(L, " more", " 条更多"),
                      pal.muted, 12);
            o.y += 18;
        }
        if (f.log.empty()) {
            list.text({o.x + 8, o.y}, tr2(L, "(no rewrite)", "（没有改写）"), pal.muted, 12);
            o.y += 18;
        }
        o.y += 12;
    }
    const auto& opts = run.options();
    if (opts.showFolding && prev)
        o.y += drawFoldingPanel(list, o, *prev, f, pal, L).h + 16;
    if (opts.showPostDom) {
        const bool tvm =
            f.pass == "operator-fusion-tvm" || opts.fusionRule == engine::compiler::FusionRule::Tvm;
        const bool fusing =
            (f.pass == "operator-fusion" || f.pass == "operator-fusion-tvm") && prev;
        o.y += drawPostDomPanel(s, o, fusing ? prev->graph : f.graph, pal, L,
                                tvm ? engine::compiler::FusionRule::Tvm
                                    : engine::compiler::FusionRule::Lab)
                   .h +
               16;
    }
    if (opts.showIr)
        o.y += drawIrPanel(list, o, f.graph, pal, L).h + 16;

    // Caption and legend.
    auto count = [](std::size_t n) { return std::to_string(n); };
    if (frame == 0) {
        s.caption = run.source() + tr2(L, ": the input graph, ", "：输入图，") +
                    std::to_string(f.stats.nodes) + tr2(L, " nodes, ", " 个节点，") +
                    std::to_string(f.stats.kernels) + tr2(L, " kernels; ", " 个 kernel；") +
                    run.pipelineLabel() + tr2(L, " changes it in ", " 中有 ") +
                    count(frames.size() - 1) + tr2(L, " passes", " 个 pass 改动了它");
    } else {
        std::size_t merged = 0;
        for (const auto& n : f.removed)
            if (pic.find(n) >= 0)
                ++merged; // now a member inside a fused node's hull
        s.caption = tr2(L, "Pass ", "第 ") + std::to_string(frame) + "/" +
                    count(frames.size() - 1) + tr2(L, ": ", " 个 pass：") + f.pass + " — " +
                    count(f.removed.size() - merged) + tr2(L, " removed, ", " 个删除，") +
                    count(f.added.size()) + tr2(L, " added, ", " 个新增，") +
                    (merged ? count(merged) + tr2(L, " fused, ", " 个被融合，") : std::string()) +
                    count(f.rewritten.size()) + tr2(L, " rewritten; kernels ", " 个改写；kernel ") +
                    std::to_string(prev->stats.kernels) + " → " + std::to_string(f.stats.kernels);
        if (!f.changed)
            s.caption += tr2(L, " (changed nothing)", "（没有改动）");
    }
    s.legend = {
        {pal.bad, tr2(L, "removed by this pass", "本 pass 删除")},
        {pal.good, tr2(L, "added by this pass", "本 pass 新增")},
        {pal.warn, tr2(L, "rewritten in place", "原地改写")},
        {pal.accent, tr2(L, "fused group (one kernel)", "融合组（一个 kernel）")},
        {pal.accent2, tr2(L, "merged by a rule / graph input, output", "规则合并 / 图输入、输出")}};
    // Presenting, the region of interest is the graph (the table beside it can be panned to).
    s.focus = bounds;
    return s;
}

} // namespace aisys::lessons
