// Lab "quantization", fake-quant frame: aisys:FakeQuant's staircase and its straight-through
// gradient on a 1-D sweep, both computed by the engine (forward run + backward graph).
#include "engine/autodiff/reverse.h"
#include "engine/graph/interpreter.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/labs/inference/quantization/quantization_lab.h"
#include "viz/plot.h"

namespace aisys::lessons {

using namespace aisys::engine::compress;

FakeQuantCurve makeFakeQuantCurve(QScheme scheme, int bits) {
    // Clipping range [−1, 1] (symmetric) or [−0.5, 1.5] (affine); x sweeps a wider interval.
    FakeQuantCurve c;
    c.p = scheme == QScheme::Symmetric ? paramsForRange(-1.0, 1.0, scheme, bits)
                                       : paramsForRange(-0.5, 1.5, scheme, bits);
    constexpr int kPoints = 801;
    std::vector<float> xs(kPoints);
    for (int i = 0; i < kPoints; ++i)
        xs[i] = static_cast<float>(-2.0 + 4.0 * i / (kPoints - 1));
    engine::Graph g;
    g.addInput("x", engine::DType::F32, {kPoints});
    g.addNode("aisys:FakeQuant", "fake_quant", {"x"}, {"y"},
              {{"bits", std::int64_t{bits}},
               {"scale", c.p.scale},
               {"zero_point", std::int64_t{c.p.zeroPoint}}});
    g.addNode("ReduceSum", "sum", {"y"}, {"l"}, {{"keepdims", std::int64_t{0}}});
    g.markOutput("l");
    g.markOutput("y");
    const engine::BackwardGraph bw = engine::buildBackward(g, {"l"}, {"x"});
    engine::Interpreter it(bw.graph);
    it.setInput("x", engine::Tensor::f32({kPoints}, xs));
    it.run();
    const engine::Tensor* y = it.value("y");
    const engine::Tensor* dx = it.value(bw.gradients.at("x"));
    for (int i = 0; i < kPoints; ++i) {
        c.x.push_back(xs[i]);
        c.y.push_back(y->at(i));
        c.grad.push_back(dx->at(i));
    }
    return c;
}

void drawFakeQuant(viz::Scene& s, const FakeQuantCurve& c, int bits, Lang L,
                   const viz::Palette& pal) {
    using namespace viz;
    DisplayList& dl = s.list;
    const double lo = c.p.clipLo(), hi = c.p.clipHi();
    // 1. Forward: y = s·(clamp(round(x/s) + z, qmin, qmax) − z) against y = x.
    PlotFrame fwd({90, 50, 620, 300}, -2, 2, -2, 2, false, false);
    dl.box({fwd.map(lo, 2).x, 50, fwd.map(hi, 2).x - fwd.map(lo, 2).x, 300},
           pal.highlight.withAlpha(0.35f), kNoColor);
    fwd.drawAxes(dl, "x", tr2(L, "forward y = FakeQuant(x)", "前向 y = FakeQuant(x)"), pal.muted,
                 pal.grid, pal.muted);
    std::vector<std::pair<double, double>> id = {{-2, -2}, {2, 2}}, stair, grad;
    fwd.plotLine(dl, id, pal.muted, 1).dashed = true;
    for (std::size_t i = 0; i < c.x.size(); ++i) {
        stair.push_back({c.x[i], c.y[i]});
        grad.push_back({c.x[i], c.grad[i]});
    }
    fwd.plotLine(dl, stair, pal.accent, 2, 1);
    // 2. Backward: the straight-through estimator, 1 inside the clipping range, 0 outside.
    PlotFrame bwd({90, 420, 620, 140}, -2, 2, -0.2, 1.2, false, false);
    dl.box({bwd.map(lo, 1).x, 420, bwd.map(hi, 1).x - bwd.map(lo, 1).x, 140},
           pal.highlight.withAlpha(0.35f), kNoColor);
    bwd.drawAxes(dl, "x", tr2(L, "backward ∂y/∂x (STE)", "反向 ∂y/∂x（直通估计）"), pal.muted,
                 pal.grid, pal.muted);
    bwd.plotLine(dl, grad, pal.bad, 2.5f, 2);
    ObjectInfo fi;
    fi.title = "aisys:FakeQuant";
    fi.facts = {{"s", fmtSci(c.p.scale, 3)},
                {"z", std::to_string(c.p.zeroPoint)},
                {tr2(L, "levels", "级数"), std::to_string(c.p.qmax - c.p.qmin + 1)}};
    s.objects[1] = fi;
    ObjectInfo gi;
    gi.title = tr2(L, "straight-through gradient", "直通梯度");
    gi.facts = {{tr2(L, "inside the range", "范围内"), "dY"},
                {tr2(L, "outside", "范围外"), "0 (aisys:ClipGrad)"}};
    s.objects[2] = gi;
    // 3. Formulas.
    const float px = 760;
    float ty = 70;
    auto line = [&](const std::string& t, bool bold = false) {
        dl.text({px, ty}, t, bold ? pal.foreground : pal.muted, 12).bold = bold;
        ty += 20;
    };
    line(std::string(schemeName(c.p.zeroPoint == 0 ? QScheme::Symmetric : QScheme::Affine)) + ", " +
             std::to_string(bits) + " bit:  s = " + fmtSci(c.p.scale, 3) +
             ",  z = " + std::to_string(c.p.zeroPoint),
         true);
    line(tr2(L, "clipping range ", "截断范围 ") + std::string("[") + fmtNum(lo, 3) + ", " +
         fmtNum(hi, 3) + "]");
    ty += 8;
    line("y = s · (clamp(round(x/s) + z, qmin, qmax) − z)", true);
    line(tr2(L, "(FakeQuant = DeQuant(Quant(x)), clamp and z included)",
             "（FakeQuant = DeQuant(Quant(x))，含 clamp 与 z）"));
    ty += 8;
    line(tr2(L, "round() has zero derivative almost everywhere,", "round() 的导数几乎处处为零，"));
    line(tr2(L, "so training uses the straight-through estimator:", "所以训练使用直通估计："));
    line("∂y/∂x = 1 " +
             std::string(tr2(L, "inside the range, 0 outside", "（范围内），0（范围外）")),
         true);
    s.caption =
        tr2(L, "Fake quantization for QAT: the staircase forward, the straight-through backward",
            "量化感知训练的伪量化：前向是阶梯，反向是直通");
    s.legend = {{pal.accent, tr2(L, "FakeQuant(x)", "FakeQuant(x)")},
                {pal.bad, tr2(L, "gradient (engine's backward graph)", "梯度（引擎反向图）")},
                {pal.highlight, tr2(L, "clipping range", "截断范围")}};
}

} // namespace aisys::lessons
