// Peak memory during inference against (weights + largest live activation set), for the
// MobileNet-style CNN and the small transformer, with the interpreter keeping every value
// (the default) and freeing dead values (setFreeDeadValues(true)). Prints a table.
#include "engine/core/threads.h"
#include "engine/graph/interpreter.h"
#include "engine/models/random.h"
#include "engine/models/zoo.h"
#include "engine/tools/model_info.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <new>

// The replaced operator new/delete below pair malloc with free; GCC cannot see that through
// inlining into the standard allocators and warns.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

using namespace aisys;
using namespace aisys::engine;

namespace {

// Heap accounting: every operator new/delete of the process updates these (usable sizes).
std::atomic<std::size_t> g_current{0};
std::atomic<std::size_t> g_peak{0};

void* track(void* p) {
    if (!p)
        throw std::bad_alloc();
    const std::size_t now = g_current += malloc_usable_size(p);
    std::size_t peak = g_peak.load();
    while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
    }
    return p;
}

void release(void* p) {
    if (p)
        g_current -= malloc_usable_size(p);
    std::free(p);
}

/// Bytes of the largest set of activations that must be alive together in the interpreter's
/// order: at node k, its inputs and outputs plus every earlier value read after k (graph
/// inputs included, initializers excluded).
double largestLiveSet(const Interpreter& ip) {
    // 1. Last reader of each value (graph outputs live to the end).
    // 2. Walk the order; live = produced (or fed) before or at k and last read at or after k.
    const Graph& g = ip.graph();
    const auto& order = ip.order();
    std::vector<int> first(g.values.size(), -1), last(g.values.size(), -1);
    for (int in : g.inputs)
        first[in] = 0;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const Node& n = g.nodes[order[k]];
        for (int v : n.inputs)
            if (v >= 0)
                last[v] = static_cast<int>(k);
        for (int v : n.outputs) {
            first[v] = static_cast<int>(k);
            last[v] = std::max(last[v], static_cast<int>(k));
        }
    }
    for (int o : g.outputs)
        last[o] = static_cast<int>(order.size());
    double best = 0;
    for (std::size_t k = 0; k < order.size(); ++k) {
        double live = 0;
        for (std::size_t v = 0; v < g.values.size(); ++v)
            if (!g.values[v].initializer && first[v] >= 0 && first[v] <= static_cast<int>(k) &&
                last[v] >= static_cast<int>(k))
                live += typeBytes({g.values[v].dtype, g.values[v].shape});
        best = std::max(best, live);
    }
    return best;
}

void measure(const char* name, const Graph& model, const Tensor& input, bool freeDead) {
    // 1. Baseline: the model's graph (with its weights) exists once.
    // 2. Peak heap from building the interpreter through one run, above that baseline.
    // 3. Peak memory during inference = weights + that growth.
    Graph g = model;
    const double weights = static_cast<double>(summarizeModel(g).parameterBytes);
    const std::size_t base = g_current.load();
    g_peak = base;
    double live = 0, tracePeak = 0;
    {
        Interpreter ip(std::move(g));
        ip.setFreeDeadValues(freeDead);
        ip.setInput(ip.graph().values[ip.graph().inputs[0]].name, input);
        ip.run();
        live = largestLiveSet(ip);
        tracePeak = static_cast<double>(ip.trace().peakLiveBytes);
    }
    const double growth = static_cast<double>(g_peak.load() - base);
    const double peak = weights + growth;
    std::printf("%-18s %-10s %9.2f %9.2f %12.2f %11.2f %13.2f %6.2fx\n", name,
                freeDead ? "free-dead" : "keep-all", weights / 1e6, live / 1e6, tracePeak / 1e6,
                peak / 1e6, (weights + live) / 1e6, peak / (weights + live));
}

} // namespace

void* operator new(std::size_t n) {
    return track(std::malloc(n));
}
void* operator new[](std::size_t n) {
    return track(std::malloc(n));
}
void* operator new(std::size_t n, std::align_val_t a) {
    return track(
        std::aligned_alloc(static_cast<std::size_t>(a), (n + static_cast<std::size_t>(a) - 1) &
                                                            ~(static_cast<std::size_t>(a) - 1)));
}
void operator delete(void* p) noexcept {
    release(p);
}
void operator delete[](void* p) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t) noexcept {
    release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    release(p);
}

int main() {
    setThreads(1);
    std::printf("Peak heap during inference (interpreter built and run once) vs weights + the "
                "largest live activation set; MB = 1e6 bytes.\n");
    std::printf("%-18s %-10s %9s %9s %12s %11s %13s %7s\n", "model", "values", "weights",
                "live-set", "trace-peak", "peak-heap", "weights+live", "ratio");
    const Graph cnn = models::mobileNetStyle();
    const Tensor image = models::SeededInputs(7).next(cnn.values[cnn.inputs.at(0)]);
    const Graph tf = models::smallTransformer();
    const Tensor tokens = models::SeededInputs(7).next(tf.values[tf.inputs.at(0)]);
    for (bool freeDead : {false, true}) {
        measure("mobilenet-style", cnn, image, freeDead);
        measure("small-transformer", tf, tokens, freeDead);
    }
    std::printf("peak-heap counts everything allocated after the graph is built: kernel scratch "
                "(im2col), outputs and inputs; weights are read in place.\n");
    return 0;
}
