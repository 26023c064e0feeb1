// `aisyslab collective`: options → topology + config → engine/dist's simulator → report, JSON
// or an nccl-tests-style sweep table.
#include "app/cli/collective_command.h"
#include "app/cli/collective_svg.h"

#include "engine/dist/simulate.h"
#include "engine/dist/units.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <numeric>
#include <string>

namespace aisys::app::cli {

namespace dist = engine::dist;

const char* collectiveUsage() {
    return R"(  aisyslab collective --op OP --algo ALGO --ranks P (--bytes N | --sweep MIN:MAX:FACTOR)
                      --topology NAME|FILE [--chunk C] [--alpha 5us] [--bw 100GB/s]
                      [--inter-alpha 10us] [--inter-bw 25GB/s] [--gpus-per-node 8]
                      [--nic-per-node] [--radix 4] [--oversubscription 1] [--dims 4x4]
                      [--root R] [--links N] [--json] [--svg FILE]
      Simulates one collective with real numbers on every rank over a network of links with
      latency α and bandwidth β per direction (chunks pipeline hop by hop, links are shared
      max-min fairly) and checks every rank's result against the reference. Prints the time,
      algbw = S/t and busbw = algbw × nccl-tests' factor (all-reduce 2(p-1)/p; all-gather,
      reduce-scatter, all-to-all, gather, scatter (p-1)/p; broadcast, reduce 1), the bytes
      each rank sent, the α-β closed form where it applies and the busiest links (--links N,
      default 5). Exits 1 when a result is wrong.
      OP: broadcast, scatter, gather, reduce, all-reduce, all-gather, reduce-scatter,
      all-to-all, barrier. ALGO: linear, ring, binomial, double-binary-tree,
      recursive-doubling, rabenseifner, bruck, hierarchical.
      NAME: ring, full, switch, fat-tree, torus2d, torus3d, multinode (--gpus-per-node GPUs
      on an NVSwitch each, one NIC per GPU or --nic-per-node into a fabric: --inter-alpha,
      --inter-bw), or a topology file (engine/dist/README.md). Sizes as nccl-tests: S is the
      whole buffer (all-gather: all ranks' parts), 4K/1M/1G are powers of 1024; --chunk
      splits messages (and pipelines ring broadcast/reduce and the double binary tree).
      --sweep 8:1G:2 runs S = 8, 16, ... 1G and prints nccl-tests' columns (size, count, type,
      redop, root, time, algbw, busbw, #wrong) so that a real nccl-tests log lies beside it
      (with --json: one object with a "results" row per size, as nccl-tests' -J).
      --svg FILE (one run) draws every link's utilization over time, busiest first, with the
      rounds' ends.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab collective: %s\n", msg.c_str());
    return 2;
}

bool parseInt(const std::string& s, int& out) {
    auto res = std::from_chars(s.data(), s.data() + s.size(), out);
    return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

std::string jsonNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string jsonString(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\';
        o += c;
    }
    return o + "\"";
}

/// nccl-tests' getFloatStr: the widest of %.2f, %.1f, %.0f that fits, else %.1e / %.0e.
std::string ncclFloat(double v, int width) {
    char buf[64];
    for (const char* f : {"%*.2f", "%*.1f", "%*.0f"})
        if (std::snprintf(buf, sizeof buf, f, width, v) <= width)
            return buf;
    std::snprintf(buf, sizeof buf, width >= 7 ? "%*.1e" : "%*.0e", width, v);
    return buf;
}

bool splitPerRank(dist::Op op) {
    return op == dist::Op::AllGather || op == dist::Op::ReduceScatter || op == dist::Op::AllToAll ||
           op == dist::Op::Gather || op == dist::Op::Scatter;
}

bool rooted(dist::Op op) {
    return op == dist::Op::Broadcast || op == dist::Op::Reduce || op == dist::Op::Gather ||
           op == dist::Op::Scatter;
}

bool reduces(dist::Op op) {
    return op == dist::Op::AllReduce || op == dist::Op::Reduce || op == dist::Op::ReduceScatter;
}

void printLinks(const dist::Topology& t, const dist::CollectiveResult& r, int top) {
    std::vector<int> order(t.linkCount());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return r.linkBytes[a] > r.linkBytes[b]; });
    int shown = 0;
    for (int l : order) {
        if (shown >= top || r.linkBytes[l] <= 0)
            break;
        if (shown++ == 0)
            std::printf("busiest links (bytes, busy time / run time):\n");
        double busy = 0;
        for (int b = 0; b < r.timeline.bins; ++b)
            busy += r.timeline.busy[std::size_t(l) * r.timeline.bins + b];
        const dist::Link& k = t.link(l);
        std::printf("  %-22s %14.6g B  %5.1f %%\n",
                    (t.nodeName(k.from) + " -> " + t.nodeName(k.to)).c_str(), r.linkBytes[l],
                    r.time > 0 ? 100 * busy / r.time : 0.0);
    }
}

void printJson(const dist::Topology& t, const dist::CollectiveConfig& c,
               const dist::CollectiveResult& r) {
    std::string o =
        "{\"op\":" + jsonString(dist::opName(c.op)) +
        ",\"algo\":" + jsonString(dist::algoName(c.algo)) +
        ",\"ranks\":" + std::to_string(t.rankCount()) + ",\"topology\":" + jsonString(t.name()) +
        ",\"size\":" + std::to_string(r.size) + ",\"count\":" + std::to_string(r.count) +
        ",\"chunk\":" + std::to_string(c.chunkBytes) + ",\"time_us\":" + jsonNumber(r.time * 1e6) +
        ",\"algbw\":" + jsonNumber(r.algbw) + ",\"busbw\":" + jsonNumber(r.busbw) +
        ",\"closed_form_us\":" + (r.closedForm >= 0 ? jsonNumber(r.closedForm * 1e6) : "null") +
        ",\"verified\":" + (r.verified ? "true" : "false") +
        ",\"wrong\":" + std::to_string(r.wrong) + ",\"payload\":" + std::to_string(r.payload) +
        ",\"rounds\":" + std::to_string(r.rounds) +
        ",\"events\":" + std::to_string(r.stats.events) +
        ",\"messages\":" + std::to_string(r.stats.messages) + ",\"rank_bytes\":[";
    for (std::size_t i = 0; i < r.rankBytes.size(); ++i)
        o += (i ? "," : "") + jsonNumber(r.rankBytes[i]);
    o += "],\"bin_us\":" + jsonNumber(r.timeline.binWidth * 1e6) + ",\"links\":[";
    bool first = true;
    for (int l = 0; l < t.linkCount(); ++l) {
        if (r.linkBytes[l] <= 0)
            continue;
        const dist::Link& k = t.link(l);
        o += std::string(first ? "" : ",") + "{\"from\":" + jsonString(t.nodeName(k.from)) +
             ",\"to\":" + jsonString(t.nodeName(k.to)) +
             ",\"bytes\":" + jsonNumber(r.linkBytes[l]) + ",\"utilization\":[";
        for (int b = 0; b < r.timeline.bins; ++b)
            o += (b ? "," : "") + jsonNumber(r.timeline.utilization(l, b));
        o += "]}";
        first = false;
    }
    o += "]}";
    std::printf("%s\n", o.c_str());
}

void printReport(const dist::Topology& t, const dist::CollectiveConfig& c,
                 const dist::CollectiveResult& r, int topLinks) {
    const int p = t.rankCount();
    std::printf("%s with %s on %d ranks, topology %s (%d nodes, %d links)\n", dist::opName(c.op),
                dist::algoName(c.algo), p, t.name().c_str(), t.nodeCount(), t.linkCount());
    if (c.op == dist::Op::Barrier)
        std::printf("size        0 B (a barrier sends no data; %lld \"heard from\" flags per rank "
                    "checked)\n",
                    (long long)r.count);
    else
        std::printf(
            "size        %lld B (%lld float32), chunk: %s\n", (long long)r.size, (long long)r.count,
            c.chunkBytes > 0 ? dist::formatBytes(double(c.chunkBytes)).c_str() : "whole message");
    std::printf("time        %.6g us\n", r.time * 1e6);
    std::printf("algbw       %.6g GB/s\n", r.algbw);
    std::printf("busbw       %.6g GB/s (algbw x %.6g, nccl-tests' factor for %s)\n", r.busbw,
                dist::busBandwidthFactor(c.op, p), dist::opName(c.op));
    if (r.closedForm >= 0)
        std::printf("closed form %.6g us (alpha-beta, no contention)\n", r.closedForm * 1e6);
    const auto [lo, hi] = std::minmax_element(r.rankBytes.begin(), r.rankBytes.end());
    if (*lo == *hi)
        std::printf("bytes/rank  %.6g B each\n", *lo);
    else
        std::printf("bytes/rank  %.6g .. %.6g B (rank %d sends most)\n", *lo, *hi,
                    int(hi - r.rankBytes.begin()));
    if (p <= 16 && *lo != *hi) {
        std::printf("           ");
        for (double b : r.rankBytes)
            std::printf(" %.4g", b);
        std::printf("\n");
    }
    if (r.verified)
        std::printf("verified    yes: every rank's buffer equals the reference (%lld elements "
                    "per rank carried%s)\n",
                    (long long)r.payload,
                    r.payload < r.count ? ", in proportion to the full size" : "");
    else
        std::printf("verified    NO: %lld elements wrong; first: %s\n", (long long)r.wrong,
                    r.firstWrong.c_str());
    std::printf("simulated   %d rounds, %lld messages, %lld chunk-hops, %lld events\n", r.rounds,
                (long long)r.stats.messages, (long long)r.stats.hopTransfers,
                (long long)r.stats.events);
    printLinks(t, r, topLinks);
}

struct Sweep {
    std::int64_t min = 0, max = 0;
    double factor = 2;
};

std::optional<Sweep> parseSweep(const std::string& v, std::string& error) {
    const std::size_t a = v.find(':'), b = v.find(':', a == std::string::npos ? a : a + 1);
    if (a == std::string::npos || b == std::string::npos) {
        error = "--sweep '" + v + "': expected MIN:MAX:FACTOR, e.g. 8:1G:2";
        return std::nullopt;
    }
    Sweep s;
    auto lo = dist::parseBytes(v.substr(0, a), error);
    auto hi = lo ? dist::parseBytes(v.substr(a + 1, b - a - 1), error) : std::nullopt;
    if (!lo || !hi) {
        error = "--sweep: " + error;
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        s.factor = std::stod(v.substr(b + 1), &used);
        if (used != v.size() - b - 1)
            throw std::invalid_argument("");
    } catch (const std::exception&) {
        s.factor = 0;
    }
    if (!(s.factor > 1) || *lo < 1 || *hi < *lo) {
        error = "--sweep '" + v + "': expected 1 <= MIN <= MAX and a FACTOR > 1";
        return std::nullopt;
    }
    s.min = *lo;
    s.max = *hi;
    return s;
}

} // namespace

int runCollective(int argc, char** argv) {
    std::string opText, algoText, topology, bytesText, chunkText, sweepText, dimsText, svgPath;
    dist::ShapeParams sp;
    bool json = false, ranksGiven = false;
    int root = 0, topLinks = 5;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
            continue;
        }
        if (a == "--nic-per-node") {
            sp.nicPerGpu = false;
            continue;
        }
        if (i + 1 >= argc)
            return fail(a.rfind("--", 0) == 0 ? a + " needs a value"
                                              : "unexpected argument '" + a + "'");
        const std::string v = argv[++i];
        std::string err;
        auto intOpt = [&](int& out, int min) {
            if (!parseInt(v, out) || out < min) {
                err = a + " '" + v + "': expected a whole number >= " + std::to_string(min);
                return false;
            }
            return true;
        };
        auto timeOpt = [&](double& out) {
            auto t = dist::parseTime(v, err);
            if (t)
                out = *t;
            else
                err = a + ": " + err;
            return bool(t);
        };
        auto bwOpt = [&](double& out) {
            auto t = dist::parseBandwidth(v, err);
            if (t)
                out = *t;
            else
                err = a + ": " + err;
            return bool(t);
        };
        bool ok = true;
        if (a == "--op")
            opText = v;
        else if (a == "--algo")
            algoText = v;
        else if (a == "--topology")
            topology = v;
        else if (a == "--bytes")
            bytesText = v;
        else if (a == "--chunk")
            chunkText = v;
        else if (a == "--sweep")
            sweepText = v;
        else if (a == "--dims")
            dimsText = v;
        else if (a == "--svg")
            svgPath = v;
        else if (a == "--ranks") {
            ok = intOpt(sp.ranks, 1);
            ranksGiven = true;
        } else if (a == "--root")
            ok = intOpt(root, 0);
        else if (a == "--links")
            ok = intOpt(topLinks, 0);
        else if (a == "--gpus-per-node")
            ok = intOpt(sp.gpusPerNode, 1);
        else if (a == "--radix")
            ok = intOpt(sp.fatTreeRadix, 1);
        else if (a == "--alpha")
            ok = timeOpt(sp.alpha);
        else if (a == "--inter-alpha")
            ok = timeOpt(sp.interAlpha);
        else if (a == "--bw")
            ok = bwOpt(sp.bandwidth);
        else if (a == "--inter-bw")
            ok = bwOpt(sp.interBandwidth);
        else if (a == "--oversubscription") {
            try {
                sp.oversubscription = std::stod(v);
            } catch (const std::exception&) {
                sp.oversubscription = 0;
            }
            if (!(sp.oversubscription >= 1)) {
                err = "--oversubscription '" + v + "': expected a number >= 1";
                ok = false;
            }
        } else
            return fail("unknown option '" + a + "' (see aisyslab collective --help)");
        if (!ok)
            return fail(err);
    }
    // 1. What to run.
    if (opText.empty() || algoText.empty() || topology.empty())
        return fail("--op, --algo and --topology are required (see --help)");
    auto op = dist::parseOp(opText);
    if (!op)
        return fail("unknown op '" + opText + "' (expected one of: " + dist::opNames() + ")");
    auto algo = dist::parseAlgo(algoText);
    if (!algo)
        return fail("unknown algorithm '" + algoText + "' (expected one of: " + dist::algoNames() +
                    ")");
    if (bytesText.empty() == sweepText.empty() && *op != dist::Op::Barrier)
        return fail("give either --bytes N or --sweep MIN:MAX:FACTOR");
    std::string err;
    if (!dimsText.empty()) {
        std::size_t start = 0;
        while (start <= dimsText.size()) {
            const std::size_t x = dimsText.find('x', start);
            int d = 0;
            if (!parseInt(dimsText.substr(start, x - start), d) || d < 1)
                return fail("--dims '" + dimsText + "': expected sizes like 4x4 or 4x4x2");
            sp.torusDims.push_back(d);
            if (x == std::string::npos)
                break;
            start = x + 1;
        }
    }
    // 2. The network: a built-in shape, else a file.
    std::optional<dist::Topology> topo;
    const std::string shapes = dist::topologyNames();
    if (shapes.find(topology) != std::string::npos && topology.find('/') == std::string::npos &&
        topology.find('.') == std::string::npos) {
        if (!ranksGiven)
            return fail("--ranks is required with a built-in topology");
        topo = dist::makeTopology(topology, sp, err);
    } else {
        topo = dist::loadTopology(topology, err);
        if (topo && ranksGiven && topo->rankCount() != sp.ranks)
            return fail(topology + " has " + std::to_string(topo->rankCount()) +
                        " ranks, --ranks says " + std::to_string(sp.ranks));
    }
    if (!topo)
        return fail(err);
    dist::CollectiveConfig cfg;
    cfg.op = *op;
    cfg.algo = *algo;
    cfg.root = root;
    if (!chunkText.empty()) {
        auto c = dist::parseBytes(chunkText, err);
        if (!c)
            return fail("--chunk: " + err);
        if (*c < 1)
            return fail("--chunk must be at least 1 byte");
        cfg.chunkBytes = *c;
    }
    const int p = topo->rankCount();
    // 3. One run.
    if (sweepText.empty()) {
        if (*op != dist::Op::Barrier) {
            auto b = dist::parseBytes(bytesText, err);
            if (!b)
                return fail("--bytes: " + err);
            cfg.bytes = *b;
        }
        auto r = dist::simulateCollective(*topo, cfg, err);
        if (!r)
            return fail(err);
        if (!svgPath.empty()) {
            std::FILE* f = std::fopen(svgPath.c_str(), "wb");
            if (!f)
                return fail("--svg '" + svgPath + "': cannot write the file");
            const std::string svg = collectiveSvg(*topo, cfg, *r);
            const bool ok = std::fwrite(svg.data(), 1, svg.size(), f) == svg.size();
            if (std::fclose(f) != 0 || !ok)
                return fail("--svg '" + svgPath + "': writing failed");
        }
        if (json)
            printJson(*topo, cfg, *r);
        else
            printReport(*topo, cfg, *r, topLinks);
        return r->verified ? 0 : 1;
    }
    // 4. A sweep in nccl-tests' layout (src/util.cu): sizes MIN, MIN·F, … ≤ MAX; the ops that
    //    split the buffer per rank round each part down to 16 bytes as nccl-tests does.
    if (!svgPath.empty())
        return fail("--svg draws one run: give --bytes N instead of --sweep");
    auto sweep = parseSweep(sweepText, err);
    if (!sweep)
        return fail(err);
    const std::int64_t chunk = cfg.chunkBytes;
    if (!json) {
        std::printf("# aisyslab collective: %s, algorithm %s, %d ranks, topology %s\n",
                    dist::opName(*op), dist::algoName(*algo), p, topo->name().c_str());
        std::printf("#\n");
        std::printf("# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s\n", "size", "count", "type",
                    "redop", "root", "time", "algbw", "busbw", "#wrong");
        std::printf("# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s\n", "(B)", "(elements)", "",
                    "", "", "(us)", "(GB/s)", "(GB/s)", "");
    }
    std::string rowsJson;
    bool allOk = true;
    double busSum = 0;
    int rows = 0;
    for (double size = double(sweep->min); size <= double(sweep->max) * (1 + 1e-12);
         size = std::max(size * sweep->factor, size + 1)) {
        const std::int64_t count = std::int64_t(size) / 4;
        std::int64_t param = count;
        if (splitPerRank(*op))
            param = (count / p) & ~std::int64_t(3);
        const std::int64_t total = splitPerRank(*op) ? param * p : count;
        if (total < 1)
            continue;
        cfg.bytes = total * 4;
        cfg.chunkBytes = chunk > cfg.bytes ? 0 : chunk; // sizes below the chunk: one piece
        auto r = dist::simulateCollective(*topo, cfg, err);
        if (!r)
            return fail(err);
        if (json)
            rowsJson +=
                std::string(rowsJson.empty() ? "" : ",") +
                "{\"size\":" + std::to_string(cfg.bytes) + ",\"count\":" + std::to_string(param) +
                ",\"time_us\":" + jsonNumber(r->time * 1e6) + ",\"algbw\":" + jsonNumber(r->algbw) +
                ",\"busbw\":" + jsonNumber(r->busbw) + ",\"wrong\":" + std::to_string(r->wrong) +
                "}";
        else
            std::printf("%12lld  %12lld  %8s  %6s  %6d  %7s  %6s  %6s  %6g\n", (long long)cfg.bytes,
                        (long long)param, "float", reduces(*op) ? "sum" : "none",
                        rooted(*op) ? root : -1, ncclFloat(r->time * 1e6, 7).c_str(),
                        ncclFloat(r->algbw, 6).c_str(), ncclFloat(r->busbw, 6).c_str(),
                        double(r->wrong));
        allOk = allOk && r->verified;
        busSum += r->busbw;
        ++rows;
    }
    if (json) {
        std::printf("{\"op\":%s,\"algo\":%s,\"ranks\":%d,\"topology\":%s,\"results\":[%s]}\n",
                    jsonString(dist::opName(*op)).c_str(),
                    jsonString(dist::algoName(*algo)).c_str(), p, jsonString(topo->name()).c_str(),
                    rowsJson.c_str());
        return allOk ? 0 : 1;
    }
    std::printf("# Out of bounds values : %d %s\n", allOk ? 0 : 1, allOk ? "OK" : "FAILED");
    std::printf("# Avg bus bandwidth    : %g \n", rows ? busSum / rows : 0.0);
    return allOk ? 0 : 1;
}

} // namespace aisys::app::cli
