// The simulated network's options shared by `dp` and `tp`.
#include "app/cli/link_options.h"

#include "engine/dist/units.h"

#include <cstdlib>

namespace aisys::app::cli {

namespace dist = engine::dist;

bool parseLinkOption(const std::string& a, const std::string& v, std::string& topology,
                     dist::Algo& algo, dist::ShapeParams& net, std::string& err) {
    err.clear();
    if (a == "--topology") {
        topology = v;
    } else if (a == "--algo") {
        if (const auto parsed = dist::parseAlgo(v))
            algo = *parsed;
        else
            err = "--algo '" + v + "': expected one of " + dist::algoNames();
    } else if (a == "--alpha") {
        if (const auto t = dist::parseTime(v, err))
            net.alpha = *t;
        else
            err = "--alpha: " + err;
    } else if (a == "--bw") {
        if (const auto b = dist::parseBandwidth(v, err))
            net.bandwidth = *b;
        else
            err = "--bw: " + err;
    } else {
        return false;
    }
    return true;
}

bool parseInt(const std::string& v, int lo, int hi, int& out) {
    char* end = nullptr;
    const long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || x < lo || x > hi)
        return false;
    out = int(x);
    return true;
}

} // namespace aisys::app::cli
