// The eager-graph Lab's graph-break frame: two captured sub-graphs and the Python `if` between.
#include "lessons/labs/framework/eager_graph/graph_break.h"

#include "engine/eager/functions.h"
#include "engine/eager/tape.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_drawing.h"

namespace aisys::lessons {

namespace {

using namespace viz;
namespace eg = engine::eager;

/// Gives value `from` of `g` the name `to` (the program's name for it).
void rename(engine::Graph& g, const std::string& from, const std::string& to) {
    const int v = g.findValue(from);
    if (v >= 0)
        g.values[v].name = to;
}

std::string vec(const engine::Tensor& t) {
    std::string s = "[";
    for (std::int64_t i = 0; i < t.numel(); ++i)
        s += (i ? ", " : "") + fmtNum(t.at(i), 2);
    return s + "]";
}

/// The ops of a graph, in order, joined by " → ".
std::string opChain(const engine::Graph& g) {
    std::string s;
    for (int n : g.topoOrder())
        s += (s.empty() ? "" : " → ") + g.nodes[n].op;
    return s;
}

/// Appends `src` to `dst` moved by `d`, its non-zero ids (and their inspector facts) + `idOffset`.
void appendShifted(Scene& dst, const Scene& src, Vec2 d, std::uint32_t idOffset) {
    for (Prim p : src.list.prims) {
        p.rect.x += d.x;
        p.rect.y += d.y;
        for (auto& q : p.pts)
            q = q + d;
        if (p.id != 0)
            p.id += idOffset;
        dst.list.prims.push_back(std::move(p));
    }
    for (const auto& [id, info] : src.objects)
        dst.objects[id + idOffset] = info;
}

GraphPictureInput pictureOf(const engine::Interpreter& ip, const DrawOptions& opt) {
    GraphPictureInput in;
    in.interp = &ip;
    in.executed = int(ip.order().size());
    in.lang = opt.lang;
    in.theme = opt.theme;
    in.showValues = true;
    return in;
}

} // namespace

GraphBreakRun runWithGraphBreak(const engine::Tensor& W, const engine::Tensor& b,
                                const engine::Tensor& x) {
    // 1. Graph 1: the ops up to the `if`, captured with h and h.sum() as its outputs (Python
    //    needs h.sum() to decide, graph 2 needs h).
    // 2. Python evaluates `h_sum > 0` on graph 1's output: the graph break.
    // 3. Graph 2: the resumed frame from the branch taken to the return, fed with graph 1's h.
    GraphBreakRun r;
    {
        eg::Tape tape;
        eg::Tensor h =
            eg::matmul(tape.parameter("W", W), tape.input("x", x)) + tape.parameter("b", b);
        eg::Tensor s = eg::sum(h);
        engine::Graph g = tape.capture({h, s});
        rename(g, h.name(), "h");
        rename(g, s.name(), "h_sum");
        r.before = std::make_unique<engine::Interpreter>(std::move(g));
        r.before->setInput("x", x);
        r.before->run();
    }
    r.hsum = r.before->value("h_sum")->at(0);
    r.positive = r.hsum > 0;
    {
        eg::Tape tape;
        eg::Tensor h = tape.input("h", *r.before->value("h"));
        eg::Tensor y = (r.positive ? eg::relu(h) : -h) * 2.0;
        engine::Graph g = tape.capture({y});
        rename(g, y.name(), "y");
        r.after = std::make_unique<engine::Interpreter>(std::move(g));
        r.after->setInput("h", *r.before->value("h"));
        r.after->run();
    }
    r.y = *r.after->value("y");
    return r;
}

Scene drawGraphBreak(const GraphBreakRun& run, const engine::Tensor& eagerY,
                     const GraphBreakRun* other, const engine::Tensor* otherEagerY,
                     const DrawOptions& opt) {
    // 1. Graph 1 as drawGraph draws it, at its own place; graph 2 drawn the same way.
    // 2. Between them the graph break: a box for what Python runs, with the value it reads.
    // 3. Graph 2 to the right (ids offset), both sub-graphs in dashed frames with titles,
    //    arrows for what crosses the break, then the result line (and the other branch's).
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = drawGraph(pictureOf(*run.before, opt));
    const Scene g2 = drawGraph(pictureOf(*run.after, opt));
    const Rect b1 = s.list.bounds();
    const Rect b2 = g2.list.bounds();
    const float midY = b1.y + b1.h / 2;

    // 2. The Python box.
    const float gap = 84, pw = 250, ph = 128;
    const Rect py{b1.x + b1.w + 14 + gap, midY - ph / 2, pw, ph};
    Prim& frame = s.list.box(py, pal.warn.withAlpha(0.16f), pal.bad, 6, 2, kPythonBoxId);
    frame.dashed = true;
    const std::string decided = run.positive ? "True" : "False";
    const std::string branch = run.positive ? "y = relu(h)" : "y = -h";
    s.list
        .text({py.x + pw / 2, py.y + 14}, tr2(L, "graph break", "图断点（graph break）"), pal.bad,
              14, HAlign::Center, VAlign::Middle, kPythonBoxId)
        .bold = true;
    s.list.text({py.x + pw / 2, py.y + 36}, tr2(L, "Python runs the if:", "由 Python 执行 if："),
                pal.muted, 12, HAlign::Center, VAlign::Middle, kPythonBoxId);
    s.list.text({py.x + pw / 2, py.y + 58}, "if h_sum > 0:", pal.foreground, 13, HAlign::Center,
                VAlign::Middle, kPythonBoxId);
    s.list.text({py.x + pw / 2, py.y + 80}, fmtNum(run.hsum, 3) + " > 0 → " + decided, pal.accent2,
                13, HAlign::Center, VAlign::Middle, kPythonBoxId);
    s.list.text({py.x + pw / 2, py.y + 104},
                std::string(tr2(L, "resume with ", "从这里恢复：")) + branch, pal.foreground, 12,
                HAlign::Center, VAlign::Middle, kPythonBoxId);
    ObjectInfo pinfo;
    pinfo.title = tr2(L, "graph break", "图断点");
    pinfo.facts = {{"h_sum", fmtNum(run.hsum, 3)},
                   {tr2(L, "branch taken", "所走分支"), branch},
                   {tr2(L, "why", "原因"),
                    tr2(L, "a branch on a tensor's value: Dynamo does not guard on tensor data",
                        "依赖张量数值的分支：Dynamo 不对张量数据设守卫")}};
    s.objects[kPythonBoxId] = pinfo;

    // 3. Graph 2, its left edge a gap right of the Python box, centred on the same line.
    const Vec2 d{py.x + pw + gap + 14 - b2.x, midY - (b2.y + b2.h / 2)};
    appendShifted(s, g2, d, kGraph2IdOffset);
    const Rect f1 = b1.adjusted(14);
    const Rect f2 = Rect{b2.x + d.x, b2.y + d.y, b2.w, b2.h}.adjusted(14);
    for (auto [r, id, title] :
         {std::tuple{f1, kSubgraph1FrameId,
                     tr2(L, "sub-graph 1 (compiled): the ops before the if",
                         "子图 1（编译）：if 之前的算子")},
          std::tuple{f2, kSubgraph2FrameId,
                     tr2(L, "sub-graph 2 (compiled): the branch taken, then return",
                         "子图 2（编译）：所走分支和 return")}}) {
        Prim& p = s.list.box(r, kNoColor, pal.accent, 8, 1.5f, id);
        p.dashed = true;
        p.layer = -1;
        s.list.text({r.x, r.y - 22}, title, pal.accent, 13, HAlign::Left, VAlign::Top, id).bold =
            true;
    }
    s.list.arrow({{f1.x + f1.w, midY}, {py.x, midY}}, pal.bad, 1.8f);
    s.list.text({(f1.x + f1.w + py.x) / 2, midY - 8}, "h, h_sum", pal.muted, 11, HAlign::Center,
                VAlign::Bottom);
    s.list.arrow({{py.x + pw, midY}, {f2.x, midY}}, pal.bad, 1.8f);
    s.list.text({(py.x + pw + f2.x) / 2, midY - 8}, "h", pal.muted, 11, HAlign::Center,
                VAlign::Bottom);

    // The result, and what the other branch's input gets.
    const Rect all = s.list.bounds();
    const bool same = run.y.allClose(eagerY, 0.0);
    float y = all.y + all.h + 18;
    s.list
        .text({all.x, y},
              std::string(tr2(L, "sub-graph 1 → Python → sub-graph 2: y = ",
                              "子图 1 → Python → 子图 2：y = ")) +
                  vec(run.y) + tr2(L, "    eager y = ", "    动态图 y = ") + vec(eagerY) +
                  (same ? tr2(L, "   ✓ identical", "   ✓ 完全相同")
                        : tr2(L, "   ✗ different", "   ✗ 不同")),
              same ? pal.good : pal.bad, 13)
        .bold = true;
    if (other && otherEagerY) {
        y += 24;
        const bool same2 = other->y.allClose(*otherEagerY, 0.0);
        s.list.text({all.x, y},
                    std::string(tr2(L, "with x': h_sum = ", "对 x'：h_sum = ")) +
                        fmtNum(other->hsum, 3) + " → " + (other->positive ? "True" : "False") +
                        tr2(L, "; Dynamo compiles another sub-graph 2: ",
                            "；Dynamo 为它另编译一个子图 2：") +
                        opChain(other->after->graph()) + ", y = " + vec(other->y) +
                        (same2 ? tr2(L, "   ✓ = eager", "   ✓ = 动态图")
                               : tr2(L, "   ✗ ≠ eager", "   ✗ ≠ 动态图")),
                    same2 ? pal.good : pal.bad, 12);
    }
    s.legend.push_back({pal.accent, tr2(L, "captured sub-graph (compiled)", "捕获的子图（编译）")});
    s.legend.push_back(
        {pal.bad, tr2(L, "graph break: Python runs the if", "图断点：由 Python 执行 if")});
    s.caption = tr2(L,
                    "TorchDynamo at a branch on a tensor's value: graph break, two sub-graphs, "
                    "Python between them",
                    "TorchDynamo 遇到依赖张量数值的分支：图断点、两个子图，中间由 Python 执行");
    return s;
}

} // namespace aisys::lessons
