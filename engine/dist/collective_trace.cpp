// The trace file of a real collective run: writing, parsing (file:line errors), replay on the
// simulator.
#include "engine/dist/collective_trace.h"

#include "engine/dist/simulate.h"
#include "engine/dist/topology.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

namespace aisys::engine::dist {

namespace {

constexpr const char* kMagic = "aisyslab-mpi-trace";
constexpr int kVersion = 1;

std::string fmt(double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}

int elemBytesOf(const std::string& dtype) {
    if (dtype == "f32" || dtype == "i32")
        return 4;
    if (dtype == "f64")
        return 8;
    return 0;
}

} // namespace

double CollectiveTrace::iterationTime(int iteration) const {
    double t = 0;
    for (int r = 0; r < ranks; ++r)
        if (rounds > 0)
            t = std::max(t, step(iteration, r, rounds - 1).end);
    return t;
}

int CollectiveTrace::medianIteration() const {
    std::vector<std::pair<double, int>> t;
    for (int i = 0; i < iterations; ++i)
        t.push_back({iterationTime(i), i});
    std::sort(t.begin(), t.end());
    return t.empty() ? 0 : t[(t.size() - 1) / 2].second;
}

std::string writeTrace(const CollectiveTrace& tr) {
    std::ostringstream o;
    o << kMagic << ' ' << kVersion << '\n';
    o << "op " << opName(tr.op) << '\n';
    o << "algo " << algoName(tr.algo) << '\n';
    o << "ranks " << tr.ranks << '\n';
    o << "bytes " << tr.bytes << '\n';
    o << "dtype " << tr.dtype << '\n';
    o << "segments " << tr.segments << '\n';
    o << "ranks-per-node " << tr.ranksPerNode << '\n';
    o << "iterations " << tr.iterations << '\n';
    o << "rounds " << tr.rounds << '\n';
    if (tr.alpha >= 0 && tr.bandwidth > 0)
        o << "calibration " << fmt(tr.alpha) << ' ' << fmt(tr.bandwidth) << '\n';
    for (std::size_t r = 0; r < tr.hosts.size(); ++r)
        o << "host " << r << ' ' << tr.hosts[r] << '\n';
    o << "# step RANK ITER STEP START END; msg RANK ITER STEP send|recv PEER BYTES START END"
         " (seconds from the iteration's start on RANK)\n";
    for (const TraceStep& s : tr.steps) {
        o << "step " << s.rank << ' ' << s.iteration << ' ' << s.step << ' ' << fmt(s.start) << ' '
          << fmt(s.end) << '\n';
        for (const TraceMessage& m : s.messages)
            o << "msg " << s.rank << ' ' << s.iteration << ' ' << s.step << ' '
              << (m.send ? "send " : "recv ") << m.peer << ' ' << m.bytes << ' ' << fmt(m.start)
              << ' ' << fmt(m.end) << '\n';
    }
    return o.str();
}

std::optional<CollectiveTrace> parseTrace(const std::string& text, const std::string& name,
                                          std::string& error) {
    CollectiveTrace tr;
    std::istringstream in(text);
    std::string line;
    int lineNo = 0;
    bool sawMagic = false;
    // (iteration, rank, step) → index into tr.steps, filled as the records come.
    std::map<std::tuple<int, int, int>, std::size_t> seen;
    auto fail = [&](const std::string& what) {
        error = name + ":" + std::to_string(lineNo) + ": " + what;
        return std::nullopt;
    };
    bool headerDone = false;
    auto checkHeader = [&]() -> std::string {
        if (tr.ranks < 1)
            return "missing 'ranks N' (N ≥ 1) before the first step";
        if (tr.rounds < 1)
            return "missing 'rounds N' (N ≥ 1) before the first step";
        if (tr.iterations < 1)
            return "missing 'iterations N' (N ≥ 1) before the first step";
        if (tr.bytes < 1)
            return "missing 'bytes N' (N ≥ 1) before the first step";
        return {};
    };
    while (std::getline(in, line)) {
        ++lineNo;
        if (auto h = line.find('#'); h != std::string::npos)
            line.resize(h);
        std::istringstream w(line);
        std::string key;
        if (!(w >> key))
            continue;
        if (!sawMagic) {
            int v = 0;
            if (key != kMagic || !(w >> v))
                return fail(std::string("not a collective trace: expected '") + kMagic +
                            " 1' on the first line");
            if (v != kVersion)
                return fail("trace version " + std::to_string(v) + ", expected " +
                            std::to_string(kVersion));
            sawMagic = true;
            continue;
        }
        auto intField = [&](const char* what, long long lo, long long& out) -> bool {
            if (!(w >> out) || out < lo) {
                error = name + ":" + std::to_string(lineNo) + ": '" + key + "' needs " + what +
                        " ≥ " + std::to_string(lo);
                return false;
            }
            return true;
        };
        long long v = 0;
        if (key == "op" || key == "algo") {
            std::string n;
            w >> n;
            if (key == "op") {
                auto op = parseOp(n);
                if (!op)
                    return fail("unknown op '" + n + "', expected one of " + opNames());
                tr.op = *op;
            } else {
                auto a = parseAlgo(n);
                if (!a)
                    return fail("unknown algorithm '" + n + "', expected one of " + algoNames());
                tr.algo = *a;
            }
        } else if (key == "ranks" || key == "bytes" || key == "segments" || key == "iterations" ||
                   key == "rounds") {
            if (!intField("an integer", 1, v))
                return std::nullopt;
            if (key == "ranks")
                tr.ranks = int(v);
            else if (key == "bytes")
                tr.bytes = v;
            else if (key == "segments")
                tr.segments = int(v);
            else if (key == "iterations")
                tr.iterations = int(v);
            else
                tr.rounds = int(v);
        } else if (key == "ranks-per-node") {
            if (!intField("an integer", 0, v))
                return std::nullopt;
            tr.ranksPerNode = int(v);
        } else if (key == "dtype") {
            w >> tr.dtype;
            tr.elemBytes = elemBytesOf(tr.dtype);
            if (tr.elemBytes == 0)
                return fail("unknown dtype '" + tr.dtype + "', expected f32, f64 or i32");
        } else if (key == "calibration") {
            if (!(w >> tr.alpha >> tr.bandwidth) || tr.alpha < 0 || !(tr.bandwidth > 0))
                return fail("'calibration' needs ALPHA (s, ≥ 0) and BANDWIDTH (bytes/s, > 0)");
        } else if (key == "host") {
            std::string h;
            if (!intField("a rank", 0, v) || !(w >> h))
                return error.empty() ? fail("'host' needs RANK NAME") : std::nullopt;
            if (tr.hosts.size() <= std::size_t(v))
                tr.hosts.resize(std::size_t(v) + 1);
            tr.hosts[std::size_t(v)] = h;
        } else if (key == "step" || key == "msg") {
            if (!headerDone) {
                if (std::string e = checkHeader(); !e.empty())
                    return fail(e);
                headerDone = true;
            }
            int rank = -1, it = -1, st = -1;
            if (!(w >> rank >> it >> st))
                return fail("'" + key + "' needs RANK ITER STEP first");
            if (rank < 0 || rank >= tr.ranks)
                return fail("rank " + std::to_string(rank) + " is not in 0.." +
                            std::to_string(tr.ranks - 1));
            if (it < 0 || it >= tr.iterations)
                return fail("iteration " + std::to_string(it) + " is not in 0.." +
                            std::to_string(tr.iterations - 1));
            if (st < 0 || st >= tr.rounds)
                return fail("step " + std::to_string(st) + " is not in 0.." +
                            std::to_string(tr.rounds - 1));
            const auto k = std::make_tuple(it, rank, st);
            if (key == "step") {
                TraceStep s;
                s.rank = rank;
                s.iteration = it;
                s.step = st;
                if (!(w >> s.start >> s.end) || s.end < s.start)
                    return fail("'step' needs START END (seconds, END ≥ START)");
                if (seen.count(k))
                    return fail("step " + std::to_string(st) + " of rank " + std::to_string(rank) +
                                " in iteration " + std::to_string(it) + " appears twice");
                seen[k] = tr.steps.size();
                tr.steps.push_back(std::move(s));
            } else {
                auto f = seen.find(k);
                if (f == seen.end())
                    return fail("'msg' before its 'step' line");
                TraceMessage m;
                std::string dir;
                if (!(w >> dir >> m.peer >> m.bytes >> m.start >> m.end) ||
                    (dir != "send" && dir != "recv"))
                    return fail("'msg' needs send|recv PEER BYTES START END");
                m.send = dir == "send";
                if (m.peer < 0 || m.peer >= tr.ranks || m.bytes < 0 || m.end < m.start)
                    return fail("'msg' has a peer outside 0.." + std::to_string(tr.ranks - 1) +
                                ", negative bytes or END < START");
                tr.steps[f->second].messages.push_back(m);
            }
        } else {
            return fail("unknown keyword '" + key +
                        "', expected op, algo, ranks, bytes, dtype, segments, ranks-per-node, "
                        "iterations, rounds, calibration, host, step or msg");
        }
    }
    ++lineNo;
    if (!sawMagic)
        return fail(std::string("empty: expected '") + kMagic + " 1'");
    if (std::string e = checkHeader(); !e.empty())
        return fail(e);
    const std::size_t want = std::size_t(tr.iterations) * tr.ranks * tr.rounds;
    if (tr.steps.size() != want)
        return fail("has " + std::to_string(tr.steps.size()) + " step lines, expected " +
                    std::to_string(want) + " (iterations × ranks × rounds)");
    if (tr.bytes % tr.elemBytes != 0)
        return fail("bytes " + std::to_string(tr.bytes) + " is not a multiple of the " + tr.dtype +
                    " element size");
    std::sort(tr.steps.begin(), tr.steps.end(), [](const TraceStep& a, const TraceStep& b) {
        return std::tie(a.iteration, a.rank, a.step) < std::tie(b.iteration, b.rank, b.step);
    });
    return tr;
}

std::optional<CollectiveTrace> readTrace(const std::string& path, std::string& error) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        error = path + ": cannot open the trace file";
        return std::nullopt;
    }
    std::ostringstream s;
    s << f.rdbuf();
    return parseTrace(s.str(), path, error);
}

std::optional<SimulatedSteps> simulateTrace(const CollectiveTrace& tr, double alpha,
                                            double bandwidth, std::string& error) {
    if (alpha < 0 || !(bandwidth > 0)) {
        error = "the replay needs α ≥ 0 and β > 0";
        return std::nullopt;
    }
    const std::int64_t count = tr.bytes / tr.elemBytes;
    // Carry count/s elements with s·elemBytes bytes each, s the smallest divisor of count that
    // keeps all ranks' buffers within 2^24 floats.
    const std::int64_t budget = (std::int64_t(1) << 24) / std::max(1, tr.ranks);
    std::int64_t s = std::max<std::int64_t>(1, (count + budget - 1) / budget);
    while (count % s != 0)
        ++s;
    if (double(s) * tr.elemBytes > 2e9) {
        error =
            "the trace's buffer (" + std::to_string(tr.bytes) + " bytes) is too large to replay";
        return std::nullopt;
    }
    const std::int64_t payload = count / s;
    ScheduleSpec spec;
    spec.op = tr.op;
    spec.algo = tr.algo;
    spec.ranks = tr.ranks;
    spec.count = payload;
    spec.segments = tr.segments;
    spec.ranksPerNode = tr.ranksPerNode;
    auto sched = makeSchedule(spec, error);
    if (!sched)
        return std::nullopt;
    if (sched->rounds() != tr.rounds) {
        error = "the schedule of " + std::string(algoName(tr.algo)) + " on " +
                std::to_string(tr.ranks) + " ranks has " + std::to_string(sched->rounds()) +
                " rounds, the trace " + std::to_string(tr.rounds);
        return std::nullopt;
    }
    ShapeParams sp;
    sp.ranks = tr.ranks;
    sp.alpha = alpha;
    sp.bandwidth = bandwidth;
    auto topo = makeTopology("full", sp, error);
    if (!topo)
        return std::nullopt;
    SimulatedSteps out;
    out.payload = payload;
    out.start.assign(tr.ranks, std::vector<double>(tr.rounds, 0.0));
    out.end = out.start;
    RoundObserver obs = [&](int r, int k, double t, const std::vector<float>&) {
        if (r >= 0 && r < tr.ranks && k >= 0 && k < tr.rounds) {
            out.end[r][k] = t;
            if (k + 1 < tr.rounds)
                out.start[r][k + 1] = t;
        }
    };
    std::vector<std::vector<float>> bufs(tr.ranks,
                                         std::vector<float>(payload * sched->regions(), 1.0f));
    auto res = runSchedule(*topo, *sched, std::move(bufs), int(tr.elemBytes * s), 0, obs, error);
    if (!res)
        return std::nullopt;
    out.time = res->time;
    return out;
}

} // namespace aisys::engine::dist
