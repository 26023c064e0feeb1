// Whole-model latency against ONNX Runtime (bench/compare_ort.sh drives it):
//   bench_ort_compare write DIR          — exports the models (our ONNX exporter) and inputs
//   bench_ort_compare compare DIR RUNS   — imports them back, times our interpreter as imported
//                                          and after -O3 (median of RUNS, single-threaded),
//                                          checks outputs against
//                                          ORT's (DIR/NAME.ort.npy) and prints the ratio to
//                                          ORT's median (DIR/NAME.ort.json).
#include "engine/compiler/pass_manager.h"
#include "engine/core/threads.h"
#include "engine/graph/interpreter.h"
#include "engine/io/npy.h"
#include "engine/models/random.h"
#include "engine/models/zoo.h"
#include "engine/onnx/onnx_import.h"
#include "engine/tools/model_info.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

using namespace aisys;
using namespace aisys::engine;
namespace fs = std::filesystem;

namespace {

struct Model {
    const char* name;
    Graph graph;
    Tensor input;
};

/// A zoo model with its seeded input (seed 7).
Model withInput(const char* name, Graph g) {
    Tensor input = models::SeededInputs(7).next(g.values[g.inputs.at(0)]);
    return {name, std::move(g), std::move(input)};
}

std::vector<Model> zooModels() {
    std::vector<Model> m;
    m.push_back(withInput("mobilenet_style", models::mobileNetStyle()));
    m.push_back(withInput("small_transformer", models::smallTransformer()));
    return m;
}

/// ORT's median latency in ms from NAME.ort.json ({"median_ms": X, ...}).
double ortMedian(const fs::path& json) {
    std::ifstream f(json);
    std::stringstream s;
    s << f.rdbuf();
    const std::string text = s.str();
    const auto k = text.find("\"median_ms\"");
    if (k == std::string::npos)
        throw std::runtime_error(json.string() + ": no median_ms");
    return std::stod(text.substr(text.find(':', k) + 1));
}

int write(const fs::path& dir) {
    fs::create_directories(dir);
    for (Model& m : zooModels()) {
        inferShapes(m.graph); // so the file declares its output types
        exportOnnxFile(m.graph, (dir / (std::string(m.name) + ".onnx")).string());
        writeNpy(m.input, (dir / (std::string(m.name) + ".input.npy")).string());
        std::cout << "wrote " << (dir / m.name).string() << ".onnx (" << m.graph.nodes.size()
                  << " nodes, " << static_cast<double>(summarizeModel(m.graph).parameterBytes) / 1e6
                  << " MB of weights)\n";
    }
    return 0;
}

/// Median wall time of `runs` executions (after two warm-up runs) of the model in `g`, and the
/// interpreter holding the last run (its output and trace).
struct Timed {
    double ms = 0;
    std::unique_ptr<Interpreter> ip;
};

Timed timeModel(Graph g, const Tensor& input, int runs) {
    Timed t;
    t.ip = std::make_unique<Interpreter>(std::move(g));
    Interpreter& ip = *t.ip;
    ip.setFreeDeadValues(true);
    ip.setInput(ip.graph().values[ip.graph().inputs[0]].name, input);
    std::vector<double> times;
    for (int r = 0; r < runs + 2; ++r) {
        ip.reset();
        const auto t0 = std::chrono::steady_clock::now();
        ip.run();
        const auto t1 = std::chrono::steady_clock::now();
        if (r >= 2) // two warm-up runs
            times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(times.begin(), times.end());
    t.ms = times[times.size() / 2];
    return t;
}

/// max |ours − ref| and whether every element is within 1e-4 · max(1, |ref|).
std::pair<double, bool> agreement(const Tensor& got, const Tensor& ref) {
    double maxDiff = 0;
    bool ok = got.shape() == ref.shape();
    for (std::int64_t i = 0; ok && i < ref.numel(); ++i) {
        const double diff = std::fabs(got.at(i) - ref.at(i));
        maxDiff = std::max(maxDiff, diff);
        ok = diff <= 1e-4 * std::max(1.0, std::fabs(ref.at(i)));
    }
    return {maxDiff, ok};
}

void printTopOps(const Interpreter& ip) {
    std::map<std::string, double> perOp;
    for (const auto& rec : ip.trace().records)
        perOp[ip.graph().nodes[rec.node].op] += rec.micros / 1000.0;
    std::vector<std::pair<double, std::string>> top;
    for (const auto& [op, ms] : perOp)
        top.emplace_back(ms, op);
    std::sort(top.rbegin(), top.rend());
    std::printf("%24s", "engine -O3 ms by op:");
    for (std::size_t i = 0; i < top.size() && i < 6; ++i)
        std::printf(" %s %.2f", top[i].second.c_str(), top[i].first);
    std::printf("\n");
}

int compare(const fs::path& dir, int runs) {
    // 1. Import the exported file (the same bytes ORT ran), feed the same input.
    // 2. Time `runs` executions (reset + run) as imported and after the engine's -O3 pipeline
    //    (ORT runs with graphOptimizationLevel 'all', so -O3 is the like-for-like figure).
    // 3. Compare both with ORT's output: |ours − ref| ≤ 1e-4 · max(1, |ref|) for every element.
    setThreads(1);
    bool allOk = true;
    std::printf("%-18s %10s %10s %10s %8s %12s %s\n", "model", "engine ms", "-O3 ms", "ORT ms",
                "ratio", "max |diff|", "outputs");
    for (const Model& m : zooModels()) {
        const std::string base = (dir / m.name).string();
        const Tensor input = readNpy(base + ".input.npy");
        const Tensor ref = readNpy(base + ".ort.npy");
        Graph imported = importOnnxFile(base + ".onnx");
        Graph optimized = imported;
        compiler::PassManager(compiler::levelPipeline(3)).run(optimized);
        const Timed plain = timeModel(std::move(imported), input, runs);
        const Timed o3 = timeModel(std::move(optimized), input, runs);
        const auto [d1, ok1] = agreement(*plain.ip->value(plain.ip->graph().outputs[0]), ref);
        const auto [d2, ok2] = agreement(*o3.ip->value(o3.ip->graph().outputs[0]), ref);
        const double ort = ortMedian(base + ".ort.json");
        std::printf("%-18s %10.3f %10.3f %10.3f %7.2fx %12.3g %s\n", m.name, plain.ms, o3.ms, ort,
                    o3.ms / ort, std::max(d1, d2), ok1 && ok2 ? "match" : "MISMATCH");
        allOk = allOk && ok1 && ok2;
        printTopOps(*o3.ip);
    }
    return allOk ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc == 3 && std::string(argv[1]) == "write")
            return write(argv[2]);
        if (argc == 4 && std::string(argv[1]) == "compare")
            return compare(argv[2], std::max(1, std::atoi(argv[3])));
    } catch (const std::exception& e) {
        std::cerr << "bench_ort_compare: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: bench_ort_compare write DIR | compare DIR RUNS\n";
    return 2;
}
