// The collective simulator's engine room: every rank's rounds, staged payloads, the Network
// and the bookkeeping (internal to engine/dist: simulate.cpp and runSchedule use it).
#pragma once

#include "engine/dist/collective.h"
#include "engine/dist/network.h"
#include "engine/dist/simulate.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aisys::engine::dist::detail {

/// What a rank's not-yet-received part holds (outside every reference value).
constexpr float kUnset = -100.0f;

struct InFlight {
    int src = 0, dst = 0, round = 0;
    Combine combine = Combine::Copy;
    std::vector<float> payload;
    std::vector<Piece> pieces; ///< destination places (timing elements)
};

struct RankState {
    int round = 0;
    int pending = 0;
    bool done = false;
    std::vector<int> early; ///< in-flight ids delivered before this rank reached their round
};

class Runner {
public:
    Runner(const Topology& topo, const CollectiveConfig& cfg, const Schedule& sched,
           std::int64_t count, std::int64_t payload, int elemBytes)
        : m_topo(topo), m_cfg(cfg), m_sched(sched), m_p(topo.rankCount()), m_count(count),
          m_payload(payload), m_elemBytes(elemBytes), m_routing(topo),
          m_net(topo, m_routing, cfg.timelineBins), m_ranks(m_p),
          m_buf(m_p, std::vector<float>(std::size_t(payload) * sched.regions(), kUnset)),
          m_rankBytes(m_p, 0.0), m_roundEnd(std::size_t(sched.rounds()), 0.0) {}

    std::vector<std::vector<float>>& buffers() { return m_buf; }
    void setObserver(const RoundObserver* o) { m_observer = o; }

    /// Element x of the schedule's buffer (count per region) → its place in the payload.
    std::int64_t map(std::int64_t x) const {
        if (m_payload == m_count)
            return x;
        const std::int64_t region = x / m_count, within = x % m_count;
        if (within <= INT64_MAX / m_payload) // no 128-bit division in the common case
            return region * m_payload + within * m_payload / m_count;
        return region * m_payload + std::int64_t((__int128)within * m_payload / (__int128)m_count);
    }

    void run() {
        for (int r = 0; r < m_p; ++r)
            enter(r);
        m_net.run([this](std::uint64_t id) { delivered(int(id)); });
        for (int r = 0; r < m_p; ++r)
            if (!m_ranks[r].done)
                throw std::logic_error("collective schedule deadlocked: rank " + std::to_string(r) +
                                       " waits in round " + std::to_string(m_ranks[r].round));
    }

    Network& network() { return m_net; }
    const std::vector<double>& rankBytes() const { return m_rankBytes; }
    const std::vector<double>& roundEnd() const { return m_roundEnd; }

private:
    int allocFlight() {
        if (!m_free.empty()) {
            const int id = m_free.back();
            m_free.pop_back();
            return id;
        }
        m_flights.emplace_back();
        return int(m_flights.size()) - 1;
    }

    void apply(InFlight& f) {
        std::vector<float>& dst = m_buf[f.dst];
        std::size_t at = 0;
        for (const Piece& pc : f.pieces) {
            const std::int64_t b = map(pc.dst), e = map(pc.dst + pc.len);
            if (at + std::size_t(e - b) > f.payload.size())
                throw std::logic_error("collective: a piece's payload does not match its place");
            float* d = dst.data() + b;
            const float* s = f.payload.data() + at;
            const std::int64_t len = e - b;
            if (f.combine == Combine::Copy)
                std::copy(s, s + len, d);
            else if (m_cfg.op == Op::Barrier)
                for (std::int64_t i = 0; i < len; ++i)
                    d[i] = std::max(d[i], s[i]);
            else
                for (std::int64_t i = 0; i < len; ++i)
                    d[i] += s[i];
            at += std::size_t(len);
        }
    }

    /// Rank r enters its current round (and the following ones while they need no waiting).
    void enter(int r) {
        RankState& st = m_ranks[r];
        while (!st.done) {
            if (st.round >= m_sched.rounds()) {
                st.done = true;
                break;
            }
            m_sched.plan(r, st.round, m_plan);
            std::vector<float>& buf = m_buf[r];
            for (const Piece& pc : m_plan.local) {
                const std::int64_t s = map(pc.src), d = map(pc.dst);
                const std::int64_t len = map(pc.src + pc.len) - s;
                std::copy(buf.begin() + s, buf.begin() + s + len, buf.begin() + d);
            }
            for (const PlannedSend& ps : m_plan.sends) {
                if (ps.to == r || ps.to < 0 || ps.to >= m_p)
                    throw std::logic_error("collective schedule sends to an invalid rank");
                const int id = allocFlight();
                InFlight& f = m_flights[id];
                f.src = r;
                f.dst = ps.to;
                f.round = st.round;
                f.combine = ps.combine;
                f.payload.clear();
                f.pieces.clear();
                std::int64_t elems = 0;
                for (int i = 0; i < ps.pieceCount; ++i) {
                    const Piece& pc = m_plan.pieces[ps.firstPiece + i];
                    const std::int64_t b = map(pc.src), e = map(pc.src + pc.len);
                    f.payload.insert(f.payload.end(), buf.begin() + b, buf.begin() + e);
                    f.pieces.push_back(pc);
                    elems += pc.len;
                }
                const std::int64_t bytes = elems * m_elemBytes;
                m_rankBytes[r] += double(bytes);
                m_net.send(r, ps.to, bytes, m_cfg.chunkBytes, std::uint64_t(id));
            }
            int pending = int(m_plan.sends.size()) + m_plan.receives;
            for (std::size_t i = 0; i < st.early.size();) {
                const int id = st.early[i];
                if (m_flights[id].round == st.round) {
                    apply(m_flights[id]);
                    m_free.push_back(id);
                    --pending;
                    st.early[i] = st.early.back();
                    st.early.pop_back();
                } else {
                    ++i;
                }
            }
            if (pending < 0)
                throw std::logic_error("collective schedule: rank " + std::to_string(r) +
                                       " got more messages than planned in round " +
                                       std::to_string(st.round));
            st.pending = pending;
            if (pending > 0)
                break;
            finishRound(r, st);
        }
    }

    void finishRound(int r, RankState& st) {
        m_roundEnd[st.round] = std::max(m_roundEnd[st.round], m_net.now());
        if (m_observer && *m_observer)
            (*m_observer)(r, st.round, m_net.now(), m_buf[r]);
        ++st.round;
    }

    void finishOne(int r) {
        RankState& st = m_ranks[r];
        if (--st.pending == 0) {
            finishRound(r, st);
            enter(r);
        }
    }

    void delivered(int id) {
        InFlight& f = m_flights[id];
        const int src = f.src, dst = f.dst, round = f.round;
        RankState& d = m_ranks[dst];
        bool keep = false;
        if (d.done || d.round > round)
            throw std::logic_error("collective schedule: rank " + std::to_string(dst) +
                                   " did not expect a message of round " + std::to_string(round));
        if (d.round == round)
            apply(f);
        else {
            d.early.push_back(id);
            keep = true;
        }
        if (!keep)
            m_free.push_back(id);
        finishOne(src);
        if (!keep)
            finishOne(dst);
    }

    const Topology& m_topo;
    const CollectiveConfig& m_cfg;
    const Schedule& m_sched;
    int m_p;
    std::int64_t m_count, m_payload;
    int m_elemBytes;
    Routing m_routing;
    Network m_net;
    std::vector<RankState> m_ranks;
    std::vector<std::vector<float>> m_buf;
    std::vector<double> m_rankBytes;
    std::vector<double> m_roundEnd;
    const RoundObserver* m_observer = nullptr;
    std::vector<InFlight> m_flights;
    std::vector<int> m_free;
    RoundPlan m_plan;
};

} // namespace aisys::engine::dist::detail
