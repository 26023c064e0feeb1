// The event-driven network under the collectives: messages split into chunks that pipeline hop
// by hop along their route, each link shared fairly (max-min) between the chunks on it.
#pragma once

#include "engine/dist/topology.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace aisys::engine::dist {

/// Busy time of every link in a fixed number of equal time bins (widened by merging pairs as
/// the run grows, so the record never exceeds bins() values per link).
struct UtilizationTimeline {
    double binWidth = 0;      ///< seconds per bin
    int bins = 0;             ///< bins per link
    std::vector<double> busy; ///< busy[link * bins + b]: seconds the link carried data
    /// Fraction of bin b during which link l carried data (0..1).
    double utilization(int link, int b) const { return busy[link * bins + b] / binWidth; }
};

/// Counters of one run.
struct NetworkStats {
    std::int64_t events = 0;       ///< events processed (latency ends, link completions)
    std::int64_t hopTransfers = 0; ///< chunk × hop transfers
    std::int64_t messages = 0;     ///< messages delivered
    std::size_t peakInFlight = 0;  ///< most messages in flight at once
    std::size_t peakQueue = 0;     ///< largest event queue
};

/// The network model (numbered steps in network.cpp):
///  1. A message of `bytes` from node s to node d takes the Routing's route, split into
///     ⌈bytes/chunk⌉ chunks (the last one shorter). Chunks are store-and-forward per hop: chunk c
///     enters hop h when it has left hop h-1 and chunk c-1 has left hop h, so chunks pipeline.
///  2. On a hop a chunk first waits the link's α (latency, no bandwidth used), then transmits.
///     α is thus paid per chunk per hop; a zero-byte message pays only α per hop. The start of
///     transmission is folded into the link's look-ahead (LinkState), so an uncontended hop
///     costs one event.
///  3. The chunks transmitting on one link share its β equally; a hop transfer uses one link,
///     so this equal split is the max-min fair share, recomputed at every start and end on that
///     link (processor sharing, with a per-link virtual clock so each event costs O(log n)).
///  4. Time for one message on an idle route of H hops, k chunks of c bytes, equal links:
///     (H + k − 1)(α + c/β) when every chunk is c bytes.
/// Memory: message, transfer and event records are pooled and reused; nothing grows per
/// event beyond the most that is in flight at once.
class Network {
public:
    /// `timelineBins` bins per link for the utilization record.
    Network(const Topology& topo, Routing& routing, int timelineBins = 64);

    /// Starts a message now (the current simulated time). `chunkBytes` ≤ 0 means one chunk.
    /// `cookie` comes back in the delivery callback.
    void send(int srcNode, int dstNode, std::int64_t bytes, std::int64_t chunkBytes,
              std::uint64_t cookie);
    /// Runs until nothing is left, calling `delivered(cookie)` as each message arrives at its
    /// destination (the callback may send more).
    void run(const std::function<void(std::uint64_t)>& delivered);

    double now() const { return m_now; }
    const NetworkStats& stats() const { return m_stats; }
    /// Bytes that crossed each link (every hop counts).
    const std::vector<double>& linkBytes() const { return m_linkBytes; }
    /// The utilization record (call after run()).
    const UtilizationTimeline& timeline() const { return m_timeline; }

private:
    struct Message {
        const std::vector<int>* route = nullptr;
        std::int64_t bytes = 0, chunk = 0;
        int chunks = 0;
        std::uint64_t cookie = 0;
        std::vector<int> done;  ///< chunks that have left each hop
        std::vector<char> busy; ///< a chunk is on the hop
    };
    struct Transfer {
        int message = 0, hop = 0, link = 0;
        double bytes = 0;
        double finishV = 0; ///< link's virtual clock at which it completes
        double act = 0;     ///< when its latency is over and it starts transmitting
    };
    /// A link: the transfers transmitting (processor sharing through a virtual clock) and the
    /// ones still in their latency, in a FIFO (α is the link's, so they start in order).
    /// Starting to transmit changes nothing outside the link, so it is not an event: the link
    /// looks ahead through its FIFO to its next completion, the only event it queues.
    struct LinkState {
        int active = 0;  ///< transfers transmitting
        double virt = 0; ///< bytes served per active transfer so far
        double last = 0; ///< time the state is at
        std::uint32_t version = 0;
        double nextAt = 0; ///< time of the queued completion (infinity: none)
        std::vector<std::pair<double, int>> heap; ///< (finishV, transfer), min-heap
        std::vector<int> pipe;                    ///< transfers in their latency, FIFO
        std::size_t pipeHead = 0;
    };
    struct Event {
        double time;
        std::uint64_t seq; ///< insertion order: ties leave in the order they were queued
        std::int32_t id;   ///< transfer (latency over) or ~link (link completion)
        std::uint32_t version;
        bool before(const Event& o) const { return time != o.time ? time < o.time : seq < o.seq; }
    };

    /// The event queue: a 4-ary min-heap (fewer levels than a binary heap for the same size).
    void heapPush(const Event& e);
    Event heapPop();
    void push(double t, int kind, int id, std::uint32_t version);
    void tryStart(int m, int hop);
    void advanceLink(int l, double t);
    void advanceClock(int l, double t);
    double nextCompletion(int l) const;
    void reschedule(int l);
    void hopDone(int transfer, const std::function<void(std::uint64_t)>& delivered);
    void recordBusy(int l, double t0, double t1);
    int allocMessage();
    int allocTransfer();

    const Topology& m_topo;
    Routing& m_routing;
    double m_now = 0;
    std::uint64_t m_seq = 0;
    std::vector<Message> m_messages;
    std::vector<int> m_freeMessages;
    std::vector<Transfer> m_transfers;
    std::vector<int> m_freeTransfers;
    std::vector<LinkState> m_links;
    std::vector<Event> m_queue; ///< 4-ary min-heap on (time, seq)
    std::vector<double> m_linkBytes;
    UtilizationTimeline m_timeline;
    std::vector<int> m_doneScratch; ///< transfers finishing at one link completion
    std::size_t m_inFlight = 0;
    NetworkStats m_stats;
};

} // namespace aisys::engine::dist
