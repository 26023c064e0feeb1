// Graph pictures: layered layout of sources and ops, shape-labelled edges, value grids.
#include "lessons/labs/graph_drawing.h"

#include "lessons/labs/draw_helpers.h"
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

} // namespace

viz::Scene drawGraph(const GraphPictureInput& in) {
    using namespace viz;
    const engine::Interpreter& ip = *in.interp;
    const engine::Graph& g = ip.graph();
    const Lang L = in.lang;
    const Palette pal = Palette::forTheme(in.theme);
    Scene scene;
    scene.background = pal.background;
    DisplayList& dl = scene.list;

    // 1. Layout items: one per source value (graph input / initializer) and one per node.
    struct Item {
        bool isNode;
        int index; // node index or value id
    };
    std::vector<Item> items;
    std::map<int, int> itemOfValueSource, itemOfNode;
    for (std::size_t v = 0; v < g.values.size(); ++v)
        if (g.values[v].producer < 0) {
            itemOfValueSource[static_cast<int>(v)] = static_cast<int>(items.size());
            items.push_back({false, static_cast<int>(v)});
        }
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        itemOfNode[static_cast<int>(n)] = static_cast<int>(items.size());
        items.push_back({true, static_cast<int>(n)});
    }
    // Output sinks: one item per graph output.
    std::map<int, int> itemOfSink;
    for (int o : g.outputs) {
        itemOfSink[o] = static_cast<int>(items.size());
        items.push_back({false, -1 - o});
    }
    std::vector<LayoutNode> lnodes(items.size(), LayoutNode{110, 44});
    std::vector<LayoutEdge> ledges;
    auto itemOfProducer = [&](int v) {
        return g.values[v].producer < 0 ? itemOfValueSource[v] : itemOfNode[g.values[v].producer];
    };
    // Make room under each item for its value grid.
    auto gridSize = [&](int v) {
        auto [r, c] = gridShape(g.values[v].shape);
        float cw = c <= 8 ? 34.0f : std::max(6.0f, 272.0f / c);
        float ch = r <= 6 ? 20.0f : std::max(4.0f, 120.0f / r);
        return std::pair<float, float>{c * cw, r * ch};
    };
    for (std::size_t i = 0; i < items.size(); ++i) {
        int v = items[i].isNode ? g.nodes[items[i].index].outputs[0]
                                : (items[i].index >= 0 ? items[i].index : -1 - items[i].index);
        auto [gw, gh] = gridSize(v);
        lnodes[i].w = in.showValues ? std::max(110.0f, gw) : 110.0f;
        lnodes[i].h = 44 + (in.showValues ? gh + 30 : 0);
    }
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
        for (int v : g.nodes[n].inputs)
            if (v >= 0)
                ledges.push_back({itemOfProducer(v), itemOfNode[static_cast<int>(n)]});
    for (int o : g.outputs)
        ledges.push_back({itemOfProducer(o), itemOfSink[o]});
    // Deep graphs (real models) read top to bottom; small ones left to right.
    LayoutOptions lopt{110, 36, LayoutDirection::LeftToRight};
    {
        LayoutResult probe = layeredLayout(lnodes, ledges, lopt);
        int layers = 0;
        for (int l : probe.layer)
            layers = std::max(layers, l + 1);
        if (layers > 6)
            lopt = {56, 40, LayoutDirection::TopToBottom};
    }
    const bool tb = lopt.direction == LayoutDirection::TopToBottom;
    LayoutResult lay = layeredLayout(lnodes, ledges, lopt);

    // 2. Which nodes are done, and which one ran last.
    const auto& order = ip.order();
    std::vector<int> state(g.nodes.size(), 0); // 0 pending, 1 done, 2 just ran
    for (int k = 0; k < in.executed && k < static_cast<int>(order.size()); ++k)
        state[order[k]] = k == in.executed - 1 ? 2 : 1;
    auto known = [&](int v) {
        int p = g.values[v].producer;
        return p < 0 || state[p] > 0;
    };

    // 3. Edges first (under the boxes): arrow from the producer's box to the consumer's,
    //    labelled with the value's name and shape.
    auto headBox = [&](int item) {
        Rect r = lay.boxes[item];
        return Rect{r.x, r.y, r.w, 44};
    };
    auto drawEdge = [&](int v, int fromItem, int toItem) {
        Rect a = headBox(fromItem), b = headBox(toItem);
        // Cubic Bézier leaving along the layout direction and arriving along it.
        Vec2 p0 = tb ? Vec2{a.x + a.w / 2, a.y + a.h} : Vec2{a.x + a.w, a.y + a.h / 2};
        Vec2 p3 = tb ? Vec2{b.x + b.w / 2, b.y} : Vec2{b.x, b.y + b.h / 2};
        Vec2 c1 = tb ? Vec2{p0.x, (p0.y + p3.y) / 2} : Vec2{(p0.x + p3.x) / 2, p0.y};
        Vec2 c2 = tb ? Vec2{p3.x, (p0.y + p3.y) / 2} : Vec2{(p0.x + p3.x) / 2, p3.y};
        std::vector<Vec2> pts;
        for (int s = 0; s <= 16; ++s) {
            float t = s / 16.0f, u = 1 - t;
            pts.push_back(p0 * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) +
                          p3 * (t * t * t));
        }
        bool k = known(v);
        Color col = k ? pal.foreground.withAlpha(0.75f) : pal.muted.withAlpha(0.6f);
        Prim& ar = dl.arrow(pts, col, 1.5f, kValueIdBase + v);
        ar.dashed = !k;
        ar.layer = -1;
        Vec2 mid = pts[8];
        std::string label = g.values[v].name + " " + engine::shapeToString(g.values[v].shape);
        Prim& t = tb ? dl.text({mid.x + 6, mid.y}, label, k ? pal.foreground : pal.muted, 11,
                               HAlign::Left, VAlign::Middle, kValueIdBase + v)
                     : dl.text({mid.x, mid.y - 4}, label, k ? pal.foreground : pal.muted, 11,
                               HAlign::Center, VAlign::Bottom, kValueIdBase + v);
        t.layer = 2;
        ObjectInfo info;
        info.title = tr2(L, "Tensor ", "张量 ") + g.values[v].name;
        info.facts.push_back({tr2(L, "shape", "形状"), engine::shapeToString(g.values[v].shape)});
        info.facts.push_back({tr2(L, "dtype", "类型"), engine::dtypeName(g.values[v].dtype)});
        const engine::Tensor* tv = ip.value(v);
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
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
        for (int v : g.nodes[n].inputs)
            if (v >= 0)
                drawEdge(v, itemOfProducer(v), itemOfNode[static_cast<int>(n)]);
    for (int o : g.outputs)
        drawEdge(o, itemOfProducer(o), itemOfSink[o]);

    // 4. Boxes: sources as pills, ops as rounded boxes coloured by state, sinks as pills.
    const Color doneFill = in.theme == Theme::Light ? Color::rgb(0xdcfce7) : Color::rgb(0x14532d);
    const Color runFill = pal.highlight;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Rect hb = headBox(static_cast<int>(i));
        const Item& it = items[i];
        int shownValue = -1;
        if (it.isNode) {
            const engine::Node& node = g.nodes[it.index];
            int st = state[it.index];
            Color fill = st == 2 ? runFill : st == 1 ? doneFill : pal.panel;
            Color stroke = st == 2 ? pal.accent2 : st == 1 ? pal.good : pal.panelBorder;
            std::uint32_t id = kNodeIdBase + it.index;
            dl.box(hb, fill, stroke, 8, st == 2 ? 3.0f : 1.5f, id).layer = 1;
            Prim& t1 = dl.text({hb.x + hb.w / 2, hb.y + 15}, node.op, pal.foreground, 14,
                               HAlign::Center, VAlign::Middle, id);
            t1.bold = true;
            t1.layer = 2;
            dl.text({hb.x + hb.w / 2, hb.y + 32}, shortName(node.name), pal.muted, 10,
                    HAlign::Center, VAlign::Middle, id)
                .layer = 2;
            ObjectInfo info;
            info.title = node.op + " · " + node.name;
            std::string ins;
            for (int v : node.inputs)
                if (v >= 0)
                    ins += (ins.empty() ? "" : ", ") + g.values[v].name +
                           engine::shapeToString(g.values[v].shape);
            info.facts.push_back({tr2(L, "inputs", "输入"), ins});
            int ov = node.outputs[0];
            info.facts.push_back({tr2(L, "output", "输出"),
                                  g.values[ov].name + engine::shapeToString(g.values[ov].shape)});
            for (const auto& [name, value] : node.attrs)
                info.facts.push_back({name, attrText(value)});
            const char* stText = st == 2   ? tr2(L, "just ran", "刚刚执行")
                                 : st == 1 ? tr2(L, "done", "已完成")
                                           : tr2(L, "waiting for its inputs", "等待输入");
            info.facts.push_back({tr2(L, "status", "状态"), stText});
            for (const auto& rec : ip.trace().records)
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
            const engine::Tensor* t = ip.value(shownValue);
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

    scene.legend = {{pal.panel, tr2(L, "op waiting", "等待执行的算子")},
                    {runFill, tr2(L, "op that just ran", "刚执行的算子")},
                    {doneFill, tr2(L, "op done", "已执行的算子")},
                    {Color::rgb(0x3b82f6), tr2(L, "negative value", "负值")},
                    {Color::rgb(0xef4444), tr2(L, "positive value", "正值")}};
    return scene;
}

} // namespace aisys::lessons
