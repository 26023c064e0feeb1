// Graph pictures: layered layout of sources and ops, shape-labelled edges, value grids.
#include "lessons/common/graph_drawing.h"

#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_topology.h"
#include "viz/layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <type_traits>
#include <variant>

namespace aisys::lessons {

namespace {

/// Rows × cols used to show a tensor: vectors as one row, matrices as they are, higher ranks
/// flattened to (product of leading dims) × last dim.
std::pair<int, int> gridShape(const engine::Shape& s) {
    if (s.empty())
        return {1, 1};
    if (s.size() == 1)
        return {1, static_cast<int>(s[0])};
    std::int64_t lead = 1;
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
        lead *= s[i];
    return {static_cast<int>(lead), static_cast<int>(s.back())};
}

std::string statsOf(const engine::Tensor& t) {
    double mn = 1e300, mx = -1e300, sum = 0;
    for (std::int64_t i = 0; i < t.numel(); ++i) {
        double v = t.at(i);
        mn = std::min(mn, v);
        mx = std::max(mx, v);
        sum += v;
    }
    return "min " + fmtNum(mn) + " · max " + fmtNum(mx) + " · mean " +
           fmtNum(t.numel() ? sum / t.numel() : 0.0);
}

/// At most `n` characters (code points) of a name, with an ellipsis when cut.
std::string shortName(const std::string& s, std::size_t n = 18) {
    std::size_t cps = 0, i = 0;
    for (; i < s.size(); ++cps) {
        if (cps == n)
            return s.substr(0, i) + "…";
        unsigned char c = static_cast<unsigned char>(s[i]);
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    return s;
}

/// An attribute value as short text ("[1, 1]", "0.5", "NCHW", "tensor f32 [3]").
std::string attrText(const engine::AttrValue& a) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>)
                return std::to_string(v);
            else if constexpr (std::is_same_v<T, double>)
                return fmtNum(v, 4);
            else if constexpr (std::is_same_v<T, std::string>)
                return shortName(v, 40);
            else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>)
                return engine::shapeToString(v);
            else if constexpr (std::is_same_v<T, std::vector<double>>) {
                std::string out = "[";
                for (std::size_t i = 0; i < v.size() && i < 8; ++i)
                    out += (i ? ", " : "") + fmtNum(v[i], 3);
                return out + (v.size() > 8 ? ", …]" : "]");
            } else if constexpr (std::is_same_v<T, engine::Tensor>)
                return std::string("tensor ") + engine::dtypeName(v.dtype()) + " " +
                       engine::shapeToString(v.shape());
            else if constexpr (std::is_same_v<T, std::vector<std::string>>)
                return std::to_string(v.size()) + " strings";
            else
                return "subgraph";
        },
        a);
}

/// Histogram (32 bins) and a 2-D slice of a tensor for the inspector.
void addValuePlots(viz::ObjectInfo& info, const engine::Tensor& t) {
    const std::int64_t n = t.numel();
    if (n == 0)
        return;
    double mn = 1e300, mx = -1e300;
    for (std::int64_t i = 0; i < n; ++i) {
        mn = std::min(mn, t.at(i));
        mx = std::max(mx, t.at(i));
    }
    if (n > 1) {
        const int bins = 32;
        info.histogram.assign(bins, 0.0f);
        const double w = mx > mn ? (mx - mn) / bins : 1.0;
        for (std::int64_t i = 0; i < n; ++i)
            info.histogram[std::min(bins - 1, int((t.at(i) - mn) / w))] += 1.0f;
        info.histMin = float(mn);
        info.histMax = float(mx);
    }
    // The slice: the last two dims at index 0 of every leading dim, at most 64×64 (strided).
    const auto& sh = t.shape();
    if (sh.size() < 2)
        return;
    const std::int64_t rows = sh[sh.size() - 2], cols = sh.back();
    const std::int64_t sr = (rows + 63) / 64, sc = (cols + 63) / 64;
    info.heatRows = int((rows + sr - 1) / sr);
    info.heatCols = int((cols + sc - 1) / sc);
    for (std::int64_t r = 0; r < rows; r += sr)
        for (std::int64_t c = 0; c < cols; c += sc)
            info.heat.push_back(float(t.at(r * cols + c)));
    info.heatLabel = "[";
    for (std::size_t d = 0; d + 2 < sh.size(); ++d)
        info.heatLabel += "0, ";
    info.heatLabel += ":, :]";
    if (sr > 1 || sc > 1)
        info.heatLabel += " (every " + std::to_string(std::max(sr, sc)) + "th)";
}

/// Text width with a margin (bold text and renderers measure a little wider).
float textW(const std::string& s, float size, bool bold = false) {
    return viz::approxTextWidth(s, size) * (bold ? 1.15f : 1.06f);
}

constexpr float kHeadH = 44;       // op / source box: op name and node name
constexpr float kWeightLineH = 13; // one folded weight line
constexpr int kWeightLines = 4;    // folded weight lines shown before "+ k more"

} // namespace

viz::Scene drawGraph(const GraphPictureInput& in) {
    using namespace viz;
    const engine::Interpreter* ip = in.interp;
    const engine::Graph& g = ip ? ip->graph() : *in.graph;
    auto valueOf = [&](int v) -> const engine::Tensor* {
        if (ip)
            return ip->value(v);
        auto it = g.initializers.find(v);
        return it == g.initializers.end() ? nullptr : &it->second;
    };
    auto problemOf = [&](int n) -> const std::string* {
        if (!in.problems)
            return nullptr;
        auto it = in.problems->find(n);
        return it == in.problems->end() ? nullptr : &it->second;
    };
    const Lang L = in.lang;
    const Palette pal = Palette::forTheme(in.theme);
    Scene scene = sceneOn(pal);
    DisplayList& dl = scene.list;
    const bool fold = in.foldWeights >= 0 ? in.foldWeights > 0 : g.nodes.size() > 30;
    auto folded = [&](int v) {
        return fold && g.values[v].producer < 0 && g.values[v].initializer;
    };

    // 1. Layout items: graph_topology's boxes — one per source value (graph input; weights
    //    too unless folded into their op's box), one per node, one per graph output. Boxes are
    //    sized by their text.
    TopologyOptions topo;
    topo.sourceBox = [&](int v) { return !folded(v); };
    const GraphTopology top = graphTopology(g, topo);
    struct Item {
        bool isNode;
        int index; // node index, value id, or −1 − value id for an output sink
    };
    std::vector<Item> items;
    for (const GraphBox& b : top.boxes)
        items.push_back(b.kind == GraphBox::Kind::Op       ? Item{true, b.node}
                        : b.kind == GraphBox::Kind::Source ? Item{false, b.value}
                                                           : Item{false, -1 - b.value});
    const std::map<int, int>& itemOfNode = top.boxOfNode;
    auto gridSize = [&](int v) {
        auto [r, c] = gridShape(g.values[v].shape);
        float cw = c <= 8 ? 34.0f : std::max(6.0f, 272.0f / c);
        float ch = r <= 6 ? 20.0f : std::max(4.0f, 120.0f / r);
        return std::pair<float, float>{c * cw, r * ch};
    };
    // Folded weights: "name [shape]" lines inside the op's box.
    auto weightLines = [&](int n) {
        std::vector<std::string> lines;
        int more = 0;
        for (int v : g.nodes[n].inputs)
            if (v >= 0 && folded(v)) {
                if (static_cast<int>(lines.size()) < kWeightLines)
                    lines.push_back(shortName(g.values[v].name, 16) + " " +
                                    engine::shapeLabel(g.values[v]));
                else
                    ++more;
            }
        if (more)
            lines.push_back("+ " + std::to_string(more) + tr2(L, " more", " 个"));
        return lines;
    };
    std::vector<SugiyamaNode> snodes(items.size());
    std::vector<float> headH(items.size(), kHeadH);
    std::map<std::string, int> nameUse;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Item& it = items[i];
        const int v =
            it.isNode ? g.nodes[it.index].outputs[0] : (it.index >= 0 ? it.index : -1 - it.index);
        float w = 0;
        if (it.isNode) {
            const engine::Node& node = g.nodes[it.index];
            w = std::max(textW(node.op, 14, true), textW(shortName(node.name), 10));
            for (const auto& line : weightLines(it.index)) {
                w = std::max(w, textW(line, 10));
                headH[i] += kWeightLineH;
            }
            snodes[i].name = "n:" + (node.name.empty() ? g.values[v].name : node.name);
        } else {
            w = textW(g.values[v].name, 14, true);
            snodes[i].name = (it.index >= 0 ? "v:" : "o:") + g.values[v].name;
            snodes[i].side = it.index >= 0 && g.values[v].initializer;
        }
        if (nameUse[snodes[i].name]++ > 0) // names must be unique to be matched later
            snodes[i].name += "#" + g.values[v].name;
        auto [gw, gh] = gridSize(v);
        snodes[i].w = std::max(110.0f, w + 24);
        if (in.showValues)
            snodes[i].w = std::max(snodes[i].w, gw);
        snodes[i].h = headH[i] + (in.showValues ? gh + 30 : 0);
    }
    // Edges, labelled with the tensor's shape (and its name in small graphs).
    struct EdgeRef {
        int value, fromItem, toItem;
        std::string label;
    };
    std::vector<EdgeRef> erefs;
    for (const GraphLink& l : top.links) {
        std::string label = engine::shapeLabel(g.values[l.value]);
        if (!fold)
            label = shortName(g.values[l.value].name, 14) + " " + label;
        erefs.push_back({l.value, l.from, l.to, label});
    }
    std::vector<SugiyamaEdge> sedges;
    for (const auto& e : erefs)
        sedges.push_back({e.fromItem, e.toItem, textW(e.label, 11), 14});
    // Groups, by item.
    SugiyamaOptions sopt;
    for (const auto& gr : in.groups) {
        SugiyamaGroup sg{gr.name, {}, gr.collapsed, 0, 50};
        for (int n : gr.nodes)
            if (itemOfNode.count(n))
                sg.members.push_back(itemOfNode.at(n));
        sg.collapsedW = std::max(140.0f, textW(gr.name, 14, true) + 28);
        sopt.groups.push_back(sg);
    }
    sopt.previous = in.previous;
    // Shallow graphs read left to right, deep ones (real models) top to bottom.
    sopt.direction = LayoutDirection::LeftToRight;
    sopt.layerGap = 70;
    sopt.nodeGap = 36;
    SugiyamaResult lay = sugiyamaLayout(snodes, sedges, sopt);
    if (lay.layers > 6) {
        sopt.direction = LayoutDirection::TopToBottom;
        sopt.layerGap = 40;
        sopt.nodeGap = 30;
        // Big models (folded weights, many layers) flow down in one column, as Netron draws
        // them; the frame's focus is their top, so the first view is readable (below).
        sopt.wrapAspect = fold && lay.layers <= 40 ? 1.6f : 0.0f;
        lay = sugiyamaLayout(snodes, sedges, sopt);
    }
    const bool tb = sopt.direction == LayoutDirection::TopToBottom;
    // A tall column: the region to open at is its top — the inputs and the first layers, as
    // wide as the picture and at most 0.7 of that high (the viewport shows it when the whole
    // would be unreadably small; F shows the whole).
    if (tb && sopt.wrapAspect == 0 && lay.bounds.h > 2.5f * std::max(lay.bounds.w, 400.0f)) {
        const float w = std::max(lay.bounds.w, 400.0f);
        scene.focus = {lay.bounds.x, lay.bounds.y - 20, w, 0.7f * w};
    }
    if (in.snapshot)
        *in.snapshot = snapshotOf(snodes, sedges, lay);
    std::vector<char> hidden(items.size(), 0); // members of collapsed groups
    for (const auto& gr : sopt.groups)
        if (gr.collapsed)
            for (int m : gr.members)
                hidden[m] = 1;

    // 2. Which nodes are done, and which one ran last.
    const std::vector<int> order = ip ? ip->order() : g.topoOrder();
    std::vector<int> state(g.nodes.size(), 0); // 0 pending, 1 done, 2 just ran
    for (int k = 0; k < in.executed && k < static_cast<int>(order.size()); ++k)
        state[order[k]] = k == in.executed - 1 ? 2 : 1;
    auto known = [&](int v) {
        int p = g.values[v].producer;
        return p < 0 || state[p] > 0;
    };

    // 3. Edges first (under the boxes): the layout's spline routes, labelled in the room the
    //    layout kept for the label. Left to right with value grids, the ends move up to the
    //    head of the box (the grid hangs under it).
    auto headBox = [&](int item) {
        Rect r = lay.boxes[item];
        return hidden[item] ? r : Rect{r.x, r.y, r.w, headH[item]};
    };
    auto drawEdge = [&](std::size_t e) {
        const EdgeRef& ref = erefs[e];
        const int v = ref.value;
        std::vector<Vec2> bz = lay.routes[e].bezier;
        if (bz.size() < 4)
            return; // inside a collapsed group
        if (!tb && in.showValues) {
            const bool rev = lay.routes[e].reversed;
            const Rect a = headBox(rev ? ref.toItem : ref.fromItem);
            const Rect b = headBox(rev ? ref.fromItem : ref.toItem);
            const float d0 = a.y + a.h / 2 - bz[0].y, d1 = b.y + b.h / 2 - bz.back().y;
            bz[0].y += d0;
            bz[1].y += d0;
            bz[bz.size() - 1].y += d1;
            bz[bz.size() - 2].y += d1;
        }
        const std::vector<Vec2> pts = flattenBezier(bz, 8);
        bool k = known(v);
        Color col = k ? pal.foreground.withAlpha(0.75f) : pal.muted.withAlpha(0.6f);
        Prim& ar = dl.arrow(pts, col, 1.5f, kValueIdBase + v);
        ar.dashed = !k;
        ar.layer = -1;
        const Vec2 at = lay.routes[e].labelAt; // top-left of the label's 14 px high room
        Prim& t = dl.text({at.x, at.y + 7}, ref.label, k ? pal.foreground : pal.muted, 11,
                          HAlign::Left, VAlign::Middle, kValueIdBase + v);
        t.layer = 2;
        ObjectInfo info;
        info.title = tr2(L, "Tensor ", "张量 ") + g.values[v].name;
        info.facts.push_back({tr2(L, "shape", "形状"), engine::shapeLabel(g.values[v])});
        info.facts.push_back({tr2(L, "dtype", "类型"), engine::dtypeName(g.values[v].dtype)});
        const engine::Tensor* tv = valueOf(v);
        if (k && tv) {
            info.facts.push_back({tr2(L, "bytes", "字节"), fmtBytes(double(tv->bytes()))});
            info.facts.push_back({tr2(L, "values", "数值"), statsOf(*tv)});
            if (in.plotCache) {
                auto cached = in.plotCache->find(v);
                if (cached == in.plotCache->end()) {
                    viz::ObjectInfo plots;
                    addValuePlots(plots, *tv);
                    cached = in.plotCache->emplace(v, std::move(plots)).first;
                }
                info.histogram = cached->second.histogram;
                info.histMin = cached->second.histMin;
                info.histMax = cached->second.histMax;
                info.heat = cached->second.heat;
                info.heatRows = cached->second.heatRows;
                info.heatCols = cached->second.heatCols;
                info.heatLabel = cached->second.heatLabel;
            } else {
                addValuePlots(info, *tv);
            }
        } else {
            info.facts.push_back(
                {tr2(L, "status", "状态"), tr2(L, "not computed yet", "尚未计算")});
        }
        scene.objects[kValueIdBase + v] = info;
    };
    for (std::size_t e = 0; e < erefs.size(); ++e)
        drawEdge(e);

    // 4. Boxes: sources as pills, ops as rounded boxes coloured by state, sinks as pills.
    const Color doneFill = in.theme == Theme::Light ? Color::rgb(0xdcfce7) : Color::rgb(0x14532d);
    const Color badFill = in.theme == Theme::Light ? Color::rgb(0xfee2e2) : Color::rgb(0x7f1d1d);
    const Color runFill = pal.highlight;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (hidden[i])
            continue;
        Rect hb = headBox(static_cast<int>(i));
        const Item& it = items[i];
        int shownValue = -1;
        if (it.isNode) {
            const engine::Node& node = g.nodes[it.index];
            int st = state[it.index];
            const std::string* problem = problemOf(it.index);
            Color fill = problem ? badFill : st == 2 ? runFill : st == 1 ? doneFill : pal.panel;
            Color stroke = problem   ? pal.bad
                           : st == 2 ? pal.accent2
                           : st == 1 ? pal.good
                                     : pal.panelBorder;
            std::uint32_t id = kNodeIdBase + it.index;
            Prim& nodeBox = dl.box(hb, fill, stroke, 8, st == 2 || problem ? 3.0f : 1.5f, id);
            nodeBox.layer = 1;
            nodeBox.dashed = problem != nullptr;
            Prim& t1 = dl.text({hb.x + hb.w / 2, hb.y + 15}, node.op, pal.foreground, 14,
                               HAlign::Center, VAlign::Middle, id);
            t1.bold = true;
            t1.layer = 2;
            dl.text({hb.x + hb.w / 2, hb.y + 32}, shortName(node.name), pal.muted, 10,
                    HAlign::Center, VAlign::Middle, id)
                .layer = 2;
            float ly = hb.y + kHeadH - 4;
            for (const auto& line : weightLines(it.index)) {
                dl.text({hb.x + 12, ly}, line, pal.accent2, 10, HAlign::Left, VAlign::Top, id)
                    .layer = 2;
                ly += kWeightLineH;
            }
            ObjectInfo info;
            info.title = node.op + " · " + node.name;
            std::string ins;
            for (int v : node.inputs)
                if (v >= 0)
                    ins += (ins.empty() ? "" : ", ") + g.values[v].name +
                           engine::shapeLabel(g.values[v]);
            info.facts.push_back({tr2(L, "inputs", "输入"), ins});
            int ov = node.outputs[0];
            info.facts.push_back(
                {tr2(L, "output", "输出"), g.values[ov].name + engine::shapeLabel(g.values[ov])});
            if (problem)
                info.facts.push_back({tr2(L, "cannot run", "无法运行"), *problem});
            for (const auto& [name, value] : node.attrs)
                info.facts.push_back({name, attrText(value)});
            const char* stText = st == 2   ? tr2(L, "just ran", "刚刚执行")
                                 : st == 1 ? tr2(L, "done", "已完成")
                                           : tr2(L, "waiting for its inputs", "等待输入");
            info.facts.push_back({tr2(L, "status", "状态"), stText});
            for (const auto& rec : ip ? ip->trace().records : std::vector<engine::NodeRecord>{})
                if (rec.node == it.index && st > 0) {
                    info.facts.push_back({"FLOPs", fmtNum(rec.flops, 0)});
                    info.facts.push_back(
                        {tr2(L, "bytes read", "读取字节"), fmtBytes(double(rec.bytesRead))});
                    info.facts.push_back(
                        {tr2(L, "bytes written", "写入字节"), fmtBytes(double(rec.bytesWritten))});
                }
            scene.objects[id] = info;
            shownValue = st > 0 ? ov : -1;
        } else {
            bool sink = it.index < 0;
            int v = sink ? -1 - it.index : it.index;
            bool k = known(v);
            std::uint32_t id = kValueIdBase + v;
            Color stroke = g.values[v].initializer ? pal.accent2 : pal.accent;
            dl.box(hb, sink ? (k ? doneFill : pal.panel) : pal.background,
                   sink && !k ? pal.panelBorder : stroke, 22, 2.0f, id)
                .layer = 1;
            Prim& t = dl.text({hb.x + hb.w / 2, hb.y + 15}, g.values[v].name, pal.foreground, 14,
                              HAlign::Center, VAlign::Middle, id);
            t.bold = true;
            t.layer = 2;
            const char* kind = sink                      ? tr2(L, "output", "输出")
                               : g.values[v].initializer ? tr2(L, "weight", "权重")
                                                         : tr2(L, "input", "输入");
            dl.text({hb.x + hb.w / 2, hb.y + 32}, kind, pal.muted, 10, HAlign::Center,
                    VAlign::Middle, id)
                .layer = 2;
            shownValue = k ? v : -1;
        }
        // Value grid under the box once the value is known.
        if (in.showValues && shownValue >= 0) {
            const engine::Tensor* t = valueOf(shownValue);
            if (t) {
                auto [r, c] = gridShape(t->shape());
                auto [gw, gh] = gridSize(shownValue);
                std::vector<double> vals(t->numel());
                for (std::int64_t e = 0; e < t->numel(); ++e)
                    vals[e] = t->at(e);
                Rect box = lay.boxes[i];
                Vec2 origin{box.x + (box.w - gw) / 2, hb.y + hb.h + 14};
                const std::uint32_t base = kCellIdBase + 1000u * std::uint32_t(shownValue);
                drawValueGrid(dl, origin, r, c, vals, gw / c, gh / r, pal, in.theme,
                              t->numel() < 1000 ? base : 0);
                for (std::int64_t e = 0; e < t->numel() && t->numel() < 1000; ++e) {
                    ObjectInfo cell;
                    cell.title = g.values[shownValue].name + "[" + std::to_string(e / c) +
                                 (r > 1 ? "," + std::to_string(e % c) : "") + "]";
                    if (r == 1)
                        cell.title = g.values[shownValue].name + "[" + std::to_string(e) + "]";
                    cell.facts.push_back({tr2(L, "value", "数值"), fmtNum(vals[e], 4)});
                    scene.objects[base + std::uint32_t(e)] = cell;
                }
            }
        }
    }

    // 5. Groups: an expanded one as a hull around its members' boxes (under them), a collapsed
    //    one as a box listing its ops.
    for (std::size_t gi = 0; gi < in.groups.size(); ++gi) {
        const auto& gr = in.groups[gi];
        const std::uint32_t id = kGroupIdBase + static_cast<std::uint32_t>(gi);
        ObjectInfo info;
        info.title = tr2(L, "Group ", "分组 ") + gr.name;
        std::string ops;
        for (int n : gr.nodes)
            if (n >= 0 && n < static_cast<int>(g.nodes.size()))
                ops += (ops.empty() ? "" : ", ") + g.nodes[n].op;
        info.facts.push_back({tr2(L, "ops", "算子"), std::to_string(gr.nodes.size())});
        info.facts.push_back({tr2(L, "members", "成员"), ops});
        scene.objects[id] = info;
        if (sopt.groups[gi].members.empty())
            continue;
        const Rect gb = lay.groups[gi].box;
        if (gr.collapsed) {
            dl.box(gb, pal.panel, pal.accent, 8, 2.5f, id).layer = 1;
            Prim& t = dl.text({gb.x + gb.w / 2, gb.y + 16}, gr.name, pal.foreground, 14,
                              HAlign::Center, VAlign::Middle, id);
            t.bold = true;
            t.layer = 2;
            dl.text({gb.x + gb.w / 2, gb.y + 34}, shortName(ops, 24), pal.muted, 10, HAlign::Center,
                    VAlign::Middle, id)
                .layer = 2;
            continue;
        }
        std::vector<Vec2> corners;
        for (int m : sopt.groups[gi].members) {
            const Rect r = headBox(m);
            corners.insert(
                corners.end(),
                {{r.x, r.y}, {r.x + r.w, r.y}, {r.x, r.y + r.h}, {r.x + r.w, r.y + r.h}});
        }
        dl.hull(corners, 12, pal.accent.withAlpha(0.08f), pal.accent.withAlpha(0.7f), 1.5f, id)
            .layer = -2;
        Prim& t = dl.text({gb.x - 10, gb.y - 14}, gr.name, pal.accent, 11, HAlign::Left,
                          VAlign::Bottom, id);
        t.bold = true;
        t.layer = 2;
    }

    scene.legend = {{pal.panel, tr2(L, "op waiting", "等待执行的算子")},
                    {runFill, tr2(L, "op that just ran", "刚执行的算子")},
                    {doneFill, tr2(L, "op done", "已执行的算子")},
                    {Color::rgb(0x3b82f6), tr2(L, "negative value", "负值")},
                    {Color::rgb(0xef4444), tr2(L, "positive value", "正值")}};
    if (in.problems && !in.problems->empty())
        scene.legend.push_back(
            {badFill, tr2(L, "op the engine cannot run (dashed)", "引擎无法运行的算子（虚线）")});
    return scene;
}

} // namespace aisys::lessons
