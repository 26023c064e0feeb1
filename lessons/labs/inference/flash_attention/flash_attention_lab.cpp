// Lab "flash-attention": the tiles and the running max, then the result and the traffic.
#include "lessons/labs/inference/flash_attention/flash_attention_lab.h"

#include "engine/conv/attention.h"
#include "engine/conv/conv.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::lessons {

namespace {

namespace cv = engine::conv;

constexpr std::uint32_t kCellId = 10;     // + i · N_k + j
constexpr std::uint32_t kRowId = 100'000; // + i: the row's m and l

class FlashRun : public LabRun {
public:
    FlashRun(std::int64_t n, std::int64_t nk, std::int64_t d, std::int64_t br, std::int64_t bc,
             std::int64_t seed)
        : m_s{n, nk, d}, m_br(br), m_bc(bc) {
        if (std::string e = m_s.check(); !e.empty())
            throw std::invalid_argument(e);
        // Q, K, V in [−1.5, 1.5) so that the scores spread and the running max moves.
        std::vector<double> all =
            cv::randomValues(n * d + 2 * nk * d, static_cast<std::uint64_t>(seed));
        for (double& x : all)
            x *= 1.5;
        m_q.assign(all.begin(), all.begin() + n * d);
        m_k.assign(all.begin() + n * d, all.begin() + n * d + nk * d);
        m_v.assign(all.begin() + n * d + nk * d, all.end());
        m_flash.recordRows = true;
        m_o = cv::attentionFlash(m_s, m_q, m_k, m_v, br, bc, &m_flash);
        m_ref = cv::attentionPlain(m_s, m_q, m_k, m_v, &m_plain);
        m_err = cv::maxAbsDiff(m_o, m_ref);
    }
    std::vector<Phase> phases() const override {
        return {{"tiles", static_cast<int>(m_flash.pairs.size())}, {"result", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    cv::AttentionShape m_s;
    std::int64_t m_br, m_bc;
    std::vector<double> m_q, m_k, m_v, m_o, m_ref;
    cv::AttentionStats m_flash, m_plain;
    double m_err = 0;
};

viz::Scene FlashRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    const Lang L = opt.lang;
    const int pairs = static_cast<int>(m_flash.pairs.size());
    const bool result = frame >= pairs;
    const int p = result ? pairs - 1 : frame;
    const auto [ci, cj] = m_flash.pairs[static_cast<std::size_t>(p)];
    const std::int64_t n = m_s.n, nk = m_s.nk;
    dl.text({40, 24},
            "FlashAttention (Algorithm 1):  N = " + std::to_string(n) +
                ", N_k = " + std::to_string(nk) + ", d = " + std::to_string(m_s.d) +
                ", Br = " + std::to_string(m_br) + ", Bc = " + std::to_string(m_bc),
            pal.foreground, 16)
        .bold = true;
    dl.text({40, 48},
            tr2(L,
                "S = Q Kᵀ/√d is never stored: each tile S_ij lives in SRAM only while it is used",
                "S = Q Kᵀ/√d 从不写回：每个块 S_ij 只在使用时存在于 SRAM 中"),
            pal.muted, 13);

    // 1. The score matrix: rows i (queries), columns j (keys); tiles lit in visiting order.
    const float cs = std::clamp(440.0f / float(std::max(n, nk)), 10.0f, 30.0f);
    const float gx = 70, gy = 110;
    dl.text({gx + nk * cs / 2, gy - 8}, tr2(L, "keys j →", "键 j →"), pal.muted, 12, HAlign::Center,
            VAlign::Bottom);
    dl.text({gx - 10, gy + n * cs / 2}, tr2(L, "queries i ↓", "查询 i ↓"), pal.muted, 12,
            HAlign::Right, VAlign::Middle);
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < nk; ++j) {
            // The pair that covers (i, j): K/V block outside, Q block inside.
            const std::int64_t tr = (n + m_br - 1) / m_br;
            const std::int64_t order = (j / m_bc) * tr + i / m_br;
            const bool lit = order <= p;
            const std::uint32_t id = kCellId + static_cast<std::uint32_t>(i * nk + j);
            dl.heatCell({gx + j * cs, gy + i * cs, cs - 1, cs - 1},
                        lit ? rampColor(0.1 + 0.8 * double(order) / double(std::max(1, pairs - 1)))
                            : pal.grid,
                        id);
            ObjectInfo info;
            info.title = "S[" + std::to_string(i) + "][" + std::to_string(j) + "]";
            info.facts.push_back({tr2(L, "tile pair", "块对"),
                                  std::to_string(order + 1) + " / " + std::to_string(pairs)});
            s.objects[id] = info;
        }
    if (!result) {
        const std::int64_t ri = std::min(m_br, n - ci), cjn = std::min(m_bc, nk - cj);
        dl.box({gx + cj * cs - 2, gy + ci * cs - 2, cjn * cs + 3, ri * cs + 3}, kNoColor,
               pal.accent, 0, 2.5f)
            .layer = 2;
        // The K/V block in SRAM: its column strip.
        dl.box({gx + cj * cs - 1, gy - 4, cjn * cs + 1, n * cs + 7}, kNoColor, pal.accent2, 0, 1.2f)
            .layer = 1;
        dl.text({gx + (cj + cjn / 2.0f) * cs, gy + n * cs + 10}, "K_j, V_j", pal.accent2, 12,
                HAlign::Center, VAlign::Top);
    }

    // 2. Every row's running max m and sum l after this pair; the true row max for comparison.
    const float px = gx + nk * cs + 60;
    float py = 100;
    const float cols[] = {px, px + 50, px + 140, px + 230};
    dl.text({cols[0], py}, "i", pal.muted, 12).bold = true;
    dl.text({cols[1], py}, tr2(L, "m (so far)", "m（当前）"), pal.muted, 12).bold = true;
    dl.text({cols[2], py}, tr2(L, "l (so far)", "l（当前）"), pal.muted, 12).bold = true;
    dl.text({cols[3], py}, tr2(L, "row max of S", "S 的行最大值"), pal.muted, 12).bold = true;
    py += 20;
    const auto& m = m_flash.mAfter[static_cast<std::size_t>(p)];
    const auto& l = m_flash.lAfter[static_cast<std::size_t>(p)];
    const auto& mFinal = m_flash.mAfter.back();
    const float rowH = std::clamp(380.0f / float(n), 12.0f, 18.0f);
    for (std::int64_t i = 0; i < n; ++i) {
        const bool current = !result && i >= ci && i < ci + m_br;
        const std::uint32_t id = kRowId + static_cast<std::uint32_t>(i);
        if (current)
            dl.box({px - 6, py - 2, 320, rowH}, pal.accent.withAlpha(0.18f), kNoColor, 3, 0);
        const std::string mt = std::isinf(m[static_cast<std::size_t>(i)])
                                   ? "−∞"
                                   : fmtNum(m[static_cast<std::size_t>(i)], 3);
        const float sz = std::min(12.0f, rowH - 2);
        dl.text({cols[0], py}, std::to_string(i), pal.foreground, sz, HAlign::Left, VAlign::Top,
                id);
        dl.text({cols[1], py}, mt, pal.foreground, sz, HAlign::Left, VAlign::Top, id).bold =
            current;
        dl.text({cols[2], py}, fmtNum(l[static_cast<std::size_t>(i)], 3), pal.foreground, sz,
                HAlign::Left, VAlign::Top, id);
        dl.text({cols[3], py}, fmtNum(mFinal[static_cast<std::size_t>(i)], 3), pal.muted, sz,
                HAlign::Left, VAlign::Top, id);
        ObjectInfo info;
        info.title = std::string(tr2(L, "row ", "第 ")) + std::to_string(i) + tr2(L, "", " 行");
        info.facts = {{"m", mt}, {"l", fmtNum(l[static_cast<std::size_t>(i)], 6)}};
        s.objects[id] = info;
        py += rowH;
    }
    // 3. Under the matrix: the traffic so far, or the result against plain attention.
    float ty = std::max(gy + n * cs + 40, py + 20);
    std::vector<FactRow> facts;
    if (result) {
        facts = {{tr2(L, "max |O_flash − O_plain| (f64)", "max |O_flash − O_plain|（f64）"),
                  fmtSci(m_err, 2)},
                 {tr2(L, "HBM reads, plain / flash (elements)", "HBM 读取，普通 / Flash（元素）"),
                  std::to_string(m_plain.hbmReads) + " / " + std::to_string(m_flash.hbmReads)},
                 {tr2(L, "HBM writes, plain / flash", "HBM 写入，普通 / Flash"),
                  std::to_string(m_plain.hbmWrites) + " / " + std::to_string(m_flash.hbmWrites)},
                 {tr2(L, "extra in HBM, plain (S, P) / flash (l, m)",
                      "HBM 额外存储，普通（S、P）/ Flash（l、m）"),
                  std::to_string(m_plain.extraElements) + " / " +
                      std::to_string(m_flash.extraElements)}};
    } else {
        facts = {
            {tr2(L, "tile pair", "块对"), std::to_string(p + 1) + " / " + std::to_string(pairs)},
            {tr2(L, "K/V block j (outer loop)", "K/V 块 j（外层循环）"), std::to_string(cj / m_bc)},
            {tr2(L, "Q block i (inner loop)", "Q 块 i（内层循环）"), std::to_string(ci / m_br)},
            {tr2(L, "update", "更新"),
             "m_new = max(m, m̃),  l_new = e^(m−m_new)·l + e^(m̃−m_new)·l̃"}};
    }
    drawFactTable(dl, {40, ty}, facts, pal, 13, 330);
    s.caption =
        result
            ? tr2(L, "The result equals plain attention; S and P never went to HBM",
                  "结果与普通注意力相同；S 和 P 从未写入 HBM")
            : tr2(L, "One tile pair: K_j, V_j in SRAM, Q_i's rows update their running max and sum",
                  "一个块对：K_j、V_j 在 SRAM 中，Q_i 的各行更新其运行最大值与和");
    s.legend = {{rampColor(0.1), tr2(L, "tile visited early", "较早访问的块")},
                {rampColor(0.9), tr2(L, "tile visited late", "较晚访问的块")},
                {pal.accent, tr2(L, "current tile S_ij", "当前块 S_ij")},
                {pal.accent2, tr2(L, "K/V block in SRAM", "SRAM 中的 K/V 块")}};
    return s;
}

} // namespace

LocalText FlashAttentionLab::title() const {
    return {"FlashAttention: tiles and the running max", "FlashAttention：分块与运行最大值"};
}

std::vector<ParamSpec> FlashAttentionLab::params() const {
    return {
        {"n", ParamType::Int, {"query rows N", "查询行数 N"}, 1, 32, {}, std::int64_t{8}},
        {"nk", ParamType::Int, {"key rows N_k", "键行数 N_k"}, 1, 32, {}, std::int64_t{12}},
        {"d", ParamType::Int, {"head size d", "头维度 d"}, 1, 16, {}, std::int64_t{4}},
        {"br", ParamType::Int, {"Q block rows Br", "Q 块行数 Br"}, 1, 32, {}, std::int64_t{4}},
        {"bc", ParamType::Int, {"K/V block rows Bc", "K/V 块行数 Bc"}, 1, 32, {}, std::int64_t{4}},
        {"seed", ParamType::Int, {"input seed", "输入随机种子"}, 1, 99, {}, std::int64_t{1}},
    };
}

std::unique_ptr<LabRun> FlashAttentionLab::run(const ParamSet& p) const {
    return std::make_unique<FlashRun>(p.getInt("n", 8), p.getInt("nk", 12), p.getInt("d", 4),
                                      p.getInt("br", 4), p.getInt("bc", 4), p.getInt("seed", 1));
}

} // namespace aisys::lessons
