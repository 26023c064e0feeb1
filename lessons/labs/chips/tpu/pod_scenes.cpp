// Pictures of the "tpu-pod" Lab: the cube as a torus, a 2-D bisection, the pod, availability.
#include "lessons/labs/chips/tpu/pod_scenes.h"

#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"
#include "viz/plot.h"

#include <algorithm>
#include <cmath>

namespace aisys::lessons {

using namespace viz;

namespace {

constexpr std::uint32_t kChipId = 1000;   // + chip id in the cube
constexpr std::uint32_t kNodeId = 5000;   // + node id in the 2-D torus
constexpr std::uint32_t kCubeId = 10000;  // + cube id in the pod
constexpr std::uint32_t kCurveId = 20000; // + curve

std::string xyz(const std::vector<int>& c) {
    return "(" + std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]) +
           ")";
}

std::string shapeText(const engine::tpu::SliceShape& s) {
    return std::to_string(s.x) + "×" + std::to_string(s.y) + "×" + std::to_string(s.z);
}

} // namespace

Scene cubeScene(const PodSetup& s, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const engine::tpu::Torus cube({4, 4, 4}, s.wrap);
    const int src = cube.index({s.src[0], s.src[1], s.src[2]});
    const int diam = cube.diameter();

    // 1. Oblique projection: x to the right, y down, z into the page (up and to the right).
    const float D = 118;
    auto P = [&](int x, int y, int z) {
        return Vec2{80 + x * D + z * 0.30f * D, 170 + y * D - z * 0.22f * D};
    };
    auto P3 = [&](const std::vector<int>& c) { return P(c[0], c[1], c[2]); };
    const Color linkCol = pal.panelBorder;
    for (const auto& l : cube.links()) {
        auto a = cube.coord(l.a), b = cube.coord(l.b);
        const std::int16_t layer = static_cast<std::int16_t>(-std::max(a[2], b[2]));
        const float fade = 1.0f - 0.18f * std::max(a[2], b[2]);
        if (!l.wrap) {
            dl.line(P3(a), P3(b), linkCol.withAlpha(fade), 1.4f).layer = layer;
            continue;
        }
        // Wraparound: a dashed stub out of each end, pointing away from the cube.
        for (int end = 0; end < 2; ++end) {
            auto c = end == 0 ? a : b;
            auto o = c;
            o[l.dim] += c[l.dim] == 0 ? -1 : 1;
            const Vec2 p = P3(c), q = mix(P3(c), P(o[0], o[1], o[2]), 0.42f);
            Prim& st = dl.line(p, q, pal.accent2.withAlpha(fade), 1.6f);
            st.dashed = true;
            st.layer = layer;
        }
    }
    // 2. Chips, back to front, coloured by hop distance from the source.
    for (int z = 3; z >= 0; --z)
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x) {
                const int id = cube.index({x, y, z});
                const int h = cube.hopDistance(src, id);
                const Color fill = id == src ? pal.bad : rampColor(double(h) / diam);
                const std::uint32_t oid = kChipId + id;
                Prim& c = dl.circle(P(x, y, z), 15, fill, pal.foreground.withAlpha(0.6f), 1, oid);
                c.layer = static_cast<std::int16_t>(1 - z);
                Prim& t = dl.text(P(x, y, z), std::to_string(h), textOn(fill), 13, HAlign::Center,
                                  VAlign::Middle, oid);
                t.bold = true;
                t.layer = static_cast<std::int16_t>(1 - z);
                ObjectInfo info;
                info.title = std::string(tr2(L, "chip ", "芯片 ")) + xyz({x, y, z});
                std::string nbs;
                for (int nb : cube.neighbours(id))
                    nbs += (nbs.empty() ? "" : " ") + xyz(cube.coord(nb));
                info.facts = {
                    {tr2(L, "hops from source", "距源芯片跳数"), std::to_string(h)},
                    {tr2(L, "neighbours", "相邻芯片"), nbs},
                    {tr2(L, "ICI ports", "ICI 端口"), std::to_string(cube.neighbours(id).size())}};
                sc.objects[oid] = std::move(info);
            }
    // Axis hints.
    dl.text(P(0, 3, 0) + Vec2{D * 1.5f, 44}, "x →", pal.muted, 14, HAlign::Center);
    dl.text(P(0, 0, 0) + Vec2{-48, D * 1.5f}, "y ↓", pal.muted, 14, HAlign::Right);
    dl.text(P(3, 0, 3) + Vec2{36, -20}, "z ↗", pal.muted, 14);

    // 3. Right: hop histogram and the cube's numbers.
    std::vector<int> hist(diam + 1, 0);
    for (int v = 0; v < cube.nodes(); ++v)
        ++hist[cube.hopDistance(src, v)];
    const float hx = 760, hy = 70, barW = 34;
    dl.text({hx, hy},
            tr2(L, "Chips at each hop distance from the source (red)",
                "与源芯片（红色）相距各跳数的芯片数"),
            pal.foreground, 14)
        .bold = true;
    const int maxCount = *std::max_element(hist.begin(), hist.end());
    const float chartH = 150;
    for (int h = 0; h <= diam; ++h) {
        const float bh = chartH * hist[h] / maxCount;
        const float x = hx + h * (barW + 8);
        dl.box({x, hy + 36 + chartH - bh, barW, bh}, rampColor(double(h) / diam));
        dl.text({x + barW / 2, hy + 34 + chartH - bh}, std::to_string(hist[h]), pal.foreground, 12,
                HAlign::Center, VAlign::Bottom);
        dl.text({x + barW / 2, hy + 40 + chartH}, std::to_string(h), pal.muted, 12, HAlign::Center);
    }
    dl.text({hx, hy + 60 + chartH}, tr2(L, "hops", "跳数"), pal.muted, 12);
    const std::vector<FactRow> rows = {
        {tr2(L, "topology", "拓扑"),
         s.wrap ? tr2(L, "4×4×4 3-D torus", "4×4×4 三维环面") : tr2(L, "4×4×4 mesh", "4×4×4 网格")},
        {tr2(L, "chips / links", "芯片 / 链路"), "64 / " + std::to_string(cube.links().size())},
        {tr2(L, "diameter (max hops)", "直径（最大跳数）"), std::to_string(diam)},
        {tr2(L, "mean hops", "平均跳数"), fmtNum(cube.averageHops(), 2)},
        {tr2(L, "bisection links", "对分链路数"), std::to_string(cube.bisectionLinks())},
        {tr2(L, "2·k^(n−1), k=4, n=3", "2·k^(n−1)，k=4，n=3"),
         std::to_string(engine::tpu::Torus::closedFormBisection(4, 3))},
    };
    drawFactTable(dl, {hx, hy + 100 + chartH}, rows, pal, 14, 220);

    sc.caption = s.wrap
                     ? tr2(L,
                           "A TPUv4 cube: 64 chips in a 4×4×4 torus — every chip has 6 "
                           "neighbours; the dashed stubs wrap to the opposite face",
                           "TPUv4 立方体：64 颗芯片组成 4×4×4 环面——每颗芯片有 6 "
                           "个邻居；虚线短线环回到对面")
                     : tr2(L, "The same 64 chips as a mesh: no wraparound, corners are far apart",
                           "同样 64 颗芯片连成网格：没有环回，角上的芯片相距很远");
    for (int h = 0; h <= diam; h += std::max(1, diam / 3))
        sc.legend.push_back(
            {rampColor(double(h) / diam), std::to_string(h) + tr2(L, " hops", " 跳")});
    sc.legend.push_back({pal.accent2, tr2(L, "wraparound link (dashed)", "环回链路（虚线）")});
    return sc;
}

Scene bisectionScene(const PodSetup& s, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const int k = s.k2d;
    const engine::tpu::Torus t({k, k}, true);
    const float sp = std::min(46.0f, 640.0f / k);
    const float x0 = 70, y0 = 80;
    auto P = [&](int r, int c) { return Vec2{x0 + c * sp, y0 + r * sp}; };
    const int half = k / 2;
    auto crosses = [&](const engine::tpu::TorusLink& l) {
        const int ca = t.coord(l.a)[1], cb = t.coord(l.b)[1];
        return (ca < half) != (cb < half);
    };
    for (const auto& l : t.links()) {
        const auto a = t.coord(l.a), b = t.coord(l.b);
        const bool cut = crosses(l);
        const Color col = cut ? pal.bad : pal.panelBorder;
        const float w = cut ? 2.5f : 1.2f;
        if (!l.wrap) {
            dl.line(P(a[0], a[1]), P(b[0], b[1]), col, w);
            continue;
        }
        // Wraparound stubs leaving both edges.
        for (int end = 0; end < 2; ++end) {
            const auto c = end == 0 ? a : b;
            Vec2 dir{0, 0};
            if (l.dim == 0)
                dir.y = c[0] == 0 ? -1.0f : 1.0f;
            else
                dir.x = c[1] == 0 ? -1.0f : 1.0f;
            Prim& st = dl.line(P(c[0], c[1]), P(c[0], c[1]) + dir * (sp * 0.62f), col, w);
            st.dashed = true;
        }
    }
    const float r = std::max(3.0f, sp * 0.2f);
    for (int id = 0; id < t.nodes(); ++id) {
        const auto c = t.coord(id);
        const Color fill = c[1] < half ? pal.category(0) : pal.category(1);
        dl.circle(P(c[0], c[1]), r, fill, kNoColor, 1, kNodeId + id).layer = 1;
        ObjectInfo info;
        info.title = std::string(tr2(L, "chip ", "芯片 ")) + "(" + std::to_string(c[0]) + "," +
                     std::to_string(c[1]) + ")";
        info.facts = {{tr2(L, "half", "所在半边"),
                       c[1] < half ? tr2(L, "left", "左") : tr2(L, "right", "右")}};
        sc.objects[kNodeId + id] = std::move(info);
    }
    const float cutX = x0 + (half - 0.5f) * sp;
    Prim& cl = dl.line({cutX, y0 - sp}, {cutX, y0 + k * sp}, pal.bad, 2);
    cl.dashed = true;
    dl.text({cutX, y0 - sp - 6}, tr2(L, "bisection cut", "对分切面"), pal.bad, 13, HAlign::Center,
            VAlign::Bottom)
        .bold = true;

    // Numbers: the cut counted link by link, the closed form, and the TPUv2 bandwidth.
    const int cut = t.cutLinks(1);
    const double gbps = 496.0;
    const float fx = x0 + k * sp + 60;
    const std::vector<FactRow> rows = {
        {tr2(L, "torus", "环面"), std::to_string(k) + "×" + std::to_string(k) + " = " +
                                      std::to_string(k * k) + tr2(L, " chips", " 颗芯片")},
        {tr2(L, "links crossing the cut", "穿过切面的链路"), std::to_string(cut)},
        {tr2(L, "  of which wraparound", "  其中环回链路"), std::to_string(k)},
        {tr2(L, "closed form 2·k", "闭式 2·k"),
         std::to_string(engine::tpu::Torus::closedFormBisection(k, 2))},
        {tr2(L, "without wraparound (mesh)", "无环回（网格）"),
         std::to_string(engine::tpu::Torus({k, k}, false).bisectionLinks())},
        {tr2(L, "bandwidth at 496 Gb/s per link", "每链路 496 Gb/s 时的带宽"),
         fmtNum(cut * gbps / 1000, 1) + " Tb/s"},
    };
    float y = drawFactTable(dl, {fx, y0}, rows, pal, 14, 250);
    if (k == 16)
        dl.text({fx, y + 10},
                tr2(L, "TPUv2 pod: 256 chips, bisection 32 × 496 Gb/s ≈ 15.9 Tb/s",
                    "TPUv2 Pod：256 颗芯片，对分带宽 32 × 496 Gb/s ≈ 15.9 Tb/s"),
                pal.accent, 13)
            .bold = true;
    sc.caption = tr2(L, "Bisection: cut the torus into two halves and count the links that cross",
                     "对分带宽：把环面切成两半，数一数穿过切面的链路");
    sc.legend = {{pal.bad, tr2(L, "link crossing the cut", "穿过切面的链路")},
                 {pal.category(0), tr2(L, "left half", "左半")},
                 {pal.category(1), tr2(L, "right half", "右半")}};
    return sc;
}

Scene podScene(const PodSetup& s, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const auto& pod = s.pod;
    const int side = pod.cubeSide();
    const auto healthy = pod.healthyCubes(s.failed);
    const auto ocs = pod.allocateWithOcs(s.slice, s.failed);
    const auto fixed = pod.allocateStatic(s.slice, s.failed);
    std::vector<int> slot(pod.cubes(), -1);
    if (ocs.ok)
        for (std::size_t i = 0; i < ocs.cubes.size(); ++i)
            slot[ocs.cubes[i]] = static_cast<int>(i);
    std::vector<bool> inStatic(pod.cubes(), false);
    if (fixed.ok)
        for (int c : fixed.cubes)
            inStatic[c] = true;

    // 1. The cubes in their physical side³ grid, one layer per z, each a tile with its chips'
    //    failures as red dots; OCS slice members filled and numbered, the static block outlined.
    const float tile = 54, gap = 6, layerGap = 36, x0 = 40, y0 = 80;
    const float layerW = side * (tile + gap);
    for (int z = 0; z < side; ++z) {
        const float lx = x0 + z * (layerW + layerGap);
        dl.text({lx, y0 - 10},
                std::string(tr2(L, "cube layer z = ", "立方体层 z = ")) + std::to_string(z),
                pal.muted, 13, HAlign::Left, VAlign::Bottom);
        for (int x = 0; x < side; ++x)
            for (int y = 0; y < side; ++y) {
                const int c = (x * side + y) * side + z;
                const Rect r{lx + x * (tile + gap), y0 + y * (tile + gap), tile, tile};
                Color fill = healthy[c] ? pal.panel : mix(pal.background, pal.bad, 0.25f);
                if (slot[c] >= 0)
                    fill = mix(pal.background, pal.accent, 0.75f);
                const std::uint32_t oid = kCubeId + c;
                dl.box(r, fill, inStatic[c] ? pal.accent2 : pal.panelBorder, 4,
                       inStatic[c] ? 4.0f : 1.0f, oid);
                if (slot[c] >= 0)
                    dl.text(r.center(), std::to_string(slot[c]), textOn(fill), 15, HAlign::Center,
                            VAlign::Middle, oid)
                        .bold = true;
                int bad = 0;
                for (int i = 0; i < pod.chipsPerCube(); ++i)
                    if (s.failed[c * pod.chipsPerCube() + i]) {
                        const float fx = r.x + 7 + (i % 4) * 13, fy = r.y + 7 + (i / 4 % 4) * 13;
                        dl.circle({fx, fy}, 4.5f, pal.bad, kNoColor, 1, oid).layer = 1;
                        ++bad;
                    }
                ObjectInfo info;
                info.title = std::string(tr2(L, "cube ", "立方体 ")) + std::to_string(c) + " " +
                             xyz({x, y, z});
                info.facts = {{tr2(L, "failed chips", "故障芯片"), std::to_string(bad)},
                              {tr2(L, "in OCS slice as", "在 OCS 切片中的位置"),
                               slot[c] >= 0 ? "#" + std::to_string(slot[c]) : "—"},
                              {tr2(L, "in static block", "在静态连线块中"),
                               inStatic[c] ? tr2(L, "yes", "是") : tr2(L, "no", "否")}};
                sc.objects[oid] = std::move(info);
            }
    }

    // 2. Numbers: wiring, failures, the two allocations, the slice as a torus.
    const auto w = engine::tpu::ocsWiring(pod.cubes(), pod.edge());
    int healthyCount = 0;
    for (bool h : healthy)
        healthyCount += h;
    const int need = ocs.cubeGrid[0] * ocs.cubeGrid[1] * ocs.cubeGrid[2];
    const engine::tpu::Torus st = engine::tpu::Pod::sliceTorus(s.slice);
    const float fy = y0 + side * (tile + gap) + 40;
    const std::vector<FactRow> left = {
        {tr2(L, "pod", "Pod"), std::to_string(pod.cubes()) +
                                   tr2(L, " cubes × 64 = ", " 个立方体 × 64 = ") +
                                   std::to_string(pod.chips()) + tr2(L, " chips", " 颗芯片")},
        {tr2(L, "optical links per cube", "每个立方体光链路"),
         "6 × 16 = " + std::to_string(w.linksPerCube)},
        {tr2(L, "OCS count", "光交换机数量"), std::to_string(w.totalFibres) + " / " +
                                                  std::to_string(w.portsPerOcs) + " = " +
                                                  std::to_string(w.ocsCount)},
        {tr2(L, "failed chips / healthy cubes", "故障芯片 / 健康立方体"),
         std::to_string(s.failedCount) + " / " + std::to_string(healthyCount)},
    };
    const std::vector<FactRow> right = {
        {tr2(L, "slice (chips)", "切片（芯片）"),
         shapeText(s.slice) + " = " + std::to_string(st.nodes())},
        {tr2(L, "cubes needed", "所需立方体"), std::to_string(need)},
        {tr2(L, "slice torus diameter", "切片环面直径"), std::to_string(st.diameter())},
        {tr2(L, "slice bisection links", "切片对分链路"), std::to_string(st.bisectionLinks())},
    };
    drawFactTable(dl, {x0, fy}, left, pal, 14, 240);
    drawFactTable(dl, {x0 + 620, fy}, right, pal, 14, 220);
    const float my = fy + 4 * 14 * 1.55f + 14;
    dl.text({x0, my},
            ocs.ok
                ? std::string(tr2(L, "✓ With OCS: placed on healthy cubes (numbered 0…",
                                  "✓ 使用 OCS：放在健康的立方体上（编号 0…")) +
                      std::to_string(need - 1) + tr2(L, "), wired into a torus", "），连接成环面")
                : std::string(tr2(L, "✗ With OCS: ", "✗ 使用 OCS：")) + ocs.reason,
            ocs.ok ? pal.good : pal.bad, 14)
        .bold = true;
    dl.text({x0, my + 24},
            fixed.ok ? tr2(L, "✓ Static wiring: found a block of adjacent healthy cubes (orange)",
                           "✓ 静态连线：找到一块相邻的健康立方体（橙色框）")
                     : tr2(L, "✗ Static wiring: no block of adjacent healthy cubes of that shape",
                           "✗ 静态连线：找不到该形状的相邻健康立方体块"),
            fixed.ok ? pal.good : pal.bad, 14)
        .bold = true;
    // 3. One OCS (dimension z, face position 0): its mirrors connect each slice cube's +z port
    //    to the −z port of the next cube of its z ring (the last one back to the first).
    if (ocs.ok) {
        const auto& g = ocs.cubeGrid;
        const int n = static_cast<int>(ocs.cubes.size());
        const int shown = std::min(n, 16);
        const float oy = my + 70, pw = 34, gap = 6, ox = x0 + 200;
        dl.text({x0, oy + 8}, tr2(L, "OCS z·0: + ports", "OCS z·0：+ 端口"), pal.muted, 13);
        dl.text({x0, oy + 118}, tr2(L, "− ports", "− 端口"), pal.muted, 13);
        Prim& mirror = dl.box({ox - 10, oy + 40, shown * (pw + gap) + 14, 50},
                              mix(pal.background, pal.accent2, 0.12f), pal.accent2, 6, 1);
        mirror.dashed = true;
        dl.text({ox + shown * (pw + gap) + 12, oy + 65},
                tr2(L, "2-D MEMS mirrors, set once per slice (ms)",
                    "二维 MEMS 镜阵列，每个切片设置一次（毫秒级）"),
                pal.accent2, 12, HAlign::Left, VAlign::Middle);
        for (int i = 0; i < shown; ++i) {
            const int z = i % g[2];
            const int next = i - z + (z + 1) % g[2];
            const Rect top{ox + i * (pw + gap), oy, pw, 28};
            dl.box(top, mix(pal.background, pal.accent, 0.75f), kNoColor, 3);
            dl.text(top.center(), std::to_string(ocs.cubes[std::size_t(i)]), pal.foreground, 11,
                    HAlign::Center, VAlign::Middle);
            const Rect bot{ox + i * (pw + gap), oy + 102, pw, 28};
            dl.box(bot, mix(pal.background, pal.accent, 0.75f), kNoColor, 3);
            dl.text(bot.center(), std::to_string(ocs.cubes[std::size_t(i)]), pal.foreground, 11,
                    HAlign::Center, VAlign::Middle);
            if (next < shown)
                dl.line({top.x + pw / 2, oy + 28}, {ox + next * (pw + gap) + pw / 2, oy + 102},
                        pal.accent2, 1.6f);
        }
        if (shown < n)
            dl.text({ox + shown * (pw + gap) + 4, oy + 14}, "… " + std::to_string(n - shown),
                    pal.muted, 12, HAlign::Left, VAlign::Middle);
    }
    sc.caption = tr2(L,
                     "TPUv4 pod: 64 cubes, 48 optical circuit switches join any healthy cubes "
                     "into a slice",
                     "TPUv4 Pod：64 个立方体，48 台光路交换机把任意健康立方体连成切片");
    sc.legend = {{mix(pal.background, pal.accent, 0.75f),
                  tr2(L, "cube in the OCS slice", "OCS 切片中的立方体")},
                 {pal.accent2, tr2(L, "static-wiring block", "静态连线块")},
                 {pal.bad, tr2(L, "failed chip", "故障芯片")}};
    return sc;
}

Scene availabilityScene(const PodSetup& s, const DrawOptions& opt) {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    PlotFrame pf({90, 70, 620, 380}, 0.99, 1.0, 0.0, 1.0, false, false);
    pf.drawAxes(dl,
                tr2(L, "chip availability (each chip works with this probability)",
                    "芯片可用率（每颗芯片正常工作的概率）"),
                tr2(L, "P[the slice can be allocated]", "P[切片可分配]"), pal.foreground, pal.grid,
                pal.muted);
    std::vector<std::pair<double, double>> o, st;
    for (std::size_t i = 0; i < s.curveAvail.size(); ++i) {
        o.push_back({s.curveAvail[i], s.curveOcs[i]});
        st.push_back({s.curveAvail[i], s.curveStatic[i]});
    }
    pf.plotLine(dl, o, pal.accent, 3, kCurveId);
    pf.plotLine(dl, st, pal.accent2, 3, kCurveId + 1);
    for (std::size_t i = 0; i < o.size(); ++i) {
        dl.circle(pf.map(o[i].first, o[i].second), 4, pal.accent, kNoColor, 1, kCurveId);
        dl.circle(pf.map(st[i].first, st[i].second), 4, pal.accent2, kNoColor, 1, kCurveId + 1);
    }
    const int need = (s.slice.x / 4) * (s.slice.y / 4) * (s.slice.z / 4);
    ObjectInfo ocsInfo, staticInfo;
    ocsInfo.title = tr2(L, "with OCS (closed form)", "使用 OCS（闭式）");
    ocsInfo.facts = {
        {tr2(L, "at 99%", "可用率 99% 时"), fmtNum(s.curveOcs.front(), 3)},
        {tr2(L, "formula", "公式"), "P[Bin(64, a^64) ≥ " + std::to_string(need) + "]"}};
    staticInfo.title = tr2(L, "static wiring (Monte Carlo, 120 pods per point)",
                           "静态连线（蒙特卡洛，每点 120 个 Pod）");
    staticInfo.facts = {{tr2(L, "at 99%", "可用率 99% 时"), fmtNum(s.curveStatic.front(), 3)}};
    sc.objects[kCurveId] = std::move(ocsInfo);
    sc.objects[kCurveId + 1] = std::move(staticInfo);
    const float fx = 780;
    const std::vector<FactRow> rows = {
        {tr2(L, "slice", "切片"), shapeText(s.slice) + tr2(L, " chips = ", " 芯片 = ") +
                                      std::to_string(need) + tr2(L, " cubes", " 个立方体")},
        {tr2(L, "cube works with", "立方体可用概率"), "a^64"},
        {tr2(L, "at a = 99.0%", "a = 99.0% 时"), fmtNum(100 * std::pow(0.99, 64), 1) + " %"},
        {tr2(L, "at a = 99.9%", "a = 99.9% 时"), fmtNum(100 * std::pow(0.999, 64), 1) + " %"},
        {tr2(L, "P[fits] at 99%: OCS", "99% 时可分配概率：OCS"), fmtNum(s.curveOcs.front(), 3)},
        {tr2(L, "P[fits] at 99%: static", "99% 时可分配概率：静态"),
         fmtNum(s.curveStatic.front(), 3)},
    };
    drawFactTable(dl, {fx, 80}, rows, pal, 14, 230);
    sc.caption = tr2(L, "Why OCS: any healthy cubes can form the slice, so failures cost far less",
                     "为什么用 OCS：任意健康立方体都能组成切片，故障的代价小得多");
    sc.legend = {{pal.accent, tr2(L, "with OCS (closed form)", "使用 OCS（闭式）")},
                 {pal.accent2, tr2(L, "static wiring (Monte Carlo)", "静态连线（蒙特卡洛）")}};
    return sc;
}

} // namespace aisys::lessons
