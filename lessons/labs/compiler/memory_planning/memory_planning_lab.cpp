// Lab "memory-planning": lifetime bars over the node order, buffer rows, and the peak memory.
#include "lessons/labs/compiler/memory_planning/memory_planning_lab.h"

#include "engine/compiler/passes/memory_plan.h"
#include "engine/models/zoo.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::lessons {

namespace {

using namespace aisys::engine;
using compiler::LiveInterval;
using compiler::MemoryPlan;

constexpr std::uint32_t kBarId = 1000; // + interval index
constexpr std::uint32_t kNodeId = 10;  // + position

/// The built-in inference graphs of the model zoo: "cnn", "residual" and "mlp".
Graph buildGraph(const std::string& kind, std::int64_t batch) {
    Graph g;
    if (kind == "cnn")
        g = models::smallCnn(batch);
    else if (kind == "residual")
        g = models::residualStack(batch);
    else if (kind == "mlp")
        g = models::mlp(batch);
    else
        throw std::invalid_argument("graph '" + kind + "': expected cnn, residual or mlp");
    inferShapes(g);
    return g;
}

class PlanRun : public LabRun {
public:
    PlanRun(Graph g, compiler::MemoryPlanOptions opt)
        : m_graph(std::move(g)), m_plan(compiler::planMemory(m_graph, opt)),
          m_noReuse(compiler::planMemory(m_graph, {false, false})) {}
    std::vector<Phase> phases() const override {
        return {{"lifetimes", 1}, {"buffers", 1}, {"peak", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    /// Node labels along the top; returns the x of position p's column centre.
    void axis(viz::Scene& s, Lang L, const viz::Palette& pal, float y) const;
    /// Column separators from y0 to y1.
    void columns(viz::Scene& s, const viz::Palette& pal, float y0, float y1) const {
        for (std::size_t p = 0; p <= m_plan.order.size(); ++p)
            s.list.line({colX(double(p)), y0}, {colX(double(p)), y1}, pal.grid, 0.75f).layer = -1;
    }
    float colX(double p) const { return 170.0f + float(p) * colW(); }
    float colW() const { return std::min(70.0f, 900.0f / float(m_plan.order.size() + 1)); }
    void bar(viz::Scene& s, Lang L, const viz::Palette& pal, std::size_t i, float y, float h,
             viz::Color c) const;
    void numbers(viz::Scene& s, Lang L, const viz::Palette& pal, float y) const;

    Graph m_graph;
    MemoryPlan m_plan, m_noReuse;
};

void PlanRun::axis(viz::Scene& s, Lang L, const viz::Palette& pal, float y) const {
    for (std::size_t p = 0; p < m_plan.order.size(); ++p) {
        const Node& n = m_graph.nodes[m_plan.order[p]];
        const float x = colX(double(p) + 0.5);
        s.list.text({x, y - (p % 2 ? 0.0f : 14.0f)}, n.name, pal.muted, 10, viz::HAlign::Center,
                    viz::VAlign::Bottom, kNodeId + std::uint32_t(p));
        viz::ObjectInfo o;
        o.title = n.name + " (" + n.op + ")";
        o.facts = {{tr2(L, "position", "执行位置"), std::to_string(p)},
                   {tr2(L, "bytes alive", "存活字节"), fmtBytes(double(m_plan.liveCurve[p]))}};
        s.objects[kNodeId + std::uint32_t(p)] = o;
    }
}

void PlanRun::bar(viz::Scene& s, Lang L, const viz::Palette& pal, std::size_t i, float y, float h,
                  viz::Color c) const {
    const LiveInterval& iv = m_plan.intervals[i];
    const std::size_t n = m_plan.order.size();
    const double end = std::min<double>(double(iv.end), double(n) - 1.0); // outputs: to the end
    const viz::Rect r{colX(iv.start + 0.1), y, colX(end + 0.9) - colX(iv.start + 0.1), h};
    const std::uint32_t id = kBarId + std::uint32_t(i);
    s.list.box(r, c, pal.panelBorder, 2, 0.75f, id);
    const std::string& name = m_graph.values[iv.value].name;
    if (r.w > 40 && h >= 11)
        s.list.text({r.x + 4, r.y + h / 2}, name, textOn(c), std::min(11.0f, h - 2),
                    viz::HAlign::Left, viz::VAlign::Middle, id);
    viz::ObjectInfo o;
    o.title = name;
    o.facts = {
        {tr2(L, "bytes", "字节"), fmtBytes(double(iv.bytes))},
        {tr2(L, "lifetime", "生命周期"),
         "[" + std::to_string(iv.start) + ", " +
             (iv.end >= int(n) ? std::string(tr2(L, "output", "输出")) : std::to_string(iv.end)) +
             "]"},
        {tr2(L, "buffer", "缓冲区"), "#" + std::to_string(iv.buffer)},
        {tr2(L, "offset in arena", "在内存池中的偏移"), fmtBytes(double(iv.offset))}};
    if (iv.inPlaceOf >= 0)
        o.facts.push_back({tr2(L, "in place of", "原地复用"), m_graph.values[iv.inPlaceOf].name});
    s.objects[id] = o;
}

void PlanRun::numbers(viz::Scene& s, Lang L, const viz::Palette& pal, float y) const {
    auto row = [&](const std::string& k, const std::string& v, viz::Color c) {
        s.list.text({170, y}, k, pal.muted, 12);
        s.list.text({560, y}, v, c, 12).bold = true;
        y += 19;
    };
    row(tr2(L, "every value in its own buffer", "每个值独占一个缓冲区"),
        fmtBytes(double(m_noReuse.arenaBytes)), pal.bad);
    row(tr2(L, "interpreter, measured after each node (dead values freed, inputs too)",
            "解释器：每个节点执行后测量（已释放死亡值，含输入）"),
        fmtBytes(double(m_plan.naturalPeakBytes)), pal.foreground);
    row(tr2(L, "planned arena (buffers end to end)", "规划后的内存池（缓冲区首尾相接）"),
        fmtBytes(double(m_plan.arenaBytes)), pal.good);
    row(tr2(L, "lower bound: max bytes alive at once", "下界：同时存活的最大字节数"),
        fmtBytes(double(m_plan.maxLiveBytes)), pal.muted);
    row(tr2(L, "buffers · in-place reuses", "缓冲区数 · 原地复用次数"),
        std::to_string(m_plan.buffers.size()) + " · " + std::to_string(m_plan.inPlaceCount),
        pal.foreground);
}

viz::Scene PlanRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    const Lang L = opt.lang;
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    std::size_t maxBytes = 1;
    for (const auto& iv : m_plan.intervals)
        maxBytes = std::max(maxBytes, iv.bytes);
    auto height = [&](std::size_t b) { return 8.0f + 26.0f * float(b) / float(maxBytes); };
    const float top = 80;
    axis(s, L, pal, top);
    float y = top + 12;
    if (frame == 0) {
        // 1. One row per value, bar height ∝ bytes.
        for (std::size_t i = 0; i < m_plan.intervals.size(); ++i) {
            const float h = height(m_plan.intervals[i].bytes);
            bar(s, L, pal, i, y, h, pal.category(i).withAlpha(0.85f));
            y += h + 4;
        }
        columns(s, pal, top + 4, y);
        s.caption = tr2(L, "Lifetimes: each activation lives from its producer to its last reader",
                        "生命周期：每个激活从生产者活到最后一个读者");
    } else if (frame == 1) {
        // 2. One row per buffer: values whose lifetimes do not overlap share it.
        for (const auto& b : m_plan.buffers) {
            const float h = height(b.bytes);
            dl.text({160, y + h / 2}, "#" + std::to_string(b.id) + "  " + fmtBytes(double(b.bytes)),
                    pal.foreground, 11, HAlign::Right, VAlign::Middle);
            dl.box({colX(0), y, colX(double(m_plan.order.size())) - colX(0), h}, pal.panel,
                   kNoColor, 0, 0);
            for (std::size_t i = 0; i < m_plan.intervals.size(); ++i)
                if (m_plan.intervals[i].buffer == b.id) {
                    // Height: the value's share of its buffer.
                    const float vh = h * float(m_plan.intervals[i].bytes) / float(b.bytes);
                    bar(s, L, pal, i, y + h - std::max(6.0f, vh), std::max(6.0f, vh),
                        pal.category(std::size_t(b.id)).withAlpha(0.85f));
                }
            y += h + 6;
        }
        columns(s, pal, top + 4, y);
        s.caption = std::string(tr2(L, "Buffers: ", "缓冲区：")) +
                    std::to_string(m_plan.intervals.size()) +
                    tr2(L, " values share ", " 个值共用 ") + std::to_string(m_plan.buffers.size()) +
                    tr2(L, " buffers", " 个缓冲区");
    } else {
        // 3. Bytes alive at each position, and the totals.
        std::size_t peak = std::max<std::size_t>(1, m_noReuse.arenaBytes);
        const float ph = 220;
        const float base = y + ph;
        dl.line({colX(0), base}, {colX(double(m_plan.order.size())), base}, pal.muted, 1);
        for (std::size_t p = 0; p < m_plan.liveCurve.size(); ++p) {
            const float h = ph * float(m_plan.liveCurve[p]) / float(peak);
            dl.box({colX(p + 0.15), base - h, colW() * 0.7f, h}, pal.accent.withAlpha(0.7f),
                   kNoColor, 0, 0, kNodeId + std::uint32_t(p));
        }
        for (auto [bytes, col, label] :
             {std::tuple{m_noReuse.arenaBytes, pal.bad, tr2(L, "no reuse", "不复用")},
              std::tuple{m_plan.arenaBytes, pal.good, tr2(L, "planned arena", "规划后")}}) {
            const float yy = base - ph * float(bytes) / float(peak);
            dl.line({colX(0), yy}, {colX(double(m_plan.order.size())), yy}, col, 2).dashed = true;
            dl.text({colX(double(m_plan.order.size())) + 6, yy},
                    label + std::string(" ") + fmtBytes(double(bytes)), col, 11, HAlign::Left,
                    VAlign::Middle);
        }
        dl.text({160, base - ph / 2}, tr2(L, "bytes alive", "存活字节"), pal.muted, 11,
                HAlign::Right, VAlign::Middle);
        y = base + 30;
        numbers(s, L, pal, y);
        s.caption = std::string(tr2(L, "Peak memory: ", "峰值内存：")) +
                    fmtBytes(double(m_noReuse.arenaBytes)) + " → " +
                    fmtBytes(double(m_plan.arenaBytes));
        s.legend = {{pal.accent, tr2(L, "bytes alive at each node", "每个节点处的存活字节")},
                    {pal.bad, tr2(L, "every value its own buffer", "每个值独占缓冲区")},
                    {pal.good, tr2(L, "planned arena", "规划后的内存池")}};
        return s;
    }
    numbers(s, L, pal, y + 24);
    s.legend = {{pal.category(0), frame == 0 ? tr2(L, "one activation: producer → last reader",
                                                   "一个激活：生产者 → 最后一个读者")
                                             : tr2(L, "one row = one buffer; colour = buffer",
                                                   "一行 = 一个缓冲区；颜色 = 缓冲区")},
                {pal.panelBorder, tr2(L, "bar height ∝ bytes", "横条高度 ∝ 字节数")}};
    return s;
}

} // namespace

LocalText MemoryPlanningLab::title() const {
    return {"Memory planning", "内存规划"};
}

std::vector<ParamSpec> MemoryPlanningLab::params() const {
    return {
        {"graph",
         ParamType::Choice,
         {"network", "网络"},
         0,
         0,
         {"cnn", "residual", "mlp"},
         std::string("cnn")},
        {"batch", ParamType::Int, {"batch", "批大小"}, 1, 16, {}, std::int64_t{1}},
        {"inplace",
         ParamType::Bool,
         {"in-place element-wise ops", "逐元素算子原地计算"},
         0,
         1,
         {},
         true},
        {"reuse", ParamType::Bool, {"share buffers", "缓冲区复用"}, 0, 1, {}, true},
    };
}

std::unique_ptr<LabRun> MemoryPlanningLab::run(const ParamSet& p) const {
    compiler::MemoryPlanOptions opt;
    opt.inPlace = p.getBool("inplace", true);
    opt.reuse = p.getBool("reuse", true);
    return std::make_unique<PlanRun>(buildGraph(p.getString("graph", "cnn"), p.getInt("batch", 1)),
                                     opt);
}

} // namespace aisys::lessons
