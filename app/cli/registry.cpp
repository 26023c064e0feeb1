// The one list of `aisyslab` subcommands: one line each, with its needs, entry point and help.
#include "app/cli/registry.h"

#include "app/cli/chips_commands.h"
#include "app/cli/collective_command.h"
#include "app/cli/conv_command.h"
#include "app/cli/dp_command.h"
#include "app/cli/lab_commands.h"
#include "app/cli/lesson_commands.h"
#include "app/cli/loops_command.h"
#include "app/cli/model_commands.h"
#include "app/cli/optimize_command.h"
#include "app/cli/options.h"
#include "app/cli/pipeline_command.h"
#include "app/cli/plan_command.h"
#include "app/cli/systolic_command.h"
#include "app/cli/tp_command.h"
#include "app/cli/tune_command.h"

#include <QGuiApplication>
#include <cstdio>

namespace aisys::app::cli {

const std::vector<Subcommand>& subcommands() {
    // clang-format off
    static const std::vector<Subcommand> kAll{
        // name       needs         entry point      help             one-line summary
        {"lessons",  Needs::QtGui,  runLessons,      lessonsUsage,    "list the lessons and the lesson files with errors"},
        {"export",   Needs::QtGui,  runExport,       exportUsage,     "draw a lesson's steps or a model's graph as SVG, PDF or PNG"},
        {"labs",     Needs::NoQt,   runLabs,         labsUsage,       "the Labs a lesson can use: parameters and phases"},
        {"info",     Needs::NoQt, runInfo,         infoUsage,       "summarize an ONNX model: inputs, ops, parameters, FLOPs"},
        {"infer",    Needs::NoQt, runInfer,        inferUsage,      "run an ONNX model, write its outputs, time and profile it"},
        {"optimize", Needs::NoQt, runOptimize,     optimizeUsage,   "run the graph compiler's passes on a model, pass by pass"},
        {"train",    Needs::NoQt, runTrain,        trainUsage,      "train the engine's example MLP or CNN"},
        {"systolic", Needs::NoQt, runSystolic,     systolicUsage,   "SCALE-Sim v2-compatible systolic-array report per layer"},
        {"loops",    Needs::NoQt, runLoops,        loopsUsage,      "a loop nest under a schedule: legality, cache misses, estimated cycles"},
        {"tune",     Needs::NoQt, runTune,         tuneUsage,       "auto-tune a matmul schedule: grid, random, genetic or model-guided search"},
        {"conv",     Needs::NoQt, runConv,         convUsage,       "a convolution by direct, im2col, Winograd, indirect, spatial pack or FlashAttention: counts, errors"},
        {"layout",   Needs::NoQt, runLayout,       layoutUsage,     "a memory layout's address map: NCHW, NHWC, NC4HW4, NC1HWC0, NZ, zZ"},
        {"collective", Needs::NoQt, runCollective, collectiveUsage, "simulate a collective on a topology: time, algbw, busbw, check"},
        {"pipeline", Needs::NoQt, runPipeline,     pipelineUsage,   "a pipeline-parallel schedule: makespan, bubble, activations, timeline"},
        {"plan",     Needs::NoQt, runPlan,         planUsage,       "3D parallelism planner: DP x TP x PP ranked for a model on a cluster"},
        {"dp",       Needs::NoQt, runDp,           dpUsage,         "data-parallel backward with gradient buckets overlapping the all-reduce"},
        {"tp",       Needs::NoQt, runTp,           tpUsage,         "a transformer layer tensor-parallel on real shards vs unsharded, f/g collectives"},
        {"device",   Needs::NoQt, runDevice,       deviceUsage,     "the device catalogue: peaks, memory levels, sources"},
        {"bits",     Needs::NoQt, runBits,         bitsUsage,       "a value or code in a number format, bit by bit"},
        {"roofline", Needs::NoQt, runRoofline,     rooflineUsage,   "an operator or every node of a model on a device's roofline"},
        {"gpu",      Needs::NoQt, runGpu,          gpuUsage,        "GPU execution: occupancy, coalescing, latency hiding, SIMT, warps"},
        {"tensorcore", Needs::NoQt, runTensorcore, tensorcoreUsage, "a GEMM tiled onto Tensor Cores; peaks per generation"},
        {"link",     Needs::NoQt, runLink,         linkUsage,       "a transfer between two GPUs of an NVLink/PCIe topology"},
    };
    // clang-format on
    return kAll;
}

const Subcommand* findSubcommand(const std::string& name) {
    for (const Subcommand& s : subcommands())
        if (name == s.name)
            return &s;
    return nullptr;
}

std::string subcommandNames() {
    std::string out;
    for (const Subcommand& s : subcommands())
        out += (out.empty() ? "" : ", ") + std::string(s.name);
    return out;
}

std::string usageText() {
    std::string text = R"(AISys Lab — interactive lessons for the course "AI Systems"

Usage:
  aisyslab [--lang zh|en] [--lesson ID | --model FILE.onnx | --trace FILE] [--step N]
           [--present] [--screenshot FILE.png]
      Opens the lab (on its last lesson, or on ID at step N); --trace opens an aisyslab-mpi
      trace beside its simulation (lesson mpi-replay); --present starts full-screen in
      presentation mode. With --screenshot it saves a PNG of the whole window after the
      first complete frame and exits.
  aisyslab SUBCOMMAND [options]     (aisyslab SUBCOMMAND --help shows one)

Subcommands:
)";
    for (const Subcommand& s : subcommands()) {
        char line[160];
        std::snprintf(line, sizeof line, "  %-10s %s\n", s.name, s.summary);
        text += line;
    }
    for (const Subcommand& s : subcommands())
        text += std::string("\n") + s.usage();
    text += R"(
Global options:
  --lang zh|en    language of lessons and the UI (default: the system locale)
  --help, --version
)";
    return text;
}

int subcommandIndex(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (!a.empty() && a[0] == '-') {
            if (optionTakesValue(a))
                ++i;
            continue;
        }
        return i;
    }
    return 0;
}

int runSubcommand(int argc, char** argv, int at) {
    const Subcommand* sub = findSubcommand(argv[at]);
    if (!sub) {
        std::fprintf(stderr, "aisyslab: unknown command '%s' (expected one of: %s; see --help)\n",
                     argv[at], subcommandNames().c_str());
        return 2;
    }
    // 1. The subcommand's name first, then every other word in its order.
    std::vector<char*> args{argv[0], argv[at]};
    for (int i = 1; i < argc; ++i)
        if (i != at)
            args.push_back(argv[i]);
    args.push_back(nullptr);
    const int n = static_cast<int>(args.size()) - 1;
    // 2. --help anywhere prints this subcommand's usage.
    for (int i = 2; i < n; ++i)
        if (std::string(args[i]) == "--help" || std::string(args[i]) == "-h") {
            std::printf("Usage:\n%s", sub->usage());
            return 0;
        }
    // 3. Only what it needs: the engine alone, or Qt's GUI classes on the offscreen platform.
    if (sub->needs == Needs::NoQt)
        return sub->run(n, args.data());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    int qargc = 1;
    QGuiApplication qapp(qargc, argv);
    return sub->run(n, args.data());
}

} // namespace aisys::app::cli
