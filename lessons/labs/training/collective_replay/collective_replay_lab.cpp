// Lab "collective-replay": two timelines on one time axis — the measured run (every rank's
// steps from an aisyslab-mpi trace) above, the simulator's run of the same schedule below.
#include "lessons/labs/training/collective_replay/collective_replay_lab.h"

#include "engine/dist/collective_trace.h"
#include "engine/dist/simulate.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::lessons {

namespace {

namespace d = engine::dist;

constexpr std::uint32_t kMeasuredBar = 10'000; // + rank * 1000 + step
constexpr std::uint32_t kSimBar = 200'000;     // + rank * 1000 + step
constexpr std::uint32_t kMsgArrow = 400'000;   // + index

class ReplayRun : public LabRun {
public:
    ReplayRun(d::CollectiveTrace tr, int iteration, d::SimulatedSteps sim, double alpha, double bw,
              bool calibrated)
        : m_tr(std::move(tr)), m_it(iteration), m_sim(std::move(sim)), m_alpha(alpha), m_bw(bw),
          m_calibrated(calibrated) {}

    std::vector<Phase> phases() const override {
        return {{"overview", 1}, {"step", m_tr.rounds}, {"summary", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    /// Measured: when the slowest rank ended step k (−1: 0).
    double measuredEnd(int k) const {
        double t = 0;
        for (int r = 0; k >= 0 && r < m_tr.ranks; ++r)
            t = std::max(t, m_tr.step(m_it, r, k).end);
        return t;
    }
    double simulatedEnd(int k) const {
        double t = 0;
        for (int r = 0; k >= 0 && r < m_tr.ranks; ++r)
            t = std::max(t, m_sim.end[r][k]);
        return t;
    }
    std::int64_t maxMessage(int k) const {
        std::int64_t b = 0;
        for (int r = 0; r < m_tr.ranks; ++r)
            for (const auto& m : m_tr.step(m_it, r, k).messages)
                b = std::max(b, m.bytes);
        return b;
    }

    d::CollectiveTrace m_tr;
    int m_it;
    d::SimulatedSteps m_sim;
    double m_alpha, m_bw;
    bool m_calibrated;
};

std::string us(double seconds) {
    return fmtNum(seconds * 1e6, seconds < 1e-4 ? 2 : 1) + " µs";
}

viz::Scene ReplayRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    const int p = m_tr.ranks, rounds = m_tr.rounds;
    const int step = frame >= 1 && frame <= rounds ? frame - 1 : -1; // highlighted step
    const bool summary = frame > rounds;
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;

    const double tMeasured = measuredEnd(rounds - 1), tSim = simulatedEnd(rounds - 1);
    const double tMax = std::max(tMeasured, tSim) * 1.04;
    const float x0 = 170, W = 960;
    auto X = [&](double t) { return x0 + float(t / tMax) * W; };
    const float laneH = p <= 8 ? 22.0f : std::max(8.0f, 180.0f / p), laneGap = 4;
    const float panelH = p * (laneH + laneGap);

    // 1. The heading: what ran where.
    std::string hosts;
    for (const auto& h : m_tr.hosts)
        if (hosts.find(h) == std::string::npos)
            hosts += (hosts.empty() ? "" : ", ") + h;
    dl.text({20, 16},
            std::string(d::opName(m_tr.op)) + " · " + d::algoName(m_tr.algo) + " · " +
                std::to_string(p) + tr2(L, " ranks · ", " 个进程 · ") +
                fmtBytes(double(m_tr.bytes)) + " " + m_tr.dtype + tr2(L, " · host: ", " · 主机：") +
                hosts + tr2(L, " · iteration ", " · 第 ") + std::to_string(m_it) +
                tr2(L, " (median of ", " 次迭代（共 ") + std::to_string(m_tr.iterations) +
                tr2(L, ")", " 次中的中位数）"),
            pal.foreground, 14)
        .bold = true;

    // 2. The two panels on one time axis.
    struct PanelSpec {
        bool measured;
        float y;
    };
    const float yA = 70, yB = yA + panelH + 60;
    for (PanelSpec ps : {PanelSpec{true, yA}, PanelSpec{false, yB}}) {
        const std::string head =
            ps.measured ? std::string(tr2(L, "measured: MPI point-to-point (MPI_Wtime per step)",
                                          "实测：MPI 点对点通信（每步 MPI_Wtime 计时）"))
                        : std::string(tr2(L, "simulated: engine/dist, fully connected, α = ",
                                          "模拟：engine/dist，全互连，α = ")) +
                              us(m_alpha) + ", β = " + fmtNum(m_bw / 1e9, 2) + " GB/s" +
                              (m_calibrated
                                   ? tr2(L, " (ping-pong of the run)", "（取自该次运行的乒乓测量）")
                                   : tr2(L, " (set by hand)", "（手动设定）"));
        dl.text({x0, ps.y - 22}, head, ps.measured ? pal.accent : pal.accent2, 13).bold = true;
        for (int r = 0; r < p; ++r) {
            const float y = ps.y + r * (laneH + laneGap);
            dl.text({x0 - 8, y + laneH / 2},
                    std::string(tr2(L, "rank ", "进程 ")) + std::to_string(r), pal.foreground, 11,
                    HAlign::Right, VAlign::Middle);
            dl.box({x0, y, W, laneH}, pal.panel, kNoColor, 0, 0);
            for (int k = 0; k < rounds; ++k) {
                double a, b;
                if (ps.measured) {
                    a = m_tr.step(m_it, r, k).start;
                    b = m_tr.step(m_it, r, k).end;
                } else {
                    a = m_sim.start[r][k];
                    b = m_sim.end[r][k];
                }
                const bool hi = step < 0 || k == step;
                Color c = pal.category(std::size_t(k));
                if (!hi)
                    c = mix(pal.background, c, 0.25f);
                const std::uint32_t id =
                    (ps.measured ? kMeasuredBar : kSimBar) + std::uint32_t(r * 1000 + k);
                const float w = std::max(1.0f, X(b) - X(a));
                dl.box({X(a), y + 1, w, laneH - 2}, c, hi && step >= 0 ? pal.foreground : kNoColor,
                       2, 1.5f, id);
                if (w > 22 && laneH >= 14)
                    dl.text({X(a) + w / 2, y + laneH / 2}, std::to_string(k), textOn(c), 10,
                            HAlign::Center, VAlign::Middle, id);
                ObjectInfo info;
                info.title = std::string(ps.measured ? tr2(L, "measured", "实测")
                                                     : tr2(L, "simulated", "模拟")) +
                             tr2(L, " · rank ", " · 进程 ") + std::to_string(r) +
                             tr2(L, " · step ", " · 第 ") + std::to_string(k) + tr2(L, "", " 步");
                info.facts = {{tr2(L, "start", "开始"), us(a)},
                              {tr2(L, "end", "结束"), us(b)},
                              {tr2(L, "duration", "用时"), us(b - a)}};
                if (ps.measured)
                    for (const auto& m : m_tr.step(m_it, r, k).messages)
                        info.facts.push_back(
                            {std::string(m.send ? tr2(L, "send to ", "发送给 ")
                                                : tr2(L, "recv from ", "接收自 ")) +
                                 std::to_string(m.peer),
                             fmtBytes(double(m.bytes)) + ", " + us(m.start) + " → " + us(m.end)});
                s.objects[id] = std::move(info);
            }
        }
        // The end of the whole run in this panel.
        const double end = ps.measured ? tMeasured : tSim;
        dl.line({X(end), ps.y - 2}, {X(end), ps.y + panelH + 2}, pal.foreground, 1.5f).dashed =
            true;
        dl.text({X(end) + 4, ps.y + panelH}, us(end), pal.foreground, 11, HAlign::Left, VAlign::Top)
            .bold = true;
    }
    // Messages of the highlighted step (measured): sender's post → receiver's completion.
    if (step >= 0) {
        std::uint32_t n = 0;
        for (int r = 0; r < p; ++r)
            for (const auto& m : m_tr.step(m_it, r, step).messages) {
                if (!m.send)
                    continue;
                double arrive = m.end;
                for (const auto& q : m_tr.step(m_it, m.peer, step).messages)
                    if (!q.send && q.peer == r)
                        arrive = q.end;
                const float ya = yA + r * (laneH + laneGap) + laneH / 2;
                const float yb = yA + m.peer * (laneH + laneGap) + laneH / 2;
                dl.arrow({{X(m.start), ya}, {X(arrive), yb}}, pal.foreground, 1.5f, kMsgArrow + n++)
                    .layer = 2;
            }
    }
    // The time axis under the lower panel.
    const float yAxis = yB + panelH + 22;
    dl.line({x0, yAxis}, {x0 + W, yAxis}, pal.muted, 1);
    const double tick = std::pow(10.0, std::floor(std::log10(tMax / 4)));
    const double stepTick = tMax / tick > 20 ? 5 * tick : tMax / tick > 8 ? 2 * tick : tick;
    for (double t = 0; t <= tMax; t += stepTick) {
        dl.line({X(t), yAxis}, {X(t), yAxis + 5}, pal.muted, 1);
        dl.text({X(t), yAxis + 7}, fmtNum(t * 1e6, stepTick < 1e-6 ? 1 : 0), pal.muted, 10,
                HAlign::Center, VAlign::Top);
    }
    dl.text(
        {x0 + W, yAxis + 22},
        tr2(L, "time since the iteration's barrier (µs)", "自本次迭代的 barrier 起的时间（µs）"),
        pal.muted, 11, HAlign::Right, VAlign::Top);

    // 3. Numbers of the frame.
    float yt = yAxis + 48;
    const double factor = d::busBandwidthFactor(m_tr.op, p);
    auto bw = [&](double t) {
        const double algbw = double(m_tr.bytes) / 1e9 / t;
        return "algbw " + fmtNum(algbw, 3) + " GB/s, busbw " + fmtNum(algbw * factor, 3) + " GB/s";
    };
    auto line = [&](const std::string& text, Color c, bool bold = false) {
        dl.text({x0, yt}, text, c, 12).bold = bold;
        yt += 18;
    };
    if (step >= 0) {
        const double mA = measuredEnd(step - 1), mB = measuredEnd(step);
        const double sA = simulatedEnd(step - 1), sB = simulatedEnd(step);
        line(std::string(tr2(L, "Step ", "第 ")) + std::to_string(step) +
                 tr2(L, ": largest message ", " 步：最大消息 ") +
                 fmtBytes(double(maxMessage(step))) +
                 tr2(L, " (arrows: sender posts → receiver has it)",
                     "（箭头：发送方投递 → 接收方收齐）"),
             pal.foreground, true);
        line(std::string(tr2(L, "measured: slowest rank ends at ", "实测：最慢进程结束于 ")) +
                 us(mB) + tr2(L, ", step took ", "，本步用时 ") + us(mB - mA),
             pal.accent);
        line(std::string(tr2(L, "simulated: slowest rank ends at ", "模拟：最慢进程结束于 ")) +
                 us(sB) + tr2(L, ", step took ", "，本步用时 ") + us(sB - sA) + "  (α + " +
                 fmtBytes(double(maxMessage(step))) +
                 "/β = " + us(m_alpha + double(maxMessage(step)) / m_bw) + ")",
             pal.accent2);
    } else {
        line(std::string(tr2(L, "measured ", "实测 ")) + us(tMeasured) +
                 tr2(L, " (this iteration) · ", "（本次迭代）· ") + bw(tMeasured),
             pal.accent, true);
        line(std::string(tr2(L, "simulated ", "模拟 ")) + us(tSim) + " · " + bw(tSim), pal.accent2,
             true);
        line(std::string(tr2(L, "measured / simulated = ", "实测 / 模拟 = ")) +
                 fmtNum(tMeasured / tSim, 2) + "×" +
                 tr2(L, "   (busbw = algbw · 2(p−1)/p, nccl-tests doc/PERFORMANCE.md)",
                     "   （busbw = algbw · 2(p−1)/p，见 nccl-tests doc/PERFORMANCE.md）"),
             pal.foreground);
        if (summary) {
            yt += 6;
            // Columns right-aligned at fixed x: step, largest message, measured, simulated, ratio
            // (the slowest rank's step: its end minus the previous step's end).
            const float cols[] = {40, 150, 260, 370, 450};
            auto row = [&](const std::vector<std::string>& cells, Color c, bool bold) {
                for (std::size_t i = 0; i < cells.size(); ++i)
                    dl.text({x0 + cols[i], yt}, cells[i], c, 12, HAlign::Right).bold = bold;
                yt += 18;
            };
            row({tr2(L, "step", "步"), tr2(L, "largest msg", "最大消息"),
                 tr2(L, "measured", "实测"), tr2(L, "simulated", "模拟"), tr2(L, "ratio", "比值")},
                pal.muted, true);
            for (int k = 0; k < rounds; ++k) {
                const double m = measuredEnd(k) - measuredEnd(k - 1);
                const double sm = simulatedEnd(k) - simulatedEnd(k - 1);
                row({std::to_string(k), fmtBytes(double(maxMessage(k))), us(m), us(sm),
                     sm > 0 ? fmtNum(m / sm, 2) + "×" : "–"},
                    pal.foreground, false);
            }
        }
    }

    if (frame == 0)
        s.caption = tr2(L,
                        "A real MPI run (above) and the simulator's run of the same schedule "
                        "(below), on one time axis",
                        "真实的 MPI 运行（上）与同一调度在模拟器上的运行（下），共用一条时间轴");
    else if (summary)
        s.caption = tr2(L, "Step by step: measured against simulated", "逐步对比：实测与模拟");
    else
        s.caption = std::string(tr2(L, "Step ", "第 ")) + std::to_string(step) +
                    tr2(L, " (of 0–", " 步（共 0–") + std::to_string(rounds - 1) +
                    tr2(L, "): the same round in the real run and in the simulation",
                        " 步）：真实运行与模拟中的同一轮");
    s.legend.push_back({pal.category(0), tr2(L, "a step (round) of the schedule; colour = step",
                                             "调度的一步（轮）；颜色 = 步序号")});
    s.legend.push_back(
        {pal.foreground, tr2(L, "dashed: the last rank's end", "虚线：最后一个进程结束")});
    return s;
}

} // namespace

LocalText CollectiveReplayLab::title() const {
    return {"A real MPI run beside its simulation", "真实 MPI 运行与其模拟并排回放"};
}

std::vector<ParamSpec> CollectiveReplayLab::params() const {
    ParamSpec trace{"trace",
                    ParamType::Text,
                    {"trace file (aisyslab-mpi --trace)", "trace 文件（aisyslab-mpi --trace）"},
                    0,
                    0,
                    {},
                    std::string()};
    trace.path = true;
    return {
        trace,
        {"iteration",
         ParamType::Int,
         {"iteration (−1: the median)", "迭代序号（−1：中位数）"},
         -1,
         999,
         {},
         std::int64_t{-1}},
        {"link",
         ParamType::Choice,
         {"simulated links", "模拟链路参数"},
         0,
         0,
         {"calibrated", "manual"},
         std::string("calibrated")},
        {"alpha",
         ParamType::Float,
         {"manual: latency α (µs)", "手动：延迟 α（µs）"},
         0,
         1000,
         {},
         5.0},
        {"bandwidth",
         ParamType::Float,
         {"manual: bandwidth β (GB/s)", "手动：带宽 β（GB/s）"},
         0.01,
         1000,
         {},
         10.0},
    };
}

std::unique_ptr<LabRun> CollectiveReplayLab::run(const ParamSet& p) const {
    const std::string file = p.getString("trace");
    if (file.empty())
        throw std::invalid_argument("no trace file: set the 'trace' parameter to a file written by "
                                    "`mpirun -np P aisyslab-mpi ... --trace FILE`");
    std::string error;
    auto tr = d::readTrace(file, error);
    if (!tr)
        throw std::invalid_argument(error);
    int it = int(p.getInt("iteration", -1));
    if (it >= tr->iterations)
        throw std::invalid_argument("iteration " + std::to_string(it) + ": the trace has " +
                                    std::to_string(tr->iterations) + " (0.." +
                                    std::to_string(tr->iterations - 1) + ", or −1 for the median)");
    if (it < 0)
        it = tr->medianIteration();
    const bool calibrated = p.getString("link", "calibrated") == "calibrated";
    double alpha = p.getFloat("alpha", 5.0) * 1e-6, bw = p.getFloat("bandwidth", 10.0) * 1e9;
    if (calibrated) {
        if (tr->alpha < 0 || !(tr->bandwidth > 0))
            throw std::invalid_argument(file + ": the trace has no calibration (a run on one "
                                               "rank, or --no-calibrate): set link = manual");
        alpha = tr->alpha;
        bw = tr->bandwidth;
    }
    auto sim = d::simulateTrace(*tr, alpha, bw, error);
    if (!sim)
        throw std::invalid_argument(file + ": " + error);
    return std::make_unique<ReplayRun>(std::move(*tr), it, std::move(*sim), alpha, bw, calibrated);
}

} // namespace aisys::lessons
