// Lab "interconnect": NVLink and PCIe bandwidth per generation, NVLink packets as flits, and
// one transfer between two GPUs of a topology file.
#include "lessons/labs/chips/interconnect/interconnect_lab.h"

#include "engine/dist/path.h"
#include "engine/dist/units.h"
#include "engine/hw/interconnect/links.h"
#include "lessons/common/block_drawing.h"
#include "lessons/common/draw_helpers.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace aisys::lessons {

using namespace viz;
namespace ic = engine::hw::interconnect;
namespace dist = engine::dist;

namespace {

constexpr std::uint32_t kNodeId = 100; // + node
constexpr std::uint32_t kLinkId = 400; // + cable

const std::vector<std::pair<std::string, std::string>>& topologyFiles() {
    static const std::vector<std::pair<std::string, std::string>> all{
        {"pcie-tree", "pcie_tree.topo"},
        {"dgx1", "dgx1_cube_mesh.topo"},
        {"dgx2", "dgx2.topo"},
        {"dgx-a100", "dgx_a100.topo"},
        {"dgx-h100", "dgx_h100.topo"}};
    return all;
}

struct Setup {
    int payload = 256;
    std::string topoName;
    dist::Topology topo;
    dist::PathReport path;
    double bytes = 0;
};

class IcRun : public LabRun {
public:
    explicit IcRun(Setup s) : m(std::move(s)) {}
    std::vector<Phase> phases() const override {
        return {{"generations", 1}, {"packet", 1}, {"topology", 1}};
    }
    Scene scene(int frame, const DrawOptions& opt) const override {
        return frame == 0 ? generations(opt) : frame == 1 ? packet(opt) : topology(opt);
    }

private:
    Scene generations(const DrawOptions& opt) const;
    Scene packet(const DrawOptions& opt) const;
    Scene topology(const DrawOptions& opt) const;
    Setup m;
};

Scene IcRun::generations(const DrawOptions& opt) const {
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const float x0 = 210, y0 = 60, w = 520, h = 26;
    const double maxV = 1800;
    float y = y0;
    std::uint32_t id = kNodeId;
    for (const ic::NvlinkGen& g : ic::nvlinkGens()) {
        dl.text({x0 - 12, y + h / 2}, "NVLink " + std::to_string(g.generation) + " · " + g.gpu,
                pal.foreground, 13, HAlign::Right, VAlign::Middle, id);
        const float bw = float(g.gpuGBsBidirectional() / maxV) * w;
        dl.box({x0, y, bw, h}, pal.category(0), kNoColor, 3, 1, id);
        dl.text({x0 + bw + 8, y + h / 2},
                std::to_string(g.linksPerGpu) + " × " + fmtNum(g.linkGBsBidirectional(), 0) +
                    " = " + fmtNum(g.gpuGBsBidirectional(), 0) + " GB/s",
                pal.foreground, 13, HAlign::Left, VAlign::Middle, id);
        ObjectInfo info;
        info.title = "NVLink " + std::to_string(g.generation);
        info.facts = {{tr2(L, "source", "来源"), g.source}};
        sc.objects[id++] = std::move(info);
        y += h + 14;
    }
    y += 10;
    for (const ic::PcieGen& g : ic::pcieGens()) {
        const double bi = 2 * g.GBsPerDirection();
        dl.text({x0 - 12, y + h / 2}, "PCIe " + std::to_string(g.generation) + ".0 x16",
                pal.foreground, 13, HAlign::Right, VAlign::Middle, id);
        const float bw = float(bi / maxV) * w;
        dl.box({x0, y, std::max(2.0f, bw), h}, pal.category(1), kNoColor, 3, 1, id);
        dl.text({x0 + bw + 8, y + h / 2},
                fmtNum(g.gtPerSecond, 0) + " GT/s × 16 × 128/130 / 8 × 2 = " + fmtNum(bi, 1) +
                    " GB/s",
                pal.foreground, 13, HAlign::Left, VAlign::Middle, id);
        ObjectInfo info;
        info.title = "PCIe " + std::to_string(g.generation);
        info.facts = {{tr2(L, "source", "来源"), g.source}};
        sc.objects[id++] = std::move(info);
        y += h + 14;
    }
    sc.caption = tr2(L, "Bandwidth per GPU, both directions: NVLink generations against PCIe x16",
                     "每个 GPU 的双向带宽：各代 NVLink 与 PCIe x16");
    sc.legend = {{pal.category(0), "NVLink"}, {pal.category(1), "PCIe"}};
    return sc;
}

Scene IcRun::packet(const DrawOptions& opt) const {
    // Three packets as rows of 16-byte flits: the chosen payload, 256 B and 64 B.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const float x0 = 170, y0 = 70, fw = 34, fh = 30;
    float y = y0;
    for (int payload : {m.payload, 256, 64}) {
        const ic::FlitEfficiency f = ic::nvlinkPacketEfficiency(payload);
        dl.text({x0 - 12, y + fh / 2}, std::to_string(payload) + " B", pal.foreground, 14,
                HAlign::Right, VAlign::Middle)
            .bold = payload == m.payload;
        for (int i = 0; i < f.totalFlits; ++i) {
            const bool header = i == 0;
            const Rect r{x0 + i * fw, y, fw - 3, fh};
            const Color c = header ? pal.warn : pal.category(0);
            dl.box(r, c, kNoColor, 2);
            dl.text({r.x + r.w / 2, r.y + r.h / 2}, header ? "H" : std::to_string(i), textOn(c), 11,
                    HAlign::Center, VAlign::Middle);
        }
        dl.text({x0 + f.totalFlits * fw + 10, y + fh / 2},
                std::to_string(f.dataFlits) + " / " + std::to_string(f.totalFlits) +
                    tr2(L, " flits = ", " 个 flit = ") + fmtNum(100 * f.efficiency, 2) + " %",
                pal.foreground, 13, HAlign::Left, VAlign::Middle);
        y += fh + 30;
    }
    const ic::FlitEfficiency f = ic::nvlinkPacketEfficiency(m.payload);
    const std::vector<FactRow> facts = {
        {tr2(L, "flit", "flit"), tr2(L, "128 bits = 16 B", "128 位 = 16 B")},
        {tr2(L, "header", "包头"),
         tr2(L, "1 flit (CRC, transaction, data link)", "1 个 flit（CRC、事务、数据链路）")},
        {tr2(L, "packet", "数据包"), tr2(L, "1 … 18 flits", "1 … 18 个 flit")},
        {tr2(L, "payload", "有效载荷"), std::to_string(m.payload) +
                                            " B = " + std::to_string(f.dataFlits) +
                                            tr2(L, " data flits", " 个数据 flit")},
        {tr2(L, "efficiency = data / all", "效率 = 数据 / 全部"),
         fmtNum(100 * f.efficiency, 2) + " %"},
    };
    drawFactTable(dl, {x0, y + 10}, facts, pal, 14, 230);
    sc.caption = tr2(L, "NVLink packets: one header flit per packet, so small packets waste more",
                     "NVLink 数据包：每个包一个包头 flit，包越小浪费越多");
    sc.legend = {{pal.warn, tr2(L, "header flit", "包头 flit")},
                 {pal.category(0), tr2(L, "data flit", "数据 flit")}};
    return sc;
}

Scene IcRun::topology(const DrawOptions& opt) const {
    // Ranks on an outer circle, switches on an inner one; every cable a line (width by
    // bandwidth); the route from → to drawn thick.
    const Lang L = opt.lang;
    const Palette pal = Palette::forTheme(opt.theme);
    Scene sc = sceneOn(pal);
    DisplayList& dl = sc.list;
    const dist::Topology& t = m.topo;
    const int n = t.nodeCount(), p = t.rankCount(), sw = n - p;
    // Layout: a switchless 8-GPU mesh as a cube (quad 0–3 outside, 4–7 inside, i ↔ i + 4 the
    // cube's side edges); otherwise rows by hop distance from the GPUs: GPUs at the bottom,
    // the switches (PCIe switches, CPUs, NVSwitches) above them.
    const Vec2 c{330, 300};
    const float R = 240;
    std::vector<Vec2> pos(n);
    if (sw == 0 && p == 8) {
        const Vec2 corner[4] = {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
        for (int i = 0; i < 8; ++i) {
            const float k = i < 4 ? 220.0f : 100.0f;
            pos[i] = {c.x + corner[i % 4].x * k, c.y + corner[i % 4].y * k};
        }
    } else if (sw == 0) {
        const double pi = 3.14159265358979;
        for (int i = 0; i < p; ++i) {
            const double a = -pi / 2 + 2 * pi * (i + 0.5) / p;
            pos[i] = {c.x + R * float(std::cos(a)), c.y + R * float(std::sin(a))};
        }
    } else {
        std::vector<int> layer(n, -1);
        std::vector<int> frontier;
        for (int i = 0; i < p; ++i)
            layer[i] = 0, frontier.push_back(i);
        while (!frontier.empty()) {
            std::vector<int> next;
            for (int u : frontier)
                for (int l : t.outLinks(u)) {
                    const int v = t.link(l).to;
                    if (layer[v] < 0)
                        layer[v] = layer[u] + 1, next.push_back(v);
                }
            frontier = std::move(next);
        }
        const int top = *std::max_element(layer.begin(), layer.end());
        std::map<int, std::vector<int>> rows;
        for (int i = 0; i < n; ++i)
            rows[std::max(0, layer[i])].push_back(i);
        for (const auto& [lv, nodes] : rows) {
            const float y = 540 - float(lv) * (440.0f / float(std::max(1, top)));
            for (std::size_t k = 0; k < nodes.size(); ++k)
                pos[nodes[k]] = {c.x - 300 + 600 * (float(k) + 0.5f) / float(nodes.size()), y};
        }
    }
    std::set<std::pair<int, int>> onRoute;
    for (std::size_t i = 0; i + 1 < m.path.nodes.size(); ++i) {
        const int a = m.path.nodes[i], b = m.path.nodes[i + 1];
        onRoute.insert({std::min(a, b), std::max(a, b)});
    }
    double maxBw = 0;
    for (const dist::Link& l : t.links())
        maxBw = std::max(maxBw, l.bandwidth);
    std::set<std::pair<int, int>> drawn;
    std::uint32_t cable = kLinkId;
    for (const dist::Link& l : t.links()) {
        const auto key = std::make_pair(std::min(l.from, l.to), std::max(l.from, l.to));
        if (!drawn.insert(key).second)
            continue;
        const bool hot = onRoute.count(key) > 0;
        const float width = 1 + 3 * float(l.bandwidth / maxBw);
        const Color lc = hot ? pal.bad : pal.muted.withAlpha(0.55f);
        const float lw = hot ? width + 3 : width;
        if (std::fabs(pos[l.from].y - pos[l.to].y) < 1) // same row: bow over the others
            dl.polyline(bowedCurve(pos[l.from], pos[l.to],
                                   12 + 0.12f * std::fabs(pos[l.from].x - pos[l.to].x)),
                        lc, lw, cable);
        else
            dl.line(pos[l.from], pos[l.to], lc, lw, cable);
        ObjectInfo info;
        info.title = t.nodeName(l.from) + " — " + t.nodeName(l.to);
        info.facts = {
            {tr2(L, "bandwidth per direction", "单向带宽"), fmtNum(l.bandwidth / 1e9, 2) + " GB/s"},
            {"α", dist::formatTime(l.alpha)}};
        sc.objects[cable++] = std::move(info);
    }
    const float boxW = std::min(48.0f, 600.0f / float(p) - 4);
    for (int i = 0; i < n; ++i) {
        const bool rank = i < p;
        const bool end = i == m.path.from || i == m.path.to;
        const auto id = kNodeId + static_cast<std::uint32_t>(i);
        const Color fill = end ? pal.bad : rank ? pal.category(0) : pal.category(2);
        if (rank)
            dl.box({pos[i].x - boxW / 2, pos[i].y - 14, boxW, 28}, fill, kNoColor, 4, 1, id);
        else
            dl.circle(pos[i], 13, fill, kNoColor, 1, id);
        dl.text(pos[i], rank ? "GPU" + std::to_string(i) : t.nodeName(i), textOn(fill),
                rank ? (boxW < 40 ? 9.0f : 11.0f) : 7.0f, HAlign::Center, VAlign::Middle, id);
        ObjectInfo info;
        info.title = t.nodeName(i);
        sc.objects[id] = std::move(info);
    }
    std::string route;
    for (int v : m.path.nodes)
        route += (route.empty() ? "" : " → ") + t.nodeName(v);
    const dist::PathReport& pr = m.path;
    const std::vector<FactRow> facts = {
        {tr2(L, "topology", "拓扑"), m.topoName},
        {tr2(L, "route", "路径"), route},
        {tr2(L, "hops", "跳数"), std::to_string(pr.hops)},
        {tr2(L, "through other GPUs", "经过其他 GPU"), std::to_string(pr.gpuHops)},
        {tr2(L, "α along the route", "路径上的 α"), dist::formatTime(pr.alpha)},
        {tr2(L, "bottleneck bandwidth B", "瓶颈带宽 B"), fmtNum(pr.bottleneck / 1e9, 2) + " GB/s"},
        {tr2(L, "message n", "消息 n"), dist::formatBytes(m.bytes)},
        {tr2(L, "time α + n/B", "时间 α + n/B"), dist::formatTime(pr.time)},
        {tr2(L, "all paths (max flow)", "所有路径（最大流）"),
         fmtNum(pr.maxFlow / 1e9, 2) + " GB/s"},
        {tr2(L, "striped over all paths", "分摊到所有路径"), dist::formatTime(pr.stripedTime)},
    };
    drawFactTable(dl, {c.x + 360, 80}, facts, pal, 14, 220);
    sc.caption = tr2(L, "A transfer between two GPUs: hops, bottleneck, α + n/B",
                     "两个 GPU 之间的一次传输：跳数、瓶颈、α + n/B");
    sc.legend = {{pal.category(0), "GPU"},
                 {pal.category(2), tr2(L, "switch / CPU", "交换机 / CPU")},
                 {pal.bad, tr2(L, "the route", "路径")}};
    return sc;
}

} // namespace

LocalText InterconnectLab::title() const {
    return {"NVLink and NVSwitch", "NVLink 与 NVSwitch"};
}

std::vector<ParamSpec> InterconnectLab::params() const {
    std::vector<std::string> names;
    for (const auto& [n, f] : topologyFiles())
        names.push_back(n);
    ParamSpec dir{"topologies", ParamType::Text, {"topology folder", "拓扑目录"}, 0, 0,
                  {},           std::string()};
    dir.path = true;
    return {
        dir,
        {"topology", ParamType::Choice, {"topology", "拓扑"}, 0, 0, names, std::string("dgx1")},
        {"from", ParamType::Int, {"from GPU", "源 GPU"}, 0, 63, {}, std::int64_t{0}},
        {"to", ParamType::Int, {"to GPU", "目的 GPU"}, 0, 63, {}, std::int64_t{5}},
        {"bytes", ParamType::Text, {"message size", "消息大小"}, 0, 0, {}, std::string("64M")},
        {"payload",
         ParamType::Int,
         {"packet payload (bytes)", "数据包有效载荷（字节）"},
         1,
         256,
         {},
         std::int64_t{256}},
    };
}

std::unique_ptr<LabRun> InterconnectLab::run(const ParamSet& p) const {
    Setup s;
    s.payload = int(p.getInt("payload", 256));
    const std::string dir = p.getString("topologies");
    if (dir.empty())
        throw std::invalid_argument("no topology folder: set 'topologies' to assets/topologies");
    s.topoName = p.getString("topology", "dgx1");
    std::string file;
    for (const auto& [n, f] : topologyFiles())
        if (n == s.topoName)
            file = f;
    if (file.empty())
        throw std::invalid_argument("unknown topology '" + s.topoName + "'");
    std::string err;
    auto t = dist::loadTopology(dir + "/" + file, err);
    if (!t)
        throw std::invalid_argument(err);
    s.topo = std::move(*t);
    const auto bytes = dist::parseBytes(p.getString("bytes", "64M"), err);
    if (!bytes)
        throw std::invalid_argument("bytes: " + err);
    s.bytes = double(*bytes);
    const int from = int(p.getInt("from", 0)), to = int(p.getInt("to", 5));
    if (from >= s.topo.rankCount() || to >= s.topo.rankCount())
        throw std::invalid_argument("GPU " + std::to_string(std::max(from, to)) + " is not in " +
                                    s.topoName + ": expected 0.." +
                                    std::to_string(s.topo.rankCount() - 1));
    s.path = dist::pathBetween(s.topo, from, to, s.bytes);
    return std::make_unique<IcRun>(std::move(s));
}

} // namespace aisys::lessons
