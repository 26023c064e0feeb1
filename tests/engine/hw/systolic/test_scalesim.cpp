// simulateLayer against reports SCALE-Sim v2 itself wrote (scalesim_v2/*/: its scale.cfg, the
// topology and its COMPUTE, BANDWIDTH and DETAILED_ACCESS reports; README.md there says how
// they were made): every value of every layer must be equal, in CALC and USER bandwidth modes.
#include "engine/hw/systolic/systolic.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace aisys::engine::systolic;
namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(AISYS_SOURCE_DIR) / "tests/engine/hw/systolic/scalesim_v2";

// A SCALE-Sim report: header fields and one row of numbers per layer ("a, b, c," lines).
struct Report {
    std::vector<std::string> header;
    std::vector<std::vector<double>> rows;
};

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) {
        const auto a = f.find_first_not_of(' '), b = f.find_last_not_of(" \r");
        if (a != std::string::npos)
            out.push_back(f.substr(a, b - a + 1));
    }
    return out;
}

Report readReport(const fs::path& p) {
    std::ifstream in(p);
    EXPECT_TRUE(in) << p << ": cannot open";
    Report r;
    std::string line;
    if (std::getline(in, line))
        r.header = fields(line);
    while (std::getline(in, line)) {
        std::vector<double> row;
        for (const std::string& f : fields(line))
            row.push_back(std::strtod(f.c_str(), nullptr)); // Python's repr round-trips exactly
        if (!row.empty())
            r.rows.push_back(row);
    }
    return r;
}

// Our values in SCALE-Sim's column order (single_layer_sim.py: get_*_report_items).
std::vector<double> computeRow(const LayerReport& r) {
    return {double(r.totalCycles), double(r.stallCycles), r.overallUtilization, r.mappingEfficiency,
            r.computeUtilization};
}
std::vector<double> bandwidthRow(const LayerReport& r) {
    const double t = double(r.totalCycles);
    auto dram = [](std::int64_t n, std::int64_t a, std::int64_t b) {
        return double(n) / double(b - a + 1);
    };
    return {double(r.ifmapSramReads) / t,
            double(r.filterSramReads) / t,
            double(r.ofmapSramWrites) / t,
            dram(r.ifmapDramReads, r.ifmapDramStart, r.ifmapDramStop),
            dram(r.filterDramReads, r.filterDramStart, r.filterDramStop),
            dram(r.ofmapDramWrites, r.ofmapDramStart, r.ofmapDramStop)};
}
std::vector<double> detailRow(const LayerReport& r) {
    const std::int64_t v[] = {r.ifmapSramStart,  r.ifmapSramStop,  r.ifmapSramReads,
                              r.filterSramStart, r.filterSramStop, r.filterSramReads,
                              r.ofmapSramStart,  r.ofmapSramStop,  r.ofmapSramWrites,
                              r.ifmapDramStart,  r.ifmapDramStop,  r.ifmapDramReads,
                              r.filterDramStart, r.filterDramStop, r.filterDramReads,
                              r.ofmapDramStart,  r.ofmapDramStop,  r.ofmapDramWrites};
    return std::vector<double>(std::begin(v), std::end(v));
}

} // namespace

TEST(SystolicScaleSim, EveryReportValueEqualsScaleSimV2s) {
    ASSERT_TRUE(fs::is_directory(kDir)) << kDir;
    int cases = 0, layers = 0, user = 0, calc = 0, stalled = 0;
    for (const auto& entry : fs::directory_iterator(kDir)) {
        if (!entry.is_directory())
            continue;
        const fs::path d = entry.path();
        const ScaleConfig cfg = loadScaleConfig((d / "scale.cfg").string());
        ASSERT_TRUE(cfg.arrayHeight && cfg.arrayWidth && cfg.dataflow) << d;
        const std::vector<Layer> topo = loadTopology((d / "topology.csv").string());
        const Report compute = readReport(d / "COMPUTE_REPORT.csv");
        const Report bandwidth = readReport(d / "BANDWIDTH_REPORT.csv");
        const Report detail = readReport(d / "DETAILED_ACCESS_REPORT.csv");
        ASSERT_EQ(compute.rows.size(), topo.size()) << d;
        ASSERT_EQ(bandwidth.rows.size(), topo.size()) << d;
        ASSERT_EQ(detail.rows.size(), topo.size()) << d;
        const ArrayConfig array{*cfg.arrayHeight, *cfg.arrayWidth};
        for (std::size_t i = 0; i < topo.size(); ++i) {
            const LayerReport r = simulateLayer(topo[i], array, *cfg.dataflow, cfg.memory);
            auto expectRow = [&](const Report& rep, const std::vector<double>& ours) {
                const std::vector<double>& theirs = rep.rows[i];
                ASSERT_EQ(theirs.size(), ours.size() + 1) << d; // + LayerID
                EXPECT_EQ(theirs[0], double(i)) << d;
                for (std::size_t c = 0; c < ours.size(); ++c)
                    EXPECT_EQ(ours[c], theirs[c + 1])
                        << d.filename().string() << " layer " << i << " (" << topo[i].name
                        << "): " << rep.header[c + 1];
            };
            expectRow(compute, computeRow(r));
            expectRow(bandwidth, bandwidthRow(r));
            expectRow(detail, detailRow(r));
            ++layers;
            stalled += r.stallCycles > 0;
        }
        ++cases;
        (cfg.memory.userBandwidth ? user : calc) += 1;
    }
    // The set covers both bandwidth modes, and USER runs that stall.
    EXPECT_GE(cases, 18);
    EXPECT_GE(user, 6);
    EXPECT_GE(calc, 6);
    EXPECT_GT(stalled, 10) << stalled << " of " << layers << " layers stall";
}
