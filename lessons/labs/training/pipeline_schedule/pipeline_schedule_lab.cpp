// Lab "pipeline-schedule": one row per pipeline stage with its passes as boxes, the bubble as
// gaps, a cursor at the frame's moment, and per stage a gauge of the micro-batches whose
// activations it holds then (and its peak).
#include "lessons/labs/training/pipeline_schedule/pipeline_schedule_lab.h"

#include "engine/dist/pipeline_schedule.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>

namespace aisys::lessons {

namespace dist = engine::dist;

namespace {

constexpr std::uint32_t kSlotId = 1;          // + slot index
constexpr std::uint32_t kGaugeId = 1'000'000; // + stage

class PipelineRun : public LabRun {
public:
    PipelineRun(dist::PipelineSetup s, dist::PipelineResult r)
        : m_s(std::move(s)), m_r(std::move(r)) {
        // The frames: every moment a pass ends (at most 40, evenly thinned), then the summary.
        std::set<double> ends;
        for (const auto& sl : m_r.slots)
            ends.insert(sl.end);
        std::vector<double> all(ends.begin(), ends.end());
        const std::size_t n = std::min<std::size_t>(all.size(), 40);
        for (std::size_t i = 0; i < n; ++i)
            m_times.push_back(all[(i + 1) * all.size() / n - 1]);
    }

    std::vector<Phase> phases() const override {
        return {{"timeline", int(m_times.size())}, {"summary", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    dist::PipelineSetup m_s;
    dist::PipelineResult m_r;
    std::vector<double> m_times;
};

viz::Scene PipelineRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    const bool summary = frame >= int(m_times.size());
    const double now = summary ? m_r.makespan : m_times[std::size_t(frame)];
    const int p = m_s.stages;
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;

    // 1. The Gantt chart: passes that started by `now` (clipped at it), the cursor.
    const float left = 90, width = 900, top = 60, rowH = 34, gap = 8;
    const double span = m_r.makespan > 0 ? m_r.makespan : 1;
    auto X = [&](double t) { return left + float(t / span) * width; };
    const Color fwd = pal.category(0), bwd = pal.category(2), bIn = pal.category(3),
                wGrad = pal.category(1);
    for (int st = 0; st < p; ++st) {
        const float y = top + st * (rowH + gap);
        dl.text({left - 10, y + rowH / 2},
                std::string(tr2(L, "stage ", "阶段 ")) + std::to_string(st), pal.foreground, 13,
                HAlign::Right, VAlign::Middle);
        dl.box({left, y, width, rowH}, pal.panel, pal.panelBorder, 2, 1);
    }
    for (std::size_t i = 0; i < m_r.slots.size(); ++i) {
        const auto& sl = m_r.slots[i];
        if (sl.start >= now)
            continue;
        const float y = top + sl.stage * (rowH + gap);
        const double end = std::min(sl.end, now);
        const Color c = sl.pass == dist::PipelinePass::Forward     ? fwd
                        : sl.pass == dist::PipelinePass::Backward  ? bwd
                        : sl.pass == dist::PipelinePass::InputGrad ? bIn
                                                                   : wGrad;
        const Color fill = sl.chunk % 2 ? mix(pal.background, c, 0.55f) : c;
        const std::uint32_t id = kSlotId + std::uint32_t(i);
        const Rect box{X(sl.start), y, std::max(1.0f, X(end) - X(sl.start) - 1), rowH};
        dl.box(box, fill, kNoColor, 2, 0, id);
        if (box.w >= 14)
            dl.text(box.center(), std::to_string(sl.micro), textOn(fill), 12, HAlign::Center,
                    VAlign::Middle, id);
        ObjectInfo info;
        const char* pass = sl.pass == dist::PipelinePass::Forward    ? tr2(L, "forward", "前向")
                           : sl.pass == dist::PipelinePass::Backward ? tr2(L, "backward", "反向")
                           : sl.pass == dist::PipelinePass::InputGrad
                               ? tr2(L, "B: input gradient", "B：输入梯度")
                               : tr2(L, "W: weight gradient", "W：权重梯度");
        info.title = std::string(pass) + " · " + tr2(L, "micro-batch ", "微批次 ") +
                     std::to_string(sl.micro);
        info.facts = {{tr2(L, "stage", "阶段"), std::to_string(sl.stage)},
                      {tr2(L, "model chunk", "模型块"), std::to_string(sl.chunk)},
                      {tr2(L, "start", "开始"), fmtNum(sl.start, 2)},
                      {tr2(L, "end", "结束"), fmtNum(sl.end, 2)}};
        s.objects[id] = std::move(info);
    }
    const float bottom = top + p * (rowH + gap);
    dl.line({X(now), top - 8}, {X(now), bottom}, pal.accent, 2).layer = 2;
    dl.text({X(now), top - 10}, "t = " + fmtNum(now, 2), pal.accent, 12, HAlign::Center,
            VAlign::Bottom);
    dl.text({left, bottom + 14}, "0", pal.muted, 11, HAlign::Center, VAlign::Top);
    dl.text({left + width, bottom + 14}, fmtNum(m_r.makespan, 2), pal.muted, 11, HAlign::Center,
            VAlign::Top);

    // 2. Gauges: micro-batches whose activations each stage holds at `now`, and its peak.
    const float gx = left + width + 40, gw = 150;
    dl.text({gx, top - 10}, tr2(L, "activations held (peak)", "持有的激活（峰值）"), pal.muted, 12,
            HAlign::Left, VAlign::Bottom);
    const int peakMax =
        std::max(1, *std::max_element(m_r.peakInFlight.begin(), m_r.peakInFlight.end()));
    for (int st = 0; st < p; ++st) {
        int held = 0;
        for (const auto& sl : m_r.slots)
            if (sl.stage == st && sl.end <= now) {
                if (sl.pass == dist::PipelinePass::Forward)
                    ++held;
                else if (sl.pass != dist::PipelinePass::InputGrad)
                    --held;
            }
        const float y = top + st * (rowH + gap) + 6;
        const int peak = m_r.peakInFlight[std::size_t(st)];
        const int shown = summary ? peak : held; // the whole step: the gauge shows the peak
        const std::uint32_t id = kGaugeId + std::uint32_t(st);
        dl.box({gx, y, gw, rowH - 12}, pal.panel, pal.panelBorder, 2, 1, id);
        dl.box({gx, y, gw * float(shown) / float(peakMax), rowH - 12}, pal.category(4), kNoColor, 2,
               0, id);
        dl.line({gx + gw * float(peak) / float(peakMax), y - 3},
                {gx + gw * float(peak) / float(peakMax), y + rowH - 9}, pal.foreground, 2);
        dl.text({gx + gw + 8, y + (rowH - 12) / 2},
                summary ? std::string(tr2(L, "peak ", "峰值 ")) + std::to_string(peak)
                        : std::to_string(held) + " (" + std::to_string(peak) + ")",
                pal.foreground, 12, HAlign::Left, VAlign::Middle, id);
        ObjectInfo info;
        info.title = std::string(tr2(L, "stage ", "阶段 ")) + std::to_string(st);
        info.facts = {{tr2(L, "held now", "当前持有"), std::to_string(held)},
                      {tr2(L, "peak", "峰值"), std::to_string(peak)},
                      {tr2(L, "peak in stage units", "峰值（以整阶段计）"),
                       fmtNum(m_r.peakActivations[std::size_t(st)], 2)}};
        s.objects[id] = std::move(info);
    }

    // 3. The numbers: makespan, bubble, the schedule's closed form.
    float ty = bottom + 44;
    auto line = [&](const std::string& label, const std::string& value) {
        dl.text({left, ty}, label, pal.muted, 13, HAlign::Left, VAlign::Middle);
        dl.text({left + 330, ty}, value, pal.foreground, 13, HAlign::Left, VAlign::Middle).bold =
            true;
        ty += 22;
    };
    line(tr2(L, "makespan", "总时长"), fmtNum(m_r.makespan, 2));
    line(tr2(L, "bubble (idle share of device time)", "气泡（设备空闲占比）"),
         fmtNum(100 * m_r.bubbleFraction, 1) + " %");
    line(tr2(L, "idle / ideal time", "空闲时间 / 理想时间"), fmtNum(m_r.bubbleOverIdeal, 4));
    const int m = m_s.microBatches;
    const bool balanced = std::adjacent_find(m_s.forward.begin(), m_s.forward.end(),
                                             std::not_equal_to<>()) == m_s.forward.end();
    // With a slow stage the closed form describes the balanced pipeline, not this run.
    const std::string ifBalanced =
        balanced ? "" : tr2(L, "  (if balanced; not this run)", "（仅当均衡时；不是本次运行）");
    switch (m_s.kind) {
    case dist::PipelineKind::GPipe:
    case dist::PipelineKind::OneFOneB:
        line(tr2(L, "balanced closed form (p−1)/(m+p−1)", "均衡时的公式 (p−1)/(m+p−1)"),
             fmtNum(100 * dist::balancedBubbleFraction(p, m), 1) + " %" + ifBalanced);
        break;
    case dist::PipelineKind::Interleaved:
        line(tr2(L, "balanced closed form (p−1)/(v·m) of ideal", "均衡时的公式 (p−1)/(v·m)"),
             fmtNum(dist::interleavedBubbleOverIdeal(p, m, m_s.chunks), 4) + ifBalanced);
        break;
    case dist::PipelineKind::ZeroBubbleH1: {
        const double f = m_s.forward[0],
                     w = m_s.weightGrad.empty() ? m_s.backward[0] / 2 : m_s.weightGrad[0];
        const double b = m_s.backward[0] - w;
        line(
            tr2(L, "balanced closed form (p−1)(F+B−W) / ideal", "均衡时的公式 (p−1)(F+B−W) / 理想"),
            fmtNum(dist::zbH1BubbleTime(p, f, b, w) / (m * (f + b + w)), 4) + ifBalanced);
        break;
    }
    }

    s.caption = summary ? std::string(tr2(L, "The whole step: ", "整个训练步：")) +
                              dist::pipelineKindName(m_s.kind) + ", " + tr2(L, "bubble ", "气泡 ") +
                              fmtNum(100 * m_r.bubbleFraction, 1) + " %"
                        : std::string(tr2(L, "Time ", "时刻 ")) + fmtNum(now, 2) + " / " +
                              fmtNum(m_r.makespan, 2);
    s.legend.push_back({fwd, tr2(L, "forward", "前向")});
    if (m_s.kind == dist::PipelineKind::ZeroBubbleH1) {
        s.legend.push_back({bIn, tr2(L, "B: input gradient", "B：输入梯度")});
        s.legend.push_back({wGrad, tr2(L, "W: weight gradient", "W：权重梯度")});
    } else {
        s.legend.push_back({bwd, tr2(L, "backward", "反向")});
    }
    if (m_s.chunks > 1)
        s.legend.push_back({mix(pal.background, fwd, 0.55f),
                            tr2(L, "lighter: odd model chunk", "浅色：奇数号模型块")});
    s.legend.push_back({pal.category(4), tr2(L, "activations held", "持有的激活")});
    return s;
}

} // namespace

LocalText PipelineScheduleLab::title() const {
    return {"Pipeline schedules", "流水线并行调度"};
}

std::vector<ParamSpec> PipelineScheduleLab::params() const {
    return {
        {"schedule",
         ParamType::Choice,
         {"schedule", "调度"},
         0,
         0,
         {"gpipe", "1f1b", "interleaved", "zb"},
         std::string("1f1b")},
        {"stages", ParamType::Int, {"stages p", "阶段数 p"}, 1, 16, {}, std::int64_t{4}},
        {"micro", ParamType::Int, {"micro-batches m", "微批次数 m"}, 1, 64, {}, std::int64_t{8}},
        {"chunks",
         ParamType::Int,
         {"chunks per device v (interleaved)", "每卡模型块数 v（交错）"},
         1,
         8,
         {},
         std::int64_t{2}},
        {"forward", ParamType::Float, {"forward time", "前向时间"}, 0.1, 10, {}, 1.0},
        {"backward", ParamType::Float, {"backward time", "反向时间"}, 0.1, 20, {}, 2.0},
        {"slow_stage",
         ParamType::Int,
         {"slow stage (−1: none)", "慢阶段（−1：无）"},
         -1,
         15,
         {},
         std::int64_t{-1}},
        {"slowdown",
         ParamType::Float,
         {"slow stage's time factor", "慢阶段耗时倍数"},
         1,
         4,
         {},
         1.5},
    };
}

std::unique_ptr<LabRun> PipelineScheduleLab::run(const ParamSet& prm) const {
    dist::PipelineSetup s;
    s.kind = dist::parsePipelineKind(prm.getString("schedule", "1f1b"));
    s.stages = int(prm.getInt("stages", 4));
    s.microBatches = int(prm.getInt("micro", 8));
    s.chunks = s.kind == dist::PipelineKind::Interleaved ? int(prm.getInt("chunks", 2)) : 1;
    const double f = prm.getFloat("forward", 1.0), b = prm.getFloat("backward", 2.0);
    const int slow = int(prm.getInt("slow_stage", -1));
    if (slow >= s.stages)
        throw std::invalid_argument("slow stage " + std::to_string(slow) +
                                    ": expected −1 or a stage below " + std::to_string(s.stages));
    s.forward.assign(std::size_t(s.stages), f);
    s.backward.assign(std::size_t(s.stages), b);
    if (slow >= 0) {
        s.forward[std::size_t(slow)] *= prm.getFloat("slowdown", 1.5);
        s.backward[std::size_t(slow)] *= prm.getFloat("slowdown", 1.5);
    }
    dist::PipelineResult r = dist::simulatePipeline(s); // invalid_argument names the field
    return std::make_unique<PipelineRun>(std::move(s), std::move(r));
}

} // namespace aisys::lessons
