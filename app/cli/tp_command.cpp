// `aisyslab tp`: options → engine/dist's tensor-parallel run → comparison and collectives, or
// JSON.
#include "app/cli/tp_command.h"

#include "app/cli/link_options.h"
#include "engine/dist/tensor_parallel.h"
#include "engine/dist/units.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace aisys::app::cli {

namespace dist = engine::dist;

const char* tpUsage() {
    return R"(  aisyslab tp --ranks T [--batch B] [--seq S] [--hidden H] [--heads A] [--ffn F]
              [--vocab V] [--topology NAME] [--algo ALGO] [--alpha 5us] [--bw 100GB/s]
              [--seed N] [--json]
      Runs one transformer layer (causal attention, GeLU MLP, output layer and cross-entropy;
      defaults B 2, S 4, H 8, A 4, F 32, V 16) split Megatron-style over T ranks: attention by
      heads, the MLP's first matrix by columns and its second by rows, the output layer by
      vocabulary with a vocabulary-parallel cross-entropy. Every rank's piece runs forward and
      backward in the engine (autodiff); the f/g all-reduces (and the cross-entropy's per-token
      exchanges) run on the collective simulator over the topology (default switch, ring
      algorithm). Prints the largest difference of every value and gradient from the unsharded
      layer and each collective's size and time. Exit 1 when a difference exceeds 1e-4 of
      the largest |value| of the reference. T must divide A, F and V; A must divide H.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab tp: %s\n", msg.c_str());
    return 2;
}

} // namespace

int runTp(int argc, char** argv) {
    dist::TransformerLayerShape s;
    dist::TensorParallelConfig cfg;
    bool json = false, gotRanks = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (i + 1 >= argc)
            return fail(a.rfind("--", 0) == 0 ? a + " needs a value"
                                              : "unexpected argument '" + a + "'");
        const std::string v = argv[++i];
        std::string err;
        int* field = a == "--ranks"    ? &cfg.ranks
                     : a == "--batch"  ? &s.batch
                     : a == "--seq"    ? &s.seq
                     : a == "--hidden" ? &s.hidden
                     : a == "--heads"  ? &s.heads
                     : a == "--ffn"    ? &s.ffn
                     : a == "--vocab"  ? &s.vocab
                                       : nullptr;
        if (field) {
            // Small enough to run in a second: the layer runs twice, on real numbers.
            if (!parseInt(v, 1, a == "--ranks" ? 64 : 1024, *field))
                return fail(a + " '" + v + "': expected a whole number from 1 to " +
                            (a == "--ranks" ? "64" : "1024"));
            gotRanks |= a == "--ranks";
        } else if (a == "--seed") {
            int seed = 0;
            if (!parseInt(v, 0, 1000000, seed))
                return fail("--seed '" + v + "': expected a whole number from 0 to 1000000");
            cfg.seed = unsigned(seed);
        } else if (parseLinkOption(a, v, cfg.topology, cfg.algo, cfg.net, err)) {
            if (!err.empty())
                return fail(err);
        } else {
            return fail("unknown option '" + a + "' (see aisyslab tp --help)");
        }
    }
    if (!gotRanks)
        return fail("--ranks T is required");
    if (double(s.batch) * s.heads * s.seq * s.seq > 16e6)
        return fail("batch × heads × seq² is above 16,000,000 attention scores: choose a smaller "
                    "layer (it runs on real numbers, twice)");
    if (double(s.batch) * s.seq * std::max({s.hidden, s.ffn, s.vocab}) > 4e6)
        return fail("batch × seq × max(hidden, ffn, vocab) is above 4,000,000 values: choose a "
                    "smaller layer (it runs on real numbers, twice)");
    dist::TensorParallelResult r;
    try {
        r = dist::runTensorParallel(s, cfg);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    const bool equal = r.worstRelative() <= 1e-4;
    if (json) {
        std::printf("{\"ranks\": %d, \"loss\": %.9g, \"reference_loss\": %.9g, "
                    "\"equal\": %s, \"compared\": [",
                    cfg.ranks, r.loss, r.referenceLoss, equal ? "true" : "false");
        for (std::size_t i = 0; i < r.compared.size(); ++i)
            std::printf("%s{\"name\": \"%s\", \"max_abs_diff\": %.3g, \"max_abs_ref\": %.6g}",
                        i ? ", " : "", r.compared[i].name.c_str(), r.compared[i].maxAbsDiff,
                        r.compared[i].maxAbsRef);
        std::printf("], \"collectives\": [");
        for (std::size_t i = 0; i < r.collectives.size(); ++i) {
            const auto& c = r.collectives[i];
            std::printf("%s{\"what\": \"%s\", \"phase\": \"%s\", \"op\": \"%s\", \"bytes\": %lld, "
                        "\"time\": %.9g, \"busbw\": %.6g, \"rank_bytes\": %.0f, \"verified\": %s}",
                        i ? ", " : "", c.what.c_str(), c.phase.c_str(), dist::opName(c.op),
                        static_cast<long long>(c.bytes), c.time, c.busbw, c.rankBytes,
                        c.verified ? "true" : "false");
        }
        std::printf("], \"comm_time\": %.9g, \"comm_bytes_rank\": %.0f}\n", r.commTime,
                    r.commBytesRank);
        return equal ? 0 : 1;
    }
    std::printf("tensor parallel %d: batch %d, seq %d, hidden %d, heads %d (%d per rank), ffn %d, "
                "vocab %d\n",
                cfg.ranks, s.batch, s.seq, s.hidden, s.heads, s.heads / cfg.ranks, s.ffn, s.vocab);
    std::printf("loss %.7f sharded, %.7f unsharded\n\n", r.loss, r.referenceLoss);
    std::printf("%-6s %12s %12s %10s\n", "value", "max |diff|", "max |ref|", "relative");
    for (const auto& c : r.compared)
        std::printf("%-6s %12.3g %12.4g %10.2g\n", c.name.c_str(), c.maxAbsDiff, c.maxAbsRef,
                    c.maxAbsRef > 0 ? c.maxAbsDiff / c.maxAbsRef : c.maxAbsDiff);
    std::printf("%s\n\n", equal ? "sharded = unsharded (forward and backward, within 1e-4)"
                                : "SHARDED DIFFERS FROM UNSHARDED");
    if (r.collectives.empty()) {
        std::printf("one rank: no collectives\n");
        return equal ? 0 : 1;
    }
    std::printf("%-9s %-48s %-10s %10s %10s %s\n", "phase", "collective", "op", "size", "time",
                "check");
    for (const auto& c : r.collectives)
        std::printf("%-9s %-48s %-10s %10s %10s %s\n", c.phase.c_str(), c.what.c_str(),
                    dist::opName(c.op), dist::formatBytes(double(c.bytes)).c_str(),
                    dist::formatTime(c.time).c_str(), c.verified ? "ok" : "WRONG");
    std::printf("communication %s, rank 0 sent %s (topology %s, %s)\n",
                dist::formatTime(r.commTime).c_str(), dist::formatBytes(r.commBytesRank).c_str(),
                cfg.topology.c_str(), dist::algoName(cfg.algo));
    return equal ? 0 : 1;
}

} // namespace aisys::app::cli
