// Lab "graph-forward": the engine builds y = act(W·x + b), runs it step-wise, and we draw it.
#include "lessons/labs/framework/graph_forward/graph_forward_lab.h"

#include "engine/graph/interpreter.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_drawing.h"

#include <cmath>
#include <random>

namespace aisys::lessons {

namespace {

/// Values with one decimal, uniform in [-1, 1], from a fixed seed (readable and repeatable).
std::vector<float> seededValues(std::mt19937& rng, std::int64_t n) {
    std::uniform_int_distribution<int> d(-10, 10);
    std::vector<float> v(n);
    for (auto& x : v)
        x = d(rng) / 10.0f;
    return v;
}

class GraphForwardRun : public LabRun {
public:
    GraphForwardRun(engine::Graph g, const ParamSet& p) : m_interp(std::move(g)) {
        std::mt19937 rng(static_cast<unsigned>(p.getInt("seed", 7)));
        const auto& x = m_interp.graph().values[m_interp.graph().inputs[0]];
        m_interp.setInput(x.name, engine::Tensor::f32(x.shape, seededValues(rng, x.shape[0])));
        m_interp.run(); // all values are kept, so any frame is drawn without re-running
        m_activation = p.getString("activation", "Relu");
    }
    std::vector<Phase> phases() const override {
        return {{"graph", 1}, {"execute", static_cast<int>(m_interp.order().size())}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override {
        GraphPictureInput in;
        in.interp = &m_interp;
        in.executed = frame; // frame 0 = nothing ran; frame k = first k nodes ran
        in.lang = opt.lang;
        in.theme = opt.theme;
        viz::Scene s = drawGraph(in);
        const Lang L = opt.lang;
        const int n = static_cast<int>(m_interp.order().size());
        if (frame == 0) {
            s.caption = tr2(L, "The graph before execution: only inputs and weights have values",
                            "执行前的计算图：只有输入和权重有数值");
        } else {
            const auto& node = m_interp.graph().nodes[m_interp.order()[frame - 1]];
            s.caption = std::string(tr2(L, "Node ", "节点 ")) + std::to_string(frame) + "/" +
                        std::to_string(n) + " · " + node.op + " → " +
                        m_interp.graph().values[node.outputs[0]].name;
        }
        // Running totals from the interpreter's trace, under the picture.
        double flops = 0;
        std::size_t live = 0;
        for (int k = 0; k < frame; ++k) {
            flops += m_interp.trace().records[k].flops;
            live = m_interp.trace().records[k].liveBytes;
        }
        viz::Rect b = s.list.bounds();
        const viz::Palette pal = viz::Palette::forTheme(opt.theme);
        s.list.text({b.x, b.y + b.h + 18},
                    std::string(tr2(L, "Executed ", "已执行 ")) + std::to_string(frame) + " / " +
                        std::to_string(n) +
                        tr2(L, " nodes · FLOPs so far: ", " 个节点 · 累计 FLOPs：") +
                        fmtNum(flops, 0) + tr2(L, " · live activations: ", " · 活跃激活内存：") +
                        fmtBytes(double(live)),
                    pal.muted, 12);
        return s;
    }

private:
    engine::Interpreter m_interp;
    std::string m_activation;
};

} // namespace

LocalText GraphForwardLab::title() const {
    return {"Compute graph: forward pass", "计算图：前向执行"};
}

std::vector<ParamSpec> GraphForwardLab::params() const {
    return {
        {"inputs",
         ParamType::Int,
         {"input size n (x)", "输入维度 n (x)"},
         1,
         8,
         {},
         std::int64_t{4}},
        {"outputs",
         ParamType::Int,
         {"output size m (y)", "输出维度 m (y)"},
         1,
         8,
         {},
         std::int64_t{3}},
        {"activation",
         ParamType::Choice,
         {"activation", "激活函数"},
         0,
         0,
         {"Relu", "Sigmoid", "Tanh"},
         std::string("Relu")},
        {"seed", ParamType::Int, {"random seed", "随机种子"}, 0, 999, {}, std::int64_t{7}},
    };
}

std::unique_ptr<LabRun> GraphForwardLab::run(const ParamSet& p) const {
    // 1. Build y = act(W·x + b) with the engine's graph API (weights from the seed).
    // 2. The run infers shapes, executes every node and keeps the trace for the frames.
    const std::int64_t n = p.getInt("inputs", 4), m = p.getInt("outputs", 3);
    if (n < 1 || m < 1)
        throw std::invalid_argument("input and output sizes must be at least 1");
    std::mt19937 rng(static_cast<unsigned>(p.getInt("seed", 7)) * 7919u + 1u);
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {n});
    g.addInitializer("W", engine::Tensor::f32({m, n}, seededValues(rng, m * n)));
    g.addInitializer("b", engine::Tensor::f32({m}, seededValues(rng, m)));
    g.addNode("MatMul", "matmul", {"W", "x"}, {"Wx"});
    g.addNode("Add", "add_bias", {"Wx", "b"}, {"z"});
    g.addNode(p.getString("activation", "Relu"), "act", {"z"}, {"y"});
    g.markOutput("y");
    return std::make_unique<GraphForwardRun>(std::move(g), p);
}

} // namespace aisys::lessons
