// Lab "scheduling": the graph (states per event), the ready queue and a Gantt chart per worker.
#include "lessons/labs/framework/scheduling/scheduling_lab.h"

#include "engine/graph/interpreter.h"
#include "engine/sched/list_scheduler.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/framework/scheduling/example_graphs.h"
#include "viz/layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace aisys::lessons {

namespace {

using namespace viz;

constexpr std::uint32_t kNodeId = 1000; // + task
constexpr std::uint32_t kBarId = 3000;  // + task

class SchedulingRun : public LabRun {
public:
    SchedulingRun(engine::Graph g, const ParamSet& p);
    std::vector<Phase> phases() const override {
        return {{"graph", 1}, {"schedule", int(m_sched.snapshots.size())}, {"done", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override;

private:
    void drawGraph(Scene& s, const Palette& pal, Lang L, const std::vector<int>& state,
                   const std::vector<int>& worker) const;
    Rect drawQueue(Scene& s, const Palette& pal, Lang L, Vec2 at,
                   const std::vector<int>& ready) const;
    Rect drawGantt(Scene& s, const Palette& pal, Lang L, Vec2 at, double now, bool all) const;

    engine::Graph m_graph;
    std::vector<engine::SchedTask> m_tasks;
    engine::Schedule m_sched;
    int m_workers = 1;
    bool m_eager = false;
    std::vector<bool> m_critical;
    LayoutResult m_layout;
};

SchedulingRun::SchedulingRun(engine::Graph g, const ParamSet& p) : m_graph(std::move(g)) {
    // 1. Run the graph once: the trace gives every node's FLOPs and bytes.
    engine::Interpreter ip(m_graph);
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-1, 1);
    for (int id : ip.graph().inputs) {
        const auto& v = ip.graph().values[id];
        std::vector<float> data(static_cast<std::size_t>(engine::numElements(v.shape)));
        for (auto& x : data)
            x = u(rng);
        ip.setInput(v.name, engine::Tensor::f32(v.shape, data));
    }
    ip.run();
    m_graph = ip.graph();
    // 2. Price each node as roofline time on a toy device (16 FLOP and 4 bytes per unit, so
    //    the ridge is 4 FLOP/byte), scaled so the largest node takes 10 units.
    std::vector<double> raw(m_graph.nodes.size(), 0);
    for (const auto& rec : ip.trace().records)
        raw[rec.node] = std::max(rec.flops / 16.0, double(rec.bytesRead + rec.bytesWritten) / 4.0);
    const double top = std::max(1e-9, *std::max_element(raw.begin(), raw.end()));
    m_eager = p.getString("mode", "graph") == "eager";
    const double overhead = m_eager ? p.getFloat("overhead", 1.0) : 0.0;
    for (std::size_t n = 0; n < m_graph.nodes.size(); ++n) {
        engine::SchedTask t;
        t.name = m_graph.nodes[n].name;
        t.cost = std::max(0.2, std::round(raw[n] / top * 100.0) / 10.0);
        for (int v : m_graph.nodes[n].inputs)
            if (v >= 0 && m_graph.values[v].producer >= 0)
                t.deps.push_back(m_graph.values[v].producer);
        m_tasks.push_back(std::move(t));
    }
    // 3. Eager: the framework issues ops one by one in program order, paying a dispatch cost
    //    each; graph mode hands the whole DAG to W workers.
    m_workers = m_eager ? 1 : int(p.getInt("workers", 2));
    const auto policy = p.getString("policy", "critical-path") == "fifo"
                            ? engine::SchedPolicy::Fifo
                            : engine::SchedPolicy::CriticalPathFirst;
    m_sched = engine::listSchedule(m_tasks, m_workers, m_eager ? engine::SchedPolicy::Fifo : policy,
                                   overhead);
    m_critical.assign(m_tasks.size(), false);
    for (int t : m_sched.criticalPath)
        m_critical[t] = true;
    std::vector<LayoutNode> nodes(m_tasks.size(), LayoutNode{104, 40});
    std::vector<LayoutEdge> edges;
    for (std::size_t t = 0; t < m_tasks.size(); ++t)
        for (int d : m_tasks[t].deps)
            edges.push_back({d, int(t)});
    m_layout = layeredLayout(nodes, edges, {34, 18, LayoutDirection::TopToBottom});
}

void SchedulingRun::drawGraph(Scene& s, const Palette& pal, Lang L, const std::vector<int>& state,
                              const std::vector<int>& worker) const {
    // state: 0 waiting, 1 ready, 2 running, 3 done.
    DisplayList& dl = s.list;
    for (std::size_t t = 0; t < m_tasks.size(); ++t)
        for (int d : m_tasks[t].deps) {
            const Rect& a = m_layout.boxes[d];
            const Rect& b = m_layout.boxes[t];
            const bool crit = m_critical[t] && m_critical[d];
            Prim& ar = dl.arrow({{a.x + a.w / 2, a.y + a.h}, {b.x + b.w / 2, b.y}},
                                crit ? pal.bad.withAlpha(0.8f) : pal.muted.withAlpha(0.6f),
                                crit ? 2.5f : 1.2f);
            ar.layer = -1;
        }
    const Color doneFill = mix(pal.background, pal.good, 0.25f);
    for (std::size_t t = 0; t < m_tasks.size(); ++t) {
        const Rect& r = m_layout.boxes[t];
        const int st = state[t];
        Color fill = st == 3 ? doneFill : st == 2 ? pal.highlight : pal.panel;
        Color stroke = st == 1 ? pal.accent : m_critical[t] ? pal.bad : pal.panelBorder;
        const std::uint32_t id = kNodeId + std::uint32_t(t);
        dl.box(r, fill, stroke, 6, st == 1 || st == 2 ? 2.5f : 1.2f, id);
        const auto& node = m_graph.nodes[t];
        dl.text({r.x + r.w / 2, r.y + 13}, node.op, pal.foreground, 12, HAlign::Center,
                VAlign::Middle, id)
            .bold = true;
        std::string sub = node.name + " · " + fmtNum(m_tasks[t].cost, 1);
        if (st == 2 && worker[t] >= 0)
            sub += " · W" + std::to_string(worker[t]);
        dl.text({r.x + r.w / 2, r.y + 29}, sub, pal.muted, 10, HAlign::Center, VAlign::Middle, id);
        ObjectInfo info;
        info.title = node.op + " · " + node.name;
        info.facts = {{tr2(L, "cost", "耗时"), fmtNum(m_tasks[t].cost, 1)},
                      {tr2(L, "longest path to the end", "到终点的最长路径"),
                       fmtNum(m_sched.upwardRank[t], 1)},
                      {tr2(L, "on the critical path", "在关键路径上"),
                       m_critical[t] ? tr2(L, "yes", "是") : tr2(L, "no", "否")},
                      {tr2(L, "ran", "执行时间"),
                       fmtNum(m_sched.slots[t].start, 1) + " → " + fmtNum(m_sched.slots[t].end, 1)},
                      {tr2(L, "worker", "执行单元"), std::to_string(m_sched.slots[t].worker)}};
        s.objects[id] = info;
    }
}

Rect SchedulingRun::drawQueue(Scene& s, const Palette& pal, Lang L, Vec2 at,
                              const std::vector<int>& ready) const {
    DisplayList& dl = s.list;
    dl.text(at, tr2(L, "Ready queue", "就绪队列"), pal.foreground, 13).bold = true;
    float x = at.x, y = at.y + 22;
    if (ready.empty())
        dl.text({x, y + 6}, tr2(L, "(empty)", "（空）"), pal.muted, 11);
    for (int t : ready) {
        Rect r{x, y, 84, 26};
        dl.box(r, pal.panel, pal.accent, 5, 1.5f, kNodeId + std::uint32_t(t));
        dl.text(r.center(), m_graph.nodes[t].name, pal.foreground, 11, HAlign::Center,
                VAlign::Middle, kNodeId + std::uint32_t(t));
        x += 90;
    }
    return {at.x, at.y, std::max(200.0f, x - at.x), 52};
}

Rect SchedulingRun::drawGantt(Scene& s, const Palette& pal, Lang L, Vec2 at, double now,
                              bool all) const {
    DisplayList& dl = s.list;
    const float width = 560, rowH = 30, labelW = 70;
    const double span = std::max(1e-9, m_sched.makespan);
    const float k = width / float(span);
    dl.text(at, tr2(L, "Timeline (Gantt chart)", "时间线（甘特图）"), pal.foreground, 13).bold =
        true;
    const float top = at.y + 24;
    for (int w = 0; w < m_workers; ++w) {
        const float y = top + w * (rowH + 6);
        dl.text({at.x + labelW - 8, y + rowH / 2},
                m_eager ? std::string(tr2(L, "eager", "逐个执行"))
                        : std::string(tr2(L, "worker ", "执行单元 ")) + std::to_string(w),
                pal.muted, 11, HAlign::Right, VAlign::Middle);
        dl.box({at.x + labelW, y, width, rowH}, pal.panel, kNoColor, 3);
    }
    std::map<std::string, int> opColor;
    for (std::size_t t = 0; t < m_tasks.size(); ++t) {
        const auto& slot = m_sched.slots[t];
        if (!all && slot.start > now + 1e-9)
            continue;
        const auto& op = m_graph.nodes[t].op;
        const int ci = opColor.emplace(op, int(opColor.size())).first->second;
        const float y = top + slot.worker * (rowH + 6);
        const float x0 = at.x + labelW + float(slot.start) * k;
        const float x1 = at.x + labelW + float(slot.end) * k;
        const float xs = all ? x1 : at.x + labelW + float(std::min(slot.end, now)) * k;
        const std::uint32_t id = kBarId + std::uint32_t(t);
        const Color c = pal.category(std::size_t(ci));
        dl.box({x0, y + 2, std::max(1.0f, x1 - x0), rowH - 4}, c.withAlpha(0.3f),
               m_critical[t] ? pal.bad : c, 3, m_critical[t] ? 2.0f : 1.0f, id);
        dl.box({x0, y + 2, std::max(1.0f, xs - x0), rowH - 4}, c.withAlpha(0.85f), kNoColor, 3, 0,
               id);
        if (x1 - x0 > 34)
            dl.text({(x0 + x1) / 2, y + rowH / 2}, m_graph.nodes[t].name, textOn(c), 10,
                    HAlign::Center, VAlign::Middle, id);
        s.objects[id] = {m_graph.nodes[t].op + " · " + m_graph.nodes[t].name,
                         {{tr2(L, "start", "开始"), fmtNum(slot.start, 1)},
                          {tr2(L, "end", "结束"), fmtNum(slot.end, 1)},
                          {tr2(L, "worker", "执行单元"), std::to_string(slot.worker)}},
                         {},
                         0,
                         0,
                         {},
                         0,
                         0,
                         {}};
    }
    const float bottom = top + m_workers * (rowH + 6);
    // Axis with about six ticks at a round step.
    const double raw = span / 6;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 2 ? mag : raw / mag < 5 ? 2 * mag : 5 * mag;
    dl.line({at.x + labelW, bottom}, {at.x + labelW + width, bottom}, pal.muted, 1);
    for (double t = 0; t <= span + 1e-9; t += step) {
        const float x = at.x + labelW + float(t) * k;
        dl.line({x, bottom}, {x, bottom + 4}, pal.muted, 1);
        dl.text({x, bottom + 6}, fmtNum(t, step < 1 ? 1 : 0), pal.muted, 10, HAlign::Center);
    }
    if (!all) {
        const float x = at.x + labelW + float(now) * k;
        dl.line({x, top - 4}, {x, bottom + 2}, pal.accent2, 2);
    }
    return {at.x, at.y, labelW + width, bottom + 20 - at.y};
}

Scene SchedulingRun::scene(int frame, const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    const int events = int(m_sched.snapshots.size());
    const bool graphOnly = frame == 0;
    const bool done = frame > events;
    const engine::SchedSnapshot* snap =
        graphOnly ? nullptr : &m_sched.snapshots[std::min(frame - 1, events - 1)];
    std::vector<int> state(m_tasks.size(), 0), worker(m_tasks.size(), -1);
    if (snap) {
        for (int t : snap->done)
            state[t] = 3;
        for (int t : snap->ready)
            state[t] = 1;
        for (std::size_t w = 0; w < snap->running.size(); ++w)
            if (snap->running[w] >= 0) {
                state[snap->running[w]] = 2;
                worker[snap->running[w]] = int(w);
            }
    } else {
        for (std::size_t t = 0; t < m_tasks.size(); ++t)
            if (m_tasks[t].deps.empty())
                state[t] = 1;
    }
    drawGraph(s, pal, L, state, worker);
    Rect g = s.list.bounds();
    const Vec2 right{g.x + g.w + 60, g.y};
    Rect q = drawQueue(s, pal, L, right, snap ? snap->ready : std::vector<int>{});
    const double now = done ? m_sched.makespan : snap ? snap->time : 0;
    Rect gantt = drawGantt(s, pal, L, {right.x, q.y + q.h + 24}, now, done);
    // Numbers that tell the story.
    const double speedup = m_sched.totalWork / std::max(1e-9, m_sched.makespan);
    std::string facts =
        std::string(tr2(L, "time ", "时间 ")) + fmtNum(now, 1) + " / " +
        fmtNum(m_sched.makespan, 1) + tr2(L, "   ·   total work ", "   ·   总工作量 ") +
        fmtNum(m_sched.totalWork, 1) + tr2(L, "   ·   critical path ", "   ·   关键路径 ") +
        fmtNum(m_sched.criticalLength, 1);
    s.list.text({right.x, gantt.y + gantt.h + 14}, facts, pal.foreground, 12);
    s.list.text({right.x, gantt.y + gantt.h + 34},
                std::string(tr2(L, "speed-up ", "加速比 ")) + fmtNum(speedup, 2) + "×" +
                    tr2(L, " on ", "，") + std::to_string(m_workers) +
                    tr2(L, " worker(s); the critical path bounds it at ",
                        " 个执行单元；关键路径给出的上限为 ") +
                    fmtNum(m_sched.totalWork / std::max(1e-9, m_sched.criticalLength), 2) + "×",
                pal.muted, 12);
    if (graphOnly)
        s.caption = tr2(L, "The graph as a DAG of tasks; red marks the critical path",
                        "把计算图看作任务的有向无环图；红色标出关键路径");
    else if (done)
        s.caption = std::string(tr2(L, "Done after ", "完成，用时 ")) +
                    fmtNum(m_sched.makespan, 1) + tr2(L, " units", " 单位");
    else {
        std::string started;
        for (int t : snap->started)
            started += (started.empty() ? "" : ", ") + m_graph.nodes[t].name;
        s.caption = std::string(tr2(L, "t = ", "t = ")) + fmtNum(snap->time, 1) + " · " +
                    (snap->done.size() == m_tasks.size()
                         ? std::string(tr2(L, "every task has finished", "所有任务已完成"))
                     : started.empty() ? std::string(tr2(L, "waiting for a worker", "等待执行单元"))
                                       : std::string(tr2(L, "start: ", "开始：")) + started);
    }
    s.legend = {{pal.panel, tr2(L, "waiting for inputs", "等待输入")},
                {pal.accent, tr2(L, "ready (in the queue)", "就绪（在队列中）")},
                {pal.highlight, tr2(L, "running", "执行中")},
                {mix(pal.background, pal.good, 0.25f), tr2(L, "done", "已完成")},
                {pal.bad, tr2(L, "critical path", "关键路径")}};
    return s;
}

} // namespace

LocalText SchedulingLab::title() const {
    return {"Graph scheduling", "计算图调度"};
}

std::vector<ParamSpec> SchedulingLab::params() const {
    return {
        {"graph",
         ParamType::Choice,
         {"graph", "计算图"},
         0,
         0,
         schedulingGraphNames(),
         std::string("inception")},
        {"mode",
         ParamType::Choice,
         {"execution", "执行方式"},
         0,
         0,
         {"graph", "eager"},
         std::string("graph")},
        {"workers",
         ParamType::Int,
         {"workers (graph mode)", "执行单元数（图模式）"},
         1,
         4,
         {},
         std::int64_t{2}},
        {"policy",
         ParamType::Choice,
         {"ready-queue order", "就绪队列顺序"},
         0,
         0,
         {"critical-path", "fifo"},
         std::string("critical-path")},
        {"overhead",
         ParamType::Float,
         {"dispatch cost per op (eager)", "每个算子的调度开销（逐个执行）"},
         0,
         3,
         {},
         1.0},
    };
}

std::unique_ptr<LabRun> SchedulingLab::run(const ParamSet& p) const {
    return std::make_unique<SchedulingRun>(buildSchedulingGraph(p.getString("graph", "inception")),
                                           p);
}

} // namespace aisys::lessons
