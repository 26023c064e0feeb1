// Builds the systolic Lab's layer, matrices, models and frame plan from its parameters.
#include "lessons/labs/chips/systolic/setup.h"

#include <algorithm>
#include <random>
#include <stdexcept>

namespace aisys::lessons {

namespace sys = engine::systolic;

std::int64_t SystolicSetup::maxGlobalCycles() const {
    std::int64_t g = 0;
    for (const auto& c : cases)
        g = std::max(g, c.globalCycles());
    return g;
}

FoldCycle foldCycleOf(const SystolicCase& c, std::int64_t g) {
    const std::int64_t cpf = c.array.cyclesPerFold();
    FoldCycle fc;
    if (g >= c.globalCycles()) {
        fc.fold = c.array.foldCount() - 1;
        fc.cycle = cpf - 1;
        fc.finished = true;
        return fc;
    }
    fc.fold = g / cpf;
    fc.cycle = g % cpf;
    return fc;
}

namespace {

/// Up to `count` evenly spaced values of [0, n), always including 0 and n − 1.
std::vector<std::int64_t> sample(std::int64_t n, std::int64_t count) {
    std::vector<std::int64_t> out;
    if (n <= count) {
        for (std::int64_t i = 0; i < n; ++i)
            out.push_back(i);
        return out;
    }
    for (std::int64_t i = 0; i < count; ++i)
        out.push_back(i * (n - 1) / (count - 1));
    return out;
}

} // namespace

SystolicSetup buildSystolicSetup(const ParamSet& p) {
    SystolicSetup s;
    s.conv = p.getString("layer", "gemm") == "conv";
    s.integers = p.getString("values", "integers") == "integers";
    s.colourByK = p.getString("show", "values") == "kindex";
    if (s.conv) {
        s.layer = sys::Layer::conv("conv", p.getInt("H", 5), p.getInt("W", 5), p.getInt("R", 3),
                                   p.getInt("S", 3), p.getInt("C", 1), p.getInt("F", 2),
                                   p.getInt("stride", 1));
    } else {
        s.layer = sys::Layer::gemm("gemm", p.getInt("M", 4), p.getInt("K", 4), p.getInt("N", 4));
    }
    s.layer.validate(); // names the field: filter larger than input, sizes ≤ 0
    const sys::GemmShape g = s.layer.gemmShape();
    if (g.M * g.K + g.K * g.N > 8'000'000)
        throw std::invalid_argument(
            "systolic: the layer's operands have " + std::to_string(g.M * g.K + g.K * g.N) +
            " words; the picture holds at most 8 000 000 (use `aisyslab systolic` for big layers)");
    sys::ArrayConfig arr{static_cast<int>(p.getInt("rows", 4)),
                         static_cast<int>(p.getInt("cols", 4))};
    arr.validate();

    // 1. Operands. GEMM: A (M×K) and B (K×N) directly. Conv: an HWC ifmap and F filters of
    //    R×S×C; A = im2col (row = ofmap pixel, column = (filter row, filter col, channel) with
    //    the channel fastest — SCALE-Sim's order; zero past the edge), B column n = filter n
    //    flattened the same way.
    std::mt19937 rng(static_cast<unsigned>(p.getInt("seed", 1)));
    std::uniform_int_distribution<int> di(0, 9);
    std::uniform_real_distribution<double> dr(-1.0, 1.0);
    auto draw = [&] { return s.integers ? double(di(rng)) : dr(rng); };
    sys::Matrix A(g.M, g.K), B(g.K, g.N);
    if (!s.conv) {
        for (std::int64_t i = 0; i < A.size(); ++i)
            A.data()[i] = draw();
        for (std::int64_t i = 0; i < B.size(); ++i)
            B.data()[i] = draw();
    } else {
        const auto& L = s.layer;
        std::vector<double> ifmap(std::size_t(L.ifmapH * L.ifmapW * L.channels));
        for (auto& v : ifmap)
            v = draw();
        for (std::int64_t i = 0; i < B.size(); ++i)
            B.data()[i] = draw();
        s.ifmap0.resize(L.ifmapH, L.ifmapW);
        for (std::int64_t y = 0; y < L.ifmapH; ++y)
            for (std::int64_t x = 0; x < L.ifmapW; ++x)
                s.ifmap0(y, x) = ifmap[std::size_t((y * L.ifmapW + x) * L.channels)];
        const std::int64_t ow = L.ofmapW();
        for (std::int64_t m = 0; m < g.M; ++m)
            for (std::int64_t k = 0; k < g.K; ++k) {
                const std::int64_t fr = k / (L.filterW * L.channels);
                const std::int64_t fc = (k / L.channels) % L.filterW, ch = k % L.channels;
                const std::int64_t y = (m / ow) * L.strideH + fr, x = (m % ow) * L.strideW + fc;
                // SCALE-Sim rounds the ofmap size up: windows past the edge read nothing
                // (its "padded" address −1), i.e. zeros.
                A(m, k) = (y < L.ifmapH && x < L.ifmapW)
                              ? ifmap[std::size_t((y * L.ifmapW + x) * L.channels + ch)]
                              : 0.0;
            }
    }

    // 2. One model per dataflow shown, each checked against Eigen's product when the
    //    cycle-stepped run is small enough to do here.
    const std::string df = p.getString("dataflow", "os");
    std::vector<sys::Dataflow> flows;
    if (df == "all")
        flows = {sys::Dataflow::WS, sys::Dataflow::OS, sys::Dataflow::IS};
    else
        flows = {sys::dataflowFromString(df)};
    const sys::Matrix ref = A * B;
    s.bandwidth = static_cast<double>(p.getInt("bw", 0));
    s.sramKB = p.getInt("sram", 64);
    sys::MemoryConfig mem;
    mem.ifmapSramKB = mem.filterSramKB = mem.ofmapSramKB = s.sramKB;
    mem.bandwidth = s.bandwidth;
    for (auto f : flows) {
        SystolicCase c{sys::SystolicArray(arr, f, A, B), sys::analyzeLayer(s.layer, arr, f), -1,
                       std::nullopt};
        c.array.setLayer(s.layer);
        const double work = double(c.globalCycles()) * arr.rows * arr.cols;
        if (work <= 4e7)
            c.maxError = (c.array.run() - ref).cwiseAbs().maxCoeff();
        if (s.bandwidth > 0)
            c.memory = sys::simulateLayer(s.layer, arr, f, mem);
        s.cases.push_back(std::move(c));
    }

    // 3. Frames: every cycle of small runs, ~40 evenly spaced cycles of big ones, or the one
    //    cycle the `cycle` scrubber picks (1-based); up to 8 folds for the activity maps.
    const std::int64_t G = s.maxGlobalCycles();
    const std::int64_t pick = p.getInt("cycle", 0);
    if (pick > 0)
        s.runFrames = {std::min(pick, G) - 1};
    else
        s.runFrames = sample(G, G <= 64 ? 64 : 40);
    s.foldFrames =
        flows.size() > 1 ? std::vector<std::int64_t>{0} : sample(s.cases[0].array.foldCount(), 8);
    return s;
}

} // namespace aisys::lessons
