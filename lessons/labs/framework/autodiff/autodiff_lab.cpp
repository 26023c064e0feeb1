// Lab "autodiff": trace tables beside the example's graph, the backward graph, and the
// finite-difference error curve — every number from engine/autodiff.
#include "lessons/labs/framework/autodiff/autodiff_lab.h"

#include "engine/autodiff/reverse.h"
#include "engine/autodiff/trace_table.h"
#include "engine/graph/interpreter.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_drawing.h"
#include "viz/plot.h"

#include <cmath>
#include <map>

namespace aisys::lessons {

namespace {

using namespace viz;

engine::Tensor scalar(double v) {
    return engine::Tensor::f64({}, {v});
}

/// "ln x1", "x1 · x2", ... for a trace row.
std::string definition(const engine::TraceRow& r) {
    const auto& in = r.inputs;
    if (r.op == "Log")
        return "ln " + in[0];
    if (r.op == "Mul")
        return in[0] + " · " + in[1];
    if (r.op == "Sin")
        return "sin " + in[0];
    if (r.op == "Add")
        return in[0] + " + " + in[1];
    if (r.op == "Sub")
        return in[0] + " − " + in[1];
    return r.op;
}

/// The tangent rule written out: "ẋ1 / x1", "ẋ1·x2 + x1·ẋ2", ...
std::string tangentRule(const engine::TraceRow& r) {
    const auto& in = r.inputs;
    auto d = [](const std::string& v) { return "d" + v; };
    if (r.op == "Log")
        return d(in[0]) + " / " + in[0];
    if (r.op == "Mul")
        return d(in[0]) + "·" + in[1] + " + " + in[0] + "·" + d(in[1]);
    if (r.op == "Sin")
        return "cos(" + in[0] + ")·" + d(in[0]);
    if (r.op == "Add")
        return d(in[0]) + " + " + d(in[1]);
    if (r.op == "Sub")
        return d(in[0]) + " − " + d(in[1]);
    return "seed";
}

class AutodiffRun : public LabRun {
public:
    explicit AutodiffRun(const ParamSet& p) : m_graph(engine::courseExample()) {
        m_x1 = p.getFloat("x1", 2.0);
        m_x2 = p.getFloat("x2", 5.0);
        m_wrt = p.getString("wrt", "x1");
        const std::map<std::string, engine::Tensor> values = {{"x1", scalar(m_x1)},
                                                              {"x2", scalar(m_x2)}};
        m_forward = engine::forwardTrace(m_graph, values, {{m_wrt, scalar(1.0)}});
        m_reverse = engine::reverseTrace(m_graph, values, "v5");
        // The explicit backward graph, run by the interpreter (values on every edge).
        engine::BackwardGraph bg = engine::buildBackward(m_graph, {"v5"}, {"x1", "x2"});
        m_firstBackward = bg.firstBackwardNode;
        m_backward = std::make_unique<engine::Interpreter>(bg.graph);
        m_backward->setInput("x1", scalar(m_x1));
        m_backward->setInput("x2", scalar(m_x2));
        m_backward->run();
        // Finite differences through the same graph: f(x + h) − f(x) (forward) and
        // f(x + h) − f(x − h) (central) for h = 1e-16 … 1e-1.
        engine::Interpreter f(m_graph);
        auto eval = [&](double a, double b) {
            f.setInput("x1", scalar(a));
            f.setInput("x2", scalar(b));
            f.reset();
            f.run();
            return f.value("v5")->at(0);
        };
        const bool byX1 = m_wrt == "x1";
        for (const auto& row : m_reverse)
            if (row.name == m_wrt)
                m_exact = row.derivative.at(0);
        const double f0 = eval(m_x1, m_x2);
        for (int k = 0; k <= 60; ++k) {
            const double h = std::pow(10.0, -16.0 + 15.0 * k / 60.0);
            const double fp = byX1 ? eval(m_x1 + h, m_x2) : eval(m_x1, m_x2 + h);
            const double fm = byX1 ? eval(m_x1 - h, m_x2) : eval(m_x1, m_x2 - h);
            m_fdForward.push_back({h, std::abs((fp - f0) / h - m_exact)});
            m_fdCentral.push_back({h, std::abs((fp - fm) / (2 * h) - m_exact)});
        }
    }

    std::vector<Phase> phases() const override {
        return {{"forward", int(m_forward.size())},
                {"reverse", int(m_reverse.size())},
                {"backward-graph", 1},
                {"finite-diff", 1}};
    }

    Scene scene(int frame, const DrawOptions& opt) const override {
        const int nf = int(m_forward.size()), nr = int(m_reverse.size());
        if (frame < nf)
            return traceScene(m_forward, frame, true, opt);
        if (frame < nf + nr)
            return traceScene(m_reverse, frame - nf, false, opt);
        if (frame == nf + nr)
            return backwardScene(opt);
        return finiteDiffScene(opt);
    }

private:
    Scene traceScene(const std::vector<engine::TraceRow>& rows, int upto, bool forward,
                     const DrawOptions& opt) const;
    Scene backwardScene(const DrawOptions& opt) const;
    Scene finiteDiffScene(const DrawOptions& opt) const;

    engine::Graph m_graph;
    double m_x1 = 2, m_x2 = 5, m_exact = 0;
    std::string m_wrt;
    std::vector<engine::TraceRow> m_forward, m_reverse;
    std::unique_ptr<engine::Interpreter> m_backward;
    int m_firstBackward = 0;
    std::vector<std::pair<double, double>> m_fdForward, m_fdCentral;
};

Scene AutodiffRun::traceScene(const std::vector<engine::TraceRow>& rows, int upto, bool forward,
                              const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    // 1. The example's graph on the left: nodes fill in with value and derivative as their
    //    rows are reached (forward: inputs first; reverse: output first).
    const std::map<std::string, Vec2> pos = {
        {"x1", {40, 40}},   {"x2", {260, 40}}, {"v1", {0, 150}},  {"v2", {150, 150}},
        {"v3", {300, 150}}, {"v4", {75, 260}}, {"v5", {150, 370}}};
    std::map<std::string, int> reached;
    for (int i = 0; i <= upto && i < int(rows.size()); ++i)
        reached[rows[i].name] = i;
    const Color flow = forward ? pal.accent : pal.accent2;
    for (const auto& row : rows)
        for (const auto& in : row.inputs) {
            Vec2 a = pos.at(in) + Vec2{55, 44}, b = pos.at(row.name) + Vec2{55, 0};
            const bool active = reached.count(row.name) && reached.count(in);
            Prim& ar = forward ? dl.arrow({a, b}, active ? flow : pal.grid, active ? 2.0f : 1.2f)
                               : dl.arrow({b, a}, active ? flow : pal.grid, active ? 2.0f : 1.2f);
            ar.layer = -1;
        }
    for (const auto& row : rows) {
        const Vec2 p = pos.at(row.name);
        const bool on = reached.count(row.name) != 0;
        const bool now = on && reached.at(row.name) == upto;
        const std::uint32_t id = 10 + std::uint32_t(&row - rows.data());
        dl.box({p.x, p.y, 110, 44},
               now  ? pal.highlight
               : on ? pal.panel
                    : pal.background,
               row.op == "input" ? pal.accent : pal.panelBorder, 8, now ? 2.5f : 1.2f, id);
        dl.text({p.x + 55, p.y + 13},
                row.op == "input" ? row.name : row.name + " = " + definition(row), pal.foreground,
                11, HAlign::Center, VAlign::Middle, id)
            .bold = true;
        if (on)
            dl.text({p.x + 55, p.y + 31},
                    fmtNum(row.value.at(0), 3) + (forward ? "   d=" : "   ā=") +
                        fmtNum(row.derivative.at(0), 3),
                    flow, 10, HAlign::Center, VAlign::Middle, id);
    }
    // 2. The trace table on the right, one row per step.
    const float tx = 470, ty = 20;
    const char* dname = forward ? "tangent v̇ = dv/d" : "adjoint v̄ = ∂f/∂v";
    const char* dnameZh = forward ? "切线 v̇ = dv/d" : "伴随 v̄ = ∂f/∂v";
    std::string dcol = std::string(tr2(L, dname, dnameZh)) + (forward ? m_wrt : "");
    const float cols[] = {tx, tx + 60, tx + 170, tx + 260, tx + 470};
    dl.text({cols[0], ty}, "v", pal.muted, 12).bold = true;
    dl.text({cols[1], ty}, tr2(L, "definition", "定义"), pal.muted, 12).bold = true;
    dl.text({cols[2], ty}, tr2(L, "value", "数值"), pal.muted, 12).bold = true;
    dl.text({cols[3], ty},
            forward ? tr2(L, "tangent rule", "切线规则")
                    : tr2(L, "adjoint (sum over uses)", "伴随（对各用处求和）"),
            pal.muted, 12)
        .bold = true;
    dl.text({cols[4], ty}, dcol, pal.muted, 12).bold = true;
    for (int i = 0; i < int(rows.size()); ++i) {
        const auto& row = rows[i];
        const float y = ty + 26 + i * 28;
        const bool on = i <= upto;
        if (i == upto)
            dl.box({tx - 8, y - 6, 640, 26}, pal.highlight.withAlpha(0.6f), kNoColor, 4);
        const Color c = on ? pal.foreground : pal.grid;
        dl.text({cols[0], y}, row.name, c, 12).bold = true;
        dl.text({cols[1], y}, row.op == "input" ? tr2(L, "input", "输入") : definition(row), c, 12);
        dl.text({cols[2], y}, on ? fmtNum(row.value.at(0), 4) : "", c, 12);
        std::string rule;
        if (forward) {
            rule = row.op == "input" ? std::string(row.name == m_wrt ? "1 (seed)" : "0 (seed)")
                                     : tangentRule(row);
        } else if (i == 0) {
            rule = "1 (seed)";
        } else {
            for (const auto& user : rows) // every row that reads this value
                for (std::size_t k = 0; k < user.inputs.size(); ++k)
                    if (user.inputs[k] == row.name) {
                        std::string local = user.op == "Log"             ? "1/" + row.name
                                            : user.op == "Mul"           ? user.inputs[1 - k]
                                            : user.op == "Sin"           ? "cos " + row.name
                                            : user.op == "Sub" && k == 1 ? "(−1)"
                                                                         : "1";
                        rule += (rule.empty() ? "" : " + ") + user.name + "̄·" + local;
                    }
        }
        dl.text({cols[3], y}, on ? rule : "", c, 12);
        dl.text({cols[4], y}, on ? fmtNum(row.derivative.at(0), 6) : "", on ? flow : c, 12).bold =
            true;
    }
    const float by = ty + 26 + float(rows.size()) * 28 + 10;
    if (upto == int(rows.size()) - 1) {
        std::string res;
        if (forward)
            res = "f = " + fmtNum(rows.back().value.at(0), 6) + "   ∂f/∂" + m_wrt + " = " +
                  fmtNum(rows.back().derivative.at(0), 6) +
                  tr2(L, "   (one pass per input direction)", "   （每个输入方向一遍）");
        else {
            res = "∂f/∂x1 = ";
            for (const auto& r : rows)
                if (r.name == "x1")
                    res += fmtNum(r.derivative.at(0), 6);
            res += "   ∂f/∂x2 = ";
            for (const auto& r : rows)
                if (r.name == "x2")
                    res += fmtNum(r.derivative.at(0), 6);
            res +=
                tr2(L, "   (all inputs in one backward pass)", "   （一次反向传播得到全部输入）");
        }
        dl.text({tx, by}, res, flow, 13).bold = true;
    }
    s.caption = std::string(forward ? tr2(L, "Forward mode, row ", "前向模式，第 ")
                                    : tr2(L, "Reverse mode, row ", "反向模式，第 ")) +
                std::to_string(upto + 1) + "/" + std::to_string(rows.size()) + tr2(L, "", " 行") +
                " · x1 = " + fmtNum(m_x1, 2) + ", x2 = " + fmtNum(m_x2, 2);
    s.legend = {
        {pal.highlight, tr2(L, "row computed now", "当前计算的行")},
        {flow, forward ? tr2(L, "tangents flow forward with the values", "切线随数值向前传播")
                       : tr2(L, "adjoints flow backward from the output", "伴随从输出向后传播")}};
    return s;
}

Scene AutodiffRun::backwardScene(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    GraphPictureInput in;
    in.interp = m_backward.get();
    in.executed = int(m_backward->order().size());
    in.lang = L;
    in.theme = opt.theme;
    in.showValues = false;
    Scene s = drawGraph(in);
    // Tint the backward nodes so they stand apart from the forward ones.
    const Color tint = mix(pal.background, pal.accent2, 0.25f);
    for (auto& p : s.list.prims)
        if (p.kind == PrimKind::Box && p.id >= kNodeIdBase &&
            p.id < kNodeIdBase + m_backward->graph().nodes.size() &&
            int(p.id - kNodeIdBase) >= m_firstBackward)
            p.fill = tint;
    s.legend.insert(s.legend.begin(), {tint, tr2(L, "backward node (built from gradient rules)",
                                                 "反向节点（由梯度规则生成）")});
    s.caption =
        std::string(tr2(L, "The backward graph: ", "反向计算图：")) +
        std::to_string(m_firstBackward) + tr2(L, " forward nodes, ", " 个前向节点，") +
        std::to_string(m_backward->graph().nodes.size() - m_firstBackward) +
        tr2(L, " backward nodes, run by the same interpreter", " 个反向节点，由同一个解释器执行");
    return s;
}

Scene AutodiffRun::finiteDiffScene(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    PlotFrame plot({80, 30, 560, 340}, 1e-16, 1e-1, 1e-16, 1e2, true, true);
    plot.drawAxes(
        s.list, tr2(L, "step size h", "步长 h"),
        std::string(tr2(L, "error |finite difference − exact ∂f/∂", "误差 |有限差分 − 精确 ∂f/∂")) +
            m_wrt + "|",
        pal.muted, pal.grid, pal.muted);
    // Zero errors (exact hits) cannot be drawn on a log axis: clamp to the bottom.
    auto clamp = [](std::vector<std::pair<double, double>> v) {
        for (auto& [h, e] : v)
            e = std::max(e, 1.01e-16);
        return v;
    };
    plot.plotLine(s.list, clamp(m_fdForward), pal.category(0), 2.0f, 1);
    plot.plotLine(s.list, clamp(m_fdCentral), pal.category(1), 2.0f, 2);
    s.objects[1] = {tr2(L, "forward difference", "前向差分"),
                    {{tr2(L, "formula", "公式"), "(f(x+h) − f(x)) / h"},
                     {tr2(L, "truncation error", "截断误差"), "O(h)"}},
                    {},
                    0,
                    0,
                    {},
                    0,
                    0,
                    {}};
    s.objects[2] = {tr2(L, "central difference", "中心差分"),
                    {{tr2(L, "formula", "公式"), "(f(x+h) − f(x−h)) / 2h"},
                     {tr2(L, "truncation error", "截断误差"), "O(h²)"}},
                    {},
                    0,
                    0,
                    {},
                    0,
                    0,
                    {}};
    // Best step of each: where truncation and rounding error balance.
    auto best = [](const std::vector<std::pair<double, double>>& v) {
        auto b = v.front();
        for (const auto& p : v)
            if (p.second < b.second && p.second > 0)
                b = p;
        return b;
    };
    const auto bf = best(m_fdForward), bc = best(m_fdCentral);
    s.list.circle(plot.map(bf.first, std::max(bf.second, 1.01e-16)), 5, pal.category(0));
    s.list.circle(plot.map(bc.first, std::max(bc.second, 1.01e-16)), 5, pal.category(1));
    s.list.text({660, 60},
                std::string(tr2(L, "exact (reverse mode): ", "精确值（反向模式）：")) +
                    fmtNum(m_exact, 10),
                pal.foreground, 12);
    s.list.text({660, 84},
                std::string(tr2(L, "best forward difference: h ≈ ", "前向差分最佳：h ≈ ")) +
                    fmtSci(bf.first) + ", " + tr2(L, "error ", "误差 ") + fmtSci(bf.second),
                pal.category(0), 12);
    s.list.text({660, 108},
                std::string(tr2(L, "best central difference: h ≈ ", "中心差分最佳：h ≈ ")) +
                    fmtSci(bc.first) + ", " + tr2(L, "error ", "误差 ") + fmtSci(bc.second),
                pal.category(1), 12);
    s.list.text({660, 140},
                tr2(L, "Large h: truncation error (the slope).", "h 大：截断误差（直线的斜率）。"),
                pal.muted, 12);
    s.list.text({660, 160},
                tr2(L, "Small h: rounding error grows as ε/h.", "h 小：舍入误差按 ε/h 增大。"),
                pal.muted, 12);
    s.caption = tr2(L, "Finite differences against the exact derivative, in f64",
                    "有限差分与精确导数的对比（f64）");
    s.legend = {{pal.category(0), tr2(L, "forward difference", "前向差分")},
                {pal.category(1), tr2(L, "central difference", "中心差分")}};
    return s;
}

} // namespace

LocalText AutodiffLab::title() const {
    return {"Automatic differentiation", "自动微分"};
}

std::vector<ParamSpec> AutodiffLab::params() const {
    return {
        {"x1", ParamType::Float, {"x1", "x1"}, 0.2, 5, {}, 2.0},
        {"x2", ParamType::Float, {"x2", "x2"}, -6, 6, {}, 5.0},
        {"wrt",
         ParamType::Choice,
         {"forward mode: d/d", "前向模式：d/d"},
         0,
         0,
         {"x1", "x2"},
         std::string("x1")},
    };
}

std::unique_ptr<LabRun> AutodiffLab::run(const ParamSet& p) const {
    return std::make_unique<AutodiffRun>(p);
}

} // namespace aisys::lessons
