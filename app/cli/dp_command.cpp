// `aisyslab dp`: options → engine/dist's data-parallel simulation → buckets and exposed
// communication, or JSON.
#include "app/cli/dp_command.h"

#include "app/cli/link_options.h"
#include "engine/dist/data_parallel.h"
#include "engine/dist/units.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace aisys::app::cli {

namespace dist = engine::dist;

const char* dpUsage() {
    return R"(  aisyslab dp [--layers N] [--backward 1ms | --backward a,b,...] [--grad-bytes 4M | a,b,...]
              [--bucket 25M] [--first-bucket 1M] [--ranks P] [--topology NAME] [--algo ALGO]
              [--alpha 5us] [--bw 100GB/s] [--chunk C] [--json]
      Simulates a data-parallel backward (PyTorch DDP, Li et al., VLDB 2020 §3.2): layers
      (default 8, each 1 ms and 4 MiB of float32 gradients; one value per layer makes them
      differ) run backward from the last; their gradients fill buckets in that order, a bucket
      closing once it holds --bucket bytes (DDP's bucket_cap_mb, default 25 MiB; the first
      bucket's cap --first-bucket, DDP 1 MiB; 0: one bucket per layer). A bucket's all-reduce
      runs on the collective simulator (default 8 ranks on a ring, ring algorithm) when its
      last gradient is ready and the previous all-reduce has finished. Prints each bucket
      (layers, size, ready, start, end), the backward time, the communication left exposed
      after it, and the step time without overlap.
)";
}

namespace {

int fail(const std::string& msg) {
    std::fprintf(stderr, "aisyslab dp: %s\n", msg.c_str());
    return 2;
}

/// "a,b,c" → items.
std::vector<std::string> splitList(const std::string& v) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= v.size()) {
        std::size_t end = v.find(',', at);
        if (end == std::string::npos)
            end = v.size();
        out.push_back(v.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

} // namespace

int runDp(int argc, char** argv) {
    dist::DataParallelSetup s;
    s.net.alpha = 5e-6;
    s.net.bandwidth = 100e9;
    bool json = false, gotLayers = false;
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
        if (a == "--layers" || a == "--ranks") {
            int n = 0;
            if (!parseInt(v, 1, 4096, n))
                return fail(a + " '" + v + "': expected a whole number from 1 to 4096");
            (a == "--layers" ? s.layers : s.ranks) = n;
            gotLayers |= a == "--layers";
        } else if (a == "--backward") {
            s.backward.clear();
            for (const std::string& item : splitList(v)) {
                const auto t = dist::parseTime(item, err);
                if (!t)
                    return fail("--backward '" + item + "': " + err);
                s.backward.push_back(*t);
            }
        } else if (a == "--grad-bytes") {
            s.gradBytes.clear();
            for (const std::string& item : splitList(v)) {
                const auto b = dist::parseBytes(item, err);
                if (!b)
                    return fail("--grad-bytes '" + item + "': " + err);
                s.gradBytes.push_back(*b);
            }
        } else if (a == "--bucket" || a == "--first-bucket" || a == "--chunk") {
            const auto b = dist::parseBytes(v, err);
            if (!b)
                return fail(a + ": " + err);
            (a == "--bucket"  ? s.bucketBytes
             : a == "--chunk" ? s.chunkBytes
                              : s.firstBucketBytes) = *b;
        } else if (parseLinkOption(a, v, s.topology, s.algo, s.net, err)) {
            if (!err.empty())
                return fail(err);
        } else {
            return fail("unknown option '" + a + "' (see aisyslab dp --help)");
        }
    }
    // A list fixes the layer count when --layers was not given.
    if (!gotLayers && s.backward.size() > 1)
        s.layers = int(s.backward.size());
    else if (!gotLayers && s.gradBytes.size() > 1)
        s.layers = int(s.gradBytes.size());
    dist::DataParallelResult r;
    try {
        r = dist::simulateDataParallel(s);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    if (json) {
        std::printf("{\"layers\": %d, \"ranks\": %d, \"bucket_bytes\": %lld, \"backward\": %.9g, "
                    "\"comm\": %.9g, \"step\": %.9g, \"exposed_comm\": %.9g, "
                    "\"no_overlap\": %.9g, \"buckets\": [",
                    s.layers, s.ranks, static_cast<long long>(s.bucketBytes), r.backwardTime,
                    r.commTime, r.stepTime, r.exposedComm, r.noOverlapTime);
        for (std::size_t b = 0; b < r.buckets.size(); ++b) {
            const auto& k = r.buckets[b];
            std::printf("%s{\"first_layer\": %d, \"last_layer\": %d, \"bytes\": %lld, "
                        "\"ready\": %.9g, \"start\": %.9g, \"end\": %.9g, \"verified\": %s}",
                        b ? ", " : "", k.firstLayer, k.lastLayer, static_cast<long long>(k.bytes),
                        k.ready, k.start, k.end, k.verified ? "true" : "false");
        }
        std::printf("]}\n");
        return 0;
    }
    std::printf("data parallel: %d layers, %d ranks (%s, %s), bucket cap %s\n\n", s.layers, s.ranks,
                s.topology.c_str(), dist::algoName(s.algo),
                s.bucketBytes > 0 ? dist::formatBytes(double(s.bucketBytes)).c_str()
                                  : "none (one per layer)");
    std::printf("%-8s %-10s %10s %10s %10s %10s %6s\n", "bucket", "layers", "size", "ready",
                "start", "end", "check");
    for (std::size_t b = 0; b < r.buckets.size(); ++b) {
        const auto& k = r.buckets[b];
        const std::string layers = k.firstLayer == k.lastLayer ? std::to_string(k.firstLayer)
                                                               : std::to_string(k.lastLayer) + "-" +
                                                                     std::to_string(k.firstLayer);
        std::printf("%-8zu %-10s %10s %10s %10s %10s %6s\n", b, layers.c_str(),
                    dist::formatBytes(double(k.bytes)).c_str(), dist::formatTime(k.ready).c_str(),
                    dist::formatTime(k.start).c_str(), dist::formatTime(k.end).c_str(),
                    k.verified ? "ok" : "WRONG");
    }
    std::printf("\nbackward          %s\n", dist::formatTime(r.backwardTime).c_str());
    std::printf("all-reduces       %s in total\n", dist::formatTime(r.commTime).c_str());
    std::printf("exposed comm      %s (after the backward)\n",
                dist::formatTime(r.exposedComm).c_str());
    std::printf("step              %s overlapped, %s without overlap\n",
                dist::formatTime(r.stepTime).c_str(), dist::formatTime(r.noOverlapTime).c_str());
    return 0;
}

} // namespace aisys::app::cli
