// Lab "pruning": weight heat maps before/after, removed channels struck through together with
// the consumer's input channels, and the accuracy / parameter / FLOP report.
#include "lessons/labs/inference/pruning/pruning_lab.h"

#include "engine/compress/prune.h"
#include "engine/compress/qat.h"
#include "engine/compress/trained_net.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace aisys::lessons {

namespace {

using namespace aisys::engine::compress;
using engine::Graph;
using engine::Tensor;

constexpr std::uint32_t kLayerId = 10;     // + layer
constexpr std::uint32_t kRowId = 100;      // + layer * 20 + row
constexpr std::uint32_t kCellId = 100'000; // + layer * 10000 + cell

/// One weight drawn as rows (output channels) × columns (input channels × kernel), with the
/// size of an input-channel block (9 for a 3×3 kernel or a 3×3 map after Flatten).
struct WeightView {
    std::string name;
    int rows = 0, cols = 0, block = 1;
    std::vector<double> values;
};

/// conv1 [8,1,3,3] → 8×9; conv2 [8,8,3,3] → 8×72; fc [72,10] transposed → 10×72.
std::vector<WeightView> viewsOf(const Graph& g) {
    std::vector<WeightView> out;
    for (const char* name : {"conv1.W", "conv2.W", "fc.W"}) {
        const Tensor& w = g.initializers.at(g.findValue(name));
        WeightView v;
        v.name = name;
        v.block = 9;
        if (w.rank() == 4) {
            v.rows = static_cast<int>(w.shape()[0]);
            v.cols = static_cast<int>(w.numel() / w.shape()[0]);
            for (std::int64_t i = 0; i < w.numel(); ++i)
                v.values.push_back(w.at(i));
        } else {
            v.rows = static_cast<int>(w.shape()[1]);
            v.cols = static_cast<int>(w.shape()[0]);
            for (int r = 0; r < v.rows; ++r)
                for (int c = 0; c < v.cols; ++c)
                    v.values.push_back(w.at(std::int64_t(c) * v.rows + r));
        }
        out.push_back(std::move(v));
    }
    return out;
}

class PruneRun : public LabRun {
public:
    PruneRun(TrainedNet net, std::string mode, double sparsity, int finetune);
    std::vector<Phase> phases() const override {
        return {{"dense", 1}, {"pruned", 1}, {"report", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    void weights(viz::Scene& s, Lang L, const viz::Palette& pal, viz::Theme theme,
                 bool pruned) const;
    void report(viz::Scene& s, Lang L, const viz::Palette& pal) const;
    std::string modeText(Lang L) const;

    TrainedNet m_net;
    std::string m_mode;
    double m_sparsity;
    Graph m_pruned;
    SparsityReport m_before, m_after;
    std::vector<ChannelPruning> m_channels;
    int m_finetune = 0;
    double m_accPruned = 0, m_accTuned = 0; ///< before and after fine-tuning
    std::vector<double> m_thresholds;
};

PruneRun::PruneRun(TrainedNet net, std::string mode, double sparsity, int finetune)
    : m_net(std::move(net)), m_mode(std::move(mode)), m_sparsity(sparsity), m_finetune(finetune) {
    m_pruned = m_net.model.graph;
    m_before = sparsityReport(m_pruned);
    if (m_mode == "channel")
        m_channels = pruneChannels(m_pruned, m_sparsity);
    else
        m_thresholds = pruneUnstructured(m_pruned, m_sparsity, m_mode == "unstructured-global");
    m_after = sparsityReport(m_pruned);
    // FLOPs per image (the graph's batch is the whole data set).
    const double batch = static_cast<double>(m_net.data.labels.numel());
    for (SparsityReport* r : {&m_before, &m_after}) {
        r->flops /= batch;
        r->effectiveFlops /= batch;
        for (LayerSparsity& l : r->layers) {
            l.flops /= batch;
            l.effectiveFlops /= batch;
        }
    }
    // Accuracies on the held-out digits; fine-tuning trains on the training digits only.
    m_accPruned = accuracy(m_pruned, m_net.heldOut);
    if (m_finetune > 0)
        (void)fineTune(m_pruned, m_net.data, m_finetune, m_mode != "channel");
    m_accTuned = m_finetune > 0 ? accuracy(m_pruned, m_net.heldOut) : m_accPruned;
}

std::string PruneRun::modeText(Lang L) const {
    const std::string pct = fmtNum(100 * m_sparsity, 0) + " %";
    if (m_mode == "channel")
        return std::string(tr2(L, "channel pruning, ", "通道剪枝，")) + pct +
               tr2(L, " of the channels", " 的通道");
    return std::string(
               m_mode == "unstructured-global"
                   ? tr2(L, "unstructured, global threshold, ", "非结构化，全局阈值，")
                   : tr2(L, "unstructured, per-layer threshold, ", "非结构化，逐层阈值，")) +
           pct + tr2(L, " of the weights", " 的权重");
}

viz::Scene PruneRun::scene(int frame, const DrawOptions& opt) const {
    const viz::Palette pal = viz::Palette::forTheme(opt.theme);
    viz::Scene s = sceneOn(pal);
    if (frame <= 1)
        weights(s, opt.lang, pal, opt.theme, frame == 1);
    else
        report(s, opt.lang, pal);
    return s;
}

void PruneRun::weights(viz::Scene& s, Lang L, const viz::Palette& pal, viz::Theme theme,
                       bool pruned) const {
    using namespace viz;
    DisplayList& dl = s.list;
    const auto before = viewsOf(m_net.model.graph);
    const auto after = viewsOf(m_pruned);
    const bool channel = m_mode == "channel";
    // Removed output channels per producer, and the input channels they remove downstream.
    std::vector<std::set<std::int64_t>> removedRows(3), removedCols(3);
    if (pruned && channel)
        for (const ChannelPruning& cp : m_channels) {
            const int layer = cp.node == "conv1" ? 0 : cp.node == "conv2" ? 1 : 2;
            removedRows[layer].insert(cp.removed.begin(), cp.removed.end());
            if (layer < 2)
                removedCols[layer + 1].insert(cp.removed.begin(), cp.removed.end());
        }
    const char* titles[] = {"conv1.W [8, 1, 3, 3]", "conv2.W [8, 8, 3, 3]", "fc.W [72, 10]ᵀ"};
    float y = 70;
    const float x0 = 150, cw = 11, ch = 14;
    for (int l = 0; l < 3; ++l) {
        const WeightView& v = before[l];
        double maxAbs = 0;
        for (double w : v.values)
            maxAbs = std::max(maxAbs, std::fabs(w));
        // With unstructured pruning the pruned graph has the same shapes: read it.
        const WeightView& shown = pruned && !channel ? after[l] : v;
        dl.text({x0, y - 8}, titles[l], pal.foreground, 13, HAlign::Left, VAlign::Bottom,
                kLayerId + l)
            .bold = true;
        dl.text({x0 - 10, y + v.rows * ch / 2},
                l == 2 ? tr2(L, "out class", "输出类别") : tr2(L, "out ch", "输出通道"), pal.muted,
                11, HAlign::Right, VAlign::Middle);
        std::int64_t zeros = 0;
        for (int r = 0; r < v.rows; ++r) {
            const bool rowGone = removedRows[l].count(r) > 0;
            for (int c = 0; c < v.cols; ++c) {
                const bool colGone = removedCols[l].count(c / v.block) > 0;
                const double w = shown.values[std::size_t(r * v.cols + c)];
                const Rect cell{x0 + c * cw + (c / v.block) * 3.0f, y + r * ch, cw - 1, ch - 1};
                const std::uint32_t id = kCellId + std::uint32_t(l * 10000 + r * v.cols + c);
                Color fill = divergingColor(w, maxAbs, theme);
                if (pruned && !channel && w == 0) {
                    fill = pal.background;
                    ++zeros;
                    dl.box(cell, fill, pal.grid, 0, 0.5f, id);
                } else if (rowGone || colGone) {
                    dl.heatCell(cell, fill.withAlpha(0.25f), id);
                } else {
                    dl.heatCell(cell, fill, id);
                }
            }
            const float rowMid = y + r * ch + ch / 2;
            if (rowGone) {
                const float xe = x0 + v.cols * cw + (v.cols / v.block) * 3.0f;
                dl.line({x0 - 4, rowMid}, {xe, rowMid}, pal.bad, 2, kRowId + l * 20 + r);
            }
        }
        for (std::int64_t c : removedCols[l]) {
            const float xa = x0 + c * v.block * cw + c * 3.0f;
            const float xb = xa + v.block * cw - 1;
            dl.box({xa, y - 2, xb - xa, v.rows * ch + 3}, kNoColor, pal.bad, 0, 1.5f).dashed = true;
            dl.line({xa, y + v.rows * ch + 1}, {xb, y - 1}, pal.bad, 1.5f);
        }
        // Input-channel block labels.
        for (int b = 0; b * v.block < v.cols; ++b)
            dl.text({x0 + (b * v.block + v.block / 2.0f) * cw + b * 3.0f, y + v.rows * ch + 3},
                    std::to_string(b), removedCols[l].count(b) ? pal.bad : pal.muted, 10,
                    HAlign::Center, VAlign::Top);
        dl.text({x0 - 10, y + v.rows * ch + 3}, tr2(L, "in ch", "输入通道"), pal.muted, 10,
                HAlign::Right, VAlign::Top);
        // Per-layer numbers on the right.
        const LayerSparsity& lb = m_before.layers[std::size_t(l)];
        const LayerSparsity& la = m_after.layers[std::size_t(l)];
        const float nx = x0 + 72 * cw + 8 * 3 + 30;
        dl.text({nx, y}, tr2(L, "params", "参数"), pal.muted, 11);
        dl.text({nx + 90, y},
                pruned ? std::to_string(la.nonzero) + " / " + std::to_string(lb.params)
                       : std::to_string(lb.params),
                pal.foreground, 11)
            .bold = true;
        dl.text({nx, y + 16}, tr2(L, "FLOPs/image", "FLOPs/图"), pal.muted, 11);
        dl.text({nx + 90, y + 16},
                pruned
                    ? fmtNum(la.effectiveFlops / 1e3, 1) + "k / " + fmtNum(lb.flops / 1e3, 1) + "k"
                    : fmtNum(lb.flops / 1e3, 1) + "k",
                pal.foreground, 11)
            .bold = true;
        if (pruned && !channel)
            dl.text({nx, y + 32},
                    std::string(tr2(L, "threshold ", "阈值 ")) +
                        fmtSci(m_thresholds[std::size_t(l)], 2),
                    pal.muted, 11);
        ObjectInfo info;
        info.title = v.name;
        info.facts = {
            {tr2(L, "parameters", "参数"), std::to_string(lb.params)},
            {tr2(L, "non-zero after", "剪枝后非零"), std::to_string(la.nonzero)},
            {tr2(L, "sparsity after", "剪枝后稀疏度"), fmtNum(100 * la.sparsity(), 1) + " %"}};
        s.objects[kLayerId + l] = info;
        y += v.rows * ch + 52;
    }
    // Accuracy.
    dl.text({x0, y},
            std::string(tr2(L, "accuracy on 200 held-out digits: ",
                            "200 个留出（未参与训练）数字上的准确率：")) +
                fmtNum(100 * m_net.accuracy, 1) + " %" +
                (pruned ? std::string("  →  ") + fmtNum(100 * m_accPruned, 1) + " %" +
                              tr2(L, "  (no fine-tuning)", "  （未微调）") +
                              (m_finetune > 0
                                   ? std::string("  →  ") + fmtNum(100 * m_accTuned, 1) + " %" +
                                         tr2(L, " after fine-tuning (weights shown)",
                                             " 微调后（图中为微调后的权重）")
                                   : std::string())
                        : std::string()),
            pruned && m_accPruned < m_net.accuracy - 0.05 ? pal.bad : pal.foreground, 14)
        .bold = true;
    if (pruned)
        s.caption = std::string(tr2(L, "After pruning — ", "剪枝之后 —— ")) + modeText(L);
    else
        s.caption = tr2(L, "The trained network's weights (rows: output channels)",
                        "训练好的网络权重（每行一个输出通道）");
    s.legend = {{divergingColor(1, 1, theme), tr2(L, "positive weight", "正权重")},
                {divergingColor(-1, 1, theme), tr2(L, "negative weight", "负权重")}};
    if (pruned)
        s.legend.push_back(
            {pal.bad, channel ? tr2(L, "removed channel / matching input channel",
                                    "被删除的通道 / 对应的输入通道")
                              : tr2(L, "(blank = pruned to zero)", "（空白 = 剪为零）")});
}

void PruneRun::report(viz::Scene& s, Lang L, const viz::Palette& pal) const {
    using namespace viz;
    DisplayList& dl = s.list;
    const float x0 = 80, y0 = 70;
    const float cols[] = {x0, x0 + 110, x0 + 230, x0 + 350, x0 + 500, x0 + 640};
    const char* heads[] = {
        "", "params before", "params after", "FLOPs/image before", "FLOPs/image after", "sparsity"};
    const char* headsZh[] = {
        "", "剪枝前参数", "剪枝后参数", "剪枝前 FLOPs/图", "剪枝后 FLOPs/图", "稀疏度"};
    for (int k = 0; k < 6; ++k)
        dl.text({cols[k], y0}, L == Lang::Zh ? headsZh[k] : heads[k], pal.foreground, 12).bold =
            true;
    float y = y0 + 24;
    auto row = [&](const std::string& name, std::int64_t pb, std::int64_t pa, double fb, double fa,
                   double sp, bool bold) {
        const std::string v[] = {name,
                                 std::to_string(pb),
                                 std::to_string(pa),
                                 fmtNum(fb / 1e3, 1) + "k",
                                 fmtNum(fa / 1e3, 1) + "k",
                                 fmtNum(100 * sp, 1) + " %"};
        for (int k = 0; k < 6; ++k)
            dl.text({cols[k], y}, v[k], pal.foreground, 12).bold = bold;
        y += 20;
    };
    const bool channel = m_mode == "channel";
    for (std::size_t l = 0; l < m_before.layers.size(); ++l) {
        const LayerSparsity& b = m_before.layers[l];
        const LayerSparsity& a = m_after.layers[l];
        // Channel pruning makes tensors smaller (dense FLOPs fall); unstructured leaves zeros.
        row(b.node, b.params, a.nonzero, b.flops, channel ? a.flops : a.effectiveFlops,
            1.0 - double(a.nonzero) / double(b.params), false);
    }
    row(tr2(L, "total", "合计"), m_before.params, m_after.nonzero, m_before.flops,
        channel ? m_after.flops : m_after.effectiveFlops,
        1.0 - double(m_after.nonzero) / double(m_before.params), true);
    // Bars: parameters and FLOPs kept, accuracy before/after.
    y += 30;
    const float bw = 420;
    auto bar = [&](const std::string& label, double before, double after, Color c) {
        dl.text({x0, y + 9}, label, pal.foreground, 12, HAlign::Left, VAlign::Middle);
        dl.box({x0 + 170, y, bw, 18}, pal.panel, pal.panelBorder, 2, 1);
        dl.box({x0 + 170, y, float(bw * after / std::max(before, 1e-12)), 18}, c, kNoColor, 2);
        dl.text({x0 + 180 + bw, y + 9}, fmtNum(100 * after / std::max(before, 1e-12), 1) + " %",
                pal.foreground, 12, HAlign::Left, VAlign::Middle)
            .bold = true;
        y += 28;
    };
    bar(tr2(L, "parameters kept", "保留的参数"), double(m_before.params), double(m_after.nonzero),
        pal.category(0));
    bar(tr2(L, "FLOPs kept", "保留的 FLOPs"), m_before.flops,
        channel ? m_after.flops : m_after.effectiveFlops, pal.category(1));
    bar(tr2(L, "accuracy, dense", "准确率（剪枝前）"), 1.0, m_net.accuracy, pal.good);
    bar(tr2(L, "accuracy, pruned", "准确率（剪枝后）"), 1.0, m_accPruned,
        m_accPruned < m_net.accuracy - 0.05 ? pal.bad : pal.good);
    if (m_finetune > 0)
        bar(std::string(tr2(L, "after fine-tuning ", "微调 ")) + std::to_string(m_finetune) +
                tr2(L, " steps", " 步后"),
            1.0, m_accTuned, m_accTuned < m_net.accuracy - 0.05 ? pal.warn : pal.good);
    y += 10;
    dl.text({x0, y},
            channel ? tr2(L, "Channel pruning shrinks the tensors: the FLOPs fall on any hardware.",
                          "通道剪枝让张量变小：在任何硬件上 FLOPs 都会下降。")
                    : tr2(L,
                          "Unstructured zeros keep the tensor shapes: only sparse kernels or "
                          "hardware turn them into speed.",
                          "非结构化剪枝的零不改变张量形状：只有稀疏内核或硬件才能把它们变成速度。"),
            pal.muted, 12);
    if (channel) {
        y += 22;
        for (const ChannelPruning& cp : m_channels) {
            std::string t = cp.node + ": ";
            if (!cp.skipped.empty()) {
                t += std::string(tr2(L, "not pruned — ", "未剪枝 —— ")) + cp.skipped;
            } else {
                t += tr2(L, "removed channels", "删除通道");
                for (std::int64_t c : cp.removed)
                    t += " " + std::to_string(c);
                t += std::string(tr2(L, "; also shrank", "；同时缩小")) + ":";
                for (const auto& a : cp.adjusted)
                    t += " " + a;
            }
            dl.text({x0, y}, t, pal.muted, 12);
            y += 18;
        }
    }
    s.caption = std::string(tr2(L, "Sparsity report — ", "稀疏度报告 —— ")) + modeText(L);
}

} // namespace

LocalText PruningLab::title() const {
    return {"Pruning", "剪枝"};
}

std::vector<ParamSpec> PruningLab::params() const {
    return {
        {"mode",
         ParamType::Choice,
         {"granularity", "粒度"},
         0,
         0,
         {"unstructured-global", "unstructured-layer", "channel"},
         std::string("unstructured-global")},
        {"sparsity", ParamType::Float, {"sparsity", "稀疏度"}, 0, 0.9, {}, 0.5},
        {"epochs", ParamType::Int, {"training epochs", "训练轮数"}, 1, 40, {}, std::int64_t{15}},
        {"finetune", ParamType::Int, {"fine-tuning steps", "微调步数"}, 0, 60, {}, std::int64_t{0}},
        {"seed", ParamType::Int, {"random seed", "随机种子"}, 0, 999, {}, std::int64_t{1}},
    };
}

std::unique_ptr<LabRun> PruningLab::run(const ParamSet& p) const {
    const auto seed = static_cast<std::uint32_t>(p.getInt("seed", 1));
    TrainedNet net = trainDigitNet(static_cast<int>(p.getInt("epochs", 15)), seed);
    return std::make_unique<PruneRun>(std::move(net), p.getString("mode", "unstructured-global"),
                                      p.getFloat("sparsity", 0.5),
                                      static_cast<int>(p.getInt("finetune", 0)));
}

} // namespace aisys::lessons
