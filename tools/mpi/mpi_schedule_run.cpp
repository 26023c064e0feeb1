// The schedule over MPI: every rank plans all rounds first (its own sends, and whom it receives
// from with which pieces: the senders' plans), then runs each round as non-blocking
// point-to-point messages (MPI_Isend/MPI_Irecv, tag = round) and waits for them one by one
// (MPI_Waitany) to time each message.
#include "tools/mpi/mpi_schedule_run.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace aisys::mpi {

using namespace engine::dist;

namespace {

/// One message of a round, from the planning: the pieces and how they land.
struct Message {
    int peer = 0;
    Combine combine = Combine::Copy;
    std::vector<Piece> pieces;
    std::int64_t len = 0; ///< elements
};

struct RoundWork {
    std::vector<Piece> local;
    std::vector<Message> sends, recvs;
};

template <class T> MPI_Datatype mpiType();
template <> MPI_Datatype mpiType<float>() {
    return MPI_FLOAT;
}
template <> MPI_Datatype mpiType<double>() {
    return MPI_DOUBLE;
}
template <> MPI_Datatype mpiType<std::int32_t>() {
    return MPI_INT32_T;
}

Message fromPlan(const RoundPlan& plan, const PlannedSend& s, int peer) {
    Message m;
    m.peer = peer;
    m.combine = s.combine;
    for (int i = 0; i < s.pieceCount; ++i) {
        m.pieces.push_back(plan.pieces[s.firstPiece + i]);
        m.len += m.pieces.back().len;
    }
    return m;
}

/// Rank `me`'s work in every round: its plan, and the messages addressed to it in the others'.
bool planAll(const Schedule& sched, int p, int me, std::vector<RoundWork>& out,
             std::string& error) {
    out.assign(sched.rounds(), {});
    RoundPlan mine, theirs;
    for (int k = 0; k < sched.rounds(); ++k) {
        RoundWork& w = out[k];
        sched.plan(me, k, mine);
        w.local = mine.local;
        for (const PlannedSend& s : mine.sends) {
            if (s.to == me || s.to < 0 || s.to >= p) {
                error = "schedule bug: rank " + std::to_string(me) + " sends to rank " +
                        std::to_string(s.to) + " in round " + std::to_string(k);
                return false;
            }
            w.sends.push_back(fromPlan(mine, s, s.to));
        }
        for (int src = 0; src < p; ++src) {
            if (src == me)
                continue;
            sched.plan(src, k, theirs);
            for (const PlannedSend& s : theirs.sends)
                if (s.to == me)
                    w.recvs.push_back(fromPlan(theirs, s, src));
        }
        if (int(w.recvs.size()) != mine.receives) {
            error = "schedule bug: rank " + std::to_string(me) + " expects " +
                    std::to_string(mine.receives) + " messages in round " + std::to_string(k) +
                    ", the others send it " + std::to_string(w.recvs.size());
            return false;
        }
    }
    return true;
}

template <class T> std::vector<T> makeInput(const RunOptions& opt, int rank, std::int64_t n) {
    std::mt19937 rng(opt.seed * 7919u + unsigned(rank));
    std::vector<T> v(n);
    if (!opt.randomData) {
        std::uniform_int_distribution<int> d(0, 9);
        for (T& x : v)
            x = T(d(rng));
    } else if constexpr (std::is_integral_v<T>) {
        std::uniform_int_distribution<int> d(-1000, 1000);
        for (T& x : v)
            x = T(d(rng));
    } else {
        std::uniform_real_distribution<double> d(-1.0, 1.0);
        for (T& x : v)
            x = T(d(rng));
    }
    return v;
}

std::string num(double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}

template <class T> bool runTyped(const RunOptions& opt, RunResult& out, std::string& error) {
    int p = 1, me = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &p);
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    const std::int64_t count = opt.bytes / std::int64_t(sizeof(T));
    ScheduleSpec spec;
    spec.op = opt.op;
    spec.algo = opt.algo;
    spec.ranks = p;
    spec.count = count;
    spec.segments = opt.segments;
    spec.ranksPerNode = opt.ranksPerNode;
    auto sched = makeSchedule(spec, error);
    if (!sched)
        return false;
    std::vector<RoundWork> work;
    // A planning error is the same on every rank (the schedule is a pure function).
    if (!planAll(*sched, p, me, work, error))
        return false;
    const int rounds = sched->rounds();
    const MPI_Datatype type = mpiType<T>();
    const std::vector<T> input = makeInput<T>(opt, me, count);

    std::vector<T> buf(std::size_t(count) * sched->regions());
    std::vector<std::vector<T>> sendBuf, recvBuf;
    std::vector<MPI_Request> reqs;
    std::vector<double> posted, done;

    std::vector<double> mine; // this rank's trace records (decoded by rank 0)
    double sumTime = 0;
    for (int it = -opt.warmup; it < opt.iterations; ++it) {
        std::copy(input.begin(), input.end(), buf.begin());
        MPI_Barrier(MPI_COMM_WORLD);
        const double t0 = MPI_Wtime();
        for (int k = 0; k < rounds; ++k) {
            const RoundWork& w = work[k];
            const double stepStart = MPI_Wtime() - t0;
            // 1. Local copies, then the sends read the buffer as it is now.
            for (const Piece& pc : w.local)
                std::memmove(buf.data() + pc.dst, buf.data() + pc.src, sizeof(T) * pc.len);
            const std::size_t ns = w.sends.size(), nr = w.recvs.size();
            sendBuf.resize(ns);
            recvBuf.resize(nr);
            reqs.assign(ns + nr, MPI_REQUEST_NULL);
            posted.assign(ns + nr, 0);
            done.assign(ns + nr, 0);
            // 2. Receives first (so no send waits for an unposted receive), then the sends.
            for (std::size_t i = 0; i < nr; ++i) {
                recvBuf[i].resize(w.recvs[i].len);
                posted[ns + i] = MPI_Wtime() - t0;
                MPI_Irecv(recvBuf[i].data(), int(w.recvs[i].len), type, w.recvs[i].peer, k,
                          MPI_COMM_WORLD, &reqs[ns + i]);
            }
            for (std::size_t i = 0; i < ns; ++i) {
                auto& sb = sendBuf[i];
                sb.clear();
                for (const Piece& pc : w.sends[i].pieces)
                    sb.insert(sb.end(), buf.begin() + pc.src, buf.begin() + pc.src + pc.len);
                posted[i] = MPI_Wtime() - t0;
                MPI_Isend(sb.data(), int(sb.size()), type, w.sends[i].peer, k, MPI_COMM_WORLD,
                          &reqs[i]);
            }
            // 3. Each completion timed.
            for (std::size_t left = ns + nr; left > 0; --left) {
                int idx = MPI_UNDEFINED;
                MPI_Waitany(int(reqs.size()), reqs.data(), &idx, MPI_STATUS_IGNORE);
                if (idx == MPI_UNDEFINED)
                    break;
                done[idx] = MPI_Wtime() - t0;
            }
            // 4. The received pieces land, in the order of the senders' ranks (fixed, so a run
            //    is repeatable bit for bit).
            for (std::size_t i = 0; i < nr; ++i) {
                const Message& m = w.recvs[i];
                const T* src = recvBuf[i].data();
                for (const Piece& pc : m.pieces) {
                    T* dst = buf.data() + pc.dst;
                    if (m.combine == Combine::Copy)
                        std::copy(src, src + pc.len, dst);
                    else
                        for (std::int64_t e = 0; e < pc.len; ++e)
                            dst[e] += src[e];
                    src += pc.len;
                }
            }
            const double stepEnd = MPI_Wtime() - t0;
            if (it >= 0) {
                mine.insert(mine.end(),
                            {double(it), double(k), stepStart, stepEnd, double(ns + nr)});
                for (std::size_t i = 0; i < ns + nr; ++i) {
                    const Message& m = i < ns ? w.sends[i] : w.recvs[i - ns];
                    mine.insert(mine.end(),
                                {i < ns ? 1.0 : 0.0, double(m.peer),
                                 double(m.len * std::int64_t(sizeof(T))), posted[i], done[i]});
                }
            }
        }
        double local = MPI_Wtime() - t0, slowest = 0;
        MPI_Allreduce(&local, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (it >= 0)
            sumTime += slowest;
    }
    out.avgTime = sumTime / std::max(1, opt.iterations);

    // The reference: MPI's own all-reduce of the same inputs (also timed, for comparison).
    std::vector<T> ref(count);
    double mpiSum = 0;
    for (int it = -opt.warmup; it < opt.iterations; ++it) {
        MPI_Barrier(MPI_COMM_WORLD);
        const double t0 = MPI_Wtime();
        MPI_Allreduce(input.data(), ref.data(), int(count), type, MPI_SUM, MPI_COMM_WORLD);
        double local = MPI_Wtime() - t0, slowest = 0;
        MPI_Allreduce(&local, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (it >= 0)
            mpiSum += slowest;
    }
    out.mpiTime = mpiSum / std::max(1, opt.iterations);

    // The check. Integers (and i32) are exact in any order: equal bits. Random floats are summed
    // in another order than MPI's: each sum of p terms is within (p−1)·u·Σ|x_i| of the exact
    // one (u = unit roundoff, first order), so two of them within 2(p−1)·u·Σ|x_i|.
    out.bitExact = !opt.randomData || std::is_integral_v<T>;
    const double u = std::is_integral_v<T> ? 0.0 : std::numeric_limits<T>::epsilon() / 2;
    out.tolerance = out.bitExact ? 0.0 : 2.0 * (p - 1) * u;
    std::vector<T> absIn(count), absSum(count);
    for (std::int64_t i = 0; i < count; ++i)
        absIn[i] = input[i] < 0 ? T(-input[i]) : input[i];
    if (!out.bitExact)
        MPI_Allreduce(absIn.data(), absSum.data(), int(count), type, MPI_SUM, MPI_COMM_WORLD);
    if (me == opt.corruptRank)
        buf[0] += T(1);
    std::int64_t wrong = 0;
    double firstIdx = -1, firstGot = 0, firstRef = 0, maxErr = 0;
    for (std::int64_t i = 0; i < count; ++i) {
        bool ok;
        if (out.bitExact) {
            ok = std::memcmp(&buf[i], &ref[i], sizeof(T)) == 0;
        } else {
            const double err = std::fabs(double(buf[i]) - double(ref[i]));
            const double scale = double(absSum[i]);
            ok = err <= out.tolerance * scale;
            if (scale > 0)
                maxErr = std::max(maxErr, err / scale);
        }
        if (!ok) {
            if (wrong == 0) {
                firstIdx = double(i);
                firstGot = double(buf[i]);
                firstRef = double(ref[i]);
            }
            ++wrong;
        }
    }
    MPI_Allreduce(&wrong, &out.wrong, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&maxErr, &out.maxError, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    double firstMine[3] = {firstIdx, firstGot, firstRef};
    std::vector<double> firsts(me == 0 ? 3 * p : 0);
    MPI_Gather(firstMine, 3, MPI_DOUBLE, firsts.data(), 3, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (me == 0)
        for (int r = 0; r < p && out.firstWrong.empty(); ++r)
            if (firsts[3 * r] >= 0)
                out.firstWrong = "rank " + std::to_string(r) + " element " + num(firsts[3 * r]) +
                                 ": got " + num(firsts[3 * r + 1]) + ", expected " +
                                 num(firsts[3 * r + 2]);

    // The trace: every rank's records to rank 0.
    int n = int(mine.size());
    std::vector<int> counts(me == 0 ? p : 0), displs(me == 0 ? p : 0);
    MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<double> all;
    if (me == 0) {
        int total = 0;
        for (int r = 0; r < p; ++r) {
            displs[r] = total;
            total += counts[r];
        }
        all.resize(total);
    }
    MPI_Gatherv(mine.data(), n, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
    char host[MPI_MAX_PROCESSOR_NAME] = {};
    int hostLen = 0;
    MPI_Get_processor_name(host, &hostLen);
    std::vector<char> hosts(me == 0 ? std::size_t(p) * MPI_MAX_PROCESSOR_NAME : 0);
    MPI_Gather(host, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, hosts.data(), MPI_MAX_PROCESSOR_NAME,
               MPI_CHAR, 0, MPI_COMM_WORLD);
    if (me == 0) {
        CollectiveTrace& tr = out.trace;
        tr.op = opt.op;
        tr.algo = opt.algo;
        tr.ranks = p;
        tr.bytes = opt.bytes;
        tr.dtype = opt.dtype;
        tr.elemBytes = int(sizeof(T));
        tr.segments = opt.segments;
        tr.ranksPerNode = opt.ranksPerNode;
        tr.iterations = opt.iterations;
        tr.rounds = rounds;
        for (int r = 0; r < p; ++r) {
            std::string h(hosts.data() + std::size_t(r) * MPI_MAX_PROCESSOR_NAME);
            tr.hosts.push_back(h.empty() ? "?" : h);
            for (int i = displs[r]; i < displs[r] + counts[r];) {
                TraceStep s;
                s.rank = r;
                s.iteration = int(all[i]);
                s.step = int(all[i + 1]);
                s.start = all[i + 2];
                s.end = all[i + 3];
                const int msgs = int(all[i + 4]);
                i += 5;
                for (int m = 0; m < msgs; ++m, i += 5)
                    s.messages.push_back({all[i] > 0.5, int(all[i + 1]), std::int64_t(all[i + 2]),
                                          all[i + 3], all[i + 4]});
                tr.steps.push_back(std::move(s));
            }
        }
        std::sort(tr.steps.begin(), tr.steps.end(), [](const TraceStep& a, const TraceStep& b) {
            return std::tie(a.iteration, a.rank, a.step) < std::tie(b.iteration, b.rank, b.step);
        });
    }
    return true;
}

} // namespace

bool runCollective(const RunOptions& opt, RunResult& out, std::string& error) {
    if (opt.dtype == "f64")
        return runTyped<double>(opt, out, error);
    if (opt.dtype == "i32")
        return runTyped<std::int32_t>(opt, out, error);
    return runTyped<float>(opt, out, error);
}

void calibrate(std::int64_t largeBytes, double& alpha, double& bandwidth) {
    int p = 1, me = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &p);
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    alpha = bandwidth = -1;
    if (p < 2)
        return;
    std::vector<char> msg(std::size_t(std::max<std::int64_t>(largeBytes, 8)));
    auto pingPong = [&](int bytes, int reps) {
        double best = 1e30;
        for (int r = -2; r < reps; ++r) { // two warm-up exchanges
            MPI_Barrier(MPI_COMM_WORLD);
            const double t0 = MPI_Wtime();
            if (me == 0) {
                MPI_Send(msg.data(), bytes, MPI_CHAR, 1, 99, MPI_COMM_WORLD);
                MPI_Recv(msg.data(), bytes, MPI_CHAR, 1, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else if (me == 1) {
                MPI_Recv(msg.data(), bytes, MPI_CHAR, 0, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(msg.data(), bytes, MPI_CHAR, 0, 99, MPI_COMM_WORLD);
            }
            if (r >= 0)
                best = std::min(best, (MPI_Wtime() - t0) / 2);
        }
        return best; // the fastest of the repetitions: the least disturbed
    };
    const int large = int(std::min<std::int64_t>(msg.size(), std::int64_t(1) << 30));
    const double tSmall = pingPong(8, 20), tLarge = pingPong(large, 10);
    double res[2] = {tSmall, tLarge};
    MPI_Bcast(res, 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    const double dt = res[1] - res[0];
    if (!(dt > 0)) { // the large message was not slower than the small one: unusable
        alpha = bandwidth = -1;
        return;
    }
    bandwidth = (large - 8) / dt;
    alpha = std::max(0.0, res[0] - 8 / bandwidth);
}

} // namespace aisys::mpi
