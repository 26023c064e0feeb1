// aisyslab-mpi: the collective simulator's all-reduce algorithms run for real over MPI
// point-to-point, checked against MPI_Allreduce, timed per step, with a trace the GUI replays.
#include "engine/dist/collective_trace.h"
#include "engine/dist/simulate.h"
#include "engine/dist/units.h"
#include "tools/mpi/mpi_schedule_run.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace aisys;
using namespace aisys::engine::dist;
using namespace aisys::mpi;

const char* kUsage =
    R"(usage: mpirun -np P aisyslab-mpi --op allreduce --algo ALGO --bytes N [options]
       aisyslab-mpi --read-trace FILE [--alpha T --bw B]
  --op allreduce          the collective (all-reduce only: MPI_Allreduce is the reference)
  --algo ALGO             ring, tree (binomial reduce + broadcast), halving-doubling
                          (Rabenseifner), recursive-doubling, double-binary-tree, linear,
                          hierarchical (ranks of one host are one node)
  --bytes N               nccl-tests' size S: the vector in bytes (8, 4K, 1M, 1GiB); a multiple
                          of the element size
  --dtype f32|f64|i32     element type (default f32)
  --data int|random       inputs 0..9 (sums exact: the check is bit for bit, default) or
                          uniform [-1, 1) (i32: [-1000, 1000]; floats checked within a bound)
  --iters K               timed iterations (default 5), after --warmup W (default 1)
  --segments S            double-binary-tree: pipeline segments (default 1)
  --seed N                input seed (default 1)
  --no-calibrate          skip the ping-pong between ranks 0 and 1 (alpha, beta for the replay)
  --corrupt R             rank R adds 1 to element 0 of its result before the check (to see
                          the check fail: exit 1 and the first difference)
  --trace FILE            rank 0 writes the trace (engine/dist/README.md, "The trace file")
  --read-trace FILE       no MPI: read a trace, print its steps beside the simulator's replay
  --alpha T --bw B        the replay's link latency and bandwidth (default: the calibration)
)";

struct Args {
    RunOptions run;
    std::string trace, readTrace;
    bool calibrate = true;
    double alpha = -1, bandwidth = -1;
};

/// Every rank parses the same argv, so every rank reaches the same verdict; rank 0 prints it.
bool parseArgs(int argc, char** argv, Args& a, std::string& error) {
    bool haveOp = false, haveAlgo = false, haveBytes = false;
    std::string dataKind = "int";
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        auto value = [&](std::string& v) {
            if (i + 1 >= argc) {
                error = k + " needs a value (see --help)";
                return false;
            }
            v = argv[++i];
            return true;
        };
        auto intValue = [&](int lo, int& out) {
            std::string v;
            if (!value(v))
                return false;
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || n < lo || n > 1000000) {
                error = k + " '" + v + "': expected a whole number ≥ " + std::to_string(lo);
                return false;
            }
            out = int(n);
            return true;
        };
        std::string v;
        int n = 0;
        if (k == "--op") {
            if (!value(v))
                return false;
            auto op = parseOp(v);
            if (!op || *op != Op::AllReduce) {
                error = "--op '" + v +
                        "': aisyslab-mpi runs allreduce only (the simulator, `aisyslab "
                        "collective`, has every op)";
                return false;
            }
            a.run.op = *op;
            haveOp = true;
        } else if (k == "--algo") {
            if (!value(v))
                return false;
            auto al = parseAlgo(v);
            bool forOp = false;
            if (al)
                for (Algo x : algorithmsFor(Op::AllReduce))
                    forOp = forOp || x == *al;
            if (!forOp) {
                error = "--algo '" + v +
                        "': unknown for all-reduce; expected ring, tree, "
                        "halving-doubling, recursive-doubling, double-binary-tree, linear or "
                        "hierarchical";
                return false;
            }
            a.run.algo = *al;
            haveAlgo = true;
        } else if (k == "--bytes") {
            if (!value(v))
                return false;
            auto b = parseBytes(v, error);
            if (!b) {
                error = "--bytes: " + error;
                return false;
            }
            a.run.bytes = *b;
            haveBytes = true;
        } else if (k == "--dtype") {
            if (!value(v))
                return false;
            if (v != "f32" && v != "f64" && v != "i32") {
                error = "--dtype '" + v + "': expected f32, f64 or i32";
                return false;
            }
            a.run.dtype = v;
        } else if (k == "--data") {
            if (!value(dataKind))
                return false;
            if (dataKind != "int" && dataKind != "random") {
                error = "--data '" + dataKind + "': expected int or random";
                return false;
            }
        } else if (k == "--iters") {
            if (!intValue(1, a.run.iterations))
                return false;
        } else if (k == "--warmup") {
            if (!intValue(0, a.run.warmup))
                return false;
        } else if (k == "--segments") {
            if (!intValue(1, a.run.segments))
                return false;
        } else if (k == "--seed") {
            if (!intValue(0, n))
                return false;
            a.run.seed = unsigned(n);
        } else if (k == "--corrupt") {
            if (!intValue(0, a.run.corruptRank))
                return false;
        } else if (k == "--no-calibrate") {
            a.calibrate = false;
        } else if (k == "--trace") {
            if (!value(a.trace))
                return false;
        } else if (k == "--read-trace") {
            if (!value(a.readTrace))
                return false;
        } else if (k == "--alpha" || k == "--bw") {
            if (!value(v))
                return false;
            auto t = k == "--alpha" ? parseTime(v, error) : parseBandwidth(v, error);
            if (!t) {
                error = k + ": " + error;
                return false;
            }
            (k == "--alpha" ? a.alpha : a.bandwidth) = *t;
        } else {
            error = "unknown option '" + k + "' (see --help)";
            return false;
        }
    }
    a.run.randomData = dataKind == "random";
    if (!a.readTrace.empty())
        return true;
    if (!haveOp || !haveAlgo || !haveBytes) {
        error = std::string("missing ") +
                (!haveOp     ? "--op allreduce"
                 : !haveAlgo ? "--algo ALGO"
                             : "--bytes N") +
                " (see --help)";
        return false;
    }
    const int eb = a.run.dtype == "f64" ? 8 : 4;
    if (a.run.bytes == 0) {
        error = "--bytes 0: an all-reduce needs at least one " + a.run.dtype + " element (" +
                std::to_string(eb) + " bytes)";
        return false;
    }
    if (a.run.bytes % eb != 0) {
        error = "--bytes " + std::to_string(a.run.bytes) + " is not a multiple of the " +
                a.run.dtype + " element size (" + std::to_string(eb) + " bytes); try " +
                std::to_string(a.run.bytes / eb * eb + eb);
        return false;
    }
    if (a.run.bytes / eb > 0x7fffffff) {
        error = "--bytes: more than 2^31 - 1 elements (MPI counts are int)";
        return false;
    }
    return true;
}

/// The per-step table: the median iteration's measured step ends (slowest rank) beside the
/// simulator's, and the largest message of the step.
void printSteps(const CollectiveTrace& tr, double alpha, double bw) {
    std::string error;
    std::optional<SimulatedSteps> sim;
    if (alpha >= 0 && bw > 0)
        sim = simulateTrace(tr, alpha, bw, error);
    const int it = tr.medianIteration();
    std::printf("# steps of the median iteration (%d of %d), slowest rank", it, tr.iterations);
    if (sim)
        std::printf("; simulated: fully connected, alpha = %s, beta = %.3g GB/s\n",
                    formatTime(alpha).c_str(), bw / 1e9);
    else
        std::printf("; no replay (%s)\n",
                    error.empty() ? "no calibration: give --alpha and --bw" : error.c_str());
    std::printf("#  step  max msg(B)  measured end(us)  simulated end(us)\n");
    for (int k = 0; k < tr.rounds; ++k) {
        double end = 0, simEnd = 0;
        std::int64_t maxMsg = 0;
        for (int r = 0; r < tr.ranks; ++r) {
            const TraceStep& s = tr.step(it, r, k);
            end = std::max(end, s.end);
            for (const TraceMessage& m : s.messages)
                maxMsg = std::max(maxMsg, m.bytes);
            if (sim)
                simEnd = std::max(simEnd, sim->end[r][k]);
        }
        if (sim)
            std::printf("  %5d  %10lld  %16.2f  %17.2f\n", k, (long long)maxMsg, end * 1e6,
                        simEnd * 1e6);
        else
            std::printf("  %5d  %10lld  %16.2f  %17s\n", k, (long long)maxMsg, end * 1e6, "-");
    }
    std::printf("# total: measured %.2f us, simulated %s\n", tr.iterationTime(it) * 1e6,
                sim ? (std::to_string(sim->time * 1e6) + " us").c_str() : "-");
}

int readTraceMode(const Args& a) {
    std::string error;
    auto tr = readTrace(a.readTrace, error);
    if (!tr) {
        std::fprintf(stderr, "aisyslab-mpi: %s\n", error.c_str());
        return 2;
    }
    std::printf("# trace %s: %s, %s, %d ranks, %lld bytes %s, %d iterations, %d steps, %zu step "
                "records\n",
                a.readTrace.c_str(), opName(tr->op), algoName(tr->algo), tr->ranks,
                (long long)tr->bytes, tr->dtype.c_str(), tr->iterations, tr->rounds,
                tr->steps.size());
    printSteps(*tr, a.alpha >= 0 ? a.alpha : tr->alpha,
               a.bandwidth > 0 ? a.bandwidth : tr->bandwidth);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        }
    Args a;
    std::string error;
    const bool parsed = parseArgs(argc, argv, a, error);
    if (parsed && !a.readTrace.empty())
        return readTraceMode(a);

    MPI_Init(&argc, &argv);
    int p = 1, me = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &p);
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    auto quit = [&](const std::string& msg, int code) {
        if (me == 0)
            std::fprintf(stderr, "aisyslab-mpi: %s\n", msg.c_str());
        MPI_Finalize();
        return code;
    };
    if (!parsed)
        return quit(error, 2);
    if (p < 2)
        return quit("an all-reduce over 1 process sends nothing: run it with mpirun -np P, "
                    "P ≥ 2",
                    2);
    if (a.run.corruptRank >= p)
        return quit("--corrupt " + std::to_string(a.run.corruptRank) + ": not a rank (0.." +
                        std::to_string(p - 1) + ")",
                    2);

    // The hosts: ranks on one host (shared memory) are a node. Hierarchical needs equal nodes
    // of consecutive ranks.
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, me, MPI_INFO_NULL, &node);
    int nodeSize = 1, nodeRank = 0;
    MPI_Comm_size(node, &nodeSize);
    MPI_Comm_rank(node, &nodeRank);
    MPI_Comm_free(&node);
    std::vector<int> sizes(p), firsts(p);
    const int first = me - nodeRank; // consecutive ranks: the node's first rank
    MPI_Allgather(&nodeSize, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD);
    MPI_Allgather(&first, 1, MPI_INT, firsts.data(), 1, MPI_INT, MPI_COMM_WORLD);
    bool uniform = true;
    for (int r = 0; r < p; ++r)
        uniform = uniform && sizes[r] == sizes[0] && firsts[r] == r / sizes[0] * sizes[0];
    const int hosts = uniform ? p / sizes[0] : 0;
    if (a.run.algo == Algo::Hierarchical) {
        if (!uniform)
            return quit("--algo hierarchical needs every host to run the same number of "
                        "consecutive ranks (mpirun --map-by node does not give that; use "
                        "--map-by slot)",
                        2);
        a.run.ranksPerNode = sizes[0];
    }

    double alpha = -1, bw = -1;
    if (a.calibrate)
        calibrate(std::max<std::int64_t>(a.run.bytes, 1 << 20), alpha, bw);
    RunResult res;
    if (!runCollective(a.run, res, error))
        return quit("--algo " + std::string(algoName(a.run.algo)) + " on " + std::to_string(p) +
                        " ranks: " + error,
                    2);
    res.trace.alpha = alpha;
    res.trace.bandwidth = bw;
    int code = res.wrong == 0 ? 0 : 1;
    if (me == 0) {
        const std::int64_t count = a.run.bytes / res.trace.elemBytes;
        const double factor = busBandwidthFactor(Op::AllReduce, p);
        std::printf("# aisyslab-mpi: all-reduce, %s, %d ranks on %s host(s), %s, inputs %s, "
                    "%d iterations after %d warm-up\n",
                    algoName(a.run.algo), p, hosts ? std::to_string(hosts).c_str() : "uneven",
                    a.run.dtype.c_str(), a.run.randomData ? "random" : "0..9", a.run.iterations,
                    a.run.warmup);
        if (a.calibrate && alpha < 0)
            std::printf("# calibration (ping-pong rank 0 <-> 1): unusable, the large exchange was "
                        "not slower than the 8-byte one; no replay (give --alpha and --bw to "
                        "--read-trace)\n");
        if (alpha >= 0)
            std::printf("# calibration (ping-pong rank 0 <-> 1, fastest of 20/10): alpha = %s, "
                        "beta = %.3g GB/s\n",
                        formatTime(alpha).c_str(), bw / 1e9);
        std::printf("# algbw = S / time, busbw = algbw * 2(p-1)/p (nccl-tests doc/PERFORMANCE.md)"
                    "\n#%12s %12s %5s %-20s %12s %12s %12s %8s\n",
                    "size", "count", "type", "algorithm", "time(us)", "algbw(GB/s)", "busbw(GB/s)",
                    "#wrong");
        auto row = [&](const char* name, double t, long long wrong) {
            const double algbw = double(a.run.bytes) / 1e9 / t;
            std::printf(" %12lld %12lld %5s %-20s %12.2f %12.3f %12.3f %8s\n",
                        (long long)a.run.bytes, (long long)count, a.run.dtype.c_str(), name,
                        t * 1e6, algbw, algbw * factor,
                        wrong < 0 ? "ref" : std::to_string(wrong).c_str());
        };
        row(algoName(a.run.algo), res.avgTime, res.wrong);
        row("MPI_Allreduce", res.mpiTime, -1);
        if (res.bitExact)
            std::printf("# check against MPI_Allreduce, bit for bit: %s (%lld of %lld elements "
                        "differ)\n",
                        res.wrong ? "FAILED" : "passed", (long long)res.wrong,
                        (long long)(count * p));
        else
            std::printf("# check against MPI_Allreduce, |got - ref| <= 2(p-1) u sum|x| = %.3g "
                        "sum|x| (another summation order): %s (%lld of %lld differ; largest "
                        "%.3g sum|x|)\n",
                        res.tolerance, res.wrong ? "FAILED" : "passed", (long long)res.wrong,
                        (long long)(count * p), res.maxError);
        if (res.wrong)
            std::printf("# first difference: %s\n", res.firstWrong.c_str());
        printSteps(res.trace, alpha, bw);
        if (!a.trace.empty()) {
            std::ofstream f(a.trace, std::ios::binary);
            f << writeTrace(res.trace);
            if (!f) {
                std::fprintf(stderr, "aisyslab-mpi: cannot write the trace to %s\n",
                             a.trace.c_str());
                code = 2;
            } else {
                std::printf("# trace: %s (%zu step records)\n", a.trace.c_str(),
                            res.trace.steps.size());
            }
        }
    }
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return code;
}
