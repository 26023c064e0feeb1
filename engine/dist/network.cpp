// The chunked, fairly shared, event-driven network model (see network.h for the rules).
#include "engine/dist/network.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aisys::engine::dist {

Network::Network(const Topology& topo, Routing& routing, int timelineBins)
    : m_topo(topo), m_routing(routing), m_links(topo.linkCount()),
      m_linkBytes(topo.linkCount(), 0.0) {
    for (LinkState& l : m_links)
        l.nextAt = INFINITY;
    m_timeline.bins = std::max(1, timelineBins);
    m_timeline.binWidth = 1e-9;
    m_timeline.busy.assign(std::size_t(topo.linkCount()) * m_timeline.bins, 0.0);
}

int Network::allocMessage() {
    if (!m_freeMessages.empty()) {
        const int id = m_freeMessages.back();
        m_freeMessages.pop_back();
        return id;
    }
    m_messages.emplace_back();
    return int(m_messages.size()) - 1;
}

int Network::allocTransfer() {
    if (!m_freeTransfers.empty()) {
        const int id = m_freeTransfers.back();
        m_freeTransfers.pop_back();
        return id;
    }
    m_transfers.emplace_back();
    return int(m_transfers.size()) - 1;
}

void Network::heapPush(const Event& e) {
    std::size_t i = m_queue.size();
    m_queue.push_back(e);
    while (i > 0) {
        const std::size_t up = (i - 1) / 4;
        if (!e.before(m_queue[up]))
            break;
        m_queue[i] = m_queue[up];
        i = up;
    }
    m_queue[i] = e;
}

Network::Event Network::heapPop() {
    const Event top = m_queue.front();
    const Event last = m_queue.back();
    m_queue.pop_back();
    const std::size_t n = m_queue.size();
    if (n == 0)
        return top;
    std::size_t i = 0;
    for (;;) {
        const std::size_t first = 4 * i + 1;
        if (first >= n)
            break;
        std::size_t best = first;
        const std::size_t end = std::min(first + 4, n);
        for (std::size_t c = first + 1; c < end; ++c)
            if (m_queue[c].before(m_queue[best]))
                best = c;
        if (!m_queue[best].before(last))
            break;
        m_queue[i] = m_queue[best];
        i = best;
    }
    m_queue[i] = last;
    return top;
}

void Network::push(double t, int kind, int id, std::uint32_t version) {
    heapPush({t, m_seq++, kind == 0 ? id : ~id, version});
    m_stats.peakQueue = std::max(m_stats.peakQueue, m_queue.size());
}

void Network::send(int srcNode, int dstNode, std::int64_t bytes, std::int64_t chunkBytes,
                   std::uint64_t cookie) {
    if (bytes < 0)
        throw std::invalid_argument("Network::send: negative size");
    const int m = allocMessage();
    Message& msg = m_messages[m];
    msg.route = &m_routing.route(srcNode, dstNode);
    msg.bytes = bytes;
    msg.chunk =
        chunkBytes > 0 && chunkBytes < bytes ? chunkBytes : std::max<std::int64_t>(bytes, 0);
    msg.chunks = bytes == 0 ? 1 : int((bytes + msg.chunk - 1) / msg.chunk);
    msg.cookie = cookie;
    const std::size_t hops = msg.route->size();
    msg.done.assign(hops, 0);
    msg.busy.assign(hops, 0);
    ++m_inFlight;
    m_stats.peakInFlight = std::max(m_stats.peakInFlight, m_inFlight);
    if (hops == 0) { // to itself: delivered at once (through the queue, in order)
        const int tr = allocTransfer();
        m_transfers[tr] = {m, -1, -1, 0, 0};
        push(m_now, 0, tr, 0);
        return;
    }
    tryStart(m, 0);
}

void Network::tryStart(int m, int hop) {
    // Step 1: chunk done[hop] may enter `hop` when the hop is free and the chunk has left the
    // previous hop (all chunks are at hop 0 from the start).
    Message& msg = m_messages[m];
    if (hop >= int(msg.route->size()) || msg.busy[hop])
        return;
    const int available = hop == 0 ? msg.chunks : msg.done[hop - 1];
    const int c = msg.done[hop];
    if (c >= available)
        return;
    msg.busy[hop] = 1;
    const int l = (*msg.route)[hop];
    const std::int64_t size = std::min<std::int64_t>(msg.chunk, msg.bytes - c * msg.chunk);
    const int tr = allocTransfer();
    const double act = m_now + m_topo.link(l).alpha;
    m_transfers[tr] = {m, hop, l, double(std::max<std::int64_t>(size, 0)), 0, act};
    ++m_stats.hopTransfers;
    // Step 2: the latency first. A zero-byte chunk is done when it is over; any other joins
    // the link's FIFO, and the link's next completion moves if it now comes earlier.
    if (size <= 0) {
        push(act, 0, tr, 0);
        return;
    }
    LinkState& s = m_links[l];
    s.pipe.push_back(tr);
    if (act < s.nextAt)
        reschedule(l);
}

void Network::recordBusy(int l, double t0, double t1) {
    UtilizationTimeline& tl = m_timeline;
    // Widen the bins (merge pairs) until t1 fits.
    while (t1 > tl.binWidth * tl.bins) {
        for (std::size_t k = 0; k < std::size_t(m_topo.linkCount()); ++k) {
            double* b = &tl.busy[k * tl.bins];
            for (int i = 0; i < tl.bins; ++i) {
                const double v = 2 * i + 1 < tl.bins ? b[2 * i] + b[2 * i + 1]
                                                     : (2 * i < tl.bins ? b[2 * i] : 0.0);
                b[i] = v;
            }
        }
        tl.binWidth *= 2;
    }
    double* b = &tl.busy[std::size_t(l) * tl.bins];
    int i = std::min(tl.bins - 1, int(t0 / tl.binWidth));
    while (t0 < t1 && i < tl.bins) {
        const double end = std::min(t1, (i + 1) * tl.binWidth);
        b[i] += std::max(0.0, end - t0);
        t0 = end;
        ++i;
    }
}

void Network::advanceClock(int l, double t) {
    // Step 3: every active transfer was served β/active bytes per second since `last`.
    LinkState& s = m_links[l];
    if (s.active > 0 && t > s.last) {
        s.virt += (t - s.last) * m_topo.link(l).bandwidth / s.active;
        recordBusy(l, s.last, t);
    }
    s.last = std::max(s.last, t);
}

void Network::advanceLink(int l, double t) {
    // The transfers whose latency is over by t join in their order, each at its own time.
    LinkState& s = m_links[l];
    while (s.pipeHead < s.pipe.size()) {
        const int tr = s.pipe[s.pipeHead];
        Transfer& x = m_transfers[tr];
        if (x.act > t)
            break;
        advanceClock(l, x.act);
        x.finishV = s.virt + x.bytes;
        s.heap.push_back({x.finishV, tr});
        std::push_heap(s.heap.begin(), s.heap.end(), std::greater<>());
        ++s.active;
        ++s.pipeHead;
    }
    if (s.pipeHead == s.pipe.size()) {
        s.pipe.clear();
        s.pipeHead = 0;
    } else if (s.pipeHead > 64 && 2 * s.pipeHead > s.pipe.size()) {
        s.pipe.erase(s.pipe.begin(), s.pipe.begin() + std::ptrdiff_t(s.pipeHead));
        s.pipeHead = 0;
    }
    advanceClock(l, t);
}

double Network::nextCompletion(int l) const {
    // The same arithmetic as advanceLink, ahead of time: activations in FIFO order until the
    // first transmitting transfer would finish before the next activation.
    const LinkState& s = m_links[l];
    const double bw = m_topo.link(l).bandwidth;
    double t = s.last, v = s.virt;
    int n = s.active;
    double minFinish = n > 0 ? s.heap.front().first : INFINITY;
    for (std::size_t i = s.pipeHead;; ++i) {
        const double done = n > 0 ? t + std::max(0.0, minFinish - v) * n / bw : INFINITY;
        const double act = i < s.pipe.size() ? m_transfers[s.pipe[i]].act : INFINITY;
        if (done <= act)
            return done;
        if (n > 0 && act > t)
            v += (act - t) * bw / n;
        t = std::max(t, act);
        minFinish = std::min(minFinish, v + m_transfers[s.pipe[i]].bytes);
        ++n;
    }
}

void Network::reschedule(int l) {
    LinkState& s = m_links[l];
    ++s.version;
    s.nextAt = nextCompletion(l);
    if (std::isfinite(s.nextAt))
        push(s.nextAt, 1, l, s.version);
}

void Network::hopDone(int tr, const std::function<void(std::uint64_t)>& delivered) {
    const Transfer t = m_transfers[tr];
    m_freeTransfers.push_back(tr);
    Message& msg = m_messages[t.message];
    if (t.hop >= 0) {
        m_linkBytes[t.link] += t.bytes;
        msg.done[t.hop] += 1;
        msg.busy[t.hop] = 0;
        tryStart(t.message, t.hop);
        tryStart(t.message, t.hop + 1);
    }
    const bool arrived =
        t.hop < 0 || (t.hop + 1 == int(msg.route->size()) && msg.done[t.hop] == msg.chunks);
    if (arrived) {
        const std::uint64_t cookie = msg.cookie;
        m_freeMessages.push_back(t.message);
        --m_inFlight;
        ++m_stats.messages;
        delivered(cookie);
    }
}

void Network::run(const std::function<void(std::uint64_t)>& delivered) {
    while (!m_queue.empty()) {
        const Event popped = heapPop();
        const int kind = popped.id >= 0 ? 0 : 1;
        const Event e{popped.time, popped.seq, kind == 0 ? popped.id : ~popped.id, popped.version};
        if (kind == 1 && e.version != m_links[e.id].version)
            continue; // superseded by a later start or end on the link
        m_now = e.time;
        ++m_stats.events;
        if (kind == 0) { // a zero-byte chunk's latency is over, or a message to itself
            hopDone(e.id, delivered);
            continue;
        }
        // A link completion: the transfers with the smallest virtual finish are done.
        const int l = e.id;
        advanceLink(l, m_now);
        LinkState& s = m_links[l];
        if (s.heap.empty())
            throw std::logic_error("Network: a link completion with nothing transmitting");
        s.virt = std::max(s.virt, s.heap.front().first); // the look-ahead's rounding
        std::vector<int>& doneNow = m_doneScratch;
        doneNow.clear();
        while (!s.heap.empty() && s.heap.front().first <= s.virt) {
            doneNow.push_back(s.heap.front().second);
            std::pop_heap(s.heap.begin(), s.heap.end(), std::greater<>());
            s.heap.pop_back();
            --s.active;
        }
        reschedule(l);
        for (int tr : doneNow)
            hopDone(tr, delivered);
    }
}

} // namespace aisys::engine::dist
