// The simulated network's options shared by `dp` and `tp`.
#include "app/cli/link_options.h"

#include "engine/dist/units.h"

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

} // namespace aisys::app::cli
