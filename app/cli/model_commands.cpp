// `aisyslab info`, `infer` and `train`: a student's own ONNX model (or an example) through the
// engine. Engine only: no Qt.
#include "app/cli/model_commands.h"

#include "app/cli/optimize_command.h"
#include "app/cli/options.h"

#include "engine/core/memory_budget.h"
#include "engine/core/threads.h"
#include "engine/graph/interpreter.h"
#include "engine/io/npy.h"
#include "engine/models/random.h"
#include "engine/onnx/onnx_import.h"
#include "engine/tools/model_info.h"
#include "engine/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

namespace aisys::app::cli {

namespace {

int fail(const char* cmd, const std::string& msg) {
    std::fprintf(stderr, "aisyslab %s: %s\n", cmd, msg.c_str());
    return 2;
}

/// The MODEL.onnx argument and the --dim bindings, or an error message.
std::string modelArgs(const CliOptions& opt, std::string& model, engine::OnnxImportOptions& io) {
    if (opt.positional.empty())
        return "MODEL.onnx is required";
    if (opt.positional.size() > 1)
        return "one model at a time; unexpected '" + opt.positional[1] + "'";
    model = opt.positional[0];
    for (const auto& d : opt.dims) {
        try {
            engine::parseDimBinding(d, io.dims);
        } catch (const std::exception& e) {
            return e.what();
        }
    }
    return {};
}

/// A file name for an output value (path separators and odd characters replaced).
std::string fileNameFor(const std::string& value) {
    std::string s;
    for (char c : value)
        s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
                 ? c
                 : '_';
    return s.empty() ? "output" : s;
}

int modelInfo(const CliOptions& opt) {
    std::string model;
    engine::OnnxImportOptions io;
    if (auto err = modelArgs(opt, model, io); !err.empty())
        return fail("info", err);
    try {
        io.inferShapes = false; // summarizeModel infers on its own copy
        engine::Graph g = engine::importOnnxFile(model, io);
        engine::ModelInfo info = engine::summarizeModel(g);
        std::printf(
            "%s",
            (opt.json ? engine::modelInfoJson(info) + "\n" : engine::modelInfoText(info)).c_str());
    } catch (const std::exception& e) {
        return fail("info", e.what());
    }
    return 0;
}

/// infer --profile: each node's median time over the bench runs, slowest first, with its
/// share of the summed node times and its GFLOP/s.
void printProfile(const engine::Interpreter& ip, std::vector<std::vector<double>>& nodeUs) {
    struct Row {
        int node;
        double us, flops;
    };
    std::vector<Row> rows;
    double total = 0;
    const auto& recs = ip.trace().records;
    for (std::size_t r = 0; r < recs.size() && r < nodeUs.size(); ++r) {
        auto& v = nodeUs[r];
        std::sort(v.begin(), v.end());
        const double us = v.empty() ? 0 : v[v.size() / 2];
        rows.push_back({recs[r].node, us, recs[r].flops});
        total += us;
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.us > b.us; });
    std::printf("%-28s %-20s %-20s %9s %6s %9s\n", "node", "op", "output", "ms", "share",
                "GFLOP/s");
    for (const Row& row : rows) {
        const engine::Node& n = ip.graph().nodes[row.node];
        const std::string shape =
            n.outputs.empty() || n.outputs[0] < 0
                ? "-"
                : engine::shapeToString(ip.graph().values[n.outputs[0]].shape);
        std::printf("%-28s %-20s %-20s %9.4f %5.1f%% %9.2f\n", n.name.c_str(), n.op.c_str(),
                    shape.c_str(), row.us / 1000, total > 0 ? 100 * row.us / total : 0.0,
                    row.us > 0 ? row.flops / (row.us * 1000) : 0.0);
    }
    std::printf("sum of node medians: %.3f ms\n", total / 1000);
}

int modelInfer(const CliOptions& opt) {
    // 1. Import with the --dim bindings. 2. Feed --input files, seed the rest.
    // 3. Run (dead values freed), write outputs as NPY. 4. With --bench, time N more runs.
    std::string model;
    engine::OnnxImportOptions io;
    if (auto err = modelArgs(opt, model, io); !err.empty())
        return fail("infer", err);
    if (opt.outputDir.empty())
        return fail("infer", "--output-dir DIR is required");
    engine::setThreads(opt.threads);
    const std::size_t budget = opt.maxMemory ? opt.maxMemory : engine::defaultMemoryBudget();
    try {
        engine::Graph g = engine::importOnnxFile(model, io);
        if (!opt.passes.empty())
            if (auto err = optimizeGraph(g, opt.passes); !err.empty())
                return fail("infer", "--passes: " + err);
        std::map<std::string, std::string> given;
        for (const auto& in : opt.inputs) {
            auto eq = in.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == in.size())
                return fail("infer", "--input expects NAME=FILE.npy, got '" + in + "'");
            given[in.substr(0, eq)] = in.substr(eq + 1);
        }
        for (const auto& [name, file] : given) {
            bool found = false;
            for (int id : g.inputs)
                found |= g.values[id].name == name;
            if (!found) {
                std::string list;
                for (int id : g.inputs)
                    list += (list.empty() ? "" : ", ") + g.values[id].name;
                return fail("infer", "--input " + name + ": the model has no input '" + name +
                                         "' (its inputs: " + list + ")");
            }
        }
        std::vector<std::pair<std::string, engine::Tensor>> feeds;
        engine::models::SeededInputs seeded(opt.seed); // skips the inputs given as files
        for (int id : g.inputs) {
            const engine::Value& v = g.values[id];
            auto it = given.find(v.name);
            if (it != given.end()) {
                feeds.emplace_back(v.name, engine::readNpy(it->second));
                continue;
            }
            for (std::size_t d = 0; d < v.shape.size(); ++d)
                if (v.shape[d] < 0) {
                    std::string dim = d < v.dimParams.size() && !v.dimParams[d].empty()
                                          ? v.dimParams[d]
                                          : "dim " + std::to_string(d);
                    return fail("infer", "input '" + v.name + "' has the unbound dimension '" +
                                             dim + "': give --dim " + dim + "=V or --input " +
                                             v.name + "=FILE.npy");
                }
            if (const auto bytes = engine::checkedBytes(v.dtype, v.shape);
                !bytes || *bytes > budget)
                return fail("infer", "input '" + v.name + "' " + engine::dtypeName(v.dtype) + " " +
                                         engine::shapeToString(v.shape) + " would take " +
                                         (bytes ? engine::byteSizeText(double(*bytes))
                                                : std::string("more bytes than fit in 64 bits")) +
                                         "; the memory budget is " +
                                         engine::byteSizeText(double(budget)) +
                                         " (smaller --dim values, or --max-memory)");
            feeds.emplace_back(v.name, seeded.next(v));
        }
        engine::Interpreter ip(std::move(g));
        ip.setMemoryBudget(budget);
        ip.setFreeDeadValues(true);
        for (auto& [name, t] : feeds)
            ip.setInput(name, std::move(t));
        ip.run();
        std::filesystem::create_directories(opt.outputDir);
        for (int id : ip.graph().outputs) {
            const engine::Tensor* t = ip.value(id);
            if (!t)
                return fail("infer", "output '" + ip.graph().values[id].name + "' has no value");
            std::string path = (std::filesystem::path(opt.outputDir) /
                                (fileNameFor(ip.graph().values[id].name) + ".npy"))
                                   .string();
            engine::writeNpy(*t, path);
            std::printf("%s %s %s\n", path.c_str(), engine::dtypeName(t->dtype()),
                        engine::shapeToString(t->shape()).c_str());
        }
        std::printf("peak live activations: %zu bytes\n", ip.trace().peakLiveBytes);
        if (opt.profile && opt.bench == 0)
            return fail("infer", "--profile needs --bench N (the runs it times)");
        if (opt.bench > 0) {
            std::vector<double> ms;
            std::vector<std::vector<double>> nodeUs; // per record index: times of every run
            for (int i = 0; i < opt.bench; ++i) {
                ip.reset();
                auto t0 = std::chrono::steady_clock::now();
                ip.run();
                auto t1 = std::chrono::steady_clock::now();
                ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                const auto& recs = ip.trace().records;
                nodeUs.resize(recs.size());
                for (std::size_t r = 0; r < recs.size(); ++r)
                    nodeUs[r].push_back(recs[r].micros);
            }
            std::sort(ms.begin(), ms.end());
            std::printf("median latency over %d runs: %.3f ms (min %.3f ms, %d thread%s)\n",
                        opt.bench, ms[ms.size() / 2], ms.front(), engine::threads(),
                        engine::threads() == 1 ? "" : "s");
            if (opt.profile)
                printProfile(ip, nodeUs);
        }
    } catch (const std::exception& e) {
        return fail("infer", e.what());
    }
    return 0;
}

int trainExample(const CliOptions& opt) {
    if (opt.example != "spirals" && opt.example != "digits")
        return fail("train", "--example expects spirals or digits, got '" + opt.example + "'");
    if (opt.epochs < 1)
        return fail("train", "--epochs E is required (a whole number ≥ 1)");
    engine::setThreads(opt.threads);
    try {
        std::printf("%-6s %-10s %-9s %s\n", "epoch", "loss", "accuracy", "held-out");
        engine::train::trainExample(opt.example, opt.epochs, static_cast<std::uint32_t>(opt.seed),
                                    [](const engine::train::EpochStats& e) {
                                        std::printf("%-6d %-10.5f %-9.3f %.3f\n", e.epoch, e.loss,
                                                    e.accuracy, e.heldOutAccuracy);
                                        std::fflush(stdout);
                                    });
    } catch (const std::exception& e) {
        return fail("train", e.what());
    }
    return 0;
}

} // namespace

const char* infoUsage() {
    return R"(  aisyslab info MODEL.onnx [--dim NAME=V ...] [--json]
      Inputs, outputs, opsets, op histogram, parameters (count, bytes), FLOPs per op type
      and in total.
)";
}

const char* inferUsage() {
    return R"(  aisyslab infer MODEL.onnx --output-dir DIR [--input NAME=FILE.npy ...] [--dim NAME=V ...]
                 [--seed S] [--bench N [--profile]] [--threads T] [--passes a,b,c | -O0..-O3]
                 [--max-memory SIZE]
      Runs the model; inputs not given get seeded uniform [-1, 1) values (integer inputs 0).
      Writes every output as DIR/NAME.npy; --bench N prints the median latency of N runs;
      --profile adds each node's median time, share and GFLOP/s (slowest first).
      --passes runs the graph compiler's pipeline on the model first (see optimize).
      --max-memory SIZE (e.g. 512M, 4G; default: half of this machine's memory) bounds the
      values held at once: a node whose outputs would exceed it is refused before anything is
      allocated, naming the node, op, shape and bytes.
)";
}

const char* trainUsage() {
    return R"(  aisyslab train --example spirals|digits --epochs E [--seed S] [--threads T]
      Trains the engine's small MLP (two spirals) or CNN (drawn digits) on data it generates
      and prints per epoch the loss, the training accuracy and the accuracy on 200 held-out
      samples the training never sees.
)";
}

int runInfo(int argc, char** argv) {
    CliOptions opt;
    return parseSubcommandOptions("info", argc, argv, opt) ? modelInfo(opt) : 2;
}

int runInfer(int argc, char** argv) {
    CliOptions opt;
    return parseSubcommandOptions("infer", argc, argv, opt) ? modelInfer(opt) : 2;
}

int runTrain(int argc, char** argv) {
    CliOptions opt;
    if (!parseSubcommandOptions("train", argc, argv, opt))
        return 2;
    if (!opt.positional.empty())
        return fail("train", "unexpected '" + opt.positional[0] + "' (see aisyslab train --help)");
    return trainExample(opt);
}

} // namespace aisys::app::cli
