// Lab "control-flow": the dataflow machine's graph, its tokens per firing and the loop frame.
#include "lessons/labs/framework/control_flow/control_flow_lab.h"

#include "engine/dataflow/dataflow_machine.h"
#include "lessons/common/draw_helpers.h"
#include "viz/layout.h"

#include <algorithm>
#include <set>

namespace aisys::lessons {

namespace {

using namespace viz;
using engine::DfKind;

constexpr std::uint32_t kNodeId = 100;   // + node
constexpr std::uint32_t kTokenId = 5000; // + token index in the frame

bool isControl(DfKind k) {
    return k == DfKind::Switch || k == DfKind::Merge || k == DfKind::Enter || k == DfKind::Exit ||
           k == DfKind::NextIteration;
}

class ControlFlowRun : public LabRun {
public:
    explicit ControlFlowRun(engine::DataflowMachine m) : m_machine(std::move(m)) {
        m_machine.run();
        const auto& nodes = m_machine.nodes();
        // Layout without the loop's back edges (NextIteration → Merge), drawn separately.
        std::vector<LayoutNode> ln(nodes.size(), LayoutNode{112, 40});
        std::vector<LayoutEdge> le;
        for (std::size_t n = 0; n < nodes.size(); ++n)
            for (auto [p, o] : nodes[n].inputs)
                if (nodes[p].kind != DfKind::NextIteration)
                    le.push_back({p, int(n)});
        m_layout = layeredLayout(ln, le, {34, 22, LayoutDirection::TopToBottom});
        // Nodes inside the loop frame: those that produced a token tagged with a frame.
        for (const auto& f : m_machine.firings())
            for (const auto& [o, t] : f.produced)
                if (!t.frames.empty())
                    m_inFrame.insert(f.node);
    }
    std::vector<Phase> phases() const override {
        return {{"graph", 1}, {"run", int(m_machine.firings().size())}, {"done", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override;

private:
    Vec2 edgePoint(int producer, int consumer, float t) const {
        const Rect& a = m_layout.boxes[producer];
        const Rect& b = m_layout.boxes[consumer];
        Vec2 p0{a.x + a.w / 2, a.y + a.h}, p1{b.x + b.w / 2, b.y};
        return mix(p0, p1, t);
    }

    engine::DataflowMachine m_machine;
    LayoutResult m_layout;
    std::set<int> m_inFrame;
};

Scene ControlFlowRun::scene(int frame, const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    const auto& nodes = m_machine.nodes();
    const auto& firings = m_machine.firings();
    const int nf = int(firings.size());
    const bool done = frame > nf;
    const engine::DfFiring* fired = frame >= 1 && frame <= nf ? &firings[frame - 1] : nullptr;
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;

    // 1. Back edges run down the nearer side of the whole picture, one lane each, and enter
    //    their Merge from that side.
    float left = 1e9f, right = -1e9f;
    for (const Rect& r : m_layout.boxes) {
        left = std::min(left, r.x);
        right = std::max(right, r.x + r.w);
    }
    const float middle = (left + right) / 2;
    std::map<int, float> lane; // NextIteration node → x of its lane
    int lanesLeft = 0, lanesRight = 0;
    for (std::size_t n = 0; n < nodes.size(); ++n)
        for (auto [p, o] : nodes[n].inputs)
            if (nodes[p].kind == DfKind::NextIteration) {
                const bool toLeft = m_layout.boxes[n].center().x < middle;
                lane[p] = toLeft ? left - 30 - 16 * float(lanesLeft++)
                                 : right + 30 + 16 * float(lanesRight++);
            }
    // 2. Edges (back edges curve around the right side).
    for (std::size_t n = 0; n < nodes.size(); ++n)
        for (auto [p, o] : nodes[n].inputs) {
            const Rect& a = m_layout.boxes[p];
            const Rect& b = m_layout.boxes[n];
            Prim* e;
            if (nodes[p].kind == DfKind::NextIteration) {
                const float x = lane.at(p);
                const bool toLeft = x < middle;
                const float ax = toLeft ? a.x : a.x + a.w, bx = toLeft ? b.x : b.x + b.w;
                e = &dl.arrow({{ax, a.y + a.h / 2},
                               {x, a.y + a.h / 2},
                               {x, b.y + b.h / 2},
                               {bx, b.y + b.h / 2}},
                              pal.accent2, 1.5f);
            } else {
                e = &dl.arrow({edgePoint(p, int(n), 0), edgePoint(p, int(n), 1)},
                              pal.muted.withAlpha(0.7f), 1.3f);
            }
            e->layer = -1;
            if (nodes[p].kind == DfKind::Switch)
                dl.text(edgePoint(p, int(n), 0.25f) + Vec2{4, 0}, o == 1 ? "T" : "F", pal.muted, 10,
                        HAlign::Left, VAlign::Middle);
        }
    // 3. Nodes: control-flow primitives in orange, the firing one highlighted.
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        const Rect& r = m_layout.boxes[n];
        const bool control = isControl(nodes[n].kind);
        const bool firing = fired && fired->node == int(n);
        const std::uint32_t id = kNodeId + std::uint32_t(n);
        const Color frameFill = mix(pal.panel, pal.accent, 0.12f);
        dl.box(r,
               firing                    ? pal.highlight
               : m_inFrame.count(int(n)) ? frameFill
                                         : pal.panel,
               control ? pal.accent2 : pal.panelBorder, nodes[n].kind == DfKind::Const ? 18 : 6,
               firing ? 3.0f : 1.5f, id);
        dl.text({r.x + r.w / 2, r.y + 13}, engine::dfKindName(nodes[n].kind), pal.foreground, 12,
                HAlign::Center, VAlign::Middle, id)
            .bold = true;
        dl.text({r.x + r.w / 2, r.y + 29}, nodes[n].name, pal.muted, 10, HAlign::Center,
                VAlign::Middle, id);
        ObjectInfo info;
        info.title = std::string(engine::dfKindName(nodes[n].kind)) + " · " + nodes[n].name;
        int count = 0;
        for (const auto& f : firings)
            count += f.node == int(n);
        info.facts.push_back({tr2(L, "fired", "触发次数"), std::to_string(count)});
        s.objects[id] = info;
    }
    // 4. Tokens waiting on edges after this firing: live ones show their value and tag.
    const std::vector<engine::DfEdgeToken> none;
    const auto& tokens = done ? none : fired ? fired->pending : none;
    std::map<std::pair<int, int>, int> stacked;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& e = tokens[i];
        const int k = stacked[{e.producer, e.consumer}]++;
        Vec2 at = nodes[e.producer].kind == DfKind::NextIteration
                      ? Vec2{std::max(m_layout.boxes[e.producer].x + m_layout.boxes[e.producer].w,
                                      m_layout.boxes[e.consumer].x + m_layout.boxes[e.consumer].w) +
                                 40,
                             (m_layout.boxes[e.producer].y + m_layout.boxes[e.consumer].y) / 2}
                      : edgePoint(e.producer, e.consumer, 0.55f);
        at = at + Vec2{float(k) * 10, float(k) * 10};
        const std::uint32_t id = kTokenId + std::uint32_t(i);
        const bool invariant = std::find(e.token.iterations.begin(), e.token.iterations.end(),
                                         -1) != e.token.iterations.end();
        const Color fill = e.token.dead ? pal.muted.withAlpha(0.5f)
                           : invariant  ? pal.accent.withAlpha(0.35f)
                                        : pal.accent;
        dl.circle(at, 11, fill, pal.foreground.withAlpha(0.6f), 1, id).layer = 3;
        Prim& v = dl.text(at, e.token.dead ? "✕" : fmtNum(e.token.value, 0), textOn(fill), 10,
                          HAlign::Center, VAlign::Middle, id);
        v.layer = 4;
        v.bold = true;
        dl.text(at + Vec2{14, 0}, e.token.tag(), pal.muted, 9, HAlign::Left, VAlign::Middle, id)
            .layer = 4;
        s.objects[id] = {e.token.dead ? tr2(L, "dead token", "死令牌") : tr2(L, "token", "令牌"),
                         {{tr2(L, "value", "数值"), fmtNum(e.token.value, 3)},
                          {tr2(L, "tag (frame:iteration)", "标签（帧:迭代）"), e.token.tag()},
                          {tr2(L, "from", "来自"), nodes[e.producer].name},
                          {tr2(L, "to", "去往"), nodes[e.consumer].name}},
                         {},
                         0,
                         0,
                         {},
                         0,
                         0,
                         {}};
    }
    // 5. Results and caption.
    Rect b = dl.bounds();
    std::string result;
    if (done)
        for (const auto& [n, t] : m_machine.results())
            result += (result.empty() ? "" : "   ") + nodes[n].name + " → " + fmtNum(t.value, 3);
    if (!result.empty())
        dl.text({b.x, b.y + b.h + 14}, std::string(tr2(L, "results: ", "结果：")) + result,
                pal.good, 14)
            .bold = true;
    if (frame == 0)
        s.caption = tr2(L, "The program as a dataflow graph: control flow is made of nodes too",
                        "程序表示成数据流图：控制流本身也是节点");
    else if (done)
        s.caption = std::string(tr2(L, "Finished after ", "执行结束，共触发 ")) +
                    std::to_string(nf) + tr2(L, " firings", " 次");
    else {
        std::string out;
        for (const auto& [o, t] : fired->produced)
            out += (out.empty() ? "" : ", ") + (t.dead ? std::string("✕") : fmtNum(t.value, 0)) +
                   "@" + t.tag();
        s.caption = std::string(tr2(L, "Firing ", "第 ")) + std::to_string(frame) + "/" +
                    std::to_string(nf) + tr2(L, ": ", " 次触发：") +
                    engine::dfKindName(nodes[fired->node].kind) + " \"" + nodes[fired->node].name +
                    "\" → " + (out.empty() ? "—" : out);
    }
    s.legend = {
        {pal.accent, tr2(L, "live token (value)", "活令牌（数值）")},
        {pal.muted.withAlpha(0.5f), tr2(L, "dead token (untaken branch)", "死令牌（未执行分支）")},
        {pal.accent.withAlpha(0.35f), tr2(L, "loop-invariant token", "循环不变令牌")},
        {pal.accent2, tr2(L, "control-flow node / back edge", "控制流节点 / 回边")},
        {pal.highlight, tr2(L, "node firing now", "正在触发的节点")}};
    return s;
}

} // namespace

LocalText ControlFlowLab::title() const {
    return {"Control flow as dataflow", "控制流的数据流表示"};
}

std::vector<ParamSpec> ControlFlowLab::params() const {
    return {
        {"program",
         ParamType::Choice,
         {"program", "程序"},
         0,
         0,
         {"cond", "while"},
         std::string("cond")},
        {"x", ParamType::Int, {"x (cond)", "x（条件）"}, -5, 5, {}, std::int64_t{3}},
        {"n", ParamType::Int, {"n (while)", "n（循环）"}, 0, 6, {}, std::int64_t{3}},
    };
}

std::unique_ptr<LabRun> ControlFlowLab::run(const ParamSet& p) const {
    if (p.getString("program", "cond") == "while")
        return std::make_unique<ControlFlowRun>(
            engine::makeWhileExample(static_cast<int>(p.getInt("n", 3))));
    return std::make_unique<ControlFlowRun>(
        engine::makeCondExample(static_cast<double>(p.getInt("x", 3))));
}

} // namespace aisys::lessons
