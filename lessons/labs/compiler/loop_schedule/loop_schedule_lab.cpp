// Lab "loop-schedule": the iteration space, the cache as memory strips, the miss formulas.
#include "lessons/labs/compiler/loop_schedule/loop_schedule_lab.h"

#include "engine/loops/cache_sim.h"
#include "engine/loops/executor.h"
#include "engine/loops/nest_print.h"
#include "engine/loops/schedule_parse.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <stdexcept>

namespace aisys::lessons {

namespace {

namespace lp = engine::loops;

constexpr std::uint32_t kCellId = 100;       // + i·m + j
constexpr std::uint32_t kLineId = 200'000;   // + array·100000 + line
constexpr std::uint32_t kMissesId = 500'000; // the misses panel
/// The schedule choice that means "no primitives".
constexpr const char* kNaive = "(naive)";

/// Misses and residency after the first `points` points.
struct CacheState {
    std::int64_t missA = 0, missB = 0;
    std::vector<bool> residentA, residentB;
    std::int64_t enteredA = -1, enteredB = -1; ///< the line the last point brought in, or -1
};

class ScheduleRun : public LabRun {
public:
    ScheduleRun(std::int64_t n, std::int64_t m, std::string schedule, std::int64_t lines,
                std::int64_t b, std::int64_t stride)
        : m_n(n), m_m(m), m_schedule(std::move(schedule)), m_lines(lines), m_b(b), m_stride(stride),
          m_nest(lp::accumulate(n, m)) {
        // 1. The schedule, applied by the engine; a bad one is the user's error, said as is.
        auto prims = lp::parseSchedule(m_schedule);
        if (!prims)
            throw std::invalid_argument("schedule \"" + m_schedule + "\": " + prims.error);
        auto nest = lp::schedule(m_nest.def(), *prims.value);
        if (!nest)
            throw std::invalid_argument("schedule \"" + m_schedule + "\": " + nest.error);
        m_nest = *nest.value;
        // 2. The execution order, and each point's rank in it.
        m_visits = lp::visitOrder(m_nest, n * m);
        m_rank.assign(static_cast<std::size_t>(n * m), -1);
        for (std::size_t p = 0; p < m_visits.size(); ++p)
            m_rank[m_visits[p].axes[0] * m + m_visits[p].axes[1]] = static_cast<std::int64_t>(p);
        // 3. The trace (3 accesses per point: B[j], A[i], A[i] stored).
        struct Collect : lp::TraceSink {
            std::vector<lp::TraceEvent> ev;
            void consume(std::span<const lp::TraceEvent> e) override {
                ev.insert(ev.end(), e.begin(), e.end());
            }
        } c;
        lp::execute(m_nest, nullptr, &c);
        m_trace = std::move(c.ev);
        m_nestLines = splitLines(lp::nestText(m_nest));
    }

    std::vector<Phase> phases() const override {
        const std::int64_t points = static_cast<std::int64_t>(m_visits.size());
        return {{"run", static_cast<int>((points + m_stride - 1) / m_stride)}, {"summary", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override;

private:
    static std::vector<std::string> splitLines(const std::string& s) {
        std::vector<std::string> out;
        std::string line;
        for (char c : s) {
            if (c == '\n') {
                out.push_back(line);
                line.clear();
            } else {
                line += c;
            }
        }
        if (!line.empty())
            out.push_back(line);
        return out;
    }
    lp::CacheGeometry geometry() const { return {"cache", m_lines * 4 * m_b, m_lines, 4 * m_b}; }
    /// 4. The cache after `points` points, simulated from the start (a few thousand accesses).
    CacheState cacheAfter(std::int64_t points) const;
    /// The bounding box (i0, j0, i1, j1) of the points that share point p's outer loops (all
    /// but the innermost two), or nothing when the nest has fewer than three loops.
    std::optional<std::array<std::int64_t, 4>> tileOf(std::int64_t p) const;

    std::int64_t m_n, m_m;
    std::string m_schedule;
    std::int64_t m_lines, m_b, m_stride;
    lp::LoopNest m_nest;
    std::vector<lp::PointVisit> m_visits;
    std::vector<std::int64_t> m_rank;
    std::vector<lp::TraceEvent> m_trace;
    std::vector<std::string> m_nestLines;
};

CacheState ScheduleRun::cacheAfter(std::int64_t points) const {
    CacheState st;
    lp::CacheSim sim({geometry()}, 2);
    const lp::ComputeDef& d = m_nest.def();
    const std::size_t events = static_cast<std::size_t>(3 * points);
    for (std::size_t e = 0; e < events && e < m_trace.size(); ++e) {
        const lp::TraceEvent& ev = m_trace[e];
        const std::int64_t before = sim.counts(0).misses();
        sim.access(ev.address, ev.array, ev.write);
        if (e + 3 >= events && sim.counts(0).misses() > before) {
            const std::int64_t line =
                (std::int64_t(ev.address) - d.arrays[ev.array].offset) / (4 * m_b);
            (ev.array == 0 ? st.enteredA : st.enteredB) = line;
        }
    }
    st.missA = sim.arrayCounts(0, 0).misses;
    st.missB = sim.arrayCounts(0, 1).misses;
    auto resident = [&](int array, std::int64_t count) {
        std::vector<bool> r(static_cast<std::size_t>((count + m_b - 1) / m_b));
        for (std::size_t l = 0; l < r.size(); ++l)
            r[l] = sim.resident(0, std::uint64_t(d.arrays[array].offset) + l * 4 * m_b);
        return r;
    };
    st.residentA = resident(0, m_n);
    st.residentB = resident(1, m_m);
    return st;
}

std::optional<std::array<std::int64_t, 4>> ScheduleRun::tileOf(std::int64_t p) const {
    const std::size_t outer = m_nest.loops().size();
    if (outer < 3 || p < 0 || p >= static_cast<std::int64_t>(m_visits.size()))
        return std::nullopt;
    const std::vector<std::int64_t>& key = m_visits[p].loops;
    std::array<std::int64_t, 4> box{m_n, m_m, -1, -1};
    for (const lp::PointVisit& v : m_visits)
        if (std::equal(key.begin(), key.begin() + (outer - 2), v.loops.begin())) {
            box[0] = std::min(box[0], v.axes[0]);
            box[1] = std::min(box[1], v.axes[1]);
            box[2] = std::max(box[2], v.axes[0]);
            box[3] = std::max(box[3], v.axes[1]);
        }
    return box;
}

viz::Scene ScheduleRun::scene(int frame, const DrawOptions& opt) const {
    using namespace viz;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene s = sceneOn(pal);
    DisplayList& dl = s.list;
    const Lang L = opt.lang;
    const std::int64_t total = static_cast<std::int64_t>(m_visits.size());
    const int runFrames = phases()[0].frames;
    const bool summary = frame >= runFrames;
    const std::int64_t done = summary ? total : std::min(total, (frame + 1) * m_stride);
    const std::int64_t current = done - 1;

    // The title: the statement and the schedule.
    dl.text({40, 24},
            "for (i < " + std::to_string(m_n) + ", j < " + std::to_string(m_m) + "): A[i] += B[j]",
            pal.foreground, 16)
        .bold = true;
    dl.text({40, 48},
            std::string(tr2(L, "schedule: ", "调度：")) +
                (m_schedule.empty() ? tr2(L, "(none: the naive nest)", "（无：朴素循环）")
                                    : m_schedule),
            pal.muted, 13);

    // 1. The iteration space: rows i, columns j, lit in execution order.
    const float cell = std::clamp(512.0f / float(std::max(m_n, m_m)), 6.0f, 28.0f);
    const float gx = 70, gy = 100;
    dl.text({gx + m_m * cell / 2, gy - 8}, "j →", pal.muted, 12, HAlign::Center, VAlign::Bottom);
    dl.text({gx - 10, gy + m_n * cell / 2}, "i ↓", pal.muted, 12, HAlign::Right, VAlign::Middle);
    for (std::int64_t i = 0; i < m_n; ++i)
        for (std::int64_t j = 0; j < m_m; ++j) {
            const std::int64_t r = m_rank[i * m_m + j];
            const Rect rc{gx + j * cell, gy + i * cell, cell - 1, cell - 1};
            const std::uint32_t id = kCellId + std::uint32_t(i * m_m + j);
            const bool lit = r >= 0 && r < done;
            dl.heatCell(rc,
                        lit ? rampColor(double(r) / double(std::max<std::int64_t>(1, total - 1)))
                            : pal.grid,
                        id);
            ObjectInfo info;
            info.title = "(i, j) = (" + std::to_string(i) + ", " + std::to_string(j) + ")";
            info.facts.push_back({tr2(L, "visited as point", "执行顺序"),
                                  std::to_string(r + 1) + " / " + std::to_string(total)});
            s.objects[id] = std::move(info);
        }
    if (!summary && current >= 0) {
        if (auto t = tileOf(current)) {
            const auto& b = *t;
            dl.box({gx + b[1] * cell - 2, gy + b[0] * cell - 2, (b[3] - b[1] + 1) * cell + 3,
                    (b[2] - b[0] + 1) * cell + 3},
                   kNoColor, pal.accent, 0, 2.5f)
                .layer = 2;
        }
        const lp::PointVisit& v = m_visits[current];
        dl.box({gx + v.axes[1] * cell - 1, gy + v.axes[0] * cell - 1, cell + 1, cell + 1}, kNoColor,
               pal.foreground, 0, 2)
            .layer = 3;
    }
    const float gridBottom = gy + m_n * cell;

    // 2. The cache as memory strips: every line of A and of B, resident ones filled.
    const CacheState cs = cacheAfter(done);
    const float sy = gridBottom + 40;
    auto strip = [&](int array, const std::vector<bool>& res, std::int64_t entered, float y) {
        const char* name = array == 0 ? "A" : "B";
        dl.text({gx - 10, y + 8}, name, pal.foreground, 13, HAlign::Right, VAlign::Middle).bold =
            true;
        const float w =
            std::clamp(512.0f / float(std::max<std::size_t>(res.size(), 1)), 6.0f, 28.0f);
        for (std::size_t l = 0; l < res.size(); ++l) {
            const std::uint32_t id = kLineId + std::uint32_t(array) * 100000u + std::uint32_t(l);
            const bool in = res[l];
            dl.box({gx + l * w, y, w - 1, 16}, in ? pal.accent2 : pal.panel,
                   std::int64_t(l) == entered ? pal.bad : pal.panelBorder, 0,
                   std::int64_t(l) == entered ? 2.5f : 0.5f, id);
            ObjectInfo info;
            info.title = std::string(name) + tr2(L, " line ", " 的第 ") + std::to_string(l) +
                         tr2(L, "", " 行");
            info.facts.push_back(
                {tr2(L, "elements", "元素"),
                 std::string(name) + "[" + std::to_string(std::int64_t(l) * m_b) + " … " +
                     std::to_string(std::min<std::int64_t>((std::int64_t(l) + 1) * m_b,
                                                           array == 0 ? m_n : m_m) -
                                    1) +
                     "]"});
            info.facts.push_back({tr2(L, "in the cache", "在缓存中"),
                                  in ? tr2(L, "yes", "是") : tr2(L, "no", "否")});
            s.objects[id] = std::move(info);
        }
    };
    dl.text({gx, sy - 10},
            std::string(tr2(L, "cache lines (", "缓存行（每行 ")) + std::to_string(m_b) +
                tr2(L, " elements each; the cache holds ", " 个元素；缓存容纳 ") +
                std::to_string(m_lines) +
                tr2(L, " lines, fully associative, LRU)", " 行，全相联，LRU）"),
            pal.muted, 12, HAlign::Left, VAlign::Bottom);
    strip(0, cs.residentA, summary ? -1 : cs.enteredA, sy);
    strip(1, cs.residentB, summary ? -1 : cs.enteredB, sy + 26);

    // 3. The panel: the nest, the misses so far, the formulas.
    const float px = std::max(gx + m_m * cell, gx + 512.0f) + 50;
    float py = 100;
    dl.text({px, py}, tr2(L, "The loop nest", "循环嵌套"), pal.foreground, 13).bold = true;
    py += 22;
    for (const std::string& line : m_nestLines) {
        dl.text({px, py}, line, pal.foreground, 12);
        py += 17;
    }
    py += 14;
    const std::int64_t n = m_n, m = m_m, b = m_b;
    dl.text({px, py},
            summary ? tr2(L, "Misses of the whole nest", "整个循环的缺失次数")
                    : tr2(L, "Misses so far", "到目前为止的缺失次数"),
            pal.foreground, 13)
        .bold = true;
    py += 22;
    ObjectInfo missInfo;
    missInfo.title = tr2(L, "misses", "缺失");
    missInfo.facts = {
        {"A", std::to_string(cs.missA)},
        {"B", std::to_string(cs.missB)},
        {tr2(L, "points", "迭代点"), std::to_string(done) + " / " + std::to_string(total)}};
    s.objects[kMissesId] = missInfo;
    for (const auto& f : missInfo.facts) {
        dl.text({px, py}, f.label, pal.muted, 12, HAlign::Left, VAlign::Top, kMissesId);
        dl.text({px + 70, py}, f.value, pal.foreground, 12, HAlign::Left, VAlign::Top, kMissesId)
            .bold = true;
        py += 18;
    }
    py += 14;
    dl.text({px, py},
            tr2(L, "The course's formulas (b elements per line)", "课程中的公式（每行 b 个元素）"),
            pal.foreground, 13)
        .bold = true;
    py += 22;
    auto formula = [&](const std::string& what, const std::string& a, std::int64_t av,
                       const std::string& bb, std::int64_t bv) {
        dl.text({px, py}, what, pal.muted, 12);
        py += 17;
        dl.text({px + 14, py},
                "A: " + a + " = " + std::to_string(av) + "    B: " + bb + " = " +
                    std::to_string(bv),
                pal.foreground, 12);
        py += 20;
    };
    formula(tr2(L, "untiled (j inner):", "不分块（j 在内层）："), "n/b", n / b, "n·m/b", n * m / b);
    // The j tile of split(j, T): its extent, when the schedule has one.
    std::int64_t T = 0;
    for (const lp::VarRelation& r : m_nest.relations())
        if (r.kind == lp::VarRelation::Kind::Split && r.parent == 1)
            T = r.factor;
    if (T > 0)
        formula(std::string(tr2(L, "j tiled by T = ", "j 按 T = ")) + std::to_string(T) +
                    tr2(L, " (the B tile stays):", " 分块（B 的块留在缓存中）："),
                "n·m/(T·b)", n * m / (T * b), "m/b", m / b);
    else
        dl.text({px, py},
                tr2(L, "split(j, T) and put j.o outside i to tile j",
                    "split(j, T) 并把 j.o 移到 i 外面即可对 j 分块"),
                pal.muted, 12);

    s.caption = summary
                    ? tr2(L, "The whole nest: misses of A and B against the formulas",
                          "整个循环：A 与 B 的缺失次数与公式对照")
                    : tr2(L, "The iteration space in execution order; the current tile outlined",
                          "按执行顺序点亮的迭代空间；当前块带描边");
    s.legend = {{rampColor(0.1), tr2(L, "visited early", "较早执行")},
                {rampColor(0.9), tr2(L, "visited late", "较晚执行")},
                {pal.accent, tr2(L, "current tile", "当前块")},
                {pal.accent2, tr2(L, "line in the cache", "在缓存中的行")},
                {pal.bad, tr2(L, "line that just entered (a miss)", "刚进入的行（一次缺失）")}};
    return s;
}

} // namespace

LocalText LoopScheduleLab::title() const {
    return {"Loop schedules and the cache", "循环调度与缓存"};
}

std::vector<ParamSpec> LoopScheduleLab::params() const {
    return {
        {"n", ParamType::Int, {"rows n (loop i)", "行数 n（循环 i）"}, 2, 64, {}, std::int64_t{32}},
        {"m",
         ParamType::Int,
         {"columns m (loop j)", "列数 m（循环 j）"},
         2,
         64,
         {},
         std::int64_t{32}},
        {"schedule",
         ParamType::Choice,
         {"schedule", "调度"},
         0,
         0,
         {std::string(kNaive), "reorder(j,i)", "split(j,8);reorder(j.o,i,j.i)",
          "split(j,16);reorder(j.o,i,j.i)", "split(j,32);reorder(j.o,i,j.i)", "tile(i,j,8,8)",
          "tile(i,j,8,16)", "tile(i,j,16,16)", "split(i,8);split(j,16);reorder(j.o,i.o,i.i,j.i)",
          "fuse(i,j);split(i_j,64)"},
         std::string(kNaive)},
        {"lines", ParamType::Int, {"cache lines", "缓存行数"}, 1, 64, {}, std::int64_t{8}},
        {"b",
         ParamType::Choice,
         {"elements per line b", "每行元素数 b"},
         0,
         0,
         {"2", "4", "8", "16"},
         std::string("8")},
        {"stride",
         ParamType::Int,
         {"points per frame", "每帧迭代点数"},
         1,
         4096,
         {},
         std::int64_t{16}},
    };
}

std::unique_ptr<LabRun> LoopScheduleLab::run(const ParamSet& p) const {
    const std::string schedule = p.getString("schedule", kNaive);
    return std::make_unique<ScheduleRun>(
        p.getInt("n", 32), p.getInt("m", 32), schedule == kNaive ? std::string() : schedule,
        p.getInt("lines", 8), std::stoll(p.getString("b", "8")), p.getInt("stride", 16));
}

} // namespace aisys::lessons
