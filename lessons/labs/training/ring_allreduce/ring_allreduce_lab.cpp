// Lab "ring-allreduce": the ring of GPUs on the left, every rank's buffer on the right.
#include "lessons/labs/training/ring_allreduce/ring_allreduce_lab.h"

#include "engine/dist/ring_allreduce.h"
#include "lessons/common/draw_helpers.h"

#include <bit>
#include <cmath>
#include <random>

namespace aisys::lessons {

namespace {

constexpr std::uint32_t kRankId = 1;            // + rank
constexpr std::uint32_t kArrowId = 100;         // + sending rank
constexpr std::uint32_t kCellId = 1'000'000;    // + rank * 65536 + element
constexpr std::uint32_t kSumCellId = 3'000'000; // + element

class RingRun : public LabRun {
public:
    /// `alpha`, `bandwidth`: the ring links' latency and bandwidth the ring ran on.
    RingRun(engine::RingAllReduce ring, bool integers, double alpha, double bandwidth)
        : m_ring(std::move(ring)), m_integers(integers), m_alpha(alpha), m_bandwidth(bandwidth) {}

    std::vector<Phase> phases() const override {
        const int p = m_ring.ranks();
        return {{"init", 1}, {"reduce-scatter", p - 1}, {"all-gather", p - 1}, {"done", 1}};
    }

    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    std::string num(double v) const { return m_integers ? fmtNum(v, 0) : fmtNum(v, 2); }

    engine::RingAllReduce m_ring;
    bool m_integers;
    double m_alpha, m_bandwidth;
};

viz::Scene RingRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    const int p = m_ring.ranks();
    const std::int64_t n = m_ring.length();
    const int rounds = m_ring.roundCount();
    // Frame → round: 0 = initial state, 1..2(p-1) = after round k-1, last = done.
    const int roundIdx = std::min(frame, rounds) - 1; // -1 = before any round
    const bool done = frame > rounds;
    const engine::RingRound* round = roundIdx >= 0 ? &m_ring.round(roundIdx) : nullptr;
    const bool showSends = round && !done;

    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;

    // 1. The ring: p GPUs on a circle, arrows r → r+1 labelled with the chunk they carry.
    const float R = std::max(110.0f, p * 16.0f);
    const Vec2 c0{R + 40, R + 70};
    const float kPi = 3.14159265f;
    auto rankPos = [&](int r) {
        float a = -kPi / 2 + 2 * kPi * r / p;
        return Vec2{c0.x + R * std::cos(a), c0.y + R * std::sin(a)};
    };
    const float gpuR = std::max(16.0f, std::min(30.0f, 260.0f / p));
    dl.circle(c0, R, viz::kNoColor, pal.grid, 1.5f).dashed = true;
    for (int r = 0; r < p; ++r) {
        Vec2 a = rankPos(r), b = rankPos((r + 1) % p);
        Vec2 d = b - a;
        float len = std::sqrt(d.x * d.x + d.y * d.y);
        Vec2 u = d * (1.0f / len);
        Vec2 from = a + u * (gpuR + 4), to = b - u * (gpuR + 4);
        if (showSends) {
            const auto& tr = round->transfers[r];
            Color col = pal.category(tr.chunk);
            // Bow the arrow outwards so its label sits outside the ring.
            Vec2 mid = (from + to) * 0.5f;
            Vec2 out = mid - c0;
            float ol = std::sqrt(out.x * out.x + out.y * out.y);
            Vec2 bow = mid + out * (std::min(28.0f, len * 0.18f) / ol);
            std::vector<Vec2> pts;
            for (int k = 0; k <= 12; ++k) {
                float t = k / 12.0f, v = 1 - t;
                pts.push_back(from * (v * v) + bow * (2 * v * t) + to * (t * t));
            }
            dl.arrow(pts, col, 3.0f, kArrowId + r).layer = 1;
            Vec2 lab = mid + out * ((std::min(28.0f, len * 0.18f) + 16) / ol);
            std::string label = std::string(tr2(L, "chunk ", "块 ")) + std::to_string(tr.chunk);
            Prim& t = dl.text(lab, label, col, 12, HAlign::Center, VAlign::Middle, kArrowId + r);
            t.bold = true;
            ObjectInfo info;
            info.title = "GPU " + std::to_string(tr.src) + " → GPU " + std::to_string(tr.dst);
            info.facts = {{tr2(L, "chunk", "数据块"), std::to_string(tr.chunk)},
                          {tr2(L, "elements", "元素个数"), std::to_string(tr.elems)},
                          {tr2(L, "bytes", "字节"), fmtBytes(double(tr.elems) * 4)},
                          {tr2(L, "receiver does", "接收方操作"),
                           round->kind == engine::RingRound::Kind::ReduceScatter
                               ? tr2(L, "adds it to its chunk", "累加到自己的块")
                               : tr2(L, "overwrites its chunk", "覆盖自己的块")}};
            s.objects[kArrowId + r] = info;
        } else {
            dl.arrow({from, to}, pal.grid, 1.5f).layer = 1;
        }
    }
    for (int r = 0; r < p; ++r) {
        Vec2 pos = rankPos(r);
        dl.circle(pos, gpuR, pal.panel, pal.accent, 2.0f, kRankId + r).layer = 2;
        Prim& t =
            dl.text(pos, "GPU" + std::to_string(r), pal.foreground, std::max(9.0f, gpuR * 0.55f),
                    HAlign::Center, VAlign::Middle, kRankId + r);
        t.bold = true;
        t.layer = 3;
        ObjectInfo info;
        info.title = "GPU " + std::to_string(r);
        info.facts = {{tr2(L, "sends to", "发送给"), "GPU " + std::to_string((r + 1) % p)},
                      {tr2(L, "receives from", "接收自"), "GPU " + std::to_string((r + p - 1) % p)},
                      {tr2(L, "bytes sent so far", "累计发送字节"),
                       fmtBytes(round ? double(round->bytesSent[r]) : 0.0)}};
        s.objects[kRankId + r] = info;
    }

    // 2. Buffers: one row per rank, cells grouped by chunk, tinted by how many ranks'
    //    inputs are summed into them (pale = own data only, full colour = complete sum).
    const auto& bufs = round ? round->buffers : m_ring.inputs();
    const float x0 = c0.x + R + 90;
    const float y0 = 60;
    const float cellW = n <= 12 ? 40.0f : n <= 32 ? 26.0f : std::max(4.0f, 900.0f / n);
    const float cellH = p <= 8 ? 28.0f : 20.0f;
    const float chunkGap = n <= 64 ? 8.0f : 3.0f;
    const bool numbers = cellW >= 26;
    auto cellX = [&](std::int64_t i) {
        int c = 0;
        while (c + 1 < p && m_ring.chunkBegin(c + 1) <= i)
            ++c;
        return x0 + 70 + i * cellW + c * chunkGap;
    };
    const float rowGap = 6;
    for (int c = 0; c < p; ++c) {
        std::int64_t b = m_ring.chunkBegin(c), e = m_ring.chunkEnd(c);
        if (b == e)
            continue;
        float xa = cellX(b), xb = cellX(e - 1) + cellW;
        dl.text({(xa + xb) / 2, y0 - 8}, std::string(tr2(L, "chunk ", "块 ")) + std::to_string(c),
                pal.category(c), 11, HAlign::Center, VAlign::Bottom)
            .bold = true;
    }
    for (int r = 0; r < p; ++r) {
        float y = y0 + r * (cellH + rowGap);
        dl.text({x0 + 60, y + cellH / 2}, "GPU" + std::to_string(r), pal.foreground, 12,
                HAlign::Right, VAlign::Middle, kRankId + r);
        for (std::int64_t i = 0; i < n; ++i) {
            int c = 0;
            while (c + 1 < p && m_ring.chunkBegin(c + 1) <= i)
                ++c;
            std::uint32_t mask = round ? round->contributors[r][c] : (1u << r);
            int count = std::popcount(mask);
            float t = p > 1 ? float(count - 1) / float(p - 1) : 1.0f;
            Color fill = mix(pal.background, pal.category(c), 0.18f + 0.82f * t);
            bool touched = showSends && round->transfers[(r + p - 1) % p].chunk == c;
            std::uint32_t id = kCellId + std::uint32_t(r) * 65536u + std::uint32_t(i);
            Rect cell{cellX(i), y, cellW - 1, cellH};
            dl.box(cell, fill, touched ? pal.foreground : pal.panelBorder.withAlpha(0.5f), 3,
                   touched ? 2.0f : 0.75f, id);
            if (numbers)
                dl.text(cell.center(), num(bufs[r][i]), textOn(fill), 11, HAlign::Center,
                        VAlign::Middle, id);
            ObjectInfo info;
            info.title = "GPU " + std::to_string(r) + " · x[" + std::to_string(i) + "]";
            std::string who;
            for (int q = 0; q < p; ++q)
                if (mask & (1u << q))
                    who += (who.empty() ? "" : " + ") + std::string("GPU") + std::to_string(q);
            info.facts = {{tr2(L, "value", "数值"), num(bufs[r][i])},
                          {tr2(L, "chunk", "数据块"), std::to_string(c)},
                          {tr2(L, "sum of", "求和来源"), who},
                          {tr2(L, "complete", "已完整"),
                           count == p ? tr2(L, "yes", "是") : tr2(L, "not yet", "否")}};
            s.objects[id] = std::move(info);
        }
        // Bytes sent so far by this rank.
        double sent = round ? double(round->bytesSent[r]) : 0.0;
        dl.text({cellX(n - 1) + cellW + 14, y + cellH / 2}, fmtBytes(sent), pal.muted, 11,
                HAlign::Left, VAlign::Middle, kRankId + r);
    }
    const float tableBottom = y0 + p * (cellH + rowGap);
    dl.text({cellX(n - 1) + cellW + 14, y0 - 8}, tr2(L, "sent", "已发送"), pal.muted, 11,
            HAlign::Left, VAlign::Bottom);

    // 3. Done: the expected sum, the check, and the traffic against the closed form.
    float yText = tableBottom + 16;
    if (done) {
        const auto expect = m_ring.expectedSum();
        bool allEqual = true;
        for (int r = 0; r < p; ++r)
            for (std::int64_t i = 0; i < n; ++i)
                allEqual &= std::fabs(bufs[r][i] - expect[i]) <= 1e-4f * (1 + std::fabs(expect[i]));
        dl.text({x0 + 60, yText + cellH / 2}, tr2(L, "Σ inputs", "输入之和"), pal.accent, 12,
                HAlign::Right, VAlign::Middle)
            .bold = true;
        for (std::int64_t i = 0; i < n; ++i) {
            Rect cell{cellX(i), yText, cellW - 1, cellH};
            dl.box(cell, pal.panel, pal.accent, 3, 1.5f, kSumCellId + std::uint32_t(i));
            if (numbers)
                dl.text(cell.center(), num(expect[i]), pal.foreground, 11, HAlign::Center,
                        VAlign::Middle, kSumCellId + std::uint32_t(i));
            ObjectInfo sum;
            sum.title = "Σ x[" + std::to_string(i) + "]";
            sum.facts = {
                {tr2(L, "element-wise sum of all inputs", "所有输入逐元素求和"), num(expect[i])}};
            s.objects[kSumCellId + std::uint32_t(i)] = std::move(sum);
        }
        yText += cellH + 18;
        dl.text({x0, yText},
                allEqual ? tr2(L, "✓ Every GPU now holds the element-wise sum.",
                               "✓ 每块 GPU 现在都持有逐元素之和。")
                         : tr2(L, "✗ Buffers differ from the sum (bug!).",
                               "✗ 缓冲区与求和结果不一致（错误！）"),
                allEqual ? pal.good : pal.bad, 14)
            .bold = true;
        yText += 24;
    }
    double sentPerRank = round ? double(round->bytesSent[0]) : 0.0;
    double formula = engine::RingAllReduce::closedFormBytesPerRank(p, n, 4);
    std::string traffic = std::string(tr2(L, "Bytes sent per GPU: ", "每块 GPU 发送字节：")) +
                          fmtBytes(sentPerRank) +
                          tr2(L, "   ·   all-reduce total 2(p−1)/p · N = ",
                              "   ·   整个 All-Reduce 为 2(p−1)/p · N = ") +
                          fmtBytes(formula) + "  (N = " + fmtBytes(double(n) * 4) +
                          ", p = " + std::to_string(p) + ")";
    dl.text({x0, yText}, traffic, pal.muted, 12);
    // The time of this frame: when the last GPU finished the round, on the simulator.
    const double now = done ? m_ring.totalTime() : round ? round->time : 0.0;
    const double closed = engine::RingAllReduce::alphaBetaTime(p, n, 4, m_alpha, m_bandwidth);
    std::string timeLine =
        std::string(tr2(L, "Time: ", "时间：")) + fmtNum(now * 1e6, 2) + " µs" +
        tr2(L, " (simulated, links α = ", "（模拟，链路 α = ") + fmtNum(m_alpha * 1e6, 2) +
        " µs, β = " + fmtNum(m_bandwidth / 1e9, 2) + " GB/s" +
        tr2(L, ")   ·   2(p−1)(α + ⌈N/p⌉·4 B/β) = ", "）   ·   2(p−1)(α + ⌈N/p⌉·4 B/β) = ") +
        fmtNum(closed * 1e6, 2) + " µs";
    dl.text({x0, yText + 18}, timeLine, pal.muted, 12);

    // 4. Caption for the frame.
    if (frame == 0)
        s.caption = std::string(tr2(L, "Start: each of the ", "开始：")) + std::to_string(p) +
                    tr2(L, " GPUs holds its own vector, split into chunks",
                        " 块 GPU 各自持有一个向量，并切分成若干块");
    else if (done)
        s.caption =
            tr2(L, "Done: all-reduce finished in 2(p−1) rounds", "完成：All-Reduce 共用 2(p−1) 轮");
    else if (round->kind == engine::RingRound::Kind::ReduceScatter)
        s.caption = std::string(tr2(L, "Reduce-scatter round ", "Reduce-Scatter 第 ")) +
                    std::to_string(round->index + 1) + "/" + std::to_string(p - 1) +
                    tr2(L, ": each GPU sends one chunk to its neighbour, which adds it",
                        " 轮：每块 GPU 把一个块发给下一个邻居，邻居将其累加");
    else
        s.caption =
            std::string(tr2(L, "All-gather round ", "All-Gather 第 ")) +
            std::to_string(round->index + 1) + "/" + std::to_string(p - 1) +
            tr2(L, ": completed chunks travel on around the ring", " 轮：已完成的块沿环继续传递");

    s.legend.push_back(
        {mix(pal.background, pal.category(0), 0.18f), tr2(L, "own data only", "仅本卡数据")});
    s.legend.push_back({pal.category(0), tr2(L, "complete sum of all GPUs", "所有 GPU 的完整和")});
    s.legend.push_back({pal.foreground, tr2(L, "outlined: just received", "描边：本轮刚收到")});
    return s;
}

} // namespace

LocalText RingAllReduceLab::title() const {
    return {"Ring all-reduce", "环形 All-Reduce"};
}

std::vector<ParamSpec> RingAllReduceLab::params() const {
    return {
        {"ranks", ParamType::Int, {"GPUs (ranks) p", "GPU 数量 p"}, 2, 16, {}, std::int64_t{4}},
        {"length", ParamType::Int, {"vector length N", "向量长度 N"}, 1, 256, {}, std::int64_t{8}},
        {"values",
         ParamType::Choice,
         {"values", "数值"},
         0,
         0,
         {"integers", "random"},
         std::string("integers")},
        {"seed", ParamType::Int, {"random seed", "随机种子"}, 0, 999, {}, std::int64_t{1}},
        {"alpha", ParamType::Float, {"link latency α (µs)", "链路延迟 α（µs）"}, 0, 100, {}, 5.0},
        {"bandwidth",
         ParamType::Float,
         {"link bandwidth β (GB/s)", "链路带宽 β（GB/s）"},
         0.1,
         1000,
         {},
         100.0},
    };
}

std::unique_ptr<LabRun> RingAllReduceLab::run(const ParamSet& p) const {
    const int ranks = static_cast<int>(p.getInt("ranks", 4));
    const std::int64_t n = p.getInt("length", 8);
    const bool integers = p.getString("values", "integers") == "integers";
    std::mt19937 rng(static_cast<unsigned>(p.getInt("seed", 1)));
    std::uniform_int_distribution<int> di(0, 9);
    std::uniform_real_distribution<float> dr(-1.0f, 1.0f);
    std::vector<std::vector<float>> inputs(std::max(0, ranks),
                                           std::vector<float>(std::max<std::int64_t>(0, n)));
    for (auto& v : inputs)
        for (auto& x : v)
            x = integers ? float(di(rng)) : dr(rng);
    // The rounds run on the collective simulator over ring links of latency α, bandwidth β.
    const double alpha = p.getFloat("alpha", 5.0) * 1e-6, bw = p.getFloat("bandwidth", 100.0) * 1e9;
    return std::make_unique<RingRun>(engine::RingAllReduce(std::move(inputs), 4, alpha, bw),
                                     integers, alpha, bw);
}

} // namespace aisys::lessons
