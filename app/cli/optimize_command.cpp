// `aisyslab optimize`: import, run a pass pipeline with per-pass numbers, export (see
// optimize_command.h and engine/compiler/README.md).
#include "app/cli/optimize_command.h"

#include "engine/compiler/graph_print.h"
#include "engine/compiler/pass_manager.h"
#include "engine/onnx/onnx_import.h"

#include <cstdio>
#include <exception>
#include <iostream>

namespace aisys::app::cli {

using namespace engine::compiler;

const char* optimizeUsage() {
    return R"(  aisyslab optimize MODEL.onnx [--passes a,b,c | -O0 | -O1 | -O2 | -O3] [--dim NAME=V ...]
                    [--report text|json] [-o OUT.onnx] [--print-after-all] [--list-passes]
      Runs the graph compiler's passes (default -O2) and prints, per pass: nodes, kernels,
      activation bytes read+written by kernels, peak live memory, and the rewrite log.
      --print-after-all prints the graph after every pass; -o writes the optimized model.
      --list-passes lists every pass with its level and description.
)";
}

std::string optimizeGraph(engine::Graph& g, const std::string& spec) {
    try {
        PassManager(parsePipeline(spec)).run(g);
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab optimize: %s\n", msg.c_str());
    return 2;
}

void listPasses() {
    std::printf("%-36s %5s  %s\n", "PASS", "LEVEL", "DESCRIPTION");
    for (const auto& info : PassRegistry::builtin().passes())
        std::printf("%-36s %5s  %s\n", info.pass->name().c_str(),
                    info.level ? ("O" + std::to_string(info.level)).c_str() : "-",
                    info.pass->description().c_str());
    for (int level = 0; level <= 3; ++level) {
        std::string names;
        for (const auto& n : PassRegistry::builtin().levelPasses(level))
            names += (names.empty() ? "" : ", ") + n;
        std::printf("-O%d: %s\n", level, names.empty() ? "(no passes)" : names.c_str());
    }
}

} // namespace

int runOptimize(int argc, char** argv) {
    std::string model, spec = "-O2", report = "text", out;
    bool printAfterAll = false, list = false;
    engine::OnnxImportOptions io;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= argc)
                return false;
            into = argv[++i];
            return true;
        };
        if (a == "--help" || a == "-h") {
            std::printf("Usage:\n%s", optimizeUsage());
            return 0;
        } else if (a == "--passes") {
            if (!value(spec))
                return fail("--passes needs a comma-separated list of pass names");
        } else if (a.size() == 3 && a[0] == '-' && a[1] == 'O') {
            spec = a;
        } else if (a == "--report") {
            if (!value(report) || (report != "json" && report != "text"))
                return fail("--report expects json or text");
        } else if (a == "-o" || a == "--output") {
            if (!value(out))
                return fail("-o needs a file name");
        } else if (a == "--dim") {
            std::string d;
            if (!value(d))
                return fail("--dim needs NAME=V");
            try {
                engine::parseDimBinding(d, io.dims);
            } catch (const std::exception& e) {
                return fail(e.what());
            }
        } else if (a == "--print-after-all") {
            printAfterAll = true;
        } else if (a == "--list-passes") {
            list = true;
        } else if (!a.empty() && a[0] == '-') {
            return fail("unknown option '" + a + "' (see aisyslab optimize --help)");
        } else if (model.empty()) {
            model = a;
        } else {
            return fail("one model at a time; unexpected '" + a + "'");
        }
    }
    if (list) {
        listPasses();
        return 0;
    }
    if (model.empty())
        return fail("MODEL.onnx is required (see aisyslab optimize --help)");
    Pipeline pipeline;
    try {
        pipeline = parsePipeline(spec);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    const bool json = report == "json";
    // Graphs go to stdout with the text report, to stderr when stdout carries the JSON.
    std::FILE* graphs = json ? stderr : stdout;
    try {
        engine::Graph g = engine::importOnnxFile(model, io);
        PassManager pm(pipeline);
        if (printAfterAll) {
            std::fprintf(graphs, "--- input ---\n%s", graphText(g).c_str());
            pm.setHook([&](const PassRecord& rec) {
                std::fprintf(graphs, "--- after %s%s ---\n%s", rec.pass.c_str(),
                             rec.round > 1 ? (" (round " + std::to_string(rec.round) + ")").c_str()
                                           : "",
                             graphText(g).c_str());
            });
        }
        const PipelineReport rep = pm.run(g);
        std::printf("%s", json ? reportJson(rep).c_str() : reportText(rep).c_str());
        if (!out.empty()) {
            engine::exportOnnxFile(g, out);
            if (!json)
                std::printf("wrote %s\n", out.c_str());
        }
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    return 0;
}

} // namespace aisys::app::cli
