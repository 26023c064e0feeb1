// Lab "eager-graph": program listing + growing tape, the captured graph, traced vs guarded,
// and the graph break.
#include "lessons/labs/framework/eager_graph/eager_graph_lab.h"

#include "engine/eager/functions.h"
#include "engine/eager/tape.h"
#include "engine/graph/interpreter.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_drawing.h"
#include "lessons/labs/framework/eager_graph/graph_break.h"

#include <cmath>
#include <random>

namespace aisys::lessons {

namespace {

using namespace viz;
namespace eg = engine::eager;

/// The program, as a student would write it in a Python framework.
const std::vector<std::string> kProgram = {
    "def f(x):", "    h = W @ x + b", "    if h.sum() > 0:", "        y = relu(h)",
    "    else:", "        y = -h",    "    return y * 2",
};

/// One eager run: the tape, the branch taken, the result.
struct EagerRun {
    std::unique_ptr<eg::Tape> tape = std::make_unique<eg::Tape>();
    bool positive = false;
    double hsum = 0;
    eg::Tensor y;
};

EagerRun runEagerly(const engine::Tensor& W, const engine::Tensor& b, const engine::Tensor& x) {
    EagerRun r;
    eg::Tensor tx = r.tape->input("x", x);
    eg::Tensor tW = r.tape->parameter("W", W);
    eg::Tensor tb = r.tape->parameter("b", b);
    eg::Tensor h = eg::matmul(tW, tx) + tb;
    r.hsum = eg::sum(h).item(); // a Python `if` reads a value: the tape records the Sum
    r.positive = r.hsum > 0;
    eg::Tensor y = r.positive ? eg::relu(h) : -h;
    r.y = y * 2.0;
    return r;
}

std::vector<float> seeded(std::mt19937& rng, int n) {
    std::uniform_int_distribution<int> d(-9, 9);
    std::vector<float> v(n);
    for (auto& x : v)
        x = float(d(rng)) / 10.0f;
    return v;
}

class EagerGraphRun : public LabRun {
public:
    explicit EagerGraphRun(const ParamSet& p) {
        std::mt19937 rng(static_cast<unsigned>(p.getInt("seed", 4)));
        m_W = engine::Tensor::f32({3, 4}, seeded(rng, 12));
        m_b = engine::Tensor::f32({3}, seeded(rng, 3));
        m_x = engine::Tensor::f32({4}, seeded(rng, 4));
        m_eager = runEagerly(m_W, m_b, m_x);
        // A second input that flips the branch. h.sum() = wᵀx + c with w the column sums of W
        // and c = Σb, so x' = x − 2.5·s(x)·w/|w|² gives s(x') = −1.5·s(x): the other branch.
        {
            std::vector<float> w(4, 0.0f);
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 4; ++c)
                    w[c] += m_W.data<float>()[r * 4 + c];
            float ww = 0;
            for (float v : w)
                ww += v * v;
            if (ww > 1e-6f) {
                std::vector<float> v(4);
                const float t = -2.5f * float(m_eager.hsum) / ww;
                for (int i = 0; i < 4; ++i)
                    v[i] = std::round((m_x.data<float>()[i] + t * w[i]) * 100.0f) / 100.0f;
                engine::Tensor x2 = engine::Tensor::f32({4}, v);
                EagerRun probe = runEagerly(m_W, m_b, x2);
                if (probe.positive != m_eager.positive) {
                    m_x2 = x2;
                    m_eager2 = std::move(probe);
                }
            }
        }
        m_flipped = m_x2.valid();
        // Trace: capture the tape of the first run; run that graph on both inputs.
        m_traced = std::make_unique<engine::Interpreter>(m_eager.tape->capture({m_eager.y}));
        m_traced->setInput("x", m_x);
        m_traced->run();
        m_tracedY1 = *m_traced->value(m_eager.y.name());
        if (m_flipped) {
            engine::Interpreter again(m_eager.tape->capture({m_eager.y}));
            again.setInput("x", m_x2);
            again.run();
            m_tracedY2 = *again.value(m_eager.y.name());
            // Guarded capture: the branch condition is checked first; it fails for x2, so the
            // program is traced again for that input and the new graph runs.
            m_retraced =
                std::make_unique<engine::Interpreter>(m_eager2.tape->capture({m_eager2.y}));
            m_retraced->setInput("x", m_x2);
            m_retraced->run();
        }
        // Dynamo's graph break: graph 1, Python's if, graph 2 (for x and, if found, for x').
        m_break = runWithGraphBreak(m_W, m_b, m_x);
        if (m_flipped)
            m_break2 = runWithGraphBreak(m_W, m_b, m_x2);
    }

    std::vector<Phase> phases() const override {
        return {{"eager", int(m_eager.tape->records().size()) + 1},
                {"graph", 1},
                {"retrace", 1},
                {"guard", 1},
                {"graph-break", 1}};
    }

    Scene scene(int frame, const DrawOptions& opt) const override {
        const int ne = int(m_eager.tape->records().size()) + 1;
        if (frame < ne)
            return eagerScene(frame, opt);
        if (frame == ne)
            return graphScene(*m_traced, opt, false);
        if (frame == ne + 1)
            return retraceScene(opt);
        if (frame == ne + 2)
            return guardScene(opt);
        return drawGraphBreak(m_break, m_eager.y.value(), m_flipped ? &m_break2 : nullptr,
                              m_flipped ? &m_eager2.y.value() : nullptr, opt);
    }

private:
    Scene eagerScene(int step, const DrawOptions& opt) const;
    Scene graphScene(const engine::Interpreter& ip, const DrawOptions& opt, bool second) const;
    Scene retraceScene(const DrawOptions& opt) const;
    Scene guardScene(const DrawOptions& opt) const;
    void drawProgram(DisplayList& dl, const Palette& pal, int line, bool positive) const;
    static std::string vec(const engine::Tensor& t) {
        std::string s = "[";
        for (std::int64_t i = 0; i < t.numel(); ++i)
            s += (i ? ", " : "") + fmtNum(t.at(i), 2);
        return s + "]";
    }

    engine::Tensor m_W, m_b, m_x, m_x2, m_tracedY1, m_tracedY2;
    EagerRun m_eager, m_eager2;
    bool m_flipped = false;
    std::unique_ptr<engine::Interpreter> m_traced, m_retraced;
    GraphBreakRun m_break, m_break2;
};

void EagerGraphRun::drawProgram(DisplayList& dl, const Palette& pal, int line,
                                bool positive) const {
    dl.box({-10, -10, 300, float(kProgram.size()) * 24 + 16}, pal.panel, pal.panelBorder, 6);
    for (int i = 0; i < int(kProgram.size()); ++i) {
        const bool skipped = (positive && (i == 4 || i == 5)) || (!positive && i == 3);
        if (i == line)
            dl.box({-6, float(i) * 24 - 3, 292, 22}, pal.highlight, kNoColor, 4);
        Prim& t = dl.text({0, float(i) * 24}, kProgram[i],
                          skipped ? pal.muted.withAlpha(0.5f) : pal.foreground, 13);
        (void)t;
    }
}

Scene EagerGraphRun::eagerScene(int step, const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    const auto& recs = m_eager.tape->records();
    // Which program line produced record k: matmul/add → 1, sum → 2, branch → 3 or 5, mul → 6.
    auto lineOf = [&](int k) {
        const std::string& op = recs[k].op;
        if (op == "MatMul" || (op == "Add" && k <= 1))
            return 1;
        if (op == "ReduceSum")
            return 2;
        if (op == "Relu")
            return 3;
        if (op == "Neg")
            return 5;
        return 6;
    };
    drawProgram(s.list, pal, step == 0 ? 0 : lineOf(step - 1), m_eager.positive);
    // The tape: one row per recorded op with its output value.
    const float tx = 340;
    s.list
        .text({tx, -10}, tr2(L, "Tape (recorded as the ops run)", "磁带（算子执行时记录）"),
              pal.foreground, 13)
        .bold = true;
    for (int k = 0; k < step && k < int(recs.size()); ++k) {
        const float y = 20 + k * 30;
        const bool now = k == step - 1;
        if (now)
            s.list.box({tx - 6, y - 4, 470, 26}, pal.highlight.withAlpha(0.7f), kNoColor, 4);
        std::string ins;
        for (int v : recs[k].inputs)
            if (v >= 0)
                ins += (ins.empty() ? "" : ", ") + m_eager.tape->name(v);
        const int out = recs[k].outputs[0];
        s.list.text({tx, y},
                    std::to_string(k + 1) + ". " + recs[k].op + "(" + ins + ") → " +
                        m_eager.tape->name(out),
                    pal.foreground, 12);
        s.list.text({tx + 300, y}, vec(m_eager.tape->value(out)), pal.accent, 12);
    }
    std::string cap;
    if (step == 0)
        cap = tr2(L, "Eager mode: each line runs as soon as Python reaches it",
                  "动态图：Python 执行到哪一行，就立即运行哪一行");
    else {
        cap = std::string(tr2(L, "Ran ", "已执行 ")) + recs[step - 1].op +
              tr2(L, " and recorded it on the tape", "，并记录到磁带上");
        if (recs[step - 1].op == "ReduceSum")
            cap += std::string(" · h.sum() = ") + fmtNum(m_eager.hsum, 3) + " → " +
                   (m_eager.positive ? tr2(L, "take the if branch", "走 if 分支")
                                     : tr2(L, "take the else branch", "走 else 分支"));
    }
    s.caption = cap;
    s.legend = {{pal.highlight, tr2(L, "running now", "正在执行")},
                {pal.accent, tr2(L, "value computed at once", "立即得到的数值")}};
    return s;
}

Scene EagerGraphRun::graphScene(const engine::Interpreter& ip, const DrawOptions& opt,
                                bool second) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    GraphPictureInput in;
    in.interp = &ip;
    in.executed = int(ip.order().size());
    in.lang = L;
    in.theme = opt.theme;
    in.showValues = true;
    Scene s = drawGraph(in);
    const engine::Tensor& eager = second ? m_eager2.y.value() : m_eager.y.value();
    const engine::Tensor* graph = ip.value(second ? m_eager2.y.name() : m_eager.y.name());
    const bool same = graph && graph->allClose(eager, 0.0);
    Rect b = s.list.bounds();
    s.list
        .text({b.x, b.y + b.h + 16},
              std::string(tr2(L, "eager y = ", "动态图 y = ")) + vec(eager) +
                  tr2(L, "    graph y = ", "    静态图 y = ") + (graph ? vec(*graph) : "?") +
                  (same ? tr2(L, "   ✓ identical", "   ✓ 完全相同")
                        : tr2(L, "   ✗ different", "   ✗ 不同")),
              same ? pal.good : pal.bad, 13)
        .bold = true;
    s.caption = second ? tr2(L, "Guard failed → traced again for this input",
                             "守卫检查失败 → 针对这个输入重新追踪")
                       : tr2(L,
                             "tape.capture(): the recorded ops become a graph, run by the "
                             "interpreter",
                             "tape.capture()：记录下的算子成为一张计算图，由解释器执行");
    return s;
}

Scene EagerGraphRun::retraceScene(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    drawProgram(s.list, pal, 2, m_eager.positive);
    if (!m_flipped) {
        s.list.text({340, 0},
                    tr2(L, "(no input found that flips the branch for this seed)",
                        "（这个种子下找不到让分支翻转的输入）"),
                    pal.muted, 13);
        s.caption = tr2(L, "Try another seed", "换一个随机种子试试");
        return s;
    }
    const float x = 340;
    auto row = [&](float y, const std::string& label, const std::string& value, Color c) {
        s.list.text({x, y}, label, pal.muted, 12);
        s.list.text({x + 210, y}, value, c, 12).bold = true;
    };
    row(0, tr2(L, "new input x'", "新输入 x'"), vec(m_x2), pal.foreground);
    row(26, "h'.sum()", fmtNum(m_eager2.hsum, 3), pal.foreground);
    row(52, tr2(L, "eager (runs the else/if it meets)", "动态图（遇到哪个分支就走哪个）"),
        vec(m_eager2.y.value()), pal.good);
    row(78, tr2(L, "traced graph (branch baked in)", "追踪得到的图（分支被固化）"), vec(m_tracedY2),
        pal.bad);
    const bool same = m_tracedY2.allClose(m_eager2.y.value(), 1e-6);
    s.list
        .text({x, 116},
              same ? tr2(L, "Same result by chance.", "结果碰巧相同。")
                   : tr2(L, "✗ The traced graph still applies the first branch: silently wrong.",
                         "✗ 追踪得到的图仍然执行第一次的分支：结果悄无声息地错了。"),
              same ? pal.muted : pal.bad, 14)
        .bold = true;
    s.caption = tr2(L, "Dynamic → static by tracing: the Python `if` was never recorded",
                    "通过追踪把动态图转为静态图：Python 的 `if` 从未被记录");
    return s;
}

Scene EagerGraphRun::guardScene(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    if (!m_flipped)
        return retraceScene(opt);
    Scene s = graphScene(*m_retraced, opt, true);
    const Palette pal = Palette::forTheme(opt.theme);
    Rect b = s.list.bounds();
    s.list
        .text({b.x, b.y - 30},
              std::string(tr2(L, "value guard recorded at trace time: (h.sum() > 0) == ",
                              "追踪时记录的值守卫：(h.sum() > 0) == ")) +
                  (m_eager.positive ? "True" : "False") +
                  tr2(L, "   · with x' it is ", "   · 对 x' 为 ") +
                  (m_eager2.positive ? "True" : "False") + tr2(L, " → re-trace", " → 重新追踪"),
              pal.accent2, 13)
        .bold = true;
    return s;
}

} // namespace

LocalText EagerGraphLab::title() const {
    return {"Eager versus graph", "动态图与静态图"};
}

std::vector<ParamSpec> EagerGraphLab::params() const {
    return {{"seed", ParamType::Int, {"random seed", "随机种子"}, 0, 999, {}, std::int64_t{4}}};
}

std::unique_ptr<LabRun> EagerGraphLab::run(const ParamSet& p) const {
    return std::make_unique<EagerGraphRun>(p);
}

} // namespace aisys::lessons
